"""In real Chromium (computer and phone): the month estimate follows the parent's ticks before anything is saved."""

import os
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.services.quotients import family_quotient_set
from tests.billing.conftest import town_tariffs  # noqa: F401 - the billing fixture
from tests.factories import AcceptedEnrolmentFactory, BookingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 16, 9, tzinfo=PARIS)  # lundi 16 novembre 2026, 9h
PASSWORD = "motdepasse-solide-2026"  # the factories' password
SHOTS = os.environ.get("PORTAIL_E2E_SHOTS", "")


@pytest.fixture
def town(small_town, town_tariffs, agent, monkeypatch):  # noqa: F811 - the imported fixture
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    lea = small_town["lea"]
    lea.health_form_confirmed_on = date(2026, 8, 28)
    lea.save()
    AcceptedEnrolmentFactory(child=lea, activity=small_town["canteen"])
    family_quotient_set(
        family=small_town["martin"], value=Decimal("787.50"), valid_from=date(2026, 1, 1), by=agent
    )
    for day in (date(2026, 11, 23), date(2026, 11, 24)):
        BookingFactory(child=lea, unit=town_tariffs["meal"].unit, date=day)
    return small_town


def _estimate_follows_the_ticks(page, town, name):  # noqa: F811 - the imported fixture's name
    base = page.base_url
    page.goto(f"{base}/portail/connexion/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill("claire.martin@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mon accueil").wait_for()
    page.goto(f"{base}/portail/reservations/?enfant={town['lea'].pk}&debut=2026-11-01")
    estimate = page.locator(".planning-estimate-text")
    expect(estimate).to_have_text(
        "Estimation du mois : 6,70 € (2 × Repas classique à 3,35 €) — hors majorations éventuelles"
    )

    page.get_by_role("radio", name="Repas classique — jeudi 26 novembre 2026 — Léa", exact=True).check()
    expect(estimate).to_have_text(
        "Estimation du mois : 10,05 € (3 × Repas classique à 3,35 €) — hors majorations éventuelles"
    )
    page.get_by_role("radio", name="Aucun repas — lundi 23 novembre 2026 — Léa", exact=True).check()
    expect(estimate).to_have_text(
        "Estimation du mois : 6,70 € (2 × Repas classique à 3,35 €) — hors majorations éventuelles"
    )
    if SHOTS:
        estimate.scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(SHOTS, f"planning_estimate_{name}.png"), full_page=False)


def test_the_estimate_follows_the_ticks_on_a_computer(page, town):  # noqa: F811
    _estimate_follows_the_ticks(page, town, "1280")


def test_the_estimate_follows_the_ticks_on_a_phone(phone_page, town):  # noqa: F811
    _estimate_follows_the_ticks(phone_page, town, "390")
