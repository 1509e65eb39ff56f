"""Builders shared by the counter tests: issued invoices and a PDF's text (pdftotext, poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from billing.models import BilledBooking, Invoice
from billing.services.invoicing import invoice_issue
from families.models.catalogue import ActivityKind
from tests.factories import ActivityFactory, BookingFactory, UnitFactory

D = Decimal


def issued_invoice(
    family, child, *, month: int, amounts, kind=ActivityKind.RESTAURATION, today=None, activity=None
):
    """An issued invoice of `family` for `month` of 2026: one line (and billed booking) per amount."""
    unit = UnitFactory(activity=activity or ActivityFactory(kind=kind))
    invoice = Invoice.objects.create(family=family, period=date(2026, month, 1), payer_name="Claire Dupont")
    for day, amount in enumerate(amounts, start=2):
        line = invoice.lines.create(
            child=child,
            child_name=child.full_name,
            unit=unit,
            activity_name=unit.activity.name,
            label=unit.label,
            quantity=1,
            unit_price=D(amount),
            amount=D(amount),
        )
        booking = BookingFactory(child=child, unit=unit, date=date(2026, month, day))
        BilledBooking.objects.create(line=line, booking=booking, amount=D(amount))
    return invoice_issue(invoice=invoice, today=today or date(2026, month + 1, 3))


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
