"""Calendar feed (abonnement iCal) of a family's reservations: a secret per-family address, revocable, and
events that carry first names and units only (no surname, no health data)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from backoffice.town import town_identity
from families.models import Booking, CalendarFeed, Family

# What a calendar application receives: last month and the next four (bounded, whatever the family books).
FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=124)


def calendar_feed_get(*, family: Family) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(family=family).first()


@transaction.atomic
def calendar_feed_regenerate(*, family: Family) -> CalendarFeed:
    """Create the family's secret address, or replace it (the old one stops working at once)."""
    CalendarFeed.objects.filter(family=family).delete()
    return CalendarFeed.objects.create(family=family)


@transaction.atomic
def calendar_feed_revoke(*, family: Family) -> None:
    """Stop the subscription: the address answers 404 until a new one is created."""
    CalendarFeed.objects.filter(family=family).delete()


def ical_build(*, family: Family, today: date) -> bytes:
    """The family's reserved days (and waiting-list days, marked so) as an iCalendar file, in one query."""
    calendar = Calendar()
    calendar.add("prodid", "-//Portail Famille//reservations//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Réservations — {town_identity().get('town_name', '')}".strip(" —"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    bookings = (
        Booking.objects.filter(
            child__family=family,
            date__range=(today - FEED_PAST, today + FEED_FUTURE),
            state__in=(Booking.State.RESERVED, Booking.State.WAITING),
        )
        .select_related("child", "unit")
        .order_by("date", "child_id", "unit_id")
    )
    stamp = timezone.now()
    tz = timezone.get_default_timezone()
    for booking in bookings:
        event = Event()
        summary = f"{booking.child.first_name} — {booking.unit.label}"
        if booking.state == Booking.State.WAITING:
            summary += " (liste d'attente)"
        elif booking.attendance in (Booking.Attendance.ABSENT, Booking.Attendance.EXCUSED):
            summary += f" ({booking.get_attendance_display().lower()})"
        event.add("summary", summary)
        event.add("uid", f"booking-{booking.pk}@portail-famille")
        event.add("dtstamp", stamp)
        unit = booking.unit
        if unit.start_time and unit.end_time:
            event.add("dtstart", datetime.combine(booking.date, unit.start_time, tzinfo=tz))
            event.add("dtend", datetime.combine(booking.date, unit.end_time, tzinfo=tz))
        else:
            event.add("dtstart", booking.date)
            event.add("dtend", booking.date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
