"""Read side of reservations: a child's planning (each open day × unit) and waiting-list positions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Booking, Child, Enrolment, Unit
from .services.deadlines import BookingAction, booking_deadline
from .services.opening import calendar_open_days, closures_between


class PlanningState(models.TextChoices):
    """The state of a day cell as the family API names it."""

    RESERVED = "reserved", _("Réservé")
    WAITING = "waiting", _("Liste d'attente")
    AVAILABLE = "available", _("Disponible")
    CLOSED = "closed", _("Fermé")


@dataclass(frozen=True)
class PlanningCell:
    """One open day × unit of a child's accepted inscriptions.

    `editable_until` is the deadline of the change the parent could make now (réserver when not reserved, annuler
    when reserved or waiting), None when it is over or the day is closed. `editable` says whether the cell can be
    changed now: until `editable_until` for a family, at any time (except a closed day) for the service enfance,
    which is never bound by deadlines (back-office, mode guichet).
    """

    day: date
    unit: Unit
    state: str
    waiting_position: int | None
    editable_until: datetime | None
    booking: Booking | None
    editable: bool = False


def waiting_positions(*, bookings: list[Booking]) -> dict[int, int]:
    """Place in line (1 = next promoted) of each waiting booking, ordered by arrival: one query for all."""
    waiting = [b for b in bookings if b.state == Booking.State.WAITING]
    if not waiting:
        return {}
    keys = {(b.unit_id, b.date) for b in waiting}
    lines: dict[tuple, list[int]] = defaultdict(list)
    rows = (
        Booking.objects.filter(
            unit_id__in={k[0] for k in keys}, date__in={k[1] for k in keys}, state=Booking.State.WAITING
        )
        .order_by("waiting_since", "pk")
        .values_list("pk", "unit_id", "date")
    )
    for pk, unit_id, day in rows:
        lines[(unit_id, day)].append(pk)
    return {b.pk: lines[(b.unit_id, b.date)].index(b.pk) + 1 for b in waiting}


def child_planning(
    *, child: Child, start: date, end: date, now: datetime | None = None, as_staff: bool = False
) -> list[PlanningCell]:
    """Each open day × unit of the child's accepted inscriptions between `start` and `end`, with its state,
    waiting position and `editable_until`, in five queries whatever the range. `as_staff` (an agent, also at the
    guichet) makes every open cell editable whatever its deadline."""
    now = now or timezone.now()
    enrolments = list(
        Enrolment.objects.filter(child=child, status=Enrolment.Status.ACCEPTED, start_date__lte=end)
        .select_related("activity")
        .order_by("activity__kind", "activity__name")
    )
    activities = {e.activity_id: e.activity for e in enrolments}
    units = list(
        Unit.objects.filter(activity_id__in=activities, is_active=True).order_by("activity", "position")
    )
    bookings = _latest_bookings(child=child, units=units, start=start, end=end)
    closures = closures_between(start=start, end=end, activities=activities.values())
    positions = waiting_positions(bookings=list(bookings.values()))
    cells = []
    for enrolment in enrolments:
        activity = enrolment.activity
        first = max(start, enrolment.start_date)
        last = min(end, enrolment.end_date or activity.period_end)
        for day in calendar_open_days(activity=activity, start=first, end=last):
            for unit in (u for u in units if u.activity_id == activity.pk):
                unit.activity = activity
                booking = bookings.get((unit.pk, day))
                cells.append(_cell(day, unit, booking, closures, positions, child, now, as_staff))
    cells.sort(key=lambda c: (c.day, c.unit.activity_id, c.unit.position, c.unit.pk))
    return cells


def _latest_bookings(*, child, units, start, end) -> dict[tuple, Booking]:
    # A day cancelled then reserved again keeps its old cancelled row: the active one wins.
    found: dict[tuple, Booking] = {}
    for booking in Booking.objects.filter(child=child, unit__in=units, date__range=(start, end)).order_by(
        "pk"
    ):
        key = (booking.unit_id, booking.date)
        if key not in found or booking.state in Booking.ACTIVE:
            found[key] = booking
    return found


def _cell(day, unit, booking, closures, positions, child, now, as_staff) -> PlanningCell:
    closed = any(c.applies_to(unit=unit, school_id=child.school_id, day=day) for c in closures)
    state = booking.state if booking is not None else None
    if closed or state == Booking.State.CLOSURE:
        return PlanningCell(day, unit, PlanningState.CLOSED, None, None, booking)
    if state == Booking.State.RESERVED:
        planning_state, action = PlanningState.RESERVED, BookingAction.CANCEL
    elif state == Booking.State.WAITING:
        # Leaving the waiting list is possible until the day could no longer be reserved.
        planning_state, action = PlanningState.WAITING, BookingAction.ADD
    else:
        planning_state, action = PlanningState.AVAILABLE, BookingAction.ADD
    limit = booking_deadline(activity=unit.activity, day=day, action=action)
    open_for_family = now < limit
    return PlanningCell(
        day=day,
        unit=unit,
        state=planning_state,
        waiting_position=positions.get(booking.pk) if planning_state == PlanningState.WAITING else None,
        editable_until=limit if open_for_family else None,
        booking=booking,
        editable=open_for_family or as_staff,
    )
