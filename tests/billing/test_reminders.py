"""Balance âgée and relances: unpaid issued invoices by how late they are, per family, in bounded queries; one
reminder email per invoice at due date + 15 days, whatever how often `send_billing_reminders` runs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from billing.models import BillingReminder, PaymentMeans
from billing.services.payments import payment_record
from billing.services.reminders import aged_balance, bucket_of, reminders_send
from tests.billing.counter_builders import issued_invoice
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2026, 12, 15)


@pytest.fixture
def unpaid(db):
    """Due 30 days after issue: July → 10 Oct, Sept → 2 Nov, Oct → 3 Dec, Nov → 2 Jan (3rd of the next month)."""
    dupont = FamilyFactory(name="DUPONT Claire")
    GuardianFactory(family=dupont, email="claire@exemple.fr", is_billing_contact=True)
    child = ChildFactory(family=dupont)
    august = issued_invoice(dupont, child, month=7, amounts=["10.00"], today=date(2026, 9, 10))  # due 10 Oct
    september = issued_invoice(dupont, child, month=9, amounts=["20.00"])  # due 2 Nov
    october = issued_invoice(dupont, child, month=10, amounts=["30.00"])  # due 3 Dec
    november = issued_invoice(dupont, child, month=11, amounts=["40.00"])  # due 2 Jan
    martin = FamilyFactory(name="MARTIN Julien")
    GuardianFactory(family=martin, email="julien@exemple.fr")
    paid = issued_invoice(martin, ChildFactory(family=martin), month=9, amounts=["5.00"])
    payment_record(family=martin, means=PaymentMeans.CASH, amount="5.00", received_on=date(2026, 10, 20))
    return {
        "dupont": dupont,
        "august": august,
        "september": september,
        "october": october,
        "november": november,
        "paid": paid,
    }


@pytest.mark.parametrize(
    "days,bucket",
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "d30"),
        (30, "d30"),
        (31, "d60"),
        (60, "d60"),
        (61, "d90"),
        (90, "d90"),
        (91, "over90"),
    ],
)
def test_buckets(days, bucket):
    assert bucket_of(days) == bucket


def test_aged_balance_per_family_and_bucket(unpaid):
    balance = aged_balance(today=TODAY)

    assert len(balance.families) == 1
    row = balance.families[0]
    assert row.family == unpaid["dupont"]
    assert row.cells == [D("40.00"), D("30.00"), D("20.00"), D("10.00"), D("0.00")]
    assert row.total == D("100.00")
    assert [(b.key, b.amount, b.count, b.percent) for b in balance.buckets] == [
        ("not_due", D("40.00"), 1, 100),
        ("d30", D("30.00"), 1, 75),
        ("d60", D("20.00"), 1, 50),
        ("d90", D("10.00"), 1, 25),
        ("over90", D("0.00"), 0, 0),
    ]


def test_a_reminder_goes_once_at_due_date_plus_15_days(unpaid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(today=TODAY)

    assert sorted(r.invoice.number for r in sent) == [unpaid["august"].number, unpaid["september"].number]
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == ["claire@exemple.fr"]
    assert "Relance" in mail.outbox[0].subject
    assert "10,00 €" in mail.outbox[0].body or "20,00 €" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_send(today=TODAY + timedelta(days=1))
    assert again == []
    assert len(mail.outbox) == 2
    assert BillingReminder.objects.count() == 2


def test_october_is_reminded_once_its_15_days_are_over(unpaid):
    october_due = unpaid["october"].due_on

    assert unpaid["october"].number not in [
        r.invoice.number for r in reminders_send(today=october_due + timedelta(days=14))
    ]
    assert [r.invoice.number for r in reminders_send(today=october_due + timedelta(days=15))] == [
        unpaid["october"].number
    ]


def test_command_is_idempotent(unpaid, capsys):
    call_command("send_billing_reminders", "--date", "2026-12-15")
    call_command("send_billing_reminders", "--date", "2026-12-15")

    assert BillingReminder.objects.count() == 2
    out = capsys.readouterr().out
    assert "2 relance(s) envoyée(s)." in out and "0 relance(s) envoyée(s)." in out


def test_aged_balance_page_lists_buckets_and_reminders(client, regisseur, unpaid):
    reminders_send(today=TODAY)
    client.force_login(regisseur)

    page = client.get(reverse("billing_staff:aged_balance"), {"au": "2026-12-15"}).content.decode()

    assert "Balance âgée au 15 décembre 2026" in page
    assert "61 à 90 jours" in page
    assert 'style="width: 75%"' in page
    assert "relancée le 15/12/2026" in page
    assert "MARTIN" not in page


def test_aged_balance_queries_are_bounded(client, regisseur, unpaid, django_assert_max_num_queries):
    for _ in range(15):
        family = FamilyFactory()
        issued_invoice(family, ChildFactory(family=family), month=9, amounts=["7.00"])
    reminders_send(today=TODAY)
    client.force_login(regisseur)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("billing_staff:aged_balance"), {"au": "2026-12-15"})

    assert response.status_code == 200


def test_agent_reads_the_aged_balance(client, agent, unpaid):
    client.force_login(agent)

    assert client.get(reverse("billing_staff:aged_balance")).status_code == 200
