"""In Chromium, a parent opens « Mes attestations fiscales » from « Mes factures » and downloads last year's
attestation; on a phone (390 px) and a computer (1280 px), without horizontal scrolling or accessibility errors."""

from datetime import date

import pytest
from django.utils import timezone

from billing.services.tax_certificates import tax_certificates_generate
from families.models.catalogue import ActivityKind
from tests.billing.taxcert_builders import care_invoice, pay
from tests.e2e.conftest import ARTIFACTS, axe_violations, format_violations
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide-2026"


def _family_with_last_years_certificate():
    last_year = timezone.localdate().year - 1
    family = FamilyFactory(name="DUBOIS")
    user = UserFactory(email="camille@exemple.fr")
    GuardianFactory(family=family, user=user, first_name="Camille", last_name="Dubois")
    jade = ChildFactory(family=family, first_name="Jade", birth_date=date(last_year - 2, 2, 20))
    invoice = care_invoice(
        family,
        [(jade, ActivityKind.VACANCES, "96.00", "25.20"), (jade, ActivityKind.PERISCOLAIRE, "40.00")],
        issued_on=date(last_year, 10, 2),
    )
    pay(family, "136.00", on=date(last_year, 10, 20), invoice=invoice)
    tax_certificates_generate(year=last_year, family_ids=[family.pk])
    return user, last_year


def _journey(page, width: int):  # noqa: F811
    user, year = _family_with_last_years_certificate()
    page.goto(f"{page.base_url}/portail/factures/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mes factures").wait_for()
    page.get_by_role("link", name="Voir mes attestations fiscales").click()
    page.get_by_role("heading", name="Mes attestations fiscales").wait_for()
    assert page.get_by_role("heading", name=f"Année {year}").is_visible()
    assert page.get_by_text("110,80 €").is_visible()  # 96 − 25,20 of lunches + 40

    link = page.get_by_role("link", name=f"Télécharger l'attestation {year} de Jade")
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"la page déborde ({scroll} px)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"tax-certificates-{width}.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_parent_downloads_last_years_attestation_on_a_computer(page):  # noqa: F811
    _journey(page, 1280)


def test_parent_downloads_last_years_attestation_on_a_phone(phone_page):  # noqa: F811
    _journey(phone_page, 390)


def test_regisseur_issues_last_years_attestations_and_sees_the_result(page, regisseur):  # noqa: F811
    _user, year = _family_with_last_years_certificate()
    page.goto(f"{page.base_url}/gestion/facturation/attestations-fiscales/")
    page.get_by_label("Adresse e-mail").fill(regisseur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("heading", name="Attestations fiscales de frais de garde").wait_for()
    page.get_by_label("Année").fill(str(year))
    page.get_by_role("button", name="Générer les attestations").click()

    page.get_by_role("heading", name=f"Attestations fiscales {year}").wait_for()
    page.get_by_text(f"1 famille traitée — 1 attestation pour {year}").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tax-certificates-staff-run-1280.png"), full_page=True)
    page.get_by_role("link", name="← Attestations fiscales").click()
    page.get_by_role("cell", name="110,80 €").wait_for()
    page.screenshot(path=str(ARTIFACTS / "tax-certificates-staff-1280.png"), full_page=True)
