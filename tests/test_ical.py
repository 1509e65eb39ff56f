"""Abonnement calendrier: a secret per-family iCal address with the reservations and first names only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from families.models import Booking, CalendarFeed
from families.services.ical import calendar_feed_regenerate
from tests.factories import BookingFactory
from tests.portal.conftest import BACKEND

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(small_town):
    today = timezone.localdate()
    unit = small_town["canteen"].units.get(code="repas-classique")
    BookingFactory(child=small_town["lea"], unit=unit, date=today + timedelta(days=2))
    BookingFactory(
        child=small_town["lea"], unit=unit, date=today + timedelta(days=3), state=Booking.State.CANCELLED
    )
    BookingFactory(child=small_town["chloe"], unit=unit, date=today + timedelta(days=2))
    return calendar_feed_regenerate(family=small_town["martin"])


def test_the_feed_lists_the_familys_reservations_with_first_names_only(client, small_town, feed):
    response = client.get(reverse("portal:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["Léa — Repas classique"]
    body = response.content.decode()
    assert "Martin" not in body and "MARTIN" not in body and "Chloé" not in body


def test_regenerating_the_address_revokes_the_old_one(client, small_town, feed):
    client.force_login(small_town["martin_parent"].user, backend=BACKEND)
    response = client.post(reverse("portal:calendar_feed_regenerate"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(family=small_town["martin"])
    assert new.token != feed.token
    assert client.get(reverse("portal:calendar_feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("portal:calendar_feed", args=[new.token])).status_code == 200
    assert new.token in client.get(reverse("portal:account")).content.decode()


def test_revoking_stops_the_feed(client, small_town, feed):
    client.force_login(small_town["martin_parent"].user, backend=BACKEND)
    assert client.post(reverse("portal:calendar_feed_revoke")).status_code == 302
    assert not CalendarFeed.objects.exists()
    assert client.get(reverse("portal:calendar_feed", args=[feed.token])).status_code == 404


def test_an_unknown_token_is_a_404(client, db):
    assert client.get(reverse("portal:calendar_feed", args=["devine"])).status_code == 404


def test_the_planning_links_the_calendar_subscription_and_the_absence_form(client, small_town):
    from tests.factories import AcceptedEnrolmentFactory

    AcceptedEnrolmentFactory(child=small_town["lea"], activity=small_town["canteen"])
    client.force_login(small_town["martin_parent"].user, backend=BACKEND)
    page = client.get(reverse("portal:planning")).content.decode()
    assert f"{reverse('portal:account')}#calendar-title" in page
    assert reverse("portal:absences") in page
