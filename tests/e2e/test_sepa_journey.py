"""Prélèvement SEPA in real Chromium: the parent asks for the prélèvement on a phone (« Mes prélèvements »), the
régisseur validates the signed mandate and exports the month's pain.008, valid against the XSD sepaxml ships; the
parent then reads the pre-notification on the invoice."""

import os
import re
from datetime import timedelta

import pytest
import sepaxml
import xmlschema
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import SepaMandate
from tests.billing.sepa_builders import sepa_issued
from tests.conftest import PASSWORD

from .conftest import ARTIFACTS, axe_violations, format_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_parent_requests_a_mandate_and_the_regisseur_exports_the_month_pain008(
    browser, page, phone_page, regisseur, small_town, tmp_path
):
    today = timezone.localdate()
    period = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    claire = small_town["martin_parent"]
    invoice = sepa_issued(
        small_town["martin"],
        small_town["lea"],
        period=period,
        amounts=["3.35", "4.10"],
        issued_on=today,
        payer=claire,
    )

    # The parent, on a phone: Mes factures → Mes prélèvements → the request.
    parent = phone_page
    parent.goto(f"{parent.base_url}/portail/connexion/")
    parent.get_by_label("Adresse e-mail ou nom d'utilisateur").fill(claire.email)
    parent.get_by_label("Mot de passe").fill(PASSWORD)
    parent.get_by_role("button", name="Se connecter").click()
    parent.goto(f"{parent.base_url}/portail/factures/")
    parent.get_by_role("link", name=re.compile("Mes prélèvements")).click()
    parent.get_by_role("heading", name="Mes prélèvements", exact=True).wait_for()
    parent.get_by_label("Titulaire du compte").fill("Claire Martin")
    parent.get_by_label(re.compile(r"^IBAN")).fill("FR76 3000 1007 9412 3456 7890 186")
    parent.get_by_label(re.compile("J'autorise la commune")).check()
    parent.get_by_role("button", name="Demander le prélèvement").click()
    expect(parent.get_by_text("sa clé de contrôle ne correspond pas")).to_be_visible()
    parent.get_by_label(re.compile(r"^IBAN")).fill("FR76 3000 1007 9412 3456 7890 185")
    parent.get_by_label(re.compile("J'autorise la commune")).check()
    parent.get_by_role("button", name="Demander le prélèvement").click()
    expect(parent.get_by_text("Votre demande de prélèvement est enregistrée")).to_be_visible()
    mandate = SepaMandate.objects.get()
    expect(parent.locator("#mandates")).to_contain_text("FR76 **** **** **** **** ***0 185")
    expect(parent.locator("#mandates")).to_contain_text(mandate.rum)
    assert axe_violations(parent) == [], format_violations(axe_violations(parent))
    _shot(parent, "sepa-mandates-390.png")
    parent.set_viewport_size({"width": 1280, "height": 900})
    _shot(parent, "sepa-mandates-1280.png")

    # The régisseur validates the signed mandate, then generates and downloads the month's file.
    page.goto(f"{page.base_url}/gestion/")
    page.get_by_label("Adresse e-mail").fill(regisseur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.goto(f"{page.base_url}/gestion/facturation/prelevements/")
    page.get_by_role("link", name=re.compile("1 demande à valider")).click()
    page.get_by_role("link", name=mandate.rum).click()
    expect(page.locator("#iban")).to_have_text("FR76 3000 1007 9412 3456 7890 185")
    signed = tmp_path / "mandat-signe.pdf"
    signed.write_bytes(PDF)
    page.get_by_label("Date de signature").fill(today.isoformat())
    page.get_by_label(re.compile("ou déposer le mandat signé")).set_input_files(str(signed))
    page.get_by_role("button", name="Activer le mandat").click()
    expect(page.get_by_text(f"Le mandat {mandate.rum} est actif.")).to_be_visible()

    page.goto(f"{page.base_url}/gestion/facturation/prelevements/")
    page.get_by_label("Mois facturé à prélever").fill(f"{period:%Y-%m}")
    page.get_by_role("button", name="Générer le fichier pain.008").click()
    expect(page.get_by_text("Le fichier de prélèvement est généré.")).to_be_visible()
    expect(page.get_by_text("1 prélèvement, total 7,45 €")).to_be_visible()
    expect(page.locator("#debits")).to_contain_text(invoice.number)
    _shot(page, "sepa-batch-1280.png")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le fichier pain.008 (XML)").click()
    path = download_info.value.path()
    content = open(path, encoding="utf-8").read()
    schema = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.008.001.02.xsd")
    xmlschema.XMLSchema(schema).validate(content)
    assert f"<EndToEndId>{invoice.number}</EndToEndId>" in content
    assert "<SeqTp>FRST</SeqTp>" in content

    # The parent reads the pre-notification on the invoice.
    parent.goto(f"{parent.base_url}/portail/factures/{invoice.pk}/")
    expect(parent.locator("#sepa-prenotice")).to_contain_text(
        f"sur le compte FR76 …0185 (mandat {mandate.rum})"
    )
    _shot(parent, "sepa-invoice-1280.png")
