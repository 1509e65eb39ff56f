"""Staff-screen fixtures: the small town's canteen with reservations on a past Monday, logged-in staff clients."""

from datetime import date

import pytest

from families.models import Booking
from tests.factories import AcceptedEnrolmentFactory, BookingFactory

BACKEND = "backoffice.auth.EmailBackend"
MONDAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def emails_sent_at_once(monkeypatch):
    """Unit tests run inside a transaction that never commits: send emails at once."""
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())


@pytest.fixture
def canteen_day(small_town):
    """Léa (repas classique) and Chloé (repas végétarien) reserved on Monday 23 November; Hugo enrolled only."""
    canteen = small_town["canteen"]
    units = {u.code: u for u in canteen.units.all()}
    for name in ("lea", "hugo", "chloe"):
        AcceptedEnrolmentFactory(child=small_town[name], activity=canteen)
    lea = BookingFactory(child=small_town["lea"], unit=units["repas-classique"], date=MONDAY)
    chloe = BookingFactory(child=small_town["chloe"], unit=units["repas-vege"], date=MONDAY)
    return {
        **small_town,
        "classique": units["repas-classique"],
        "vege": units["repas-vege"],
        "lea_booking": lea,
        "chloe_booking": chloe,
        "day": MONDAY,
    }


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def reload(booking) -> Booking:
    return Booking.objects.get(pk=booking.pk)
