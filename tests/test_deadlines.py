"""Change deadlines on real French dates: weekends, jours fériés, year ends."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from families.models import DeadlineKind
from families.services.calendar import is_public_holiday, is_working_day
from families.services.deadlines import (
    CALENDAR_DAYS,
    FIXED,
    PREVIOUS_WEEK_DAY,
    WORKING_DAYS,
    BookingAction,
    DeadlineRule,
    booking_deadline,
    can_change,
    deadline_for,
)
from tests.factories import ActivityFactory

PARIS = ZoneInfo("Europe/Paris")
THREE_WORKING_DAYS_10H = DeadlineRule(days=3, kind=WORKING_DAYS, at=time(10))


def test_monday_closes_the_previous_wednesday_at_10():
    # Lundi 23 novembre 2026 → mercredi 18 novembre 2026, 10h00.
    assert deadline_for(day=date(2026, 11, 23), rule=THREE_WORKING_DAYS_10H) == datetime(
        2026, 11, 18, 10, tzinfo=PARIS
    )


def test_easter_monday_is_skipped():
    # Mardi 7 avril 2026: lundi de Pâques (6) skipped, then vendredi 3, jeudi 2, mercredi 1er avril.
    assert deadline_for(day=date(2026, 4, 7), rule=THREE_WORKING_DAYS_10H).date() == date(2026, 4, 1)


def test_armistice_and_weekend_together():
    # Vendredi 13 novembre 2026: 12, (11 férié), 10, 9 → lundi 9 novembre.
    assert deadline_for(day=date(2026, 11, 13), rule=THREE_WORKING_DAYS_10H).date() == date(2026, 11, 9)


def test_year_end_crosses_christmas_and_new_year():
    # Lundi 4 janvier 2027: 31/12, 30/12, 29/12 (1er janvier férié, week-end) → mardi 29 décembre 2026.
    assert deadline_for(day=date(2027, 1, 4), rule=THREE_WORKING_DAYS_10H).date() == date(2026, 12, 29)


def test_calendar_days_ignore_holidays():
    rule = DeadlineRule(days=2, kind=CALENDAR_DAYS, at=time(18))
    assert deadline_for(day=date(2027, 1, 1), rule=rule) == datetime(2026, 12, 30, 18, tzinfo=PARIS)


def test_zero_days_means_same_day():
    rule = DeadlineRule(days=0, kind=WORKING_DAYS, at=time(9, 30))
    assert deadline_for(day=date(2026, 12, 2), rule=rule) == datetime(2026, 12, 2, 9, 30, tzinfo=PARIS)


def test_can_change_is_strictly_before_the_deadline():
    day = date(2026, 11, 23)
    limit = deadline_for(day=day, rule=THREE_WORKING_DAYS_10H)
    assert can_change(day=day, rule=THREE_WORKING_DAYS_10H, now=limit - timedelta(seconds=1))
    assert not can_change(day=day, rule=THREE_WORKING_DAYS_10H, now=limit)


def test_french_public_holidays():
    assert is_public_holiday(date(2026, 7, 14))
    assert is_public_holiday(date(2026, 5, 14))  # Ascension 2026
    assert is_public_holiday(date(2026, 5, 25))  # lundi de Pentecôte 2026
    assert not is_working_day(date(2026, 11, 11))
    assert not is_working_day(date(2026, 11, 21))  # samedi
    assert is_working_day(date(2026, 11, 23))


@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=10),
)
def test_working_day_deadline_is_a_working_day_with_exactly_n_working_days_before(day, days):
    rule = DeadlineRule(days=days, kind=WORKING_DAYS, at=time(10))
    limit = deadline_for(day=day, rule=rule).date()
    assert limit < day
    assert is_working_day(limit)
    between = [limit + timedelta(d) for d in range((day - limit).days)]
    assert sum(is_working_day(d) for d in between) == days


# --- Bessancourt's rules and the French holidays of 2026/2027 ------------------------------------------------

EIGHT_DAYS_10H = DeadlineRule(days=8, kind=CALENDAR_DAYS, at=time(10))
TUESDAY_NOON_WEEK_BEFORE = DeadlineRule(kind=PREVIOUS_WEEK_DAY, weekday=1, at=time(12))


@pytest.mark.parametrize(
    ("day", "closes_on"),
    [
        (date(2026, 5, 4), date(2026, 4, 28)),  # vendredi 1er mai férié
        (date(2026, 5, 11), date(2026, 5, 5)),  # vendredi 8 mai férié
        (date(2026, 5, 18), date(2026, 5, 12)),  # jeudi de l'Ascension férié, le vendredi du pont reste ouvré
        (date(2026, 5, 28), date(2026, 5, 22)),  # lundi de Pentecôte férié
        (date(2026, 7, 17), date(2026, 7, 13)),  # mardi 14 juillet
        (date(2026, 11, 12), date(2026, 11, 6)),  # mercredi 11 novembre
        (date(2026, 12, 29), date(2026, 12, 23)),  # vendredi 25 décembre
        (date(2027, 5, 10), date(2027, 5, 4)),  # Ascension 2027 (jeudi 6 mai)
        (date(2027, 5, 19), date(2027, 5, 13)),  # lundi de Pentecôte 2027 (17 mai)
        (date(2027, 11, 4), date(2027, 10, 29)),  # lundi 1er novembre 2027
    ],
)
def test_three_working_days_before_10h_skips_every_jour_ferie(day, closes_on):
    assert deadline_for(day=day, rule=THREE_WORKING_DAYS_10H) == datetime.combine(
        closes_on, time(10), tzinfo=PARIS
    )


def test_eight_days_before_10h_counts_weekends_and_holidays():
    # Bessancourt's "8 jours avant 10h": lundi 4 janvier 2027 closes dimanche 27 décembre 2026.
    assert deadline_for(day=date(2027, 1, 4), rule=EIGHT_DAYS_10H) == datetime(2026, 12, 27, 10, tzinfo=PARIS)


def test_tuesday_noon_closes_the_whole_following_week():
    # Lundi 23 to dimanche 29 novembre 2026 close on mardi 17 novembre at noon; lundi 30 on mardi 24.
    for day in (date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 29)):
        assert deadline_for(day=day, rule=TUESDAY_NOON_WEEK_BEFORE) == datetime(
            2026, 11, 17, 12, tzinfo=PARIS
        )
    assert deadline_for(day=date(2026, 11, 30), rule=TUESDAY_NOON_WEEK_BEFORE) == datetime(
        2026, 11, 24, 12, tzinfo=PARIS
    )


def test_fixed_closing_date_closes_every_day_of_the_holidays_at_once():
    closes_at = datetime(2026, 12, 4, 12, tzinfo=PARIS)
    rule = DeadlineRule(kind=FIXED, closes_at=closes_at)
    assert deadline_for(day=date(2026, 12, 21), rule=rule) == closes_at
    assert deadline_for(day=date(2026, 12, 31), rule=rule) == closes_at


def test_deadlines_keep_paris_wall_time_across_daylight_saving_changes():
    # Passage à l'heure d'été dimanche 28 mars 2027 (and lundi de Pâques 29 mars 2027 is férié).
    before = deadline_for(day=date(2027, 3, 30), rule=THREE_WORKING_DAYS_10H)
    assert before == datetime(2027, 3, 24, 10, tzinfo=PARIS)
    assert before.utcoffset() == timedelta(hours=1)
    after = deadline_for(day=date(2027, 3, 29), rule=DeadlineRule(days=1, kind=CALENDAR_DAYS, at=time(10)))
    assert after.utcoffset() == timedelta(hours=2)
    assert after.astimezone(ZoneInfo("UTC")).hour == 8
    # Passage à l'heure d'hiver dimanche 25 octobre 2026.
    one_day = DeadlineRule(days=1, kind=CALENDAR_DAYS, at=time(10))
    assert deadline_for(day=date(2026, 10, 26), rule=one_day).utcoffset() == timedelta(hours=1)
    assert deadline_for(day=date(2026, 10, 25), rule=one_day).utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        (THREE_WORKING_DAYS_10H, "3 jours ouvrés avant, à 10h00"),
        (DeadlineRule(days=1, kind=WORKING_DAYS, at=time(9, 30)), "1 jour ouvré avant, à 9h30"),
        (EIGHT_DAYS_10H, "8 jours avant, à 10h00"),
        (DeadlineRule(days=0, kind=WORKING_DAYS, at=time(8)), "le jour même, à 8h00"),
        (TUESDAY_NOON_WEEK_BEFORE, "le mardi précédent à 12h00"),
        (
            DeadlineRule(kind=FIXED, closes_at=datetime(2026, 12, 4, 11, tzinfo=ZoneInfo("UTC"))),
            "jusqu'au vendredi 4 décembre 2026 à 12h00",
        ),
        (
            DeadlineRule(kind=FIXED, closes_at=datetime(2027, 1, 1, 18, tzinfo=PARIS)),
            "jusqu'au vendredi 1er janvier 2027 à 18h00",
        ),
    ],
)
def test_rule_describes_itself_in_french(rule, sentence):
    assert rule.describe() == sentence


@pytest.mark.django_db
def test_activity_has_one_rule_to_add_and_another_to_cancel():
    canteen = ActivityFactory(
        add_deadline_kind=DeadlineKind.PREVIOUS_WEEK_DAY,
        add_deadline_weekday=1,
        add_deadline_time=time(12),
        cancel_deadline_kind=DeadlineKind.WORKING_DAYS,
        cancel_deadline_days=3,
        cancel_deadline_time=time(10),
    )
    day = date(2027, 1, 4)
    # Reserve by mardi 29 décembre at noon (the week before), cancel by the same day at 10h (3 jours ouvrés).
    assert booking_deadline(activity=canteen, day=day, action=BookingAction.ADD) == datetime(
        2026, 12, 29, 12, tzinfo=PARIS
    )
    assert booking_deadline(activity=canteen, day=day, action=BookingAction.CANCEL) == datetime(
        2026, 12, 29, 10, tzinfo=PARIS
    )
    assert canteen.add_deadline_rule.describe() == "le mardi précédent à 12h00"


@pytest.mark.django_db
def test_activity_rule_needs_its_weekday_or_its_date():
    from django.core.exceptions import ValidationError

    holidays = ActivityFactory.build(
        add_deadline_kind=DeadlineKind.FIXED,
        cancel_deadline_weekday=None,
        cancel_deadline_kind=DeadlineKind.PREVIOUS_WEEK_DAY,
    )
    with pytest.raises(ValidationError) as error:
        holidays.clean()
    assert set(error.value.message_dict) == {"add_deadline_at", "cancel_deadline_weekday"}


@given(
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2032, 12, 31)),
    days=st.integers(min_value=1, max_value=30),
    kind=st.sampled_from([WORKING_DAYS, CALENDAR_DAYS]),
    at=st.times(),
)
def test_deadline_is_before_the_day_and_moves_back_as_n_grows(day, days, kind, at):
    nearer = deadline_for(day=day, rule=DeadlineRule(days=days, kind=kind, at=at))
    further = deadline_for(day=day, rule=DeadlineRule(days=days + 1, kind=kind, at=at))
    start_of_day = datetime.combine(day, time(0), tzinfo=PARIS)
    assert further < nearer < start_of_day


@given(
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2032, 12, 31)),
    weekday=st.integers(min_value=0, max_value=6),
    at=st.times(),
)
def test_previous_week_rule_closes_in_the_week_before(day, weekday, at):
    limit = deadline_for(day=day, rule=DeadlineRule(kind=PREVIOUS_WEEK_DAY, weekday=weekday, at=at)).date()
    monday = day - timedelta(days=day.weekday())
    assert monday - timedelta(days=7) <= limit < monday
    assert limit.weekday() == weekday


@pytest.mark.django_db(transaction=True)
def test_old_single_deadline_becomes_both_the_add_and_the_cancel_rule():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("families", "0006_protect_history_and_family_codes")],
        [("families", "0007_booking_calendar_rules_bookings")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldActivity = old_apps.get_model("families", "Activity")
    OldActivity.objects.create(
        name="Mercredis loisirs",
        kind="mercredi",
        period_start=date(2026, 9, 2),
        period_end=date(2027, 6, 30),
        deadline_days=7,
        deadline_kind="calendar_days",
        deadline_time=time(12),
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from families.models import Activity

    activity = Activity.objects.get(name="Mercredis loisirs")
    assert (
        activity.add_deadline_rule
        == activity.cancel_deadline_rule
        == DeadlineRule(days=7, kind=CALENDAR_DAYS, at=time(12))
    )
