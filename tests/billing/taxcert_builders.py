"""Builders of the attestation fiscale tests: issued invoices with chosen lines, and payments on them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing.models import Invoice, PaymentMeans
from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_record
from families.models.catalogue import ActivityKind
from tests.factories import ActivityFactory, UnitFactory

D = Decimal


def unit_of(kind: str):
    """The test town's unit of an activity kind (created on first use)."""
    from families.models import Unit

    unit = Unit.objects.filter(code=f"taxcert-{kind}").select_related("activity").first()
    if unit is None:
        activity = ActivityFactory(kind=kind, name=f"{ActivityKind(kind).label} 2026")
        unit = UnitFactory(
            activity=activity, label=ActivityKind(kind).label, code=f"taxcert-{kind}", exclusive_group=""
        )
    return unit


def care_invoice(family, lines, *, issued_on: date, payer=None) -> Invoice:
    """An issued invoice; `lines` are (child, activity kind, amount[, meal amount])."""
    invoice = Invoice.objects.create(
        family=family,
        payer=payer,
        payer_name=payer.full_name if payer else family.name,
        period=issued_on.replace(day=1),
    )
    for position, row in enumerate(lines):
        child, kind, amount = row[:3]
        meal = row[3] if len(row) > 3 else "0"
        unit = unit_of(kind)
        invoice.lines.create(
            child=child,
            child_name=child.full_name,
            unit=unit,
            activity_name=unit.activity.name,
            label=unit.label,
            quantity=1,
            unit_price=D(amount),
            amount=D(amount),
            meal_amount=D(meal),
            position=position,
        )
    return invoice_issue(invoice=invoice, today=issued_on)


def pay(family, amount, *, on: date, invoice=None, payer=None, means=PaymentMeans.CHEQUE):
    allocations = [(invoice, amount)] if invoice is not None else None
    return payment_record(
        family=family, means=means, amount=amount, received_on=on, payer=payer, allocations=allocations
    )


def pdf_text(content: bytes) -> str:
    """The text of a PDF through poppler's pdftotext (installed with pdftoppm), spaces normalised."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().replace("\u202f", " ").replace("\xa0", " ").split())
