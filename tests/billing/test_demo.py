"""The demo billing data: every demo unit gets a tariff, the simulators work on it, and the past months are invoiced
and partly paid (the demo parent has a paid and a due invoice)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from billing.demo import seed_billing_demo, seed_billing_history
from billing.models import (
    FamilyQuotient,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    Payment,
    PaymentMeans,
    SchoolSector,
    Tariff,
)
from billing.services.invoicing import FamilyInvoiceStatus, family_invoices, invoice_status_label
from billing.services.payments import family_credit
from billing.services.sectors import SectorStatus, school_sector_find
from families.models import Booking, Unit
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_demo_gives_every_unit_a_tariff_and_is_idempotent(small_town):
    SchoolFactory(name="École primaire Louise Michel")
    seed_billing_demo(today=date(2026, 9, 1))
    seed_billing_demo(today=date(2026, 9, 1))
    assert Tariff.objects.count() == Unit.objects.count()
    assert SchoolSector.objects.filter(street_name="Rue de Pontoise").count() == 3
    for tariff in Tariff.objects.all():
        tariff.full_clean()
    assert school_sector_find(address="Rue de Pontoise").status == SectorStatus.NEED_NUMBER


def test_portal_simulation_renders_with_the_demo_data(client, small_town):
    seed_billing_demo(today=date(2026, 9, 1))
    response = client.get(
        "/portail/simulation/",
        {"simulateur": "tarifs", "tarifs-quotient": "450", "tarifs-resident": "1", "tarifs-children": "2"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tranche QF 2 (301–600 €)" in html
    assert "2,43 €" in html  # repas: 4,85 × 50 % = 2,425 → 2,43 (bracket prices are stored rounded)


def _school_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() in (0, 1, 3, 4):
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture
def demo_autumn(small_town):
    """The small town as the demo leaves it on 2 December: Léa and Hugo (the demo parent's children) and Chloé ate
    at the canteen from September to December, past days called present."""
    from backoffice import roles
    from tests.factories import StaffUserFactory

    regisseur = StaffUserFactory(email="regie@exemple.fr")
    regisseur.groups.add(Group.objects.get(name=roles.REGISSEURS))
    small_town["martin"].code = "F-000001"  # the demo parent's family
    small_town["martin"].save()
    seed_billing_demo(today=date(2026, 9, 1))
    meal = small_town["canteen"].units.get(code="repas-classique")
    Booking.objects.bulk_create(
        Booking(
            child=child,
            unit=meal,
            date=day,
            attendance=Booking.Attendance.PRESENT if day < TODAY else Booking.Attendance.UNKNOWN,
        )
        for child in (small_town["lea"], small_town["hugo"], small_town["chloe"])
        for day in _school_days(date(2026, 9, 1), date(2026, 12, 18))
    )
    return small_town


TODAY = date(2026, 12, 2)


def test_demo_history_issues_the_past_months_and_leaves_the_current_one_to_the_regisseur(
    demo_autumn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        counts = seed_billing_history(today=TODAY)

    runs = InvoiceRun.objects.order_by("period")
    assert [run.period for run in runs] == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert {run.status for run in runs} == {InvoiceRun.Status.ISSUED}
    invoices = Invoice.objects.filter(status=Invoice.Status.ISSUED)
    assert counts["invoices"] == invoices.count() == 6  # two families × three months, December untouched
    assert not Invoice.objects.filter(period=date(2026, 12, 1)).exists()
    assert all(invoice.pdf.name for invoice in invoices)
    # The November run went out "today", the earlier ones on the 3rd of the next month.
    assert sorted({i.issued_on for i in invoices}) == [date(2026, 10, 3), date(2026, 11, 3), TODAY]
    assert len(mail.outbox) == 0  # the past months' emails went out back then
    assert InvoiceLine.objects.filter(rule__startswith="Tranche QF 3 (601–900 €)").exists()


def test_demo_parent_has_a_paid_and_a_due_invoice(demo_autumn):
    seed_billing_history(today=TODAY)

    dubois = demo_autumn["martin"]
    statuses = {invoice.period: invoice_status_label(invoice) for invoice in family_invoices(family=dubois)}
    assert statuses == {
        date(2026, 9, 1): FamilyInvoiceStatus.PAID,
        date(2026, 10, 1): FamilyInvoiceStatus.PAID,
        date(2026, 11, 1): FamilyInvoiceStatus.DUE,
    }
    means = set(Payment.objects.filter(family=dubois).values_list("means", flat=True))
    assert means == {PaymentMeans.CHEQUE, PaymentMeans.ONLINE}
    assert FamilyQuotient.objects.get(family=dubois).value == Decimal("742.00")


def test_demo_history_leaves_one_family_with_a_credit_and_is_idempotent(demo_autumn):
    seed_billing_history(today=TODAY)
    payments = Payment.objects.count()

    assert seed_billing_history(today=TODAY) == {}
    assert Payment.objects.count() == payments
    assert Invoice.objects.count() == 6
    credit = family_credit(family=demo_autumn["bernard"])
    assert Decimal("10.00") <= credit <= Decimal("20.00")
    assert family_credit(family=demo_autumn["martin"]) == Decimal("0.00")


def test_demo_parent_statement_counts_the_payments_in_the_balance(demo_autumn, tmp_path):
    import subprocess

    from billing.money import euros
    from billing.pdf import statement_pdf

    seed_billing_history(today=TODAY)
    dubois = demo_autumn["martin"]
    invoices = list(family_invoices(family=dubois))
    paid = sum(i.paid for i in invoices)
    due = sum(i.total for i in invoices) - paid
    assert paid > 0 and due > 0

    path = tmp_path / "releve.pdf"
    path.write_bytes(statement_pdf(family=dubois, invoices=invoices, today=TODAY))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert euros(paid) in text
    assert euros(due) in text
