"""Exports comptables: the invoices (lines grouped by activity), credit notes, payments and balances of a period as
CSV and XLSX for the Trésor public, French headers, two decimals, ISO dates, formula-safe cells."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from billing.models import PaymentMeans
from billing.services.credit_notes import credit_note_create
from billing.services.exports import export_file
from billing.services.payments import payment_record
from families.models.catalogue import ActivityKind
from tests.billing.counter_builders import issued_invoice
from tests.factories import ActivityFactory, ChildFactory, FamilyFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = Decimal
NOVEMBER = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}


@pytest.fixture
def month(regisseur):
    canteen = ActivityFactory(name="Restauration scolaire", kind=ActivityKind.RESTAURATION)
    wednesday = ActivityFactory(name="Mercredis", kind=ActivityKind.MERCREDI)
    family = FamilyFactory(name='=HYPERLINK("http://evil")', code="F-000007")
    child = ChildFactory(family=family)
    invoice = issued_invoice(family, child, month=10, amounts=["3.35", "3.35"], activity=canteen)  # 3 Nov
    extra = UnitFactory(activity=wednesday, label="Journée", code="journee-x")
    invoice.lines.create(
        child=child,
        child_name=child.full_name,
        unit=extra,
        activity_name="Mercredis",
        label="Journée",
        quantity=1,
        unit_price=D("12"),
        amount=D("12.00"),
    )
    credit_note_create(
        invoice=invoice, amount=D("1.00"), reason="Repas non servi", by=regisseur, today=date(2026, 11, 10)
    )
    payment_record(
        family=family,
        means=PaymentMeans.CHEQUE,
        amount="10.00",
        received_on=date(2026, 11, 12),
        reference="+123",
    )
    issued_invoice(FamilyFactory(), ChildFactory(), month=8, amounts=["9.00"])  # issued in September: outside
    return {"canteen": canteen, "wednesday": wednesday, "invoice": invoice}


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_invoices_export_has_one_row_per_invoice_and_activity(month):
    content, content_type, name = export_file(kind="invoices", fmt="csv", **NOVEMBER)

    rows = read_csv(content)
    assert content_type == "text/csv; charset=utf-8"
    assert name == "factures_2026-11-01_2026-11-30.csv"
    assert rows[0] == [
        "Numéro de facture",
        "Émise le",
        "À payer avant le",
        "Mois facturé",
        "Code famille",
        "Famille",
        "Payeur",
        "Activité",
        "Montant",
        "État",
    ]
    assert [(r[0], r[1], r[3], r[7], r[8]) for r in rows[1:]] == [
        ("2026-000001", "2026-11-03", "2026-10", "Mercredis", "12.00"),
        ("2026-000001", "2026-11-03", "2026-10", "Restauration scolaire", "6.70"),
    ]
    assert rows[1][5] == '\'=HYPERLINK("http://evil")'


def test_invoices_export_filtered_by_activity(month):
    content, _type, _name = export_file(kind="invoices", fmt="csv", activity=month["canteen"], **NOVEMBER)

    rows = read_csv(content)
    assert [(r[7], r[8]) for r in rows[1:]] == [("Restauration scolaire", "6.70")]


def test_credit_notes_payments_and_balances(month):
    notes = read_csv(export_file(kind="credit_notes", fmt="csv", **NOVEMBER)[0])
    payments = read_csv(export_file(kind="payments", fmt="csv", **NOVEMBER)[0])
    balances = read_csv(export_file(kind="balances", fmt="csv", **NOVEMBER)[0])

    assert notes[1][1:3] == ["2026-11-10", "2026-000001"] and notes[1][-1] == "1.00"
    assert payments[0][:2] == ["Numéro de reçu", "Reçu le"]
    assert payments[1][:2] == ["RC-2026-000001", "2026-11-12"]
    assert payments[1][5:12] == ["Chèque", "+123", "", "10.00", "10.00", "0.00", "2026-000001"]
    assert balances[0] == ["Code famille", "Famille", "Factures", "Facturé", "Avoirs", "Réglé", "Reste dû"]
    assert balances[1][0] == "F-000007" and balances[1][2:] == ["1", "18.70", "1.00", "10.00", "7.70"]
    assert len(balances) == 2


def test_xlsx_has_numbers_dates_and_safe_text(month):
    content, content_type, name = export_file(kind="invoices", fmt="xlsx", **NOVEMBER)

    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert name.endswith(".xlsx")
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert rows[0][0] == "Numéro de facture"
    assert rows[1][1].date() == date(2026, 11, 3)
    assert rows[1][8] == 12
    assert sheet.cell(row=2, column=9).number_format == "0.00"
    assert rows[1][5].startswith("'=")


def test_regisseur_downloads_the_months_csv_from_the_page(client, regisseur, month):
    client.force_login(regisseur)

    assert client.get(reverse("billing_staff:exports")).status_code == 200
    response = client.get(
        reverse("billing_staff:exports"),
        {"kind": "payments", "start": "2026-11-01", "end": "2026-11-30", "activity": "", "format": "csv"},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="reglements_2026-11-01_2026-11-30.csv"'
    assert "RC-2026-000001" in response.content.decode("utf-8")


def test_a_reversed_period_gets_a_french_message(client, regisseur):
    client.force_login(regisseur)

    response = client.get(
        reverse("billing_staff:exports"),
        {"kind": "invoices", "start": "2026-11-30", "end": "2026-11-01", "format": "csv"},
    )

    assert response.status_code == 200
    assert "La fin de la période est avant son début." in response.content.decode()


@pytest.mark.parametrize("kind", ["invoices", "credit_notes", "payments", "balances"])
def test_export_queries_do_not_grow_with_the_rows(
    client, regisseur, month, kind, django_assert_max_num_queries
):
    for day in range(1, 21):
        family = FamilyFactory()
        issued_invoice(
            family, ChildFactory(family=family), month=10, amounts=["2.00"], activity=month["canteen"]
        )
        payment_record(family=family, means=PaymentMeans.CASH, amount="2.00", received_on=date(2026, 11, day))
    client.force_login(regisseur)

    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("billing_staff:exports"),
            {"kind": kind, "start": "2026-11-01", "end": "2026-11-30", "format": "xlsx"},
        )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
