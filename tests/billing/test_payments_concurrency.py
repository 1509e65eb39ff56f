"""Two counters recording a payment for the same family at the same moment never settle the same euro twice."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from billing.models import Invoice, PaymentAllocation, PaymentMeans
from billing.services.invoicing import invoice_balance, invoice_totals
from billing.services.payments import family_credit, payment_record
from tests.billing.test_payments import issued
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_for_one_family_never_overpay_an_invoice():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; run with DATABASE_URL=postgres://… for real row locks")
    family = FamilyFactory()
    GuardianFactory(family=family)
    child = ChildFactory(family=family)
    september = issued(family, child, month=9, amounts=["10.00", "10.00"])
    october = issued(family, child, month=10, amounts=["10.00"])
    errors, barrier = [], threading.Barrier(6)

    def counter():
        try:
            barrier.wait()
            payment_record(
                family=family, means=PaymentMeans.CASH, amount="20.00", received_on=date(2026, 11, 5)
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=counter) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for invoice in invoice_totals(Invoice.objects.filter(pk__in=[september.pk, october.pk])):
        assert invoice_balance(invoice) == Decimal("0.00")
        assert invoice.paid == invoice.total
    spread = PaymentAllocation.objects.aggregate(s=Sum("amount"))["s"]
    assert spread == Decimal("30.00")
    assert family_credit(family=family) == Decimal("90.00")
