"""The régisseur launches a month's invoicing from /gestion/facturation/, follows it, checks the preview, issues it;
the staff API issues runs and cancels invoices by a full credit note."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import CreditNote, Invoice, InvoiceRun
from billing.services.quotients import family_quotient_set
from families.models import Booking
from tests.billing.conftest import CANTEEN_BRACKETS, brackets_tariff
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    UnitFactory,
)

D = Decimal


@pytest.fixture
def november(db, regisseur):
    unit = UnitFactory(activity=ActivityFactory(name="Restauration scolaire"), label="Repas classique")
    brackets_tariff(unit, brackets=CANTEEN_BRACKETS)
    family = FamilyFactory(name="DUPONT")
    GuardianFactory(family=family, email="claire@exemple.fr")
    family_quotient_set(family=family, value=D("750"), valid_from=date(2026, 9, 1), by=regisseur)
    child = ChildFactory(family=family)
    for day in (2, 3, 4):
        BookingFactory(
            child=child, unit=unit, date=date(2026, 11, day), attendance=Booking.Attendance.PRESENT
        )
    BookingFactory(child=child, unit=unit, date=date(2026, 11, 5))  # roll call not closed
    return unit.activity


def test_regisseur_launches_previews_and_issues_a_month(
    client, regisseur, november, django_capture_on_commit_callbacks
):
    client.force_login(regisseur)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("billing_staff:runs"), {"period": "2026-11", "activities": [november.pk]}
        )
    run = InvoiceRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing_staff:run", args=[run.pk])

    page = client.get(reverse("billing_staff:run", args=[run.pk])).content.decode()
    assert "1 facture, total 13,40 €" in page
    assert "appel non clôturé" in page
    progress = client.get(reverse("billing_staff:run_progress", args=[run.pk])).json()
    assert progress == {
        "status": "drafted",
        "status_label": "Brouillons prêts",
        "done": 1,
        "total": 1,
        "percent": 100,
        "running": False,
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("billing_staff:run_issue", args=[run.pk]))

    assert Invoice.objects.get().number.endswith("-000001")
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.ISSUED
    printed = client.get(reverse("billing_staff:print_list", args=[run.pk]))
    assert Invoice.objects.get().number in printed.content.decode()


def test_a_malformed_month_is_a_form_error(client, regisseur, november):
    client.force_login(regisseur)

    response = client.post(reverse("billing_staff:runs"), {"period": "novembre", "activities": [november.pk]})

    assert response.status_code == 200
    assert "AAAA-MM" in response.content.decode()
    assert not InvoiceRun.objects.exists()


def test_an_animateur_cannot_launch_invoicing(client, animateur, november):
    client.force_login(animateur)

    assert client.get(reverse("billing_staff:runs")).status_code == 403


def test_staff_api_cancels_an_invoice_by_a_full_credit_note(
    client, regisseur, november, django_capture_on_commit_callbacks
):
    from billing.services.invoicing import invoice_run_create, invoice_run_issue, invoice_run_prepare

    run = invoice_run_create(period=date(2026, 11, 1), activities=[november], by=regisseur, start=False)
    invoice_run_issue(run=invoice_run_prepare(run=run))
    invoice = Invoice.objects.get()
    client.force_login(regisseur)

    response = client.post(
        f"/api/v1/invoices/{invoice.pk}/cancel/",
        {"reason": "Erreur de tarif"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert CreditNote.objects.get().amount == D("13.40")
    again = client.post(
        f"/api/v1/invoices/{invoice.pk}/cancel/", {"reason": "Encore"}, content_type="application/json"
    )
    assert again.status_code == 409
