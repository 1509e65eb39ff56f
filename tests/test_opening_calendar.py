"""The opening calendar: school days, mercredis and holiday centres of 2026/2027, minus the closures staff add."""

from datetime import date

import pytest

from families.models import ActivityKind, Closure
from families.services.calendar import _school_holidays
from families.services.opening import activity_open_days, closure_create
from tests.factories import ActivityFactory, SchoolFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _zone_c(settings):
    settings.PORTAIL_SCHOOL_ZONE = "C"


def canteen(**fields):
    # Lundi, mardi, jeudi, vendredi (the factory's weekdays), whole school year.
    return ActivityFactory(**{"kind": ActivityKind.RESTAURATION, **fields})


def test_canteen_opens_on_school_days_after_the_toussaint_holidays():
    # Zone C: vacances de la Toussaint du 17 octobre au 1er novembre 2026.
    days = activity_open_days(activity=canteen(), start=date(2026, 10, 26), end=date(2026, 11, 8))
    assert days == [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 6)]


def test_canteen_is_closed_on_ascension_and_its_bridge():
    # Jeudi 6 mai 2027 férié, vendredi 7 mai pont de l'Ascension (vacances scolaires, all zones).
    days = activity_open_days(activity=canteen(), start=date(2027, 5, 3), end=date(2027, 5, 9))
    assert days == [date(2027, 5, 3), date(2027, 5, 4)]


def test_canteen_is_closed_on_whit_monday_and_over_christmas():
    activity = canteen()
    assert date(2027, 5, 17) not in activity_open_days(
        activity=activity, start=date(2027, 5, 17), end=date(2027, 5, 17)
    )
    assert activity_open_days(activity=activity, start=date(2026, 12, 19), end=date(2027, 1, 3)) == []
    assert activity_open_days(activity=activity, start=date(2027, 1, 4), end=date(2027, 1, 4)) == [
        date(2027, 1, 4)
    ]


def test_winter_holidays_follow_the_towns_zone(settings):
    activity = canteen()
    monday_8, monday_22 = date(2027, 2, 8), date(2027, 2, 22)
    assert activity_open_days(activity=activity, start=monday_8, end=monday_22) == [monday_22]
    settings.PORTAIL_SCHOOL_ZONE = "A"  # zone A: du 13 au 28 février 2027
    assert activity_open_days(activity=activity, start=monday_8, end=monday_22) == [
        monday_8,
        date(2027, 2, 9),
        date(2027, 2, 11),
        date(2027, 2, 12),
    ]


def test_mercredis_open_on_school_wednesdays_except_armistice():
    mercredis = ActivityFactory(
        name="Mercredis loisirs",
        kind=ActivityKind.MERCREDI,
        monday=False,
        tuesday=False,
        wednesday=True,
        thursday=False,
        friday=False,
    )
    days = activity_open_days(activity=mercredis, start=date(2026, 10, 1), end=date(2026, 11, 30))
    assert days == [
        date(2026, 10, 7),
        date(2026, 10, 14),
        date(2026, 11, 4),
        date(2026, 11, 18),
        date(2026, 11, 25),
    ]


def test_holiday_centre_opens_on_weekdays_of_the_christmas_holidays_but_not_on_jours_feries():
    centre = ActivityFactory(
        name="Accueil de loisirs — vacances de Noël 2026",
        kind=ActivityKind.VACANCES,
        period_start=date(2026, 12, 19),
        period_end=date(2027, 1, 3),
        wednesday=True,
    )
    days = activity_open_days(activity=centre, start=date(2026, 12, 1), end=date(2027, 1, 31))
    assert days == [
        date(2026, 12, 21),
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
    ]


def test_school_holidays_are_known_beyond_2028():
    # vacances-scolaires-france stops at summer 2028; the rule-based calendar goes on (été 2029 : dès le 7 juillet).
    activity = canteen(
        name="Restauration scolaire 2028-2029", period_start=date(2028, 9, 1), period_end=date(2029, 8, 31)
    )
    days = activity_open_days(activity=activity, start=date(2029, 7, 2), end=date(2029, 7, 13))
    assert days == [date(2029, 7, 2), date(2029, 7, 3), date(2029, 7, 5), date(2029, 7, 6)]


def test_days_outside_the_activity_period_are_closed():
    activity = canteen()
    assert activity_open_days(activity=activity, start=date(2026, 8, 24), end=date(2026, 9, 1)) == [
        date(2026, 9, 1)
    ]


def test_staff_closures_remove_days_for_the_town_or_the_activity_only(agent):
    activity, other = canteen(), canteen(name="Accueil périscolaire", kind=ActivityKind.PERISCOLAIRE)
    closure_create(start_date=date(2026, 11, 13), end_date=date(2026, 11, 13), reason="Pont", by=agent)
    closure_create(
        start_date=date(2026, 11, 9),
        end_date=date(2026, 11, 10),
        reason="Grève des agents de restauration",
        activity=activity,
        by=agent,
    )
    week = (date(2026, 11, 9), date(2026, 11, 13))
    assert activity_open_days(activity=activity, start=week[0], end=week[1]) == [date(2026, 11, 12)]
    assert activity_open_days(activity=other, start=week[0], end=week[1]) == [
        date(2026, 11, 9),
        date(2026, 11, 10),
        date(2026, 11, 12),
    ]


def test_unit_or_school_closures_leave_the_activity_open(agent):
    activity = canteen()
    closure_create(
        start_date=date(2026, 11, 9),
        end_date=date(2026, 11, 9),
        reason="Travaux",
        by=agent,
        unit=UnitFactory(activity=activity),
    )
    closure_create(
        start_date=date(2026, 11, 10),
        end_date=date(2026, 11, 10),
        reason="Site fermé",
        by=agent,
        school=SchoolFactory(),
    )
    assert activity_open_days(activity=activity, start=date(2026, 11, 9), end=date(2026, 11, 10)) == [
        date(2026, 11, 9),
        date(2026, 11, 10),
    ]


def test_closure_is_logged_with_its_author_and_refuses_reversed_dates(agent):
    from django.core.exceptions import ValidationError

    closure = closure_create(
        start_date=date(2026, 11, 13), end_date=date(2026, 11, 13), reason="Pont", by=agent
    )
    assert closure.created_by == agent
    assert closure.history.get().history_user == agent
    with pytest.raises(ValidationError) as error:
        closure_create(start_date=date(2026, 11, 13), end_date=date(2026, 11, 12), reason="Pont", by=agent)
    assert "end_date" in error.value.message_dict
    assert Closure.objects.count() == 1


def test_holiday_computations_are_cached_per_year():
    activity = canteen()
    activity_open_days(activity=activity, start=date(2026, 9, 1), end=date(2027, 7, 3))
    misses = _school_holidays.cache_info().misses
    activity_open_days(activity=activity, start=date(2026, 9, 1), end=date(2027, 7, 3))
    assert _school_holidays.cache_info().misses == misses
