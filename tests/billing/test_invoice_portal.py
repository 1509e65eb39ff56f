"""Mes factures: a parent sees the family's account, each invoice with its lines and rules, downloads the PDFs,
opts in to the facture dématérialisée; the family API gives the same invoices. Other families get 404."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Invoice
from billing.services.credit_notes import credit_note_create, invoice_cancel
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
    UnitFactory,
    UserFactory,
)

D = Decimal
TODAY = date(2026, 12, 2)


@pytest.fixture
def invoiced(db, regisseur):
    """The Dupont family, one issued November invoice: Léa, 3 canteen days at 3,35 € (QF 750 €)."""
    unit = UnitFactory(activity=ActivityFactory(name="Restauration scolaire"), label="Repas classique")
    brackets_tariff(unit, brackets=CANTEEN_BRACKETS)
    family = FamilyFactory(name="DUPONT")
    user = UserFactory(email="claire@exemple.fr")
    GuardianFactory(family=family, user=user, first_name="Claire")
    family_quotient_set(family=family, value=D("750"), valid_from=date(2026, 9, 1), by=regisseur)
    lea = ChildFactory(family=family, first_name="Léa")
    for day in (2, 3, 4):
        BookingFactory(child=lea, unit=unit, date=date(2026, 11, day), attendance=Booking.Attendance.PRESENT)
    run = invoice_run_create(period=date(2026, 11, 1), activities=[unit.activity], by=regisseur, start=False)
    invoice_run_issue(run=invoice_run_prepare(run=run, today=TODAY), today=TODAY)
    return {"family": family, "user": user, "invoice": Invoice.objects.get(family=family)}


def test_parent_sees_the_account_and_balance(client, invoiced):
    client.force_login(invoiced["user"])

    response = client.get(reverse("billing:invoices"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-000001" in page
    assert '<strong id="balance">10,05 €</strong>' in page


def test_parent_sees_each_line_with_the_rule_applied(client, invoiced):
    client.force_login(invoiced["user"])

    response = client.get(reverse("billing:invoice", args=[invoiced["invoice"].pk]))

    assert response.status_code == 200
    assert "Tranche QF 3 (601–900 €)" in response.content.decode()


def test_parent_downloads_the_invoice_and_the_statement(client, invoiced, regisseur):
    credit_note_create(invoice=invoiced["invoice"], amount="3.35", reason="Grève", by=regisseur, today=TODAY)
    client.force_login(invoiced["user"])

    pdf = client.get(reverse("billing:invoice_pdf", args=[invoiced["invoice"].pk]))
    statement = client.get(reverse("billing:statement"))
    note = invoiced["invoice"].credit_notes.get()
    note_pdf = client.get(reverse("billing:credit_note_pdf", args=[note.pk]))

    for response in (pdf, statement, note_pdf):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_another_family_gets_404_for_the_invoice_and_its_pdf(client, invoiced):
    stranger = UserFactory()
    GuardianFactory(family=FamilyFactory(), user=stranger)
    client.force_login(stranger)

    for name in ("billing:invoice", "billing:invoice_pdf"):
        assert client.get(reverse(name, args=[invoiced["invoice"].pk])).status_code == 404
    note_url = reverse("billing:credit_note_pdf", args=[999])
    assert client.get(note_url).status_code == 404


def test_parent_opts_in_to_paperless_invoices(client, invoiced):
    client.force_login(invoiced["user"])

    response = client.post(reverse("billing:paperless"), {"paperless": "1"})

    assert response.status_code == 302
    invoiced["family"].refresh_from_db()
    assert invoiced["family"].paperless_invoices is True


def test_family_api_lists_issued_invoices_with_lines(client, invoiced):
    client.force_login(invoiced["user"])

    response = client.get("/api/v1/family/invoices/")

    assert response.status_code == 200
    [invoice] = response.json()
    assert {
        k: invoice[k] for k in ("number", "issued_on", "due_on", "total", "paid", "balance", "status")
    } == {
        "number": "2026-000001",
        "issued_on": "2026-12-02",
        "due_on": "2027-01-01",
        "total": "10.05",
        "paid": "0.00",
        "balance": "10.05",
        "status": "due",
    }
    assert invoice["pdf"].endswith(f"/portail/factures/{invoice['id']}/pdf/")
    assert invoice["lines"] == [
        {
            "child": invoiced["invoice"].lines.get().child_name,
            "label": "Repas classique",
            "quantity": "3.00",
            "unit_price": "3.35",
            "amount": "10.05",
            "rule": "Tranche QF 3 (601–900 €)",
        }
    ]


def test_family_api_shows_a_cancelled_invoice(client, invoiced, regisseur):
    invoice_cancel(invoice=invoiced["invoice"], reason="Erreur", by=regisseur, today=TODAY)
    client.force_login(invoiced["user"])

    [invoice] = client.get("/api/v1/family/invoices/").json()

    assert (invoice["status"], invoice["balance"]) == ("cancelled", "0.00")


def test_family_api_hides_other_families_and_anonymous(client, invoiced):
    stranger = UserFactory()
    GuardianFactory(family=FamilyFactory(), user=stranger)
    assert client.get("/api/v1/family/invoices/").status_code == 403
    client.force_login(stranger)
    assert client.get("/api/v1/family/invoices/").json() == []
    assert client.get(f"/api/v1/family/invoices/{invoiced['invoice'].pk}/").status_code == 404
