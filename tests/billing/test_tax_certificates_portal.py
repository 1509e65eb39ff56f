"""Mes attestations: a parent finds the attestation fiscale of an ended year from 1 January, downloads its PDF;
the family API lists them (?year=2026); other families get 404; the régisseur issues a year in bulk."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import TaxCertificate, TaxCertificateRun
from billing.services.tax_certificates import tax_certificates_generate
from families.models.catalogue import ActivityKind
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

from .taxcert_builders import care_invoice, pay

D = Decimal
CARE = ActivityKind.PERISCOLAIRE

pytestmark = pytest.mark.django_db


def today_is(monkeypatch, day: date):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


@pytest.fixture
def dupont(db):
    """Claire Dupont's family: Léa (born 2022) had 120 € of périscolaire paid in 2026, Sam (born 2023) 30 €."""
    family = FamilyFactory(name="DUPONT")
    user = UserFactory(email="claire@exemple.fr")
    GuardianFactory(family=family, user=user, first_name="Claire", last_name="Dupont")
    lea = ChildFactory(family=family, first_name="Léa", birth_date=date(2022, 3, 14))
    sam = ChildFactory(family=family, first_name="Sam", birth_date=date(2023, 9, 9))
    invoice = care_invoice(family, [(lea, CARE, "120.00"), (sam, CARE, "30.00")], issued_on=date(2026, 10, 2))
    pay(family, "150.00", on=date(2026, 10, 20), invoice=invoice)
    tax_certificates_generate(year=2026, family_ids=[family.pk], today=date(2027, 1, 4))
    return {"family": family, "user": user, "lea": lea, "sam": sam}


def test_the_parent_finds_the_2026_attestations_from_1_january_2027(client, dupont, monkeypatch):
    today_is(monkeypatch, date(2027, 1, 1))
    client.force_login(dupont["user"])

    response = client.get(reverse("billing:tax_certificates"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Année 2026" in page
    assert "120,00 €" in page and "30,00 €" in page
    lea = TaxCertificate.objects.get(child=dupont["lea"])
    assert reverse("billing:tax_certificate_pdf", args=[lea.pk]) in page


def test_not_before_1_january_the_year_is_not_available(client, dupont, monkeypatch):
    today_is(monkeypatch, date(2026, 12, 31))
    client.force_login(dupont["user"])
    lea = TaxCertificate.objects.get(child=dupont["lea"])

    page = client.get(reverse("billing:tax_certificates")).content.decode()
    pdf = client.get(reverse("billing:tax_certificate_pdf", args=[lea.pk]))

    assert "Année 2026" not in page
    assert "L'attestation de l'année 2026 sera disponible ici à partir du 1er janvier 2027." in page
    assert pdf.status_code == 404


def test_the_parent_downloads_the_pdf(client, dupont, monkeypatch):
    today_is(monkeypatch, date(2027, 1, 15))
    client.force_login(dupont["user"])
    lea = TaxCertificate.objects.get(child=dupont["lea"])

    response = client.get(reverse("billing:tax_certificate_pdf", args=[lea.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")


def test_another_family_gets_404_for_the_pdf_and_an_empty_list(client, dupont, monkeypatch):
    today_is(monkeypatch, date(2027, 1, 15))
    other = UserFactory(email="ines@exemple.fr")
    GuardianFactory(family=FamilyFactory(name="MARTIN"), user=other)
    client.force_login(other)
    lea = TaxCertificate.objects.get(child=dupont["lea"])

    assert client.get(reverse("billing:tax_certificate_pdf", args=[lea.pk])).status_code == 404
    assert client.get(reverse("family-tax-certificates")).json() == []
    assert "Léa" not in client.get(reverse("billing:tax_certificates")).content.decode()


def test_the_portal_page_query_count_does_not_grow_with_the_certificates(
    client, dupont, monkeypatch, django_assert_max_num_queries
):
    today_is(monkeypatch, date(2027, 1, 15))
    client.force_login(dupont["user"])
    client.get(reverse("billing:tax_certificates"))  # warm the session and the site settings
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("billing:tax_certificates"))
    for name in ("Tom", "Zoé", "Noa"):
        child = ChildFactory(family=dupont["family"], first_name=name, birth_date=date(2024, 2, 2))
        invoice = care_invoice(dupont["family"], [(child, CARE, "10.00")], issued_on=date(2026, 11, 2))
        pay(dupont["family"], "10.00", on=date(2026, 11, 20), invoice=invoice)
    tax_certificates_generate(year=2026, family_ids=[dupont["family"].pk], today=date(2027, 1, 4))
    assert TaxCertificate.objects.count() == 5

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("billing:tax_certificates"))

    assert response.content.decode().count("Télécharger l'attestation 2026") == 5


def test_the_family_api_lists_the_years_certificates(client, dupont, monkeypatch):
    today_is(monkeypatch, date(2027, 1, 15))
    client.force_login(dupont["user"])
    lea = TaxCertificate.objects.get(child=dupont["lea"])

    response = client.get(reverse("family-tax-certificates"), {"year": "2026"})

    assert response.status_code == 200
    rows = response.json()
    assert [sorted(row) for row in rows] == [["amount", "child", "id", "payer", "pdf", "year"]] * 2
    assert rows[0] == {
        "id": lea.pk,
        "year": 2026,
        "child": "Léa DUPONT",
        "payer": "Claire DUPONT",
        "amount": "120.00",
        "pdf": "http://testserver" + reverse("billing:tax_certificate_pdf", args=[lea.pk]),
    }
    assert client.get(reverse("family-tax-certificates"), {"year": "2025"}).json() == []


def test_the_family_api_shows_nothing_of_the_year_before_it_ends(client, dupont, monkeypatch):
    today_is(monkeypatch, date(2026, 12, 20))
    client.force_login(dupont["user"])

    response = client.get(reverse("family-tax-certificates"), {"year": "2026"})

    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2026-01", "Indiquez une année sur quatre chiffres, par exemple 2026."),
        ("", "Indiquez une année sur quatre chiffres, par exemple 2026."),
        ("2999", "L'année doit être comprise entre 2000 et 2027."),
    ],
)
def test_the_family_api_refuses_a_bad_year_in_french(client, dupont, monkeypatch, year, message):
    today_is(monkeypatch, date(2027, 1, 15))
    client.force_login(dupont["user"])

    response = client.get(reverse("family-tax-certificates"), {"year": year})

    assert (response.status_code, response.json()) == (400, {"year": [message]})


def test_the_regisseur_issues_a_year_and_follows_its_progress(
    client, dupont, regisseur, monkeypatch, django_capture_on_commit_callbacks
):
    today_is(monkeypatch, date(2027, 1, 5))
    TaxCertificate.objects.all().delete()
    client.force_login(regisseur)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing_staff:tax_certificates"), {"year": "2026"})

    run = TaxCertificateRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing_staff:tax_run", args=[run.pk])
    progress = client.get(reverse("billing_staff:tax_run_progress", args=[run.pk])).json()
    assert progress == {
        "status": "done",
        "status_label": "Terminée",
        "done": 1,
        "total": 1,
        "percent": 100,
        "running": False,
        "certificates": 2,
    }
    run_page = client.get(reverse("billing_staff:tax_run", args=[run.pk])).content.decode()
    assert "1 famille traitée — 2 attestations pour 2026" in " ".join(run_page.split())
    page = client.get(reverse("billing_staff:tax_certificates")).content.decode()
    assert "150,00 €" in page
    lea = TaxCertificate.objects.get(child=dupont["lea"])
    pdf = client.get(reverse("billing_staff:tax_certificate_pdf", args=[lea.pk]))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_the_regisseur_gets_a_french_message_for_a_bad_year(client, regisseur, monkeypatch):
    today_is(monkeypatch, date(2027, 1, 5))
    client.force_login(regisseur)

    response = client.post(reverse("billing_staff:tax_certificates"), {"year": "l'an dernier"})

    assert response.status_code == 200
    assert "Indiquez une année sur quatre chiffres, par exemple 2026." in response.content.decode()
    assert not TaxCertificateRun.objects.exists()


def test_an_agent_sees_the_years_but_cannot_issue(client, agent, monkeypatch):
    today_is(monkeypatch, date(2027, 1, 5))
    client.force_login(agent)

    assert client.get(reverse("billing_staff:tax_certificates")).status_code == 200
    assert client.post(reverse("billing_staff:tax_certificates"), {"year": "2026"}).status_code == 403
