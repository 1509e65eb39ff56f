"""The opening calendar (calendrier d'ouverture): the days each activity opens, minus the closures staff add."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from families.models import Activity, ActivityKind, Closure

from .calendar import is_public_holiday, is_school_holiday

SCHOOL_TIME_KINDS = (ActivityKind.RESTAURATION, ActivityKind.PERISCOLAIRE, ActivityKind.MERCREDI)


def school_zone() -> str:
    return getattr(settings, "PORTAIL_SCHOOL_ZONE", "C")


def calendar_open_days(*, activity: Activity, start: date, end: date, zone: str | None = None) -> list[date]:
    """The days the activity opens by its calendar alone (no closure): pure, no query.

    Restauration, périscolaire and mercredis open on their weekdays in school time (hors vacances scolaires de la
    zone); vacances on their weekdays during the school holidays; any other activity on its weekdays. Never on a
    jour férié, never outside the activity's period.
    """
    zone = zone or school_zone()
    weekdays = set(activity.weekdays)
    day, last = max(start, activity.period_start), min(end, activity.period_end)
    days = []
    while day <= last:
        if day.weekday() in weekdays and not is_public_holiday(day):
            in_holidays = is_school_holiday(day, zone)
            if activity.kind in SCHOOL_TIME_KINDS:
                opens = not in_holidays
            elif activity.kind == ActivityKind.VACANCES:
                opens = in_holidays
            else:
                opens = True
            if opens:
                days.append(day)
        day += timedelta(days=1)
    return days


def closures_between(
    *, start: date, end: date, activities: Iterable[Activity] | None = None
) -> list[Closure]:
    """Closures overlapping [start, end] (one query), town-wide ones and those of `activities` (or their units)."""
    closures = Closure.objects.filter(start_date__lte=end, end_date__gte=start)
    if activities is not None:
        ids = [a.pk for a in activities]
        closures = closures.filter(
            Q(activity__isnull=True, unit__isnull=True)
            | Q(activity_id__in=ids)
            | Q(unit__activity_id__in=ids)
        )
    return list(closures)


def _closes_whole_activity(closure: Closure, activity: Activity, day: date) -> bool:
    return (
        closure.unit_id is None
        and closure.school_id is None
        and closure.activity_id in (None, activity.pk)
        and closure.start_date <= day <= closure.end_date
    )


def activity_open_days(
    *, activity: Activity, start: date, end: date, closures: list[Closure] | None = None
) -> list[date]:
    """Jours d'ouverture of `activity` between `start` and `end`: its calendar minus the closures of the whole
    activity (or the whole town). Closures of a single unit or school are applied per booking."""
    if closures is None:
        closures = closures_between(start=start, end=end, activities=[activity])
    return [
        day
        for day in calendar_open_days(activity=activity, start=start, end=end)
        if not any(_closes_whole_activity(c, activity, day) for c in closures)
    ]


@transaction.atomic
def closure_create(
    *, start_date: date, end_date: date, reason: str, by, activity=None, unit=None, school=None
) -> Closure:
    """Staff add a fermeture (pont, grève, travaux, site fermé) for the town, an activity, a unit or a school."""
    closure = Closure(
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        activity=activity,
        unit=unit,
        school=school,
        created_by=by,
    )
    closure.full_clean()
    closure._history_user = by
    closure.save()
    return closure
