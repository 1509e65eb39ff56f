"""An agent reserves and cancels days for any family past the délais, and corrects attendance: every change is
logged with the agent."""

from datetime import date

import pytest
from django.urls import reverse

from families.models import Booking
from tests.factories import AcceptedEnrolmentFactory, BookingFactory

from .conftest import login

pytestmark = pytest.mark.django_db


def test_agent_reserves_a_past_deadline_day_for_a_family(client, agent, small_town):
    lea, canteen = small_town["lea"], small_town["canteen"]
    AcceptedEnrolmentFactory(child=lea, activity=canteen)
    unit = canteen.units.get(code="repas-classique")
    response = login(client, agent).post(
        reverse("staff:child_bookings", args=[lea.pk]),
        {"unit": unit.pk, "start": "2026-11-23", "end": "2026-11-24", "action": "add"},
    )
    assert response.status_code == 302
    bookings = Booking.objects.filter(child=lea, state=Booking.State.RESERVED).order_by("date")
    assert [b.date for b in bookings] == [date(2026, 11, 23), date(2026, 11, 24)]
    entry = bookings[0].history.first()
    assert (
        entry.history_user == agent and entry.history_change_reason == "Modification par le service enfance"
    )


def test_agent_corrects_attendance_from_the_child_page(client, agent, small_town):
    booking = BookingFactory(
        child=small_town["lea"], unit=small_town["canteen"].units.first(), date=date(2026, 11, 23)
    )
    login(client, agent)
    page = client.get(reverse("staff:child_bookings", args=[small_town["lea"].pk])).content.decode()
    assert "lundi 23 novembre 2026" in page
    client.post(
        reverse("staff:child_attendance", args=[small_town["lea"].pk]),
        {"booking": booking.pk, "attendance": "absent"},
    )
    booking.refresh_from_db()
    assert booking.attendance == "absent" and booking.history.first().history_user == agent


def test_animateur_cannot_change_bookings(client, animateur, small_town):
    url = reverse("staff:child_bookings", args=[small_town["lea"].pk])
    assert login(client, animateur).get(url).status_code == 403
