"""The demo town is lived in: Bessancourt's délais, plannings booked through the booking service, presences on past
days, a Christmas centre with full days and a waiting list, and the demo parent's children with a real planning."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from families.management import demo_town
from families.models import Activity, ActivityKind, Booking, Child, DeadlineKind, Enrolment, Unit
from families.selectors_planning import PlanningState, child_planning

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)
PARIS = ZoneInfo("Europe/Paris")


def _run() -> str:
    out = StringIO()
    call_command("seed_demo", "--today", TODAY.isoformat(), "--base-url", "http://127.0.0.1:8765", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _run()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_activities_follow_bessancourts_deadlines(seeded, db):
    for kind in (ActivityKind.RESTAURATION, ActivityKind.PERISCOLAIRE):
        activity = Activity.objects.get(kind=kind)
        for rule in (activity.add_deadline_rule, activity.cancel_deadline_rule):
            assert (rule.kind, rule.days, rule.at) == (DeadlineKind.WORKING_DAYS, 3, time(10))
    wednesdays = Activity.objects.get(kind=ActivityKind.MERCREDI)
    for rule in (wednesdays.add_deadline_rule, wednesdays.cancel_deadline_rule):
        assert (rule.kind, rule.days, rule.at) == (DeadlineKind.CALENDAR_DAYS, 8, time(10))
    for centre in Activity.objects.filter(kind=ActivityKind.VACANCES):
        closes = datetime.combine(centre.registration_closes, time(23, 59), tzinfo=PARIS)
        assert centre.add_deadline_rule.kind == DeadlineKind.FIXED
        assert centre.add_deadline_rule.closes_at == closes == centre.cancel_deadline_rule.closes_at


def test_the_evening_needs_a_meal(seeded, db):
    evening = Unit.objects.get(activity__kind=ActivityKind.PERISCOLAIRE, code="accueil-soir")
    assert set(evening.requires.values_list("code", flat=True)) == {"repas-classique", "repas-vegetarien"}


def test_bookings_keep_the_rules(seeded, db):
    active = Booking.objects.filter(state__in=Booking.ACTIVE)
    assert active.count() > 5000
    # One meal a day at most, and an evening only with a meal.
    meals = Counter(active.filter(unit__exclusive_group="repas").values_list("child_id", "date"))
    assert max(meals.values()) == 1
    evenings = set(active.filter(unit__code="accueil-soir").values_list("child_id", "date"))
    assert evenings and evenings <= set(meals)
    # Only children with an accepted inscription, only on the activity's open days (no Wednesday canteen).
    enrolled = set(
        Enrolment.objects.filter(status=Enrolment.Status.ACCEPTED).values_list("child_id", "activity_id")
    )
    assert set(active.values_list("child_id", "unit__activity_id")) <= enrolled
    assert not active.filter(unit__activity__kind=ActivityKind.RESTAURATION, date__week_day=4).exists()
    # Booked as the service enfance: every history row names the agent.
    assert set(Booking.history.values_list("history_user__email", flat=True)) == {
        f"agent@{demo_town.DEMO_DOMAIN}"
    }


def test_past_days_were_called_and_coming_days_are_not(seeded, db):
    past = Counter(
        Booking.objects.filter(state=Booking.State.RESERVED, date__lt=TODAY).values_list(
            "attendance", flat=True
        )
    )
    assert past[Booking.Attendance.UNKNOWN] == 0
    assert past[Booking.Attendance.PRESENT] > 20 * (
        past[Booking.Attendance.ABSENT] + past[Booking.Attendance.EXCUSED]
    )
    assert past[Booking.Attendance.ABSENT] > 0 and past[Booking.Attendance.EXCUSED] > 0
    coming = Booking.objects.filter(date__gte=TODAY)
    assert coming.exists()
    assert set(coming.values_list("attendance", flat=True)) == {Booking.Attendance.UNKNOWN}


def test_christmas_centre_has_full_days_with_a_waiting_list_and_is_never_overbooked(seeded, db):
    journee = Unit.objects.get(
        activity__kind=ActivityKind.VACANCES, activity__period_start=date(2026, 12, 19), code="journee"
    )
    assert journee.capacity == demo_town.CHRISTMAS_PLACES
    per_day = {
        (row["date"], row["state"]): row["n"]
        for row in Booking.objects.filter(unit=journee).values("date", "state").annotate(n=Count("id"))
    }
    days = sorted({day for day, _state in per_day})
    reserved = {day: per_day.get((day, Booking.State.RESERVED), 0) for day in days}
    waiting = {day: per_day.get((day, Booking.State.WAITING), 0) for day in days}
    assert max(reserved.values()) == journee.capacity
    full = [day for day in days if waiting[day]]
    assert 1 <= len(full) < len(days)  # a few full days, not all
    assert all(reserved[day] == journee.capacity for day in full)


def test_demo_parent_sees_a_lived_in_planning(seeded, db):
    family_children = {c.first_name: c for c in Child.objects.filter(family__code="F-000001")}
    for name in ("Léa", "Hugo"):
        child = family_children[name]
        accepted = set(
            child.enrolments.filter(status=Enrolment.Status.ACCEPTED).values_list("activity__kind", flat=True)
        )
        assert {ActivityKind.RESTAURATION, ActivityKind.PERISCOLAIRE} <= accepted
        past = child.bookings.filter(date__lt=TODAY, state=Booking.State.RESERVED)
        assert past.filter(date__lt=date(2026, 10, 1)).exists()  # since the first day of school
        assert past.filter(attendance=Booking.Attendance.PRESENT).exists()
        planning = child_planning(
            child=child,
            start=TODAY,
            end=TODAY + timedelta(weeks=5),
            now=datetime.combine(TODAY, time(8), tzinfo=PARIS),
        )
        meals = [cell for cell in planning if cell.unit.exclusive_group == "repas"]
        states = Counter(cell.state for cell in meals if cell.unit.code == "repas-classique")
        assert states[PlanningState.RESERVED] >= 8
        # A few free days to try a reservation in the demo.
        free_days = {cell.day for cell in meals if cell.state == PlanningState.AVAILABLE}
        booked_days = {cell.day for cell in meals if cell.state == PlanningState.RESERVED}
        assert free_days - booked_days
    lea = family_children["Léa"]
    assert lea.bookings.filter(unit__code="accueil-soir", state=Booking.State.RESERVED).exists()
    hugo_meals = set(
        family_children["Hugo"]
        .bookings.filter(state=Booking.State.RESERVED)
        .values_list("unit__code", flat=True)
    )
    assert {"repas-classique", "repas-vegetarien"} <= hugo_meals


def test_second_run_books_nothing_again(seeded, db):
    before = (Booking.objects.count(), Booking.history.count(), Enrolment.objects.count())
    _run()
    assert (Booking.objects.count(), Booking.history.count(), Enrolment.objects.count()) == before
