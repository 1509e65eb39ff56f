"""Shared custody in real Chromium, on a phone and a computer: Marc, separated from Claire, opens « Mes factures »,
reads that the two parents' invoices are separate and finds his own invoice first."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from billing.models import CustodyMode
from billing.services.custody import custody_split_set
from billing.services.invoicing import invoice_run_create, invoice_run_issue, invoice_run_prepare
from billing.services.quotients import family_quotient_set
from families.models import Booking
from tests.billing.conftest import CANTEEN_BRACKETS, brackets_tariff
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    StaffUserFactory,
    UnitFactory,
    UserFactory,
)

from .conftest import ARTIFACTS, axe_violations, format_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide-2026"  # the factories' password


def _shared_family():
    unit = UnitFactory(activity=ActivityFactory(name="Restauration scolaire"), label="Repas classique")
    brackets_tariff(unit, brackets=CANTEEN_BRACKETS)
    family = FamilyFactory(name="DUPONT")
    claire = GuardianFactory(family=family, first_name="Claire", last_name="Dupont")
    marc = GuardianFactory(
        family=family,
        first_name="Marc",
        last_name="Durand",
        is_billing_contact=False,
        user=UserFactory(email="marc.durand@exemple.fr"),
    )
    family_quotient_set(
        family=family, value=Decimal("750"), valid_from=date(2026, 9, 1), by=StaffUserFactory()
    )
    lea = ChildFactory(family=family, first_name="Léa")
    custody_split_set(
        child=lea,
        payer_a=claire,
        payer_b=marc,
        mode=CustodyMode.PERCENTAGE,
        percent_a=60,
        valid_from=date(2026, 9, 1),
        payer_b_address="12 avenue de la Gare\n95550 Bessancourt",
    )
    for day in (2, 3, 5, 6):
        BookingFactory(child=lea, unit=unit, date=date(2026, 11, day), attendance=Booking.Attendance.PRESENT)
    run = invoice_run_create(period=date(2026, 11, 1), activities=[unit.activity], by=None, start=False)
    invoice_run_issue(run=invoice_run_prepare(run=run, today=date(2026, 12, 2)), today=date(2026, 12, 2))
    return family.invoices.get(payer=marc)


def _journey(page, name: str):
    marc_invoice = _shared_family()
    page.goto(f"{page.base_url}/portail/connexion/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill("marc.durand@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mon accueil").wait_for()

    page.goto(f"{page.base_url}/portail/factures/")

    expect(
        page.get_by_text("Garde alternée : vos factures et celles de l'autre parent sont séparées.")
    ).to_be_visible()
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text(marc_invoice.number)
    expect(first_row).to_contain_text("Adressée à Marc DURAND")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"custody-invoices-{name}.png"), full_page=True)
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def test_marc_finds_his_own_invoice_first_on_a_computer(page):
    _journey(page, "1280")


def test_marc_finds_his_own_invoice_first_on_a_phone(phone_page):
    _journey(phone_page, "390")
