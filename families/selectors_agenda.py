"""The family's agenda (Mon accueil, page d'un enfant): the coming reservations and the past presences/absences,
as a compact list, in one query whatever the family's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from families.models import Booking, Child, Family

AGENDA_DAYS = 10  # days shown each way (jours avec une réservation)
# The window read from the database: 10 booked days fit in it even with week-ends and a fortnight of holidays.
_WINDOW = timedelta(days=31)


@dataclass(frozen=True)
class AgendaLine:
    day: date
    child_id: int
    child_name: str
    unit: str
    status: str  # a stable code for CSS: reserved, waiting, present, absent, excused, unknown
    label: str


@dataclass(frozen=True)
class Agenda:
    coming: list[AgendaLine]
    past: list[AgendaLine]


def _line(booking: Booking, *, past: bool) -> AgendaLine:
    attendance = booking.attendance
    if attendance != Booking.Attendance.UNKNOWN:
        status, label = attendance, booking.get_attendance_display()
    elif booking.state == Booking.State.WAITING:
        status, label = "waiting", booking.get_state_display()
    elif past:
        status, label = "unknown", _("Non pointé")
    else:
        status, label = "reserved", booking.get_state_display()
    return AgendaLine(
        day=booking.date,
        child_id=booking.child_id,
        child_name=booking.child.first_name,
        unit=booking.unit.label,
        status=status,
        label=str(label),
    )


def _keep_days(lines: list[AgendaLine], n: int) -> list[AgendaLine]:
    days: set[date] = set()
    kept = []
    for line in lines:
        if line.day not in days and len(days) == n:
            break
        days.add(line.day)
        kept.append(line)
    return kept


def family_agenda(
    *, family: Family, today: date, child: Child | None = None, days: int = AGENDA_DAYS
) -> Agenda:
    """The next `days` booked days from today and the last `days` before it (réservé, liste d'attente, présent,
    absent, absence justifiée), for the whole family or one child: one query."""
    bookings = (
        Booking.objects.filter(
            child__family=family,
            date__range=(today - _WINDOW, today + _WINDOW),
            state__in=(Booking.State.RESERVED, Booking.State.WAITING),
        )
        .select_related("child", "unit")
        .order_by("date", "child__birth_date", "unit__position", "unit_id")
    )
    if child is not None:
        bookings = bookings.filter(child=child)
    coming, past = [], []
    for booking in bookings:
        if booking.date >= today:
            coming.append(_line(booking, past=False))
        elif booking.state == Booking.State.RESERVED:
            past.append(_line(booking, past=True))
    past = list(reversed(_keep_days(list(reversed(past)), days)))
    return Agenda(coming=_keep_days(coming, days), past=past)
