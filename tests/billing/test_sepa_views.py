"""Mes prélèvements in the portal, the pre-notification on the invoice, and the régisseur's SEPA screens."""

import os
import shutil
import subprocess
from datetime import date

import pytest
import sepaxml
import xmlschema
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import DirectDebitBatch, DirectDebitItem, Payment, SepaMandate
from billing.pdf import invoice_pdf
from billing.services.sepa import sepa_batch_create, sepa_batch_generate, sepa_mandate_request
from tests.billing.sepa_builders import IBAN_OK, IBAN_TOWN, active_mandate, sepa_issued, signed_document

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def _today_and_emails(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())


@pytest.fixture
def parent_client(client, small_town):
    client.force_login(small_town["martin_parent"].user)
    return client


# --- Portal -------------------------------------------------------------------------------------------------------


def test_parent_requests_a_mandate_from_mes_prelevements(parent_client, small_town):
    claire = small_town["martin_parent"]

    response = parent_client.post(
        reverse("billing:sepa"),
        {
            "payer": claire.pk,
            "holder": "Claire Martin",
            "iban": "FR76 3000 1007 9412 3456 7890 185",
            "consent": "on",
        },
    )

    assert response.status_code == 302 and response["Location"] == reverse("billing:sepa")
    mandate = SepaMandate.objects.get()
    assert (mandate.family, mandate.payer, mandate.status) == (small_town["martin"], claire, "requested")
    page = parent_client.get(reverse("billing:sepa")).content.decode()
    assert mandate.rum in page
    assert "FR76\u00a0****\u00a0****\u00a0****\u00a0****\u00a0***0\u00a0185" in page
    assert IBAN_TOWN not in page and "3000 1007 9412" not in page
    assert "Demandé (en attente de validation)" in page
    assert (
        'name="iban"' not in page
    )  # Claire is the family's only payer and already has a mandate in progress


def test_a_bad_iban_is_answered_with_a_french_message_not_an_error_page(parent_client, small_town):
    response = parent_client.post(
        reverse("billing:sepa"),
        {
            "payer": small_town["martin_parent"].pk,
            "holder": "Claire Martin",
            "iban": "FR76 3000 1007 9412 3456 7890 186",
            "consent": "on",
        },
    )

    assert response.status_code == 200
    assert "sa clé de contrôle ne correspond pas" in response.content.decode()
    assert not SepaMandate.objects.exists()


def test_the_consent_is_required(parent_client, small_town):
    response = parent_client.post(
        reverse("billing:sepa"),
        {"payer": small_town["martin_parent"].pk, "holder": "Claire Martin", "iban": IBAN_OK},
    )
    assert response.status_code == 200 and not SepaMandate.objects.exists()


def test_a_parent_cannot_choose_a_payer_of_another_family(parent_client, small_town):
    response = parent_client.post(
        reverse("billing:sepa"),
        {
            "payer": small_town["bernard_parent"].pk,
            "holder": "Sophie Bernard",
            "iban": IBAN_OK,
            "consent": "on",
        },
    )
    assert response.status_code == 200 and not SepaMandate.objects.exists()


def test_a_parent_sees_only_the_mandates_of_the_family(parent_client, small_town):
    other = sepa_mandate_request(
        family=small_town["bernard"],
        payer=small_town["bernard_parent"],
        holder="Sophie Bernard",
        iban=IBAN_OK,
    )
    assert other.rum not in parent_client.get(reverse("billing:sepa")).content.decode()


def test_the_invoice_page_and_pdf_show_the_pre_notification(parent_client, small_town):
    martin, claire = small_town["martin"], small_town["martin_parent"]
    mandate = active_mandate(martin, claire, iban=IBAN_TOWN)
    invoice = sepa_issued(
        martin,
        small_town["lea"],
        period=date(2026, 11, 1),
        amounts=["3.35"],
        issued_on=date(2026, 12, 3),
        payer=claire,
    )
    expected = f"Cette facture sera prélevée le jeudi 17 décembre 2026 sur le compte FR76 …0185 (mandat {mandate.rum})."

    page = parent_client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    debits = parent_client.get(reverse("billing:sepa")).content.decode()

    assert expected in page
    assert "Le jeudi 17 décembre 2026 : 3,35 € — facture " + invoice.number in debits
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=invoice_pdf(invoice=invoice),
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "prélevée le jeudi 17 décembre 2026" in " ".join(text.split())
        assert mandate.rum in text


def test_an_invoice_without_mandate_has_no_pre_notification(parent_client, small_town):
    invoice = sepa_issued(
        small_town["martin"],
        small_town["lea"],
        period=date(2026, 11, 1),
        amounts=["3.35"],
        issued_on=date(2026, 12, 3),
        payer=small_town["martin_parent"],
    )
    page = parent_client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert "sera prélevée" not in page


# --- Staff --------------------------------------------------------------------------------------------------------


@pytest.fixture
def november_debit(small_town):
    martin, claire = small_town["martin"], small_town["martin_parent"]
    mandate = active_mandate(martin, claire)
    invoice = sepa_issued(
        martin,
        small_town["lea"],
        period=date(2026, 11, 1),
        amounts=["3.35", "4.10"],
        issued_on=date(2026, 12, 3),
        payer=claire,
    )
    return mandate, invoice


def test_regisseur_generates_and_downloads_the_month_pain008(client, regisseur, november_debit):
    mandate, invoice = november_debit
    client.force_login(regisseur)

    response = client.post(reverse("billing_staff:sepa_batches"), {"period": "2026-11"})

    batch = DirectDebitBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "billing_staff:sepa_batch", args=[batch.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "1 prélèvement, total 7,45 €" in page and invoice.number in page and mandate.rum in page
    download = client.get(reverse("billing_staff:sepa_file", args=[batch.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    assert download["Content-Disposition"] == f'attachment; filename="prelevement-2026-11-{batch.pk}.xml"'
    content = b"".join(download.streaming_content)
    schema = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.008.001.02.xsd")
    xmlschema.XMLSchema(schema).validate(content.decode())
    assert f"<EndToEndId>{invoice.number}</EndToEndId>" in content.decode()


def test_a_bad_month_is_a_form_error(client, regisseur):
    client.force_login(regisseur)
    response = client.post(reverse("billing_staff:sepa_batches"), {"period": "novembre"})
    assert response.status_code == 200
    assert "AAAA-MM" in response.content.decode()
    assert not DirectDebitBatch.objects.exists()


def test_the_batch_screen_lists_the_anomalies_in_french(client, regisseur, november_debit):
    mandate, invoice = november_debit
    SepaMandate.objects.filter(pk=mandate.pk).update(signed_on=None)
    client.force_login(regisseur)

    response = client.post(reverse("billing_staff:sepa_batches"), {"period": "2026-11"}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Mandat {mandate.rum}" in page and "sans date de signature" in page
    assert "Télécharger le fichier pain.008" not in page


def test_agents_see_the_batches_but_cannot_generate_one(client, agent):
    client.force_login(agent)
    assert client.get(reverse("billing_staff:sepa_batches")).status_code == 200
    assert client.post(reverse("billing_staff:sepa_batches"), {"period": "2026-11"}).status_code == 403
    assert not DirectDebitBatch.objects.exists()


def _generated(november_debit):
    return sepa_batch_generate(batch=sepa_batch_create(period=date(2026, 11, 1)), today=TODAY)


def test_regisseur_records_a_reject_from_the_batch_screen(client, regisseur, november_debit):
    batch = _generated(november_debit)
    item = batch.items.get()
    client.force_login(regisseur)

    response = client.post(
        reverse("billing_staff:sepa_reject", args=[item.pk]),
        {"code": "AM04", "on": "2026-12-21"},
        follow=True,
    )

    assert "est de nouveau à payer" in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.reject_code, item.rejected_on) == ("rejected", "AM04", date(2026, 12, 21))
    assert Payment.objects.get().status == Payment.Status.REJECTED


def test_regisseur_imports_the_bank_return_file_and_sees_errors_by_row(client, regisseur, november_debit):
    mandate, invoice = november_debit
    batch = _generated(november_debit)
    client.force_login(regisseur)
    csv_file = SimpleUploadedFile(
        "retours.csv",
        f"reference;rum;montant;motif\n{invoice.number};{mandate.rum};7,45;MD06\n2026-424242;;1,00;AM04\n".encode(),
        content_type="text/csv",
    )

    response = client.post(
        reverse("billing_staff:sepa_returns", args=[batch.pk]), {"file": csv_file, "on": "2026-12-22"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 rejet enregistré." in page
    assert "Ligne 3 : Aucun prélèvement n&#x27;a la référence « 2026-424242 »." in page
    assert DirectDebitItem.objects.get().reject_code == "MD06"


def test_the_mandate_screen_shows_the_full_iban_and_activates_with_an_uploaded_signed_mandate(
    client, regisseur, small_town
):
    mandate = sepa_mandate_request(
        family=small_town["martin"], payer=small_town["martin_parent"], holder="Claire Martin", iban=IBAN_TOWN
    )
    client.force_login(regisseur)
    url = reverse("billing_staff:sepa_mandate", args=[mandate.pk])
    assert "FR76 3000 1007 9412 3456 7890 185" in client.get(url).content.decode()

    missing = client.post(url, {"action": "activate", "signed_on": "2026-12-01"})
    assert missing.status_code == 200
    assert "Joignez le mandat signé" in missing.content.decode()

    signed = SimpleUploadedFile("mandat.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = client.post(url, {"action": "activate", "signed_on": "2026-12-01", "file": signed})

    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == SepaMandate.Status.ACTIVE
    assert mandate.signed_on == date(2026, 12, 1)
    assert mandate.document.family == small_town["martin"]


def test_regisseur_refuses_a_mandate_with_a_reason(client, regisseur, small_town):
    mandate = sepa_mandate_request(
        family=small_town["martin"], payer=small_town["martin_parent"], holder="Claire Martin", iban=IBAN_OK
    )
    client.force_login(regisseur)
    url = reverse("billing_staff:sepa_mandate", args=[mandate.pk])

    assert (
        "Indiquez"
        not in client.post(url, {"action": "refuse", "reason": "Mandat non signé"}).content.decode()
    )

    mandate.refresh_from_db()
    assert (mandate.status, mandate.status_reason) == ("refused", "Mandat non signé")


def test_agents_cannot_activate_a_mandate(client, agent, small_town):
    mandate = sepa_mandate_request(
        family=small_town["martin"], payer=small_town["martin_parent"], holder="Claire Martin", iban=IBAN_OK
    )
    client.force_login(agent)
    url = reverse("billing_staff:sepa_mandate", args=[mandate.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "activate", "signed_on": "2026-12-01"}).status_code == 403


# --- Staff API ----------------------------------------------------------------------------------------------------


def test_the_api_activates_a_mandate_with_its_signature_date_and_document(client, regisseur, small_town):
    mandate = sepa_mandate_request(
        family=small_town["martin"], payer=small_town["martin_parent"], holder="Claire Martin", iban=IBAN_OK
    )
    client.force_login(regisseur)
    url = f"/api/v1/sepa-mandates/{mandate.pk}/activate/"

    refused = client.post(url, {"signed_on": "2026-12-01"}, content_type="application/json")
    document = signed_document(small_town["martin"])
    done = client.post(
        url, {"signed_on": "2026-12-01", "document": document.pk}, content_type="application/json"
    )

    assert refused.status_code == 409
    assert done.status_code == 200
    mandate.refresh_from_db()
    assert mandate.status == SepaMandate.Status.ACTIVE
    listed = client.get("/api/v1/sepa-mandates/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert "iban" not in rows[0]


def test_the_generic_admin_list_and_api_never_show_the_full_iban(client, regisseur, small_town):
    sepa_mandate_request(
        family=small_town["martin"], payer=small_town["martin_parent"], holder="Claire Martin", iban=IBAN_TOWN
    )
    client.force_login(regisseur)
    page = client.get("/gestion/billing/sepamandate/").content.decode()
    api = client.get("/api/v1/sepa-mandates/").content.decode()

    assert IBAN_TOWN not in api
    assert "FR76 **** **** **** **** ***0 185" in page and IBAN_TOWN not in page


def test_the_parent_downloads_the_mandate_to_sign_and_not_another_familys(parent_client, small_town):
    mine = sepa_mandate_request(
        family=small_town["martin"], payer=small_town["martin_parent"], holder="Claire Martin", iban=IBAN_TOWN
    )
    other = sepa_mandate_request(
        family=small_town["bernard"],
        payer=small_town["bernard_parent"],
        holder="Sophie Bernard",
        iban=IBAN_OK,
    )

    response = parent_client.get(reverse("billing:sepa_mandate_pdf", args=[mine.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert parent_client.get(reverse("billing:sepa_mandate_pdf", args=[other.pk])).status_code == 404
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert mine.rum in text and "FR12ZZZ123456" in text and "FR76 **** **** **** **** ***0 185" in text
        assert IBAN_TOWN not in text
