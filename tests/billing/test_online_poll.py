"""Online payments without a word from the bank are settled by `manage.py poll_payments`; two notifications racing
on PostgreSQL record one payment."""

import os
import threading
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from billing.models import Payment, PaymentTransaction, SimulatorOperation
from billing.services.online import Received, online_payment_process, online_payment_start
from billing.services.online_simulator import SimulatedPayment
from tests.billing.online_builders import online_issued
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db
D = Decimal
State = PaymentTransaction.State
URLS = {
    "return_url": "http://testserver/portail/paiement/retour/",
    "notify_url": "http://testserver/portail/paiement/notification/",
    "simulator_url": "http://testserver/portail/paiement/simulateur/",
}


def started(amounts=("3.35", "3.35", "3.35")) -> PaymentTransaction:
    family = FamilyFactory()
    GuardianFactory(family=family, email="claire@exemple.fr")
    invoice = online_issued(family, ChildFactory(family=family), month=11, amounts=list(amounts))
    tx, _url = online_payment_start(invoice=invoice, by=None, **URLS)
    return tx


def bank_decides(tx, result: str) -> str:
    """The parent clicked on the bank's page; returns the bank's signed answer (the notification's body)."""
    operation = SimulatorOperation.objects.get(idop=tx.provider_reference)
    return SimulatedPayment({"service_url": "-"}).backend.decide(operation, result)


def age(tx, minutes: int) -> None:
    when = timezone.now() - timedelta(minutes=minutes)
    PaymentTransaction.objects.filter(pk=tx.pk).update(created_at=when)
    SimulatorOperation.objects.filter(idop=tx.provider_reference).update(created_at=when)


def poll(*args) -> str:
    out = StringIO()
    call_command("poll_payments", *args, stdout=out)
    return out.getvalue()


def test_a_payment_whose_notification_was_lost_is_settled_by_polling(db):
    tx = started()
    bank_decides(tx, "P")  # the notification never arrived and the parent closed the tab
    age(tx, 30)

    output = poll()
    poll()  # a second run changes nothing

    tx.refresh_from_db()
    assert tx.state == State.PAID
    assert Payment.objects.filter(family=tx.family).count() == 1
    assert tx.payment.allocations.get().amount == D("10.05")
    assert f"{tx.order_id} ({tx.invoice.number}) : Payée" in output
    assert [n["source"] for n in tx.notifications] == ["poll"]


def test_an_attempt_nobody_finished_is_abandoned_after_polling(db):
    tx = started()
    age(tx, 30)

    poll()

    tx.refresh_from_db()
    assert tx.state == State.ABANDONED
    assert not Payment.objects.exists()


def test_a_recent_attempt_is_left_alone(db):
    tx = started()
    bank_decides(tx, "P")
    age(tx, 5)

    poll("--minutes", "20")

    tx.refresh_from_db()
    assert tx.state == State.PENDING
    assert not Payment.objects.exists()


def test_a_refusal_found_by_polling_credits_nothing(db):
    tx = started()
    bank_decides(tx, "R")
    age(tx, 30)

    poll()

    tx.refresh_from_db()
    assert tx.state == State.REFUSED
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_notifications_at_the_same_time_record_one_payment():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; run with DATABASE_URL=postgres://… for real row locks")
    tx = started()
    body = bank_decides(tx, "P")
    barrier = threading.Barrier(int(os.environ.get("PORTAIL_THREADS", "6")))
    errors = []

    def notify():
        try:
            barrier.wait()
            online_payment_process(received=Received(source="notification", method="POST", query=body))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=notify) for _ in range(barrier.parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    tx.refresh_from_db()
    assert tx.state == State.PAID
    assert Payment.objects.count() == 1
    assert len(tx.notifications) == barrier.parties
