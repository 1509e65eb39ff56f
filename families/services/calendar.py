"""French calendar facts: public holidays (jours fériés), working days (jours ouvrés) and school holidays.

School holidays come from the `holidays` package (`categories="school"`, `subdiv="Zone A|B|C"`) rather than
`vacances-scolaires-france`: its dates are computed by rule, so they run past summer 2028 (where the other
library's data stops), and they include the pont de l'Ascension (jeudi–dimanche, missing there for 2026);
one library then answers both jours fériés and vacances. Staff correct any exception with closures.
"""

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


@lru_cache(maxsize=64)
def _school_holidays(year: int, zone: str) -> frozenset[date]:
    return frozenset(holidays.France(years=year, subdiv=f"Zone {zone}", categories=("school",)).keys())


def is_school_holiday(day: date, zone: str) -> bool:
    """Day of the vacances scolaires of `zone` ("A", "B" or "C"), weekends included, pont de l'Ascension too."""
    return day in _school_holidays(day.year, zone.upper())


def is_working_day(day: date) -> bool:
    """Jour ouvré: Monday to Friday, not a public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_weekday(weekday: int) -> str:
    """0 → "lundi"."""
    return _WEEKDAYS[weekday]


def french_date(day: date) -> str:
    """ "lundi 4 janvier 2027", "vendredi 1er janvier 2027"."""
    dom = "1er" if day.day == 1 else str(day.day)
    return f"{_WEEKDAYS[day.weekday()]} {dom} {_MONTHS[day.month - 1]} {day.year}"


def french_time(moment) -> str:
    """ "10h00"."""
    return f"{moment.hour}h{moment.minute:02d}"
