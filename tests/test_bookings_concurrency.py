"""Two parents taking the last place at the same moment: real transactions on PostgreSQL, never an overbooking.

Run with DATABASE_URL=postgres://…; SQLite serialises every write transaction (IMMEDIATE mode) so there is no
race to prove there, and its select_for_update is a no-op.
"""

import threading
import time as clock
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection

from families.models import Booking
from families.services import bookings as bookings_module
from families.services.bookings import Change, bookings_apply
from tests.factories import (
    AcceptedEnrolmentFactory,
    ActivityFactory,
    ChildFactory,
    StaffUserFactory,
    UnitFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): SQLite has no concurrent writers to race",
    ),
]

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 16, 9, tzinfo=PARIS)


def run_together(jobs):
    """Start every job at the same instant, each in its own thread, connection and transaction."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


@pytest.fixture
def slow_planner(monkeypatch):
    """Widen the window between reading the counts and writing, as a loaded server would."""
    real = bookings_module.closures_between

    def slow(**kwargs):
        clock.sleep(0.3)
        return real(**kwargs)

    monkeypatch.setattr(bookings_module, "closures_between", slow)


def enrolled_children(activity, count):
    children = []
    for _ in range(count):
        child = ChildFactory(health_form_confirmed_on=date(2026, 8, 28))
        AcceptedEnrolmentFactory(child=child, activity=activity)
        children.append(child)
    return children


def test_parents_reserving_the_last_places_at_once_never_overbook(slow_planner):
    canteen = ActivityFactory()
    meal = UnitFactory(activity=canteen, capacity=2)
    children = enrolled_children(canteen, 6)
    agent = StaffUserFactory()

    def reserve(child):
        return lambda: bookings_apply(
            child_changes=[Change(child=child, unit=meal, day=MONDAY)], by=agent, as_staff=False, now=NOW
        )

    run_together([reserve(child) for child in children])
    day = Booking.objects.filter(unit=meal, date=MONDAY)
    assert day.filter(state=Booking.State.RESERVED).count() == 2
    assert day.filter(state=Booking.State.WAITING).count() == 4


def test_a_double_click_books_the_day_once(slow_planner):
    canteen = ActivityFactory()
    meal = UnitFactory(activity=canteen)
    (child,) = enrolled_children(canteen, 1)
    agent = StaffUserFactory()

    def reserve():
        bookings_apply(
            child_changes=[Change(child=child, unit=meal, day=MONDAY)], by=agent, as_staff=False, now=NOW
        )

    run_together([reserve, reserve])
    assert Booking.objects.filter(child=child, unit=meal, date=MONDAY).count() == 1
