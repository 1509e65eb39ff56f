"""Builders of the SEPA tests: issued invoices and active mandates, on real dates."""

from datetime import date
from decimal import Decimal

from billing.models import BilledBooking, Invoice, SepaMandate
from billing.services.invoicing import invoice_issue
from billing.services.sepa import sepa_mandate_activate, sepa_mandate_request
from families.models import FamilyDocument
from families.models.catalogue import ActivityKind
from families.models.portal import DocumentKind
from tests.factories import ActivityFactory, BookingFactory, UnitFactory

IBAN_OK = "FR76 3000 6000 0112 3456 7890 189"
IBAN_TOWN = "FR7630001007941234567890185"


def sepa_issued(family, child, *, period: date, amounts, issued_on: date, payer=None) -> Invoice:
    """An issued invoice of `period` with one line per amount (each backed by a billed booking)."""
    unit = UnitFactory(activity=ActivityFactory(kind=ActivityKind.RESTAURATION))
    invoice = Invoice.objects.create(
        family=family, period=period, payer=payer, payer_name=payer.full_name if payer else ""
    )
    for day, amount in enumerate(amounts, start=2):
        line = invoice.lines.create(
            child=child,
            child_name=child.full_name,
            unit=unit,
            label=unit.label,
            quantity=1,
            unit_price=Decimal(amount),
            amount=Decimal(amount),
        )
        booking = BookingFactory(child=child, unit=unit, date=period.replace(day=day))
        BilledBooking.objects.create(line=line, booking=booking, amount=Decimal(amount))
    return invoice_issue(invoice=invoice, today=issued_on)


def signed_document(family) -> FamilyDocument:
    from django.core.files.base import ContentFile

    document = FamilyDocument(
        family=family,
        kind=DocumentKind.OTHER,
        title="Mandat SEPA signé",
        original_name="mandat.pdf",
        content_type="application/pdf",
        size=9,
        status=FamilyDocument.Status.ACCEPTED,
    )
    document.file.save("mandat.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return document


def active_mandate(family, payer, *, by=None, signed_on=date(2026, 9, 15), iban=IBAN_OK) -> SepaMandate:
    mandate = sepa_mandate_request(family=family, payer=payer, holder=payer.full_name, iban=iban, by=by)
    return sepa_mandate_activate(
        mandate=mandate, signed_on=signed_on, document=signed_document(family), by=by, today=date(2026, 9, 20)
    )
