"""Annulation groupée: staff close a day or a range for the town, a site, an activity or a unit (grève, sortie,
fermeture) in one action; the bookings become « Annulé (fermeture) » (never billed), each family gets one email,
and the fermeture can be undone while its first day has not passed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from simple_history.utils import bulk_update_with_history

from families.models import Booking, Closure, ClosureBooking, Guardian

from . import emails
from .calendar import french_date
from .opening import closure_create


@dataclass
class BulkCancelResult:
    closure: Closure | None
    bookings: int
    families: int


def closure_check_not_past(day: date, now: datetime | None) -> None:
    today = timezone.localdate(now or timezone.now())
    if day < today:
        raise ValidationError(
            {
                "start_date": _("Le %(day)s est passé : on n'annule pas un jour passé.")
                % {"day": french_date(day)}
            }
        )


def closure_bookings(*, start_date: date, end_date: date, activity=None, unit=None, school=None) -> QuerySet:
    """The active bookings (réservées ou en liste d'attente) a fermeture of this scope would cancel."""
    bookings = Booking.objects.filter(date__range=(start_date, end_date), state__in=Booking.ACTIVE)
    if activity is not None:
        bookings = bookings.filter(unit__activity=activity)
    if unit is not None:
        bookings = bookings.filter(unit=unit)
    if school is not None:
        bookings = bookings.filter(child__school=school)
    return bookings


def _family_emails(family_ids) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = defaultdict(list)
    for family_id, email in (
        Guardian.objects.filter(family_id__in=family_ids).exclude(email="").values_list("family_id", "email")
    ):
        emails[family_id].append(email)
    return emails


@task()
def closure_notify_families(*, template: str, reason: str, families: list[dict]) -> int:
    """Render and send the one email per family of an annulation groupée (a worker does it, not the request)."""
    for family in families:
        emails.email_send(
            to=family["to"], template=template, context={"reason": reason, "lines": family["lines"]}
        )
    return len(families)


def _notify(*, bookings: list[Booking], closure: Closure, template: str) -> int:
    """One email per family listing its children's days, rendered by a task after commit; returns the number of
    families. The transaction only writes: 2,000 bookings do not wait for 1,000 emails to render."""
    by_family: dict[int, list[Booking]] = defaultdict(list)
    for booking in bookings:
        by_family[booking.child.family_id].append(booking)
    addresses = _family_emails(by_family)
    payload = [
        {
            "to": addresses[family_id],
            "lines": [
                {"child": b.child.first_name, "unit": b.unit.label, "day": french_date(b.date)}
                for b in sorted(family_bookings, key=lambda b: (b.date, b.child.first_name, b.unit.label))
            ],
        }
        for family_id, family_bookings in by_family.items()
        if addresses.get(family_id)
    ]
    if payload:
        reason = closure.reason
        emails._after_commit(
            lambda: closure_notify_families.enqueue(template=template, reason=reason, families=payload)
        )
    return len(by_family)


@transaction.atomic
def closure_apply(
    *,
    start_date: date,
    end_date: date | None = None,
    reason: str,
    by,
    activity=None,
    unit=None,
    school=None,
    now: datetime | None = None,
) -> BulkCancelResult:
    """Ferme la période pour ce périmètre and cancels its bookings as « fermeture » (jamais facturées); each
    family concerned gets one email. A day already passed is refused."""
    end_date = end_date or start_date
    closure_check_not_past(start_date, now)
    if unit is not None and activity is None:
        activity = unit.activity
    closure = closure_create(
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        by=by,
        activity=activity,
        unit=unit,
        school=school,
    )
    bookings = list(
        closure_bookings(
            start_date=start_date, end_date=end_date, activity=activity, unit=unit, school=school
        )
        .select_for_update(of=("self",))
        .select_related("child", "unit")
        .order_by("pk")
    )
    ClosureBooking.objects.bulk_create(
        [ClosureBooking(closure=closure, booking=b, previous_state=b.state) for b in bookings], batch_size=500
    )
    stamp = timezone.now()
    for booking in bookings:
        # waiting_since is kept: undoing the fermeture puts a waiting child back at his place in line.
        booking.state, booking.updated_by, booking.updated_at = Booking.State.CLOSURE, by, stamp
    bulk_update_with_history(
        bookings,
        Booking,
        ["state", "updated_by", "updated_at"],
        batch_size=500,
        default_user=by,
        default_change_reason=_("Fermeture : %(reason)s") % {"reason": reason},
    )
    families = _notify(bookings=bookings, closure=closure, template="bulk_cancel")
    return BulkCancelResult(closure=closure, bookings=len(bookings), families=families)


@transaction.atomic
def closure_revert(*, closure: Closure, by, now: datetime | None = None) -> BulkCancelResult:
    """Rétablir: undo a fermeture whose first day has not passed; the bookings it cancelled get back their state
    (unless the child was booked again meanwhile) and each family is told once."""
    today = timezone.localdate(now or timezone.now())
    if closure.start_date < today:
        raise ValidationError(
            _("La fermeture du %(day)s a commencé : elle ne peut plus être annulée.")
            % {"day": french_date(closure.start_date)}
        )
    links = list(
        ClosureBooking.objects.filter(closure=closure, booking__state=Booking.State.CLOSURE)
        .select_related("booking__child", "booking__unit")
        .order_by("booking_id")
    )
    bookings = [link.booking for link in links]
    if bookings:
        taken = set(
            Booking.objects.filter(
                state__in=Booking.ACTIVE,
                date__range=(closure.start_date, closure.end_date),
                child_id__in={b.child_id for b in bookings},
            ).values_list("child_id", "unit_id", "date")
        )
        restored = []
        stamp = timezone.now()
        for link in links:
            booking = link.booking
            if (booking.child_id, booking.unit_id, booking.date) in taken:
                continue
            booking.state, booking.updated_by, booking.updated_at = link.previous_state, by, stamp
            restored.append(booking)
        bulk_update_with_history(
            restored,
            Booking,
            ["state", "updated_by", "updated_at"],
            batch_size=500,
            default_user=by,
            default_change_reason=_("Fermeture annulée : %(reason)s") % {"reason": closure.reason},
        )
        bookings = restored
    families = _notify(bookings=bookings, closure=closure, template="bulk_cancel_reverted")
    closure._history_user = by
    closure.delete()
    return BulkCancelResult(closure=None, bookings=len(bookings), families=families)


def closures_upcoming(*, now: datetime | None = None) -> QuerySet:
    """Fermetures not yet started (still reversible) and the current ones, with how many bookings each cancelled."""
    from django.db.models import Count

    today = timezone.localdate(now or timezone.now())
    return (
        Closure.objects.filter(Q(end_date__gte=today))
        .select_related("activity", "unit", "school", "created_by")
        .annotate(n_bookings=Count("cancelled_bookings"))
        .order_by("start_date", "pk")
    )
