"""Rappels by email before the cut-offs (délais de réservation): the week about to close for families who booked
nothing, and a holiday period's closing date one week ahead. Sent once per family and period (stored), never to a
guardian who opted out in « Mon compte »."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from families.models import Activity, Booking, DeadlineKind, Enrolment, Guardian, ReminderSent

from .calendar import french_date, french_time
from .deadlines import BookingAction, booking_deadline, until_sentence
from .emails import email_send
from .opening import activity_open_days

WEEKS_AHEAD = (
    4  # weeks looked at: a "8 jours avant" rule closes a week during the week before the previous one
)
HOLIDAY_NOTICE = timedelta(days=7)


def _families_without_bookings(*, activity: Activity, start: date, end: date) -> dict[int, list[str]]:
    """{family id: first names} of families with an inscription acceptée over [start, end] who booked nothing of
    `activity` in it (two queries)."""
    enrolments = (
        Enrolment.objects.filter(activity=activity, status=Enrolment.Status.ACCEPTED, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list("child__family_id", "child__first_name")
    )
    booked = set(
        Booking.objects.filter(
            unit__activity=activity, date__range=(start, end), state__in=Booking.ACTIVE
        ).values_list("child__family_id", flat=True)
    )
    families: dict[int, list[str]] = defaultdict(list)
    for family_id, first_name in enrolments:
        if family_id not in booked and first_name not in families[family_id]:
            families[family_id].append(first_name)
    return families


def _recipients(family_ids) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = defaultdict(list)
    for family_id, email in (
        Guardian.objects.filter(family_id__in=family_ids, reminders_opt_out=False)
        .exclude(email="")
        .values_list("family_id", "email")
    ):
        emails[family_id].append(email)
    return emails


def _send_once(
    *, family_id: int, kind: str, period: str, to: list[str], template: str, context: dict
) -> bool:
    """Record the reminder, then send it; a reminder already recorded (this run or an earlier one) is skipped."""
    if not to:
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(family_id=family_id, kind=kind, period=period)
            email_send(to=to, template=template, context=context)
    except IntegrityError:
        return False
    return True


def _week_reminders(*, now: datetime, today: date, activities: list[Activity]) -> int:
    # {monday: {family id: [(activity, first names, deadline)]}}
    due: dict[date, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    tomorrow = today + timedelta(days=1)
    first_monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    for activity in activities:
        if activity.add_deadline_kind == DeadlineKind.FIXED:
            continue
        for week in range(WEEKS_AHEAD):
            monday = first_monday + timedelta(days=7 * week)
            days = activity_open_days(activity=activity, start=monday, end=monday + timedelta(days=6))
            if not days:
                continue
            deadline = booking_deadline(activity=activity, day=days[0], action=BookingAction.ADD)
            if deadline <= now or timezone.localtime(deadline).date() != tomorrow:
                continue
            for family_id, names in _families_without_bookings(
                activity=activity, start=monday, end=monday + timedelta(days=6)
            ).items():
                due[monday][family_id].append((activity, names, deadline))
    sent = 0
    for monday, families in due.items():
        emails = _recipients(families)
        for family_id, items in families.items():
            deadline = min(item[2] for item in items)
            sent += _send_once(
                family_id=family_id,
                kind=ReminderSent.Kind.WEEK,
                period=monday.isoformat(),
                to=emails.get(family_id, []),
                template="reminder_week",
                context={
                    "week": french_date(monday),
                    "until_time": french_time(timezone.localtime(deadline).time()),
                    "until": until_sentence(deadline),
                    "activities": [item[0].name for item in items],
                    "children": sorted({name for item in items for name in item[1]}),
                },
            )
    return sent


def _holiday_reminders(*, now: datetime, today: date, activities: list[Activity]) -> int:
    sent = 0
    for activity in activities:
        closes = activity.add_deadline_at
        if (
            activity.add_deadline_kind != DeadlineKind.FIXED
            or closes is None
            or not now < closes <= now + HOLIDAY_NOTICE
        ):
            continue
        start = max(activity.period_start, today)
        families = _families_without_bookings(activity=activity, start=start, end=activity.period_end)
        emails = _recipients(families)
        for family_id, names in families.items():
            sent += _send_once(
                family_id=family_id,
                kind=ReminderSent.Kind.HOLIDAY,
                period=f"activity-{activity.pk}",
                to=emails.get(family_id, []),
                template="reminder_holiday",
                context={
                    "activity": activity.name,
                    "start": french_date(activity.period_start),
                    "end": french_date(activity.period_end),
                    "until": until_sentence(closes),
                    "children": sorted(names),
                },
            )
    return sent


def reminders_send(*, now: datetime | None = None) -> int:
    """Send the rappels due at `now`: « il vous reste jusqu'à demain 10h pour réserver la semaine du … » to
    families with an inscription acceptée and nothing booked that week, and a holiday period's closing date one
    week ahead. Idempotent: running it twice (cron and worker) sends nothing more. Returns the emails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    activities = list(Activity.objects.filter(is_active=True, period_end__gte=today))
    return _week_reminders(now=now, today=today, activities=activities) + _holiday_reminders(
        now=now, today=today, activities=activities
    )


@task()
def send_reminders_task() -> int:
    """The scheduled job of the worker (production): same as `manage.py send_reminders`."""
    return reminders_send()


@transaction.atomic
def guardian_set_reminders(*, guardian: Guardian, opt_out: bool, by) -> Guardian:
    """« Ne plus recevoir les rappels » (Mon compte): the guardian's own choice, kept in the history."""
    guardian.reminders_opt_out = opt_out
    guardian._history_user = by
    guardian.save(update_fields=["reminders_opt_out"])
    return guardian
