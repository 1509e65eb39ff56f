"""Reads of the staff screens: the roll call sheet of a site and day, the days still to close, the walk-in search
and the kitchen counts. Each answers in a fixed number of queries, whatever the number of children or days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from families.models import (
    Activity,
    ActivityKind,
    Booking,
    Child,
    Contact,
    Diet,
    Enrolment,
    RollCall,
    School,
    Unit,
)

# A roll call still open at this hour shows on the agents' dashboard (« Appels non clôturés »).
ROLLCALL_DEADLINE = time(19, 0)
# How far back the dashboard looks for days left open.
ROLLCALL_LOOKBACK_DAYS = 31


@dataclass
class RollCallRow:
    booking: Booking
    child: Child
    allergies: list[str]
    has_pai: bool
    diet_label: str
    pick_up: list[Contact]

    @property
    def attendance(self) -> str:
        return self.booking.attendance


@dataclass
class RollCallGroup:
    unit: Unit
    rows: list[RollCallRow] = field(default_factory=list)

    @property
    def present(self) -> int:
        return sum(1 for r in self.rows if r.attendance == Booking.Attendance.PRESENT)


@dataclass
class RollCallSheet:
    school: School
    activity: Activity
    day: date
    rollcall: RollCall | None
    groups: list[RollCallGroup]
    with_health: bool

    @property
    def is_closed(self) -> bool:
        return self.rollcall is not None and self.rollcall.is_closed

    @property
    def expected(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def to_mark(self) -> int:
        return sum(1 for g in self.groups for r in g.rows if r.attendance == Booking.Attendance.UNKNOWN)


def rollcall_sheet(*, school: School, activity: Activity, day: date, with_health: bool) -> RollCallSheet:
    """The children expected (reserved) at `school` for `activity` on `day`, grouped by unit, with the health
    badges (only when `with_health`) and the people allowed to pick each child up."""
    units = list(Unit.objects.filter(activity=activity).order_by("position", "start_time", "label"))
    pick_up = Prefetch(
        "child__family__contacts",
        queryset=Contact.objects.filter(may_pick_up=True).prefetch_related("children").order_by("last_name"),
        to_attr="pick_up_contacts",
    )
    bookings = (
        Booking.objects.filter(
            child__school=school, unit__activity=activity, date=day, state=Booking.State.RESERVED
        )
        .select_related("child__family")
        .prefetch_related(pick_up)
        .order_by("child__last_name", "child__first_name", "pk")
    )
    if with_health:
        bookings = bookings.prefetch_related("child__allergens")
    groups = {unit.pk: RollCallGroup(unit=unit) for unit in units}
    for booking in bookings:
        child = booking.child
        contacts = [
            c
            for c in child.family.pick_up_contacts
            if not c.children.all() or any(k.pk == child.pk for k in c.children.all())
        ]
        allergies = []
        if with_health:
            allergies = [a.label for a in child.allergens.all()]
            if child.allergies_other.strip():
                allergies.append(child.allergies_other.strip())
        groups[booking.unit_id].rows.append(
            RollCallRow(
                booking=booking,
                child=child,
                allergies=allergies,
                has_pai=with_health and child.has_pai,
                diet_label=child.get_diet_display() if with_health and child.diet != Diet.CLASSIQUE else "",
                pick_up=contacts,
            )
        )
    return RollCallSheet(
        school=school,
        activity=activity,
        day=day,
        rollcall=RollCall.objects.filter(school=school, activity=activity, date=day)
        .select_related("closed_by")
        .first(),
        groups=[g for g in groups.values() if g.rows],
        with_health=with_health,
    )


def walk_in_candidates(*, school: School, activity: Activity, day: date, query: str, limit: int = 20):
    """Children of the school enrolled in the activity on `day` and not reserved that day, matching `query`."""
    words = query.split()
    if not words:
        return Child.objects.none()
    children = Child.objects.filter(
        school=school,
        enrolments__activity=activity,
        enrolments__status=Enrolment.Status.ACCEPTED,
        enrolments__start_date__lte=day,
    ).exclude(enrolments__end_date__lt=day)
    for word in words:
        children = children.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    reserved = Booking.objects.filter(
        child=OuterRef("pk"), unit__activity=activity, date=day, state=Booking.State.RESERVED
    )
    return children.exclude(Exists(reserved)).distinct().order_by("last_name", "first_name")[:limit]


def rollcalls_pending(*, now: datetime | None = None):
    """(school id, activity id, date) of the days with reserved children whose appel is not clôturé: past days,
    and today once 19:00 has passed. Values rows with the school and activity names."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    last = today if now.time() >= ROLLCALL_DEADLINE else today - timedelta(days=1)
    closed = RollCall.objects.filter(
        school_id=OuterRef("child__school_id"),
        activity_id=OuterRef("unit__activity_id"),
        date=OuterRef("date"),
        closed_at__isnull=False,
    )
    return (
        Booking.objects.filter(
            date__range=(today - timedelta(days=ROLLCALL_LOOKBACK_DAYS), last),
            state=Booking.State.RESERVED,
            child__school__isnull=False,
        )
        .exclude(Exists(closed))
        .values(
            "child__school_id", "child__school__name", "unit__activity_id", "unit__activity__name", "date"
        )
        .annotate(expected=Count("id"))
        .order_by("-date", "child__school__name", "unit__activity__name")
    )


def rollcalls_pending_count(*, now: datetime | None = None) -> int:
    return rollcalls_pending(now=now).count()


# --- Kitchen counts (effectifs) ---------------------------------------------------------------------------------

# Plain strings (the Diet values): an enum member hashes by its name, so it would not find a "classique" key.
MEAL_KINDS = (Diet.CLASSIQUE.value, Diet.VEGETARIEN.value, Diet.SANS_PORC.value)


def meal_kind(unit: Unit) -> str:
    """The meal a canteen unit serves, read from its code or label (« repas-vege », « Repas sans porc »): the
    kitchen counts meals from the bookings, never from the children's diet (a health field, see families.health)."""
    text = f"{unit.code} {unit.label}".lower()
    if "vege" in text or "végé" in text:
        return Diet.VEGETARIEN.value
    if "porc" in text:
        return Diet.SANS_PORC.value
    return Diet.CLASSIQUE.value


@dataclass
class DayCounts:
    """One school on one day: meals by kind, allergies to mind, PAI, head counts per périscolaire unit."""

    day: date
    from_attendance: bool
    meals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEAL_KINDS, 0))
    allergies: dict[str, int] = field(default_factory=dict)
    pai: int = 0
    units: dict[int, int] = field(default_factory=dict)

    @property
    def total_meals(self) -> int:
        return sum(self.meals.values())

    @property
    def meal_list(self) -> list[int]:
        return [self.meals[k] for k in MEAL_KINDS]

    @property
    def allergy_text(self) -> str:
        parts = [f"{label} ({n})" for label, n in sorted(self.allergies.items())]
        if self.pai:
            parts.append(f"PAI ({self.pai})")
        return ", ".join(parts)


@dataclass
class SchoolCounts:
    school: School
    days: list[DayCounts]
    units: list[Unit]

    @property
    def totals(self) -> list[int]:
        return [sum(d.meals[k] for d in self.days) for k in MEAL_KINDS]

    @property
    def total_meals(self) -> int:
        return sum(self.totals)

    def unit_rows(self):
        """(unit, [count per day]) for the périscolaire table."""
        return [(unit, [d.units.get(unit.pk, 0) for d in self.days]) for unit in self.units]


@dataclass
class KitchenCounts:
    start: date
    end: date
    days: list[date]
    schools: list[SchoolCounts]
    with_health: bool

    @property
    def meals_by_day(self) -> list[tuple[date, int]]:
        return [(day, sum(s.days[i].total_meals for s in self.schools)) for i, day in enumerate(self.days)]

    @property
    def totals(self) -> list[int]:
        return [sum(s.totals[i] for s in self.schools) for i in range(len(MEAL_KINDS))]


def kitchen_counts(
    *, start: date, end: date, with_health: bool, schools=None, today: date | None = None
) -> KitchenCounts:
    """Effectifs per school and day between `start` and `end` (weekdays): meals classique / végétarien / sans porc
    and the allergies to mind (only when `with_health`) for the canteen, head counts per unit for the other
    activities (périscolaire…). Coming days (from today) count the reservations, past days the children present.
    Four queries, whatever the number of schools and days."""
    today = today or timezone.localdate()
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    school_list = list(
        School.objects.filter(pk__in=[s.pk for s in schools]) if schools else School.objects.all()
    )
    counted = Q(state=Booking.State.RESERVED) & (
        Q(date__gte=today) | Q(attendance=Booking.Attendance.PRESENT)
    )
    bookings = Booking.objects.filter(counted, date__range=(start, end), child__school__in=school_list)
    table: dict[tuple[int, date], DayCounts] = {
        (s.pk, d): DayCounts(day=d, from_attendance=d < today) for s in school_list for d in days
    }
    rows = list(
        bookings.values("child__school_id", "date", "unit_id").annotate(
            n=Count("id"), pai=Count("id", filter=Q(child__has_pai=True))
        )
    )
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in={r["unit_id"] for r in rows}).select_related("activity")
    }
    school_units: dict[int, set[int]] = {s.pk: set() for s in school_list}
    for row in rows:
        cell = table.get((row["child__school_id"], row["date"]))
        if cell is None:
            continue  # a weekend booking
        unit = units[row["unit_id"]]
        if unit.activity.kind == ActivityKind.RESTAURATION:
            cell.meals[meal_kind(unit)] += row["n"]
            if with_health:
                cell.pai += row["pai"]
        else:
            cell.units[unit.pk] = cell.units.get(unit.pk, 0) + row["n"]
            school_units[row["child__school_id"]].add(unit.pk)
    if with_health:
        for row in (
            bookings.filter(unit__activity__kind=ActivityKind.RESTAURATION, child__allergens__isnull=False)
            .values("child__school_id", "date", "child__allergens__label")
            .annotate(n=Count("id"))
        ):
            cell = table.get((row["child__school_id"], row["date"]))
            if cell is not None:
                cell.allergies[row["child__allergens__label"]] = row["n"]
    order = lambda u: (u.activity.name, u.position, u.start_time or time(0), u.label)  # noqa: E731
    return KitchenCounts(
        start=start,
        end=end,
        days=days,
        schools=[
            SchoolCounts(
                school=s,
                days=[table[(s.pk, d)] for d in days],
                units=sorted((units[pk] for pk in school_units[s.pk]), key=order),
            )
            for s in school_list
        ],
        with_health=with_health,
    )


def rollcalls_today_open_count(*, now: datetime | None = None) -> int:
    """How many (site, activity) have reserved children today and an appel not yet clôturé."""
    today = timezone.localdate(now or timezone.now())
    closed = RollCall.objects.filter(
        school_id=OuterRef("child__school_id"),
        activity_id=OuterRef("unit__activity_id"),
        date=today,
        closed_at__isnull=False,
    )
    return (
        Booking.objects.filter(date=today, state=Booking.State.RESERVED, child__school__isnull=False)
        .exclude(Exists(closed))
        .values("child__school_id", "unit__activity_id")
        .distinct()
        .count()
    )
