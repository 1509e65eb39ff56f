"""Change deadlines (délais de modification): until when a day's booking can still be changed by a parent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from .calendar import previous_working_day

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True)
class DeadlineRule:
    """"3 jours ouvrés avant 10h" is `DeadlineRule(days=3, kind=WORKING_DAYS, at=time(10))`."""

    days: int
    kind: str = WORKING_DAYS
    at: time = time(10, 0)


def deadline_for(*, day: date, rule: DeadlineRule) -> datetime:
    """The last moment (aware, Europe/Paris) a parent may change `day`.

    Working days skip weekends and French public holidays: with 3 jours ouvrés avant 10h, Monday's booking closes
    the previous Wednesday at 10:00, and Tuesday 2 April 2024 (after lundi de Pâques) closes Wednesday 27 March.
    Zero days means the same day at `at`.
    """
    if rule.kind == WORKING_DAYS:
        limit = day
        for _ in range(rule.days):
            limit = previous_working_day(limit)
    elif rule.kind == CALENDAR_DAYS:
        limit = day - timedelta(days=rule.days)
    else:
        raise ValueError(f"Type de délai inconnu : {rule.kind}")
    return datetime.combine(limit, rule.at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def can_change(*, day: date, rule: DeadlineRule, now: datetime) -> bool:
    """True while `now` is strictly before the deadline of `day`."""
    return now < deadline_for(day=day, rule=rule)
