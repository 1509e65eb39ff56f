"""Change deadlines on real French dates: weekends, jours fériés, year ends."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from families.services.calendar import is_public_holiday, is_working_day
from families.services.deadlines import CALENDAR_DAYS, WORKING_DAYS, DeadlineRule, can_change, deadline_for

PARIS = ZoneInfo("Europe/Paris")
THREE_WORKING_DAYS_10H = DeadlineRule(days=3, kind=WORKING_DAYS, at=time(10))


def test_monday_closes_the_previous_wednesday_at_10():
    # Lundi 23 novembre 2026 → mercredi 18 novembre 2026, 10h00.
    assert deadline_for(day=date(2026, 11, 23), rule=THREE_WORKING_DAYS_10H) == datetime(2026, 11, 18, 10, tzinfo=PARIS)


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
