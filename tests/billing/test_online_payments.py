"""Payer en ligne: a parent pays an invoice through PayFiP (the local simulator here), once, for what the server
says is owed; replayed, early, tampered or unknown notifications never credit twice nor take the browser's word."""

from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice.templatetags.french import date_fr
from billing.models import Invoice, Payment, PaymentAllocation, PaymentMeans, PaymentTransaction
from billing.services.credit_notes import credit_note_create
from billing.services.invoicing import FamilyInvoiceStatus, invoice_status_label, invoice_totals
from billing.services.online_simulator import simulator_signature
from billing.services.payments import family_credit, payment_record
from tests.billing.online_builders import bank, online_issued, operation_of, simulator_path, transaction_of
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

__all__ = ["bank"]  # the fixture, imported for pytest

pytestmark = pytest.mark.django_db
D = Decimal
State = PaymentTransaction.State


@pytest.fixture
def dupont(db):
    family = FamilyFactory(name="DUPONT")
    user = UserFactory(email="claire@exemple.fr")
    GuardianFactory(family=family, user=user, first_name="Claire", email="claire@exemple.fr")
    child = ChildFactory(family=family, first_name="Léa")
    invoice = online_issued(family, child, month=11, amounts=["3.35", "3.35", "3.35"])
    return {"family": family, "user": user, "child": child, "invoice": invoice}


@pytest.fixture
def parent(client, dupont):
    client.force_login(dupont["user"])
    return client


def start(parent, invoice, **data) -> str:
    """The parent confirms « Payer en ligne »: the browser goes to the simulator's page."""
    return simulator_path(parent.post(reverse("billing:invoice_pay", args=[invoice.pk]), data))


def decide(parent, path, decision="pay"):
    """The parent clicks on the bank's page; the response is the redirect back to our return URL."""
    response = parent.post(path, {"decision": decision})
    assert response.status_code == 302
    return response["Location"]


def status_of(invoice):
    return invoice_status_label(invoice_totals(Invoice.objects.filter(pk=invoice.pk)).get())


def paid_today() -> str:
    return date_fr(timezone.localdate(), "l j F Y")


def test_parent_pays_through_the_simulator_and_sees_the_invoice_paid(parent, dupont, bank):
    invoice = dupont["invoice"]
    page = parent.get(reverse("billing:invoice_pay", args=[invoice.pk])).content.decode()
    assert "Vous allez être redirigé vers PayFiP, le service de paiement de la DGFiP" in page
    assert "10,05 €" in page

    path = start(parent, invoice)
    bank_page = parent.get(path).content.decode()
    assert "10,05 €" in bank_page and invoice.number in bank_page
    back = decide(parent, path, "pay")
    response = parent.get(back)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Paiement accepté" in page
    assert f"Payée le {paid_today()}" in page
    payment = Payment.objects.get(family=dupont["family"])
    assert (payment.means, payment.amount, payment.status) == (
        PaymentMeans.ONLINE,
        D("10.05"),
        Payment.Status.VALID,
    )
    assert list(payment.allocations.values_list("invoice_id", "amount")) == [(invoice.pk, D("10.05"))]
    tx = transaction_of(invoice)
    assert (tx.state, tx.payment, tx.amount) == (State.PAID, payment, D("10.05"))
    assert [n["source"] for n in tx.notifications] == ["notification", "return"]
    assert status_of(invoice) == FamilyInvoiceStatus.PAID


def test_the_invoice_pages_offer_payer_en_ligne_then_show_payee_le(parent, dupont, bank):
    invoice = dupont["invoice"]
    pay_url = reverse("billing:invoice_pay", args=[invoice.pk])
    assert pay_url in parent.get(reverse("billing:invoices")).content.decode()
    assert pay_url in parent.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()

    parent.get(decide(parent, start(parent, invoice)))

    listing = parent.get(reverse("billing:invoices")).content.decode()
    detail = parent.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    for page in (listing, detail):
        assert f"Payée le {paid_today()}" in page
        assert pay_url not in page
    receipt = Payment.objects.get(family=dupont["family"]).number
    assert f"Reçu {receipt} du" in listing
    assert "10,05 € (Paiement en ligne (PayFiP))" in listing


def test_a_notification_replayed_ten_times_credits_once(parent, dupont, bank):
    invoice = dupont["invoice"]
    decide(parent, start(parent, invoice))
    _url, body, first_status = bank.sent[0]
    assert first_status == 200

    statuses = [bank.notify(body) for _ in range(10)]

    assert statuses == [200] * 10
    assert Payment.objects.filter(family=dupont["family"]).count() == 1
    assert PaymentAllocation.objects.filter(invoice=invoice).count() == 1
    assert len(transaction_of(invoice).notifications) == 11
    assert family_credit(family=dupont["family"]) == D("0.00")


def test_the_return_arriving_before_the_notification_settles_it_once(parent, dupont, bank):
    invoice = dupont["invoice"]
    bank.deliver = False  # the bank's call is late
    back = decide(parent, start(parent, invoice))

    page = parent.get(back).content.decode()

    assert "Paiement accepté" in page and f"Payée le {paid_today()}" in page
    assert Payment.objects.filter(family=dupont["family"]).count() == 1
    _url, body, _status = bank.sent[0]
    assert bank.notify(body) == 200  # the late notification finds the transaction already paid
    assert Payment.objects.filter(family=dupont["family"]).count() == 1
    assert [n["source"] for n in transaction_of(invoice).notifications] == ["return", "notification"]


@pytest.mark.parametrize(
    ("decision", "state", "title"),
    [("refuse", State.REFUSED, "Paiement refusé"), ("abandon", State.ABANDONED, "Paiement abandonné")],
)
def test_a_refused_or_abandoned_payment_credits_nothing_and_says_what_to_do(
    parent, dupont, bank, decision, state, title
):
    invoice = dupont["invoice"]
    page = parent.get(decide(parent, start(parent, invoice), decision)).content.decode()

    assert title in page
    assert "rien n'a été débité" in page
    assert reverse("billing:invoice_pay", args=[invoice.pk]) in page
    assert transaction_of(invoice).state == state
    assert not Payment.objects.filter(family=dupont["family"]).exists()
    assert status_of(invoice) == FamilyInvoiceStatus.DUE


def test_the_amount_comes_from_the_invoice_never_from_the_browser(parent, dupont, bank):
    invoice = dupont["invoice"]
    path = start(parent, invoice, amount="1.00", montant="100")

    assert transaction_of(invoice).amount == D("10.05")
    assert operation_of(transaction_of(invoice)).amount_cents == 1005
    assert "10,05 €" in parent.get(path).content.decode()


def _signed(fields: dict) -> str:
    fields = {k: v for k, v in fields.items() if k != "signature"}
    return urlencode({**fields, "signature": simulator_signature(fields)})


def _paid_fields(parent, invoice, bank) -> dict:
    bank.deliver = False
    back = decide(parent, start(parent, invoice))
    return {k: v[0] for k, v in parse_qs(urlsplit(back).query).items() if k != "ref"}


def test_a_notification_with_another_amount_is_refused_and_logged(parent, dupont, bank, caplog):
    invoice = dupont["invoice"]
    fields = _paid_fields(parent, invoice, bank)

    status = bank.notify(_signed({**fields, "montant": "100"}))

    assert status == 400
    assert not Payment.objects.exists()
    assert "amount mismatch" in caplog.text
    assert transaction_of(invoice).notifications[-1]["refused"] == "amount mismatch"


def test_a_notification_with_an_unknown_reference_is_refused(parent, dupont, bank, caplog):
    fields = _paid_fields(parent, dupont["invoice"], bank)

    status = bank.notify(_signed({**fields, "idop": "0" * 32}))

    assert status == 404
    assert not Payment.objects.exists()
    assert "unknown reference" in caplog.text


def test_a_tampered_notification_is_refused_and_logged(parent, dupont, bank, caplog):
    invoice = dupont["invoice"]
    bank.deliver = False
    decide(parent, start(parent, invoice), "refuse")
    _url, body, _status = bank.sent[0]
    fields = {k: v[0] for k, v in parse_qs(body).items()}

    status = bank.notify(
        urlencode({**fields, "resultrans": "P"})
    )  # "refused" turned into "paid", same signature

    assert status == 400
    assert not Payment.objects.exists()
    assert "bad signature" in caplog.text
    assert bank.notify(urlencode({k: v for k, v in fields.items() if k != "signature"})) == 400
    assert bank.notify("hello=world") == 400
    assert transaction_of(invoice).state == State.PENDING


def test_a_tampered_return_does_not_mark_the_invoice_paid(parent, dupont, bank):
    invoice = dupont["invoice"]
    bank.deliver = False
    back = decide(parent, start(parent, invoice), "abandon")
    forged = back.replace("resultrans=A", "resultrans=P")

    page = parent.get(forged).content.decode()

    assert "Payée le" not in page
    assert not Payment.objects.exists()


def test_an_invoice_paid_meanwhile_at_the_counter_turns_the_online_money_into_credit(
    parent, dupont, bank, regisseur
):
    invoice = dupont["invoice"]
    path = start(parent, invoice)
    payment_record(
        family=dupont["family"],
        means=PaymentMeans.CHEQUE,
        amount="10.05",
        received_on=timezone.localdate(),
        by=regisseur,
        allocations=[(invoice, "10.05")],
    )

    parent.get(decide(parent, path))

    online = Payment.objects.get(means=PaymentMeans.ONLINE)
    assert online.amount == D("10.05")
    assert not online.allocations.exists()
    assert family_credit(family=dupont["family"]) == D("10.05")


def test_a_partly_paid_invoice_is_paid_online_for_its_balance(parent, dupont, bank, regisseur):
    invoice = dupont["invoice"]
    credit_note_create(invoice=invoice, amount="3.35", reason="Grève", by=regisseur)

    parent.get(decide(parent, start(parent, invoice)))

    assert Payment.objects.get(means=PaymentMeans.ONLINE).amount == D("6.70")
    assert status_of(invoice) == FamilyInvoiceStatus.PAID


def test_a_paid_invoice_offers_no_payment(parent, dupont, bank):
    invoice = dupont["invoice"]
    parent.get(decide(parent, start(parent, invoice)))

    response = parent.post(reverse("billing:invoice_pay", args=[invoice.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("billing:invoice", args=[invoice.pk])
    assert PaymentTransaction.objects.count() == 1


def test_another_familys_invoice_cannot_be_paid(parent, db):
    other = FamilyFactory()
    invoice = online_issued(other, ChildFactory(family=other), month=10, amounts=["5.00"])

    assert parent.get(reverse("billing:invoice_pay", args=[invoice.pk])).status_code == 404
    assert parent.post(reverse("billing:invoice_pay", args=[invoice.pk])).status_code == 404
    assert not PaymentTransaction.objects.exists()


def test_the_return_page_of_another_familys_transaction_is_not_found(parent, dupont, bank, client, db):
    decide(parent, start(parent, dupont["invoice"]))
    tx = transaction_of(dupont["invoice"])
    stranger = UserFactory(email="autre@exemple.fr")
    GuardianFactory(family=FamilyFactory(), user=stranger)
    client.force_login(stranger)

    assert client.get(reverse("billing:payment_return") + f"?ref={tx.order_id}").status_code == 404


def test_a_parent_whose_session_expired_at_the_bank_is_paid_then_asked_to_log_in(
    parent, dupont, bank, client
):
    invoice = dupont["invoice"]
    bank.deliver = False
    back = decide(parent, start(parent, invoice))
    parent.logout()

    response = parent.get(back)

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("portal:login")
    assert transaction_of(invoice).state == State.PAID
    assert Payment.objects.filter(family=dupont["family"]).count() == 1


def test_the_notification_url_refuses_what_is_not_a_bank_response(client, db):
    assert client.get(reverse("billing:payment_notify")).status_code == 400
    assert client.post(reverse("billing:payment_notify"), {"idop": ""}).status_code == 400
