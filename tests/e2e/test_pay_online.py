"""In real Chromium, Claire Dupont pays her November invoice online through the local simulator (which really calls
our notification URL over HTTP, as PayFiP does) and sees « Payée le … »; on a phone she sees a refusal explained."""

import re

import pytest
from django.utils import timezone

from backoffice.templatetags.french import date_fr
from billing.models import Payment, PaymentMeans, PaymentTransaction
from tests.billing.online_builders import online_issued
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

from .conftest import ARTIFACTS, axe_violations, format_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-solide-2026"  # the factories' password


def _dupont():
    family = FamilyFactory(name="DUPONT Claire", commune="Bessancourt")
    user = UserFactory(email="claire.dupont@exemple.fr", first_name="Claire", last_name="Dupont")
    GuardianFactory(family=family, user=user, first_name="Claire", email=user.email)
    child = ChildFactory(family=family, first_name="Léa", last_name="Dupont")
    invoice = online_issued(family, child, month=11, amounts=["3.35", "3.35", "3.35", "4.10"])
    return family, user, invoice


def _login(page, user):
    page.goto(page.base_url + "/portail/connexion/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base_url + "/portail/")


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_claire_pays_her_invoice_through_the_simulator_and_sees_it_paid(page):
    family, user, invoice = _dupont()
    _login(page, user)

    page.goto(page.base_url + "/portail/factures/")
    page.get_by_role("link", name=re.compile(f"Payer en ligne — facture {invoice.number}")).click()
    page.get_by_text("Vous allez être redirigé vers PayFiP, le service de paiement de la DGFiP").wait_for()
    assert page.locator("#pay-amount").inner_text() == "14,15 €"
    page.get_by_role("button", name="Payer 14,15 € avec PayFiP").click()

    page.get_by_role("heading", name="Paiement sécurisé PayFiP (simulé)").wait_for()
    assert page.locator("#sim-amount").inner_text() == "14,15 €"
    assert page.locator("#sim-invoice").inner_text() == invoice.number
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    _shot(page, "pay-online-simulator-1280.png")
    page.get_by_role("button", name="Payer", exact=True).click()

    page.get_by_role("heading", name="Paiement accepté").wait_for()
    paid_on = f"Payée le {date_fr(timezone.localdate(), 'l j F Y')}"
    assert page.locator("#invoice-status").inner_text() == paid_on
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    _shot(page, "pay-online-return-1280.png")

    tx = PaymentTransaction.objects.get(invoice=invoice)
    assert tx.state == PaymentTransaction.State.PAID
    assert [n["source"] for n in tx.notifications][0] == "notification"  # the bank's HTTP call came first
    payment = Payment.objects.get(family=family)
    assert (payment.means, str(payment.amount)) == (PaymentMeans.ONLINE, "14.15")

    page.get_by_role("link", name="Mes factures").first.click()
    page.get_by_text(paid_on).wait_for()
    _shot(page, "pay-online-invoices-1280.png")
    assert page.get_by_role("link", name=re.compile("Payer en ligne")).count() == 0


def test_on_a_phone_a_refused_payment_says_what_to_do(phone_page):
    page = phone_page
    _family, user, invoice = _dupont()
    _login(page, user)

    page.goto(f"{page.base_url}/portail/factures/{invoice.pk}/")
    page.get_by_role("link", name="Payer en ligne").click()
    page.get_by_text("Vous allez être redirigé vers PayFiP").wait_for()
    _shot(page, "pay-online-confirm-390.png")
    page.get_by_role("button", name="Payer 14,15 € avec PayFiP").click()
    page.get_by_role("heading", name="Paiement sécurisé PayFiP (simulé)").wait_for()
    _shot(page, "pay-online-simulator-390.png")
    page.get_by_role("button", name="Refuser").click()

    page.get_by_role("heading", name="Paiement refusé").wait_for()
    assert page.get_by_text("rien n'a été débité").is_visible()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    _shot(page, "pay-online-refused-390.png")
    assert not Payment.objects.exists()
    assert PaymentTransaction.objects.get(invoice=invoice).state == PaymentTransaction.State.REFUSED
