"""The demo town's inscriptions and réservations for 2026/2027: weekly plannings booked through the booking service,
presences on past days, and a Christmas holiday centre whose busiest days are full (liste d'attente).

Deterministic (fixed seed, children in code order) and idempotent: nothing is booked again once the canteen has
bookings. Everything goes through `bookings_apply` as the service enfance (one batch per activity group), so
openings, closures, inscriptions, meal types, dependent units and capacity hold as they would for an agent.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from families.models import Activity, ActivityKind, Booking, Child, Diet, Enrolment, Unit
from families.services.bookings import ApplyResult, Change, bookings_apply
from families.services.opening import activity_open_days

from .demo_town import SEED

# How far ahead families have booked (the rest of the year stays free to reserve).
HORIZON = timedelta(weeks=6)
# Other families' plannings start after the Toussaint holidays (the Dubois family's on the first day of school):
# the demo stays quick to seed while every screen still has past presences and coming days.
OTHERS_FROM = date(2026, 11, 2)
# Share of the children booked in each holiday centre.
HOLIDAY_SHARE = 0.12
MON, TUE, WED, THU, FRI = range(5)
SCHOOL_DAYS = (MON, TUE, THU, FRI)

# The demo parent's children (by first name): meal unit per weekday, morning and evening weekdays.
DUBOIS_PLANNING = {
    "Léa": {
        "meal": dict.fromkeys(SCHOOL_DAYS, "repas-classique"),
        "matin": (TUE, FRI),
        "soir": (MON, TUE, THU),
    },
    "Hugo": {
        "meal": {
            MON: "repas-classique",
            TUE: "repas-classique",
            THU: "repas-classique",
            FRI: "repas-vegetarien",
        },
        "matin": (),
        "soir": (MON, THU),
    },
}
# The Dubois family has not booked the Fridays from next week on: free days to try a reservation in the demo.
DUBOIS_FREE_AFTER = timedelta(weeks=1)
DUBOIS_FREE_WEEKDAY = FRI


def _enrol(children: Iterable[Child], activity: Activity, today: date) -> None:
    """Accepted inscriptions from the start of the period (existing ones are left as they are)."""
    have = set(
        Enrolment.objects.filter(activity=activity, status__in=Enrolment.ACTIVE).values_list(
            "child_id", flat=True
        )
    )
    decided = timezone.make_aware(datetime.combine(activity.period_start - timedelta(days=20), time(10)))
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                child=c,
                activity=activity,
                status=Enrolment.Status.ACCEPTED,
                start_date=activity.period_start,
                decided_at=decided,
            )
            for c in children
            if c.pk not in have
        ]
    )


def _apply(changes: list[Change], by) -> ApplyResult:
    if not changes:
        return ApplyResult()
    return bookings_apply(
        child_changes=changes, by=by, as_staff=True, all_or_nothing=False, record_late=False
    )


def _school_year_changes(children: list[Child], *, canteen, periscolaire, mercredi, today: date, rng):
    """Weekly plannings of ordinary families: most eat at the canteen, some come morning or evening, a few on
    Wednesdays; the Dubois children follow DUBOIS_PLANNING and leave a few coming days free."""
    end = min(today + HORIZON, canteen.period_end)
    school_days = activity_open_days(activity=canteen, start=canteen.period_start, end=end)
    wednesdays = activity_open_days(activity=mercredi, start=mercredi.period_start, end=end)
    units = {
        (u.activity_id, u.code): u
        for u in Unit.objects.filter(activity__in=[canteen, periscolaire, mercredi])
    }
    meal_units = {code: units[(canteen.pk, code)] for code in ("repas-classique", "repas-vegetarien")}
    matin, soir = units[(periscolaire.pk, "accueil-matin")], units[(periscolaire.pk, "accueil-soir")]
    journee = units[(mercredi.pk, "journee")]
    enrolled = {"canteen": [], "periscolaire": [], "mercredi": []}
    changes: list[Change] = []
    for child in children:
        dubois = DUBOIS_PLANNING.get(child.first_name) if child.family.code == "F-000001" else None
        if dubois is not None:
            meals = {d: meal_units[code] for d, code in dubois["meal"].items()}
            mornings, evenings, wednesday = set(dubois["matin"]), set(dubois["soir"]), False
        elif child.family.code == "F-000001":
            continue  # the youngest Dubois child keeps the inscriptions of the portal demo, not booked here
        else:
            if rng.random() >= 0.85:
                continue  # eats at home
            meal = meal_units["repas-vegetarien" if child.diet == Diet.VEGETARIEN else "repas-classique"]
            meals = {d: meal for d in SCHOOL_DAYS if rng.random() < 0.9}
            mornings = {d for d in meals if rng.random() < 0.5} if rng.random() < 0.18 else set()
            evenings = {d for d in meals if rng.random() < 0.7} if rng.random() < 0.3 else set()
            wednesday = rng.random() < 0.15
        enrolled["canteen"].append(child)
        if mornings or evenings:
            enrolled["periscolaire"].append(child)
        if wednesday:
            enrolled["mercredi"].append(child)
        for day in school_days if dubois is not None else [d for d in school_days if d >= OTHERS_FROM]:
            if (
                dubois is not None
                and day >= today + DUBOIS_FREE_AFTER
                and day.weekday() == DUBOIS_FREE_WEEKDAY
            ):
                continue
            meal = meals.get(day.weekday())
            if meal is None:
                continue
            changes.append(Change(child=child, unit=meal, day=day))
            if day.weekday() in mornings:
                changes.append(Change(child=child, unit=matin, day=day))
            if day.weekday() in evenings:
                changes.append(Change(child=child, unit=soir, day=day))
        if wednesday:
            changes += [
                Change(child=child, unit=journee, day=day) for day in wednesdays if day >= OTHERS_FROM
            ]
    _enrol(enrolled["canteen"], canteen, today)
    _enrol(enrolled["periscolaire"], periscolaire, today)
    _enrol(enrolled["mercredi"], mercredi, today)
    return changes


def _holiday_changes(children: list[Child], centres: list[Activity], *, rng, today: date):
    """The Toussaint (past) and Christmas centres: one child in eight, two to four days each. The
    Christmas "Journée avec repas" has few places, so its busiest days end with a waiting list."""
    changes: list[Change] = []
    for centre in centres:
        journee = centre.units.get(code="journee")
        days = activity_open_days(activity=centre, start=centre.period_start, end=centre.period_end)
        if not days:
            continue
        guests = [c for c in children if c.family.code != "F-000001" and rng.random() < HOLIDAY_SHARE]
        _enrol(guests, centre, today)
        for child in guests:
            # The first days of the holidays are the busiest (parents still at work).
            picked = sorted(set(rng.choices(days, weights=range(len(days), 0, -1), k=rng.randint(2, 4))))
            changes += [Change(child=child, unit=journee, day=day) for day in picked]
    return changes


def _presences(today: date, rng, agent) -> None:
    """Past reserved days were called (appel): nearly all present, a few absences, some justified — through the
    booking service, so each présence has its history row like a real roll call."""
    from families.services.bookings import bookings_set_attendance

    past = list(
        Booking.objects.filter(date__lt=today, state=Booking.State.RESERVED).order_by("date", "child_id", "unit_id")
    )
    absent = [b for b in past if rng.random() < 0.04]
    excused = absent[: len(absent) // 3]
    missing = {b.pk for b in absent}
    A = Booking.Attendance
    reason = "Appel (démonstration)"
    bookings_set_attendance(bookings=[b for b in past if b.pk not in missing], attendance=A.PRESENT, by=agent,
                            reason=reason)
    bookings_set_attendance(bookings=absent[len(excused) :], attendance=A.ABSENT, by=agent, reason=reason)
    bookings_set_attendance(bookings=excused, attendance=A.EXCUSED, by=agent, reason=reason)


def ensure_bookings(*, today: date, all_families: bool = True) -> dict[str, int]:
    """Book the demo town's 2026/2027 year up to a few weeks ahead; returns the number of bookings per state.

    `all_families=False` books the demo parent's family only (large bulk-built towns).
    """
    canteen = Activity.objects.filter(
        kind=ActivityKind.RESTAURATION, period_start__lte=today, period_end__gte=today
    ).first()
    if canteen is None or Booking.objects.filter(unit__activity=canteen).exists():
        return {}
    periscolaire = Activity.objects.get(kind=ActivityKind.PERISCOLAIRE, period_start=canteen.period_start)
    mercredi = Activity.objects.get(kind=ActivityKind.MERCREDI, period_start=canteen.period_start)
    agent = get_user_model().objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    children = Child.objects.select_related("family").order_by("family__code", "birth_date", "pk")
    if not all_families:
        children = children.filter(family__code="F-000001")
    children = list(children)
    rng = random.Random(SEED + 7)
    with transaction.atomic():
        changes = _school_year_changes(
            children, canteen=canteen, periscolaire=periscolaire, mercredi=mercredi, today=today, rng=rng
        )
        _apply(changes, agent)
        if all_families:
            centres = list(
                Activity.objects.filter(
                    kind=ActivityKind.VACANCES,
                    period_start__gte=canteen.period_start,
                    period_start__lte=today + HORIZON,
                ).order_by("period_start")
            )
            _apply(_holiday_changes(children, centres, rng=rng, today=today), agent)
        _presences(today, rng, agent)
    counts = dict.fromkeys(Booking.State.values, 0)
    for state in Booking.objects.values_list("state", flat=True):
        counts[state] += 1
    return counts
