"""Models of the families app, split by concern."""

from .absence import Absence, CalendarFeed, ReminderSent
from .attendance import ClosureBooking, RollCall
from .booking import Booking, Closure
from .catalogue import Activity, ActivityKind, ClassLevel, DeadlineKind, School, Unit, Weekday
from .dossier import Allergen, Child, Civility, Contact, Diet, Family, Guardian, Vaccination, Vaccine
from .enrolment import Enrolment
from .portal import (
    PARENT_DOCUMENT_KINDS,
    AccountRequest,
    ChangeRequest,
    Conversation,
    DocumentKind,
    FamilyAccessKey,
    FamilyDocument,
    GuichetAction,
    Message,
)

__all__ = [
    "ClosureBooking",
    "RollCall",
    "Absence",
    "CalendarFeed",
    "ReminderSent",
    "Booking",
    "Closure",
    "Weekday",
    "Enrolment",
    "PARENT_DOCUMENT_KINDS",
    "AccountRequest",
    "ChangeRequest",
    "Conversation",
    "DocumentKind",
    "FamilyAccessKey",
    "FamilyDocument",
    "GuichetAction",
    "Message",
    "Activity",
    "ActivityKind",
    "Allergen",
    "Child",
    "Civility",
    "ClassLevel",
    "Contact",
    "DeadlineKind",
    "Diet",
    "Family",
    "Guardian",
    "School",
    "Unit",
    "Vaccination",
    "Vaccine",
]
