"""Credit notes (avoirs): they correct issued invoices, with their own numbers, never beyond what remains."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import BilledBooking, CreditNote, Invoice
from billing.services.credit_notes import credit_note_create, invoice_cancel, invoice_creditable
from billing.services.invoicing import invoice_issue
from tests.factories import BookingFactory, ChildFactory, FamilyFactory, GuardianFactory, UnitFactory

D = Decimal
TODAY = date(2026, 12, 2)


def issued_invoice(*amounts: str) -> Invoice:
    """An issued invoice whose lines are the given amounts, each billing one booking."""
    family = FamilyFactory()
    GuardianFactory(family=family)
    child = ChildFactory(family=family)
    unit = UnitFactory()
    invoice = Invoice.objects.create(family=family, period=date(2026, 11, 1), payer_name="Claire Dupont")
    for day, amount in enumerate(amounts, start=2):
        line = invoice.lines.create(
            child=child,
            child_name=child.full_name,
            unit=unit,
            label="Repas",
            quantity=1,
            unit_price=D(amount),
            amount=D(amount),
        )
        booking = BookingFactory(child=child, unit=unit, date=date(2026, 11, day))
        BilledBooking.objects.create(line=line, booking=booking, amount=D(amount))
    return invoice_issue(invoice=invoice, today=TODAY)


def test_a_credit_note_has_its_own_number_and_pdf(regisseur):
    invoice = issued_invoice("3.35", "3.35")

    note = credit_note_create(
        invoice=invoice, amount="3.35", reason="Repas non servi (grève)", by=regisseur, today=TODAY
    )

    assert note.number == "AV-2026-000001"
    assert note.pdf.read(4) == b"%PDF"
    assert invoice_creditable(invoice=invoice) == D("3.35")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED


def test_a_credit_note_beyond_the_invoice_balance_is_refused_in_french(regisseur):
    invoice = issued_invoice("3.35")
    credit_note_create(invoice=invoice, amount="2.00", reason="Geste", by=regisseur, today=TODAY)

    with pytest.raises(ValidationError) as error:
        credit_note_create(invoice=invoice, amount="1.36", reason="Encore", by=regisseur, today=TODAY)

    assert "dépasse le reste de la facture" in error.value.message_dict["amount"][0]
    assert CreditNote.objects.count() == 1


@pytest.mark.parametrize("amount", ["0", "-3", "abc"])
def test_a_credit_note_needs_a_positive_amount(regisseur, amount):
    invoice = issued_invoice("3.35")
    with pytest.raises(ValidationError) as error:
        credit_note_create(invoice=invoice, amount=amount, reason="x", by=regisseur, today=TODAY)
    assert "amount" in error.value.message_dict


def test_cancelling_an_invoice_frees_its_days_for_a_corrected_invoice(regisseur):
    invoice = issued_invoice("3.35", "4.10")

    note = invoice_cancel(invoice=invoice, reason="Erreur de tarif", by=regisseur, today=TODAY)

    invoice.refresh_from_db()
    assert note.amount == D("7.45")
    assert invoice.status == Invoice.Status.CANCELLED
    assert not BilledBooking.objects.filter(active=True).exists()
    with pytest.raises(ValidationError):
        credit_note_create(invoice=invoice, amount="1", reason="x", by=regisseur, today=TODAY)


def test_a_draft_cannot_be_credited(regisseur):
    invoice = Invoice.objects.create(family=FamilyFactory(), period=date(2026, 11, 1))
    with pytest.raises(ValidationError):
        credit_note_create(invoice=invoice, amount="1", reason="x", by=regisseur, today=TODAY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.decimals(min_value=D("0.01"), max_value=D("80"), places=2), min_size=1, max_size=4),
    asks=st.lists(st.decimals(min_value=D("0.01"), max_value=D("200"), places=2), min_size=1, max_size=6),
)
@pytest.mark.django_db
def test_credit_notes_never_exceed_their_invoice(regisseur, lines, asks):
    invoice = issued_invoice(*[str(x) for x in lines])
    total = sum(lines, D("0"))
    for ask in asks:
        try:
            credit_note_create(invoice=invoice, amount=ask, reason="Correction", by=regisseur, today=TODAY)
        except ValidationError:
            pass
    credited = sum(invoice.credit_notes.values_list("amount", flat=True), D("0"))
    assert credited <= total
    assert invoice_creditable(invoice=invoice) == total - credited
