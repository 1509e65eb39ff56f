"""Shared set-up of the family API tests: the small town at a fixed moment, the canteen's enrolments, and a
logged-in parent's client."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import AcceptedEnrolmentFactory

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=PARIS)  # a Thursday of December, before the Christmas holidays
CHILDREN_URL = "/api/v1/family/children/"
PLANNING_URL = "/api/v1/family/planning/"
ENROLMENTS_URL = "/api/v1/family/enrolments/"


def freeze(monkeypatch, moment: datetime) -> None:
    """Every `timezone.now()` (services, selectors, auto_now fields) answers `moment`."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def town(small_town, monkeypatch):
    """Léa, Hugo and Chloé enrolled at the canteen (classique or végétarien), fiches sanitaires confirmed; today
    is 10 December 2026, 9:00 in Paris."""
    freeze(monkeypatch, NOW)
    canteen = small_town["canteen"]
    units = {u.code: u for u in canteen.units.all()}
    for name in ("lea", "hugo", "chloe"):
        child = small_town[name]
        child.health_form_confirmed_on = date(2026, 8, 28)
        child.save()
        AcceptedEnrolmentFactory(child=child, activity=canteen)
    return {**small_town, "classique": units["repas-classique"], "vege": units["repas-vege"]}


@pytest.fixture
def claire(client, town):
    """Claire Martin's logged-in client (mother of Léa and Hugo)."""
    client.force_login(town["martin_parent"].user)
    return client
