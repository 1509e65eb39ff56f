"""Builders of the online payment tests: an issued invoice, and the local simulator playing the bank in-process."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import BilledBooking, Invoice, PaymentTransaction, SimulatorOperation
from billing.services import online_simulator
from billing.services.invoicing import invoice_issue
from families.models.catalogue import ActivityKind
from tests.factories import ActivityFactory, BookingFactory, UnitFactory

D = Decimal


def online_issued(family, child, *, month: int, amounts, kind=ActivityKind.RESTAURATION) -> Invoice:
    """An issued invoice of `amounts` (one canteen day each) for `month` of 2026."""
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
    return invoice_issue(invoice=invoice, today=date(2026, month + 1, 3))


class Bank:
    """The simulator's server-to-server notifications, delivered in-process to our notification view."""

    def __init__(self):
        self.deliver = True
        self.sent: list[tuple[str, str, int]] = []

    def send(self, url: str, body: str) -> int:
        if not self.deliver:  # a notification lost on the way
            self.sent.append((url, body, 0))
            return 0
        return self._post(url, body)

    def _post(self, url: str, body: str) -> int:
        response = Client().generic(
            "POST", urlsplit(url).path, body, content_type="application/x-www-form-urlencoded"
        )
        self.sent.append((url, body, response.status_code))
        return response.status_code

    def notify(self, body: str) -> int:
        """The bank (or someone pretending to be it) calls our notification URL now."""
        return self._post(reverse("billing:payment_notify"), body)


@pytest.fixture
def bank(monkeypatch):
    bank = Bank()
    monkeypatch.setattr(online_simulator, "notification_send", bank.send)
    return bank


def simulator_path(response) -> str:
    assert response.status_code == 302
    return urlsplit(response["Location"]).path


def transaction_of(invoice) -> PaymentTransaction:
    return PaymentTransaction.objects.filter(invoice=invoice).latest("pk")


def operation_of(tx) -> SimulatorOperation:
    return SimulatorOperation.objects.get(idop=tx.provider_reference)
