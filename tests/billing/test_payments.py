"""Payments (règlements): spread over invoices oldest first or as staff choose, never beyond what is owed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import BilledBooking, Invoice, Payment, PaymentAllocation, PaymentMeans
from billing.services.credit_notes import credit_note_create
from billing.services.invoicing import (
    FamilyInvoiceStatus,
    invoice_balance,
    invoice_issue,
    invoice_status_label,
    invoice_totals,
)
from billing.services.payments import (
    family_credit,
    payment_allocate_credit,
    payment_record,
    payment_reject,
)
from families.models.catalogue import ActivityKind
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    UnitFactory,
)

D = Decimal


def issued(family, child, *, month: int, amounts, kind=ActivityKind.RESTAURATION, today=None) -> Invoice:
    unit = UnitFactory(activity=ActivityFactory(kind=kind))
    invoice = Invoice.objects.create(family=family, period=date(2026, month, 1), payer_name="Claire Dupont")
    for day, amount in enumerate(amounts, start=2):
        line = invoice.lines.create(
            child=child,
            child_name=child.full_name,
            unit=unit,
            label=unit.label,
            quantity=1,
            unit_price=D(amount),
            amount=D(amount),
        )
        booking = BookingFactory(child=child, unit=unit, date=date(2026, month, day))
        BilledBooking.objects.create(line=line, booking=booking, amount=D(amount))
    return invoice_issue(invoice=invoice, today=today or date(2026, month + 1, 3))


@pytest.fixture
def family(db):
    family = FamilyFactory()
    GuardianFactory(family=family)
    return family


@pytest.fixture
def child(family):
    return ChildFactory(family=family)


def balance(invoice) -> Decimal:
    return invoice_balance(invoice_totals(Invoice.objects.filter(pk=invoice.pk)).get())


def test_a_cheque_settles_the_oldest_invoices_first_and_the_rest_is_a_credit(family, child, regisseur):
    september = issued(family, child, month=9, amounts=["3.35", "3.35"])
    october = issued(family, child, month=10, amounts=["3.35", "3.35", "3.35"])

    payment = payment_record(
        family=family,
        means=PaymentMeans.CHEQUE,
        amount="20,00",
        received_on=date(2026, 11, 5),
        reference="1234567",
        bank="Crédit Agricole",
        by=regisseur,
    )

    assert payment.number == "RC-2026-000001"
    assert balance(september) == D("0.00")
    assert balance(october) == D("0.00")
    assert family_credit(family=family) == D("3.25")
    assert (
        invoice_status_label(invoice_totals(Invoice.objects.filter(pk=october.pk)).get())
        == FamilyInvoiceStatus.PAID
    )
    assert invoice_totals(Invoice.objects.filter(pk=october.pk)).get().paid_on == date(2026, 11, 5)


def test_staff_choose_the_spread_and_cannot_exceed_an_invoice_balance(family, child, regisseur):
    september = issued(family, child, month=9, amounts=["10.00"])
    october = issued(family, child, month=10, amounts=["8.00"])

    with pytest.raises(ValidationError) as error:
        payment_record(
            family=family,
            means=PaymentMeans.CHEQUE,
            amount="20.00",
            received_on=date(2026, 11, 5),
            allocations=[(september, "12.00"), (october, "8.00")],
            by=regisseur,
        )
    assert "dépasse le reste à payer de la facture 2026-000001" in str(error.value)
    assert not Payment.objects.exists()

    payment_record(
        family=family,
        means=PaymentMeans.CHEQUE,
        amount="12.00",
        received_on=date(2026, 11, 5),
        allocations=[(october, "8.00"), (september, "4.00")],
        by=regisseur,
    )
    assert balance(october) == D("0.00")
    assert balance(september) == D("6.00")


def test_allocations_beyond_the_payment_are_refused(family, child, regisseur):
    september = issued(family, child, month=9, amounts=["10.00"])
    october = issued(family, child, month=10, amounts=["8.00"])
    with pytest.raises(ValidationError) as error:
        payment_record(
            family=family,
            means=PaymentMeans.CASH,
            amount="10.00",
            received_on=date(2026, 11, 5),
            allocations=[(september, "6.00"), (october, "6.00")],
            by=regisseur,
        )
    assert "dépassent le montant du règlement" in str(error.value)


def test_another_familys_invoice_cannot_be_settled(family, child, regisseur):
    other = FamilyFactory()
    theirs = issued(other, ChildFactory(family=other), month=9, amounts=["10.00"])
    with pytest.raises(ValidationError) as error:
        payment_record(
            family=family,
            means=PaymentMeans.CASH,
            amount="10.00",
            received_on=date(2026, 11, 5),
            allocations=[(theirs.pk, "10.00")],
            by=regisseur,
        )
    assert "n'appartient pas à la famille" in str(error.value)


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.234", "NaN", "Infinity"])
def test_a_bad_amount_gets_a_french_error(family, regisseur, amount):
    with pytest.raises(ValidationError) as error:
        payment_record(
            family=family, means=PaymentMeans.CASH, amount=amount, received_on=date(2026, 11, 5), by=regisseur
        )
    assert "montant" in str(error.value).lower()


def test_cesu_pay_childcare_only_never_meals(family, child, regisseur):
    canteen = issued(family, child, month=9, amounts=["3.35"])
    wednesdays = issued(family, child, month=10, amounts=["12.00"], kind=ActivityKind.MERCREDI)

    with pytest.raises(ValidationError) as error:
        payment_record(
            family=family,
            means=PaymentMeans.CESU,
            amount="3.35",
            received_on=date(2026, 11, 5),
            allocations=[(canteen, "3.35")],
            by=regisseur,
        )
    assert "pas les repas" in str(error.value)

    payment_record(family=family, means=PaymentMeans.CESU, amount="12.00", received_on=date(2026, 11, 5))
    assert balance(wednesdays) == D("0.00")
    assert balance(canteen) == D("3.35")


def test_a_rejected_cheque_reopens_its_invoices(family, child, regisseur):
    september = issued(family, child, month=9, amounts=["10.00"])
    payment = payment_record(
        family=family, means=PaymentMeans.CHEQUE, amount="10.00", received_on=date(2026, 10, 5), by=regisseur
    )
    assert balance(september) == D("0.00")

    payment_reject(payment=payment, on=date(2026, 10, 20), reason="Chèque sans provision", by=regisseur)

    assert balance(september) == D("10.00")
    with pytest.raises(ValidationError):
        payment_reject(payment=payment, on=date(2026, 10, 21), reason="encore", by=regisseur)


def test_a_credit_is_spent_on_the_next_invoice(family, child, regisseur):
    payment_record(
        family=family,
        means=PaymentMeans.TRANSFER,
        amount="15.00",
        received_on=date(2026, 9, 28),
        by=regisseur,
    )
    assert family_credit(family=family) == D("15.00")

    october = issued(family, child, month=10, amounts=["6.70", "3.35"])
    payment_allocate_credit(family=family)

    assert balance(october) == D("0.00")
    assert family_credit(family=family) == D("4.95")


def test_a_credit_note_and_a_payment_together_never_go_below_zero(family, child, regisseur):
    september = issued(family, child, month=9, amounts=["10.00"])
    credit_note_create(
        invoice=september, amount="4.00", reason="Grève", by=regisseur, today=date(2026, 10, 5)
    )
    payment_record(family=family, means=PaymentMeans.CASH, amount="10.00", received_on=date(2026, 10, 6))
    assert balance(september) == D("0.00")
    assert family_credit(family=family) == D("4.00")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    invoices=st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=4),
    payments=st.lists(st.integers(min_value=1, max_value=8000), min_size=1, max_size=4),
)
def test_money_is_never_spread_twice(db, invoices, payments):
    family = FamilyFactory()
    child = ChildFactory(family=family)
    issued_invoices = [
        issued(family, child, month=9 if i % 2 else 10, amounts=[str(D(cents) / 100)])
        for i, cents in enumerate(invoices)
    ]
    for cents in payments:
        payment_record(
            family=family, means=PaymentMeans.CASH, amount=str(D(cents) / 100), received_on=date(2026, 11, 5)
        )
        payment_allocate_credit(family=family)

    received = sum((D(c) / 100 for c in payments), D("0"))
    owed = sum((D(c) / 100 for c in invoices), D("0"))
    spread = sum((a.amount for a in PaymentAllocation.objects.filter(payment__family=family)), D("0"))
    assert spread == min(received, owed)
    for invoice in issued_invoices:
        assert balance(invoice) >= 0
    assert family_credit(family=family) == received - spread
