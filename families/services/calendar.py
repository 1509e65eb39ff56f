"""French calendar facts: public holidays (jours fériés) and working days (jours ouvrés)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.France(years=year).keys())


def is_public_holiday(day: date) -> bool:
    """Jour férié in metropolitan France (1er janvier, lundi de Pâques, 1er et 8 mai, Ascension…)."""
    return day in _public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Jour ouvré: Monday to Friday, not a public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
