"""Historique de mon compte: the parent sees invoices, credit notes, payments (with their receipts) and rejects in
date order with the running balance and the family credit; the statement PDF tells the same story."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import PaymentMeans
from billing.services.counter import EntryKind, family_account_history
from billing.services.credit_notes import credit_note_create
from billing.services.payments import payment_record, payment_reject
from tests.billing.counter_builders import issued_invoice, pdf_text
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def account(regisseur):
    family = FamilyFactory(name="DUPONT Claire")
    parent = GuardianFactory(family=family, user=UserFactory())
    child = ChildFactory(family=family)
    september = issued_invoice(family, child, month=9, amounts=["20.00"])  # 3 October
    issued_invoice(family, child, month=10, amounts=["10.00"])  # 3 November
    credit_note_create(
        invoice=september, amount=D("2.00"), reason="Sortie annulée", by=regisseur, today=date(2026, 10, 10)
    )
    cheque = payment_record(
        family=family, means=PaymentMeans.CHEQUE, amount="18.00", received_on=date(2026, 10, 15)
    )
    payment_record(family=family, means=PaymentMeans.TRANSFER, amount="15.00", received_on=date(2026, 11, 20))
    payment_reject(payment=cheque, on=date(2026, 10, 25), reason="Chèque sans provision")
    return {"family": family, "parent": parent, "cheque": cheque}


def test_history_in_date_order_with_running_balance(account):
    history = family_account_history(family=account["family"])

    assert [(e.day, e.kind, e.debit, e.credit, e.balance) for e in history.entries] == [
        (date(2026, 10, 3), EntryKind.INVOICE, D("20.00"), D("0.00"), D("20.00")),
        (date(2026, 10, 10), EntryKind.CREDIT_NOTE, D("0.00"), D("2.00"), D("18.00")),
        (date(2026, 10, 15), EntryKind.PAYMENT, D("0.00"), D("18.00"), D("0.00")),
        (date(2026, 10, 25), EntryKind.REJECT, D("18.00"), D("0.00"), D("18.00")),
        (date(2026, 11, 3), EntryKind.INVOICE, D("10.00"), D("0.00"), D("28.00")),
        (date(2026, 11, 20), EntryKind.PAYMENT, D("0.00"), D("15.00"), D("13.00")),
    ]
    assert history.balance == D("13.00")
    assert history.paid == D("15.00")
    # The transfer went to October while the cheque still counted: 5 € left over, the September invoice due again.
    assert history.credit == D("5.00")


def test_parent_reads_the_history_with_receipts(client, account):
    client.force_login(account["parent"].user)

    response = client.get(reverse("billing:account_history"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Historique de mon compte" in page
    assert '<strong id="history-balance">13,00 €</strong>' in page
    assert "Rejet du règlement RC-2026-000001 : Chèque sans provision" in page
    assert reverse("billing:payment_receipt", kwargs={"pk": account["cheque"].pk}) in page
    assert page.index("RC-2026-000002") < page.index("Facture 2026-000001")  # newest first on screen


def test_a_credit_shows_in_the_parents_favour(client):
    family = FamilyFactory()
    parent = GuardianFactory(family=family, user=UserFactory())
    payment_record(family=family, means=PaymentMeans.CHEQUE, amount="30.00", received_on=date(2026, 11, 5))
    client.force_login(parent.user)

    page = client.get(reverse("billing:account_history")).content.decode()

    assert "Solde en votre faveur" in page
    assert '<strong id="history-balance">30,00 €</strong>' in page
    assert '<dd id="history-credit">30,00 €</dd>' in page


def test_statement_pdf_lists_payments_and_rejects(client, account, tmp_path):
    client.force_login(account["parent"].user)

    response = client.get(reverse("billing:statement"))

    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Règlement RC-2026-000002 — Virement" in text
    assert "Rejet du règlement RC-2026-000001" in text
    assert "Règlements 15,00 €" in text
    assert "Solde restant dû 13,00 €" in text


def test_history_query_count_does_not_grow(client, account, django_assert_max_num_queries):
    for day in range(1, 20):
        payment_record(
            family=account["family"], means=PaymentMeans.CASH, amount="1.00", received_on=date(2026, 12, day)
        )
    client.force_login(account["parent"].user)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("billing:account_history"))

    assert response.status_code == 200
