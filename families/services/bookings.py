"""Reservations (réservations): add and cancel days in batches, with deadlines, closures, exclusive and
dependent units, capacity and the waiting list (liste d'attente) with automatic promotion."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from families.models import Booking, Child, Enrolment, Guardian, Unit

from .calendar import french_date
from .deadlines import BookingAction, booking_deadline, until_sentence
from .emails import email_send
from .health import child_assert_can_book
from .opening import calendar_open_days, closures_between

State = Booking.State


@dataclass(frozen=True)
class Change:
    """One day a parent (or an agent) wants to reserve (`add`) or cancel (`cancel`) for a child on a unit."""

    child: Child
    unit: Unit
    day: date
    action: str = BookingAction.ADD


@dataclass(frozen=True)
class Refusal:
    """A refused change, with a machine code and the French sentence shown to the parent."""

    change: Change
    code: str
    message: str


@dataclass
class ApplyResult:
    """What `bookings_apply` did: bookings reserved, put on the waiting list, cancelled or promoted, and refusals.

    `positions` maps each of `waiting` (by id) to its place in line (1 = next promoted). When the call was
    all-or-nothing and `refused` is not empty, nothing was saved and the other lists are empty.
    """

    reserved: list[Booking] = field(default_factory=list)
    waiting: list[Booking] = field(default_factory=list)
    cancelled: list[Booking] = field(default_factory=list)
    promoted: list[Booking] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.refused


class _Refused(Exception):
    def __init__(self, code: str, message: str):
        self.code, self.message = code, message


def _order(change: Change, units: dict[int, Unit]) -> tuple:
    # Adds before cancels so that "change the meal type" never leaves a dependent unit without its meal for a
    # moment; among adds the required units come first, among cancels the dependent ones.
    has_requires = bool(units[change.unit.pk].requires.all())
    if change.action == BookingAction.ADD:
        return (0, 1 if has_requires else 0)
    return (1, 0 if has_requires else 1)


class _Planner:
    """The state of every concerned unit-day in memory, loaded in a bounded number of queries, then changed."""

    def __init__(self, *, changes: list[Change], by, as_staff: bool, now: datetime, record_late: bool = True):
        self.by, self.as_staff, self.now = by, as_staff, now
        self.record_late = record_late and as_staff
        activity_ids = {c.unit.activity_id for c in changes}
        # Dependent units may sit in another activity (the périscolaire evening needs a canteen meal).
        for pair in Unit.requires.through.objects.filter(
            Q(from_unit__activity_id__in=activity_ids) | Q(to_unit__activity_id__in=activity_ids)
        ).values_list("from_unit__activity_id", "to_unit__activity_id"):
            activity_ids.update(pair)
        activity_ids = sorted(activity_ids)
        child_ids = {c.child.pk for c in changes}
        start, end = min(c.day for c in changes), max(c.day for c in changes)
        # Capacity is decided under a row lock on the units (in pk order: no deadlock between two batches);
        # every count below is read after it, so two parents taking the last place never both get it.
        list(
            Unit.objects.select_for_update()
            .filter(activity_id__in=activity_ids)
            .order_by("pk")
            .values_list("pk")
        )
        self.units = {
            u.pk: u
            for u in Unit.objects.filter(activity_id__in=activity_ids)
            .select_related("activity")
            .prefetch_related("requires")
        }
        self.by_activity: dict[int, list[Unit]] = defaultdict(list)
        for unit in self.units.values():
            self.by_activity[unit.activity_id].append(unit)
        self.current: dict[tuple, Booking] = {}
        for booking in Booking.objects.filter(
            child_id__in=child_ids, unit__activity_id__in=activity_ids, date__range=(start, end)
        ).order_by("pk"):
            key = (booking.child_id, booking.unit_id, booking.date)
            if key not in self.current or booking.state in Booking.ACTIVE:
                self.current[key] = booking
        self.reserved_count: dict[tuple, int] = defaultdict(int)
        # Only units with a capacity need their places counted: counting an unlimited canteen's reservations
        # would cost each family's call a scan that grows with the town.
        limited = [pk for pk, unit in self.units.items() if unit.effective_capacity is not None]
        for row in (
            Booking.objects.filter(unit_id__in=limited, date__range=(start, end), state=State.RESERVED)
            .values("unit_id", "date")
            .annotate(n=Count("id"))
        ):
            self.reserved_count[(row["unit_id"], row["date"])] = row["n"]
        self.waiting: dict[tuple, list[Booking]] = defaultdict(list)
        for booking in (
            Booking.objects.filter(unit_id__in=self.units, date__range=(start, end), state=State.WAITING)
            .select_related("child", "unit__activity")
            .order_by("waiting_since", "pk")
        ):
            self.waiting[(booking.unit_id, booking.date)].append(booking)
        self.closures = closures_between(
            start=start, end=end, activities=[u.activity for u in self.units.values()]
        )
        self.open_days: dict[int, set[date]] = {}
        for unit in self.units.values():
            if unit.activity_id not in self.open_days:
                self.open_days[unit.activity_id] = set(
                    calendar_open_days(activity=unit.activity, start=start, end=end)
                )
        self.enrolments: dict[tuple, list[Enrolment]] = defaultdict(list)
        for enrolment in Enrolment.objects.filter(
            child_id__in=child_ids, activity_id__in=activity_ids, status=Enrolment.Status.ACCEPTED
        ):
            self.enrolments[(enrolment.child_id, enrolment.activity_id)].append(enrolment)
        self.new: list[Booking] = []
        self.dirty: dict[int, Booking] = {}
        self.freed: set[tuple] = set()
        self.result = ApplyResult()

    # --- reading the simulated state -------------------------------------------------------------------------

    def active(self, child_id: int, unit_id: int, day: date) -> Booking | None:
        booking = self.current.get((child_id, unit_id, day))
        return booking if booking is not None and booking.state in Booking.ACTIVE else None

    def capacity(self, unit: Unit) -> int | None:
        return unit.effective_capacity

    # --- checks ----------------------------------------------------------------------------------------------

    def check_enrolled(self, child: Child, unit: Unit, day: date) -> None:
        activity = unit.activity
        for enrolment in self.enrolments.get((child.pk, activity.pk), ()):
            if enrolment.start_date <= day <= (enrolment.end_date or activity.period_end):
                return
        raise _Refused(
            "not_enrolled",
            _("%(child)s n'a pas d'inscription acceptée à « %(activity)s » pour le %(day)s.")
            % {"child": child.first_name, "activity": activity.name, "day": french_date(day)},
        )

    def check_open(self, child: Child, unit: Unit, day: date) -> None:
        if not unit.is_active or not unit.activity.is_active:
            raise _Refused("inactive", _("« %(unit)s » n'est plus proposé.") % {"unit": unit.label})
        closure = next(
            (c for c in self.closures if c.applies_to(unit=unit, school_id=child.school_id, day=day)), None
        )
        if closure is not None:
            raise _Refused(
                "closed",
                _("« %(unit)s » est fermé le %(day)s (%(reason)s).")
                % {"unit": unit.label, "day": french_date(day), "reason": closure.reason},
            )
        if day not in self.open_days[unit.activity_id]:
            raise _Refused(
                "closed",
                _("« %(activity)s » n'est pas ouvert le %(day)s.")
                % {"activity": unit.activity.name, "day": french_date(day)},
            )

    def check_deadline(self, unit: Unit, day: date, action: str) -> None:
        if self.as_staff:
            return
        limit = booking_deadline(activity=unit.activity, day=day, action=action)
        if self.now >= limit:
            template = (
                _("Le délai pour réserver le %(day)s est dépassé (%(until)s).")
                if action == BookingAction.ADD
                else _("Le délai pour annuler le %(day)s est dépassé (%(until)s).")
            )
            raise _Refused("deadline", template % {"day": french_date(day), "until": until_sentence(limit)})

    def check_health(self, child: Child, day: date) -> None:
        if self.as_staff:
            return
        try:
            child_assert_can_book(child=child, day=day)
        except ValidationError as error:
            raise _Refused("health_form_required", error.messages[0]) from error

    def check_requirements(self, child: Child, unit: Unit, day: date) -> None:
        required = list(unit.requires.all())
        if required and not any(self.active(child.pk, r.pk, day) for r in required):
            raise _Refused(
                "requires",
                _("« %(unit)s » du %(day)s nécessite aussi : %(required)s.")
                % {
                    "unit": unit.label,
                    "day": french_date(day),
                    "required": _(" ou ").join(r.label for r in required),
                },
            )

    def check_no_dependent_left(
        self, child: Child, removed: set[int], day: date, added: int | None = None
    ) -> None:
        """Cancelling `removed` (while booking `added`) must not leave a booked unit of the day without any of the
        units it requires."""
        for other in self.units.values():
            required = [r.pk for r in other.requires.all()]
            if not required or other.pk in removed or not self.active(child.pk, other.pk, day):
                continue
            if not any(pk == added or self.active(child.pk, pk, day) for pk in required if pk not in removed):
                raise _Refused(
                    "required_by",
                    _("Annulez d'abord « %(unit)s » du %(day)s, qui en dépend.")
                    % {"unit": other.label, "day": french_date(day)},
                )

    # --- changes ---------------------------------------------------------------------------------------------

    def add(self, change: Change) -> None:
        child, unit, day = change.child, self.units[change.unit.pk], change.day
        if self.active(child.pk, unit.pk, day):
            return  # already reserved or waiting: nothing to do
        self.check_open(child, unit, day)
        self.check_enrolled(child, unit, day)
        self.check_deadline(unit, day, BookingAction.ADD)
        self.check_health(child, day)
        replaced = []
        if unit.exclusive_group:
            replaced = [
                booking
                for other in self.by_activity[unit.activity_id]
                if other.pk != unit.pk and other.exclusive_group == unit.exclusive_group
                for booking in [self.active(child.pk, other.pk, day)]
                if booking is not None
            ]
        for booking in replaced:
            if booking.state == State.RESERVED:
                self.check_deadline(self.units[booking.unit_id], day, BookingAction.CANCEL)
        self.check_requirements(child, unit, day)
        if replaced:
            self.check_no_dependent_left(child, {b.unit_id for b in replaced}, day, added=unit.pk)
        self._book(child, unit, day)
        for old in replaced:
            self._cancel(old)

    def cancel(self, change: Change) -> None:
        child, unit, day = change.child, self.units[change.unit.pk], change.day
        booking = self.active(child.pk, unit.pk, day)
        if booking is None:
            return  # nothing booked: nothing to cancel
        if booking.state == State.RESERVED:
            self.check_deadline(unit, day, BookingAction.CANCEL)
        self.check_no_dependent_left(child, {unit.pk}, day)
        self._cancel(booking)

    def _book(self, child: Child, unit: Unit, day: date) -> Booking:
        key = (child.pk, unit.pk, day)
        booking = self.current.get(key)
        if booking is None:
            booking = Booking(child=child, unit=unit, date=day, created_by=self.by)
            self.current[key] = booking
            self.new.append(booking)
        else:
            self._touch(booking)
        booking.updated_by = self.by
        # Only staff book after the délai de réservation; such a day is a réservation tardive (surcharged).
        booking.late = self.record_late and self.now >= booking_deadline(
            activity=unit.activity, day=day, action=BookingAction.ADD
        )
        capacity = self.capacity(unit)
        if capacity is not None and self.reserved_count[(unit.pk, day)] >= capacity:
            booking.state, booking.waiting_since = State.WAITING, self.now
            self.waiting[(unit.pk, day)].append(booking)
        else:
            booking.state, booking.waiting_since = State.RESERVED, None
            self.reserved_count[(unit.pk, day)] += 1
        return booking

    def _cancel(self, booking: Booking) -> None:
        key = (booking.unit_id, booking.date)
        if booking.state == State.RESERVED:
            self.reserved_count[key] -= 1
            self.freed.add(key)
        elif booking in self.waiting[key]:
            self.waiting[key].remove(booking)
        booking.state, booking.waiting_since, booking.updated_by = State.CANCELLED, None, self.by
        self._touch(booking)
        self.result.cancelled.append(booking)

    def _touch(self, booking: Booking) -> None:
        if booking.pk is not None:
            self.dirty[booking.pk] = booking

    def promote(self) -> None:
        """Each freed place goes to the first in line whose délai de réservation is not over; the others wait."""
        for key in sorted(self.freed, key=lambda k: (k[1], k[0])):
            unit = self.units[key[0]]
            capacity = self.capacity(unit)
            line = self.waiting[key]
            for booking in list(line):
                if capacity is not None and self.reserved_count[key] >= capacity:
                    break
                if self.now >= booking_deadline(activity=unit.activity, day=key[1], action=BookingAction.ADD):
                    continue
                line.remove(booking)
                booking.state, booking.waiting_since = State.RESERVED, None
                self.reserved_count[key] += 1
                self._touch(booking)
                if booking.pk is not None:
                    self.result.promoted.append(booking)
                # A booking both added and promoted in this batch is simply reserved.

    def save(self) -> None:
        reason = (
            _("Modification par le service enfance") if self.as_staff else _("Modification par la famille")
        )
        stamp = timezone.now()
        for booking in self.dirty.values():
            booking.updated_at = stamp
        if self.new:
            # Django sets the ids on these same instances (PostgreSQL and SQLite both return them).
            bulk_create_with_history(self.new, Booking, default_user=self.by, default_change_reason=reason)
        if self.dirty:
            bulk_update_with_history(
                list(self.dirty.values()),
                Booking,
                ["state", "waiting_since", "late", "updated_by", "updated_at"],
                default_user=self.by,
                default_change_reason=reason,
            )
        promoted = {id(b) for b in self.result.promoted}
        for booking in [*self.new, *self.dirty.values()]:
            if booking.state == State.RESERVED and id(booking) not in promoted:
                self.result.reserved.append(booking)
            elif booking.state == State.WAITING:
                self.result.waiting.append(booking)
        self.result.cancelled = [b for b in self.result.cancelled if b.state == State.CANCELLED and b.pk]
        mine = {id(b) for b in self.result.waiting}
        for line in self.waiting.values():
            for position, booking in enumerate(line, start=1):
                if id(booking) in mine:
                    self.result.positions[booking.pk] = position


def bookings_apply(
    *,
    child_changes: list[Change],
    by,
    as_staff: bool,
    now: datetime | None = None,
    all_or_nothing: bool = True,
    record_late: bool = True,
) -> ApplyResult:
    """Apply a batch of réservations and annulations; the rules hold whoever calls.

    Each change is checked (jour d'ouverture et fermetures, inscription acceptée, délai — sauf pour le service
    enfance —, fiche sanitaire pour les familles, unités exclusives et dépendantes) and then reserved, or put on
    the liste d'attente when the day is full; choosing another unit of the same exclusive group replaces the
    day's booking. A cancelled place goes to the first in line still within the délai de réservation, who is
    told by email. `all_or_nothing` saves nothing when any change is refused (family API); otherwise what can be
    applied is saved and the refusals are reported (modification avancée). A day the service enfance reserves
    after the délai is marked `late` (réservation tardive, billed with the tariff's surcharge) unless
    `record_late` is False (plannings of an accepted inscription, demo history).
    """
    result = ApplyResult()
    if not child_changes:
        return result
    now = now or timezone.now()
    with transaction.atomic():
        planner = _Planner(changes=child_changes, by=by, as_staff=as_staff, now=now, record_late=record_late)
        for change in sorted(child_changes, key=lambda c: _order(c, planner.units)):
            try:
                if change.action == BookingAction.ADD:
                    planner.add(change)
                elif change.action == BookingAction.CANCEL:
                    planner.cancel(change)
                else:
                    raise _Refused("action", _("Action inconnue : %(action)s.") % {"action": change.action})
            except _Refused as refusal:
                planner.result.refused.append(
                    Refusal(change=change, code=refusal.code, message=refusal.message)
                )
        if planner.result.refused and all_or_nothing:
            return ApplyResult(refused=planner.result.refused)
        planner.promote()
        planner.save()
        _notify_promoted(planner.result.promoted)
        return planner.result


def _notify_promoted(bookings: list[Booking]) -> None:
    """Tell each family that a waiting-list day is now reserved (sent after commit)."""
    if not bookings:
        return
    family_ids = {b.child.family_id for b in bookings}
    emails: dict[int, list[str]] = defaultdict(list)
    for guardian in Guardian.objects.filter(family_id__in=family_ids).exclude(email=""):
        emails[guardian.family_id].append(guardian.email)
    for booking in bookings:
        email_send(
            to=emails.get(booking.child.family_id, []),
            template="booking_promoted",
            context={
                "booking": booking,
                "child": booking.child,
                "unit": booking.unit,
                "day": french_date(booking.date),
            },
        )


def bookings_from_enrolment(*, enrolment: Enrolment, by, now: datetime | None = None) -> ApplyResult:
    """Reserve the weekly planning (planning hebdomadaire) of an accepted inscription, from today or its start.

    Booked as the service enfance (no délai), each open day of the planning's weekdays on each planning unit; a
    full day goes to the liste d'attente, a closed day is reported and skipped.
    """
    now = now or timezone.now()
    activity = enrolment.activity
    weekdays = set(enrolment.planning_weekdays or [])
    units = list(enrolment.planning_units.all())
    if not weekdays or not units:
        return ApplyResult()
    from .opening import activity_open_days

    start = max(enrolment.start_date, timezone.localdate(now))
    end = min(enrolment.end_date or activity.period_end, activity.period_end)
    days = [d for d in activity_open_days(activity=activity, start=start, end=end) if d.weekday() in weekdays]
    changes = [Change(child=enrolment.child, unit=unit, day=day) for day in days for unit in units]
    return bookings_apply(
        child_changes=changes, by=by, as_staff=True, now=now, all_or_nothing=False, record_late=False
    )


def changes_exclusive_conflicts(*, child_changes: list[Change]) -> list[Refusal]:
    """Two units of the same exclusive group (one meal type per day) asked for the same child and day in one
    batch: the request contradicts itself, so each such change is refused (pure, no query)."""
    groups: dict[tuple, list[Change]] = defaultdict(list)
    for change in child_changes:
        if change.action == BookingAction.ADD and change.unit.exclusive_group:
            groups[
                (change.child.pk, change.unit.activity_id, change.unit.exclusive_group, change.day)
            ].append(change)
    refusals = []
    for same in groups.values():
        if len({c.unit.pk for c in same}) < 2:
            continue
        labels = _(" ou ").join(c.unit.label for c in same)
        for change in same:
            refusals.append(
                Refusal(
                    change=change,
                    code="exclusive",
                    message=_("Un seul choix possible le %(day)s : %(units)s.")
                    % {"day": french_date(change.day), "units": labels},
                )
            )
    return refusals


# --- Attendance set from a declared absence (absences) --------------------------------------------------------------


def bookings_set_attendance(*, bookings: list[Booking], attendance: str, by, reason: str) -> list[Booking]:
    """Set the présence of reserved `bookings` (absent, absence justifiée…), each change kept in their history."""
    changed = [b for b in bookings if b.state == State.RESERVED and b.attendance != attendance]
    if not changed:
        return []
    stamp = timezone.now()
    for booking in changed:
        booking.attendance, booking.updated_by, booking.updated_at = attendance, by, stamp
    bulk_update_with_history(
        changed, Booking, ["attendance", "updated_by", "updated_at"], default_user=by, default_change_reason=reason
    )
    return changed


def bookings_mark_absent(*, bookings: list[Booking], by, reason: str) -> list[Booking]:
    """Reserved days the child will miss after the délai d'annulation: « absent » (billed until justified)."""
    return bookings_set_attendance(bookings=bookings, attendance=Booking.Attendance.ABSENT, by=by, reason=reason)
