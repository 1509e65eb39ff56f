"""The production path: PayFiP through eopayment's `payfip_ws` backend, its SOAP web service replaced by a fake DGFiP
that answers like the real one (creerPaiementSecurise → idop, recupererDetailPaiementSecurise → result)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from eopayment.payfip_ws import PayFiP, PayFiPError

from billing.models import Payment, PaymentMeans, PaymentTransaction
from billing.services.online import OnlinePaymentUnavailable, online_payment_start
from tests.billing.online_builders import online_issued
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db
D = Decimal
State = PaymentTransaction.State


class Detail(dict):
    """What zeep gives back: attributes and items."""

    __getattr__ = dict.get


class FakeDGFiP:
    def __init__(self):
        self.created = []
        self.results = {}

    def get_idop(self, **kwargs):
        self.created.append(kwargs)
        return f"idop{len(self.created):04d}"

    def get_info_paiement(self, idop, timeout=None):
        if idop not in self.results:
            raise PayFiPError("P5", "paiement en cours")
        request = self.created[int(idop[4:]) - 1]
        return Detail(
            numcli=request["numcli"],
            exer=request["exer"],
            refdet=request["refdet"],
            montant=request["montant"],
            mel=request["mel"],
            saisie=request["saisie"],
            resultrans=self.results[idop],
            numauto="123456",
            dattrans="02122026",
            heurtrans="1015",
        )


@pytest.fixture
def dgfip(monkeypatch, settings):
    settings.PORTAIL_PAYMENT_BACKEND = "payfip_ws"
    settings.PORTAIL_PAYFIP_NUMCLI = "123456"
    settings.PORTAIL_PAYFIP_MODE = "activation"
    fake = FakeDGFiP()
    monkeypatch.setattr(PayFiP, "get_idop", lambda self, **kw: fake.get_idop(**kw))
    monkeypatch.setattr(
        PayFiP, "get_info_paiement", lambda self, idop, timeout=None: fake.get_info_paiement(idop)
    )
    return fake


@pytest.fixture
def invoice(db):
    family = FamilyFactory()
    GuardianFactory(family=family, email="claire@exemple.fr")
    return online_issued(family, ChildFactory(family=family), month=11, amounts=["3.35", "3.35", "3.35"])


def start(invoice):
    return online_payment_start(
        invoice=invoice,
        by=None,
        return_url="https://portail.exemple.fr/portail/paiement/retour/",
        notify_url="https://portail.exemple.fr/portail/paiement/notification/",
    )


def test_the_parent_is_sent_to_payfip_with_the_regies_numcli_mode_and_the_invoice_balance(dgfip, invoice):
    tx, url = start(invoice)

    assert url == "https://www.payfip.gouv.fr/tpa/paiementws.web?idop=idop0001"
    sent = dgfip.created[0]
    assert (sent["numcli"], sent["saisie"], sent["montant"]) == ("123456", "X", "1005")
    assert (sent["refdet"], sent["mel"], sent["exer"]) == (tx.order_id, "claire@exemple.fr", "2026")
    assert sent["url_notification"] == "https://portail.exemple.fr/portail/paiement/notification/"
    assert (tx.backend, tx.provider_reference, tx.state) == ("payfip_ws", "idop0001", State.PENDING)


def test_payfips_notification_is_checked_with_the_web_service_and_credits_once(dgfip, invoice, client):
    tx, _url = start(invoice)
    dgfip.results["idop0001"] = "P"

    for _ in range(3):
        response = client.post(
            reverse("billing:payment_notify"),
            "idop=idop0001",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200

    tx.refresh_from_db()
    assert tx.state == State.PAID
    payment = Payment.objects.get()
    assert (payment.means, payment.amount, payment.bank) == (PaymentMeans.ONLINE, D("10.05"), "PayFiP")


def test_an_unknown_idop_is_refused(dgfip, invoice, client):
    start(invoice)
    dgfip.results["idop0001"] = "P"

    response = client.post(
        reverse("billing:payment_notify"), "idop=idop9999", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_a_refusal_from_payfip_credits_nothing(dgfip, invoice, client):
    tx, _url = start(invoice)
    dgfip.results["idop0001"] = "R"

    client.post(
        reverse("billing:payment_notify"), "idop=idop0001", content_type="application/x-www-form-urlencoded"
    )

    tx.refresh_from_db()
    assert tx.state == State.REFUSED
    assert not Payment.objects.exists()


def test_payfip_down_when_starting_leaves_a_trace_and_a_french_message(dgfip, invoice, monkeypatch):
    def down(self, **kwargs):
        raise PayFiPError("HTTP error", "connexion refusée")

    monkeypatch.setattr(PayFiP, "get_idop", down)

    with pytest.raises(OnlinePaymentUnavailable, match="ne répond pas"):
        start(invoice)

    assert PaymentTransaction.objects.get().state == State.ERROR
