"""Family API of online payment: `POST /api/v1/family/invoices/<id>/pay/` and `GET /api/v1/family/payments/`;
the simulator exists only where the settings say so, never in production."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import PaymentMeans, PaymentTransaction
from billing.services.credit_notes import credit_note_create
from billing.services.payments import payment_record, payment_reject
from tests.billing.online_builders import online_issued, transaction_of
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dupont(db):
    family = FamilyFactory(name="DUPONT")
    user = UserFactory(email="claire@exemple.fr")
    GuardianFactory(family=family, user=user, first_name="Claire", email="claire@exemple.fr")
    child = ChildFactory(family=family, first_name="Léa")
    invoice = online_issued(family, child, month=11, amounts=["3.35", "3.35", "3.35"])
    return {"family": family, "user": user, "child": child, "invoice": invoice}


@pytest.fixture
def api(client, dupont):
    client.force_login(dupont["user"])
    return client


def pay_url(invoice) -> str:
    return f"/api/v1/family/invoices/{invoice.pk}/pay/"


def test_pay_answers_201_with_the_simulator_url_for_the_invoice_balance(api, dupont):
    response = api.post(pay_url(dupont["invoice"]), {"amount": "0.01"}, content_type="application/json")

    assert response.status_code == 201
    assert list(response.json()) == ["redirect_url"]
    tx = transaction_of(dupont["invoice"])
    assert urlsplit(response.json()["redirect_url"]).path == reverse(
        "billing:payment_simulator", args=[tx.provider_reference]
    )
    assert (tx.amount, tx.state, tx.created_by) == (
        D("10.05"),
        PaymentTransaction.State.PENDING,
        dupont["user"],
    )


def test_pay_an_invoice_already_paid_is_a_409(api, dupont, regisseur):
    payment_record(
        family=dupont["family"],
        means=PaymentMeans.CHEQUE,
        amount="10.05",
        received_on=timezone.localdate(),
        by=regisseur,
    )

    response = api.post(pay_url(dupont["invoice"]))

    assert response.status_code == 409
    assert response.json() == {"detail": "Cette facture est déjà payée."}
    assert not PaymentTransaction.objects.exists()


def test_pay_a_balance_below_one_euro_is_a_409(api, dupont, regisseur):
    credit_note_create(invoice=dupont["invoice"], amount="9.55", reason="Grève", by=regisseur)

    response = api.post(pay_url(dupont["invoice"]))

    assert response.status_code == 409
    assert "inférieur à 1 €" in response.json()["detail"]
    assert not PaymentTransaction.objects.exists()


def test_pay_another_familys_invoice_is_a_404(api, db):
    other = FamilyFactory()
    invoice = online_issued(other, ChildFactory(family=other), month=10, amounts=["5.00"])

    assert api.post(pay_url(invoice)).status_code == 404
    assert api.post("/api/v1/family/invoices/999999/pay/").status_code == 404
    assert not PaymentTransaction.objects.exists()


def test_pay_needs_a_logged_in_parent(client, dupont):
    assert client.post(pay_url(dupont["invoice"])).status_code == 403


def test_the_family_lists_its_payments_with_their_invoices(api, dupont, regisseur):
    october = online_issued(dupont["family"], dupont["child"], month=10, amounts=["4.10"])
    cheque = payment_record(
        family=dupont["family"],
        means=PaymentMeans.CHEQUE,
        amount="20,00",
        received_on=timezone.localdate(),
        reference="1234567",
        by=regisseur,
    )
    other = FamilyFactory()
    payment_record(family=other, means=PaymentMeans.CASH, amount="5", received_on=timezone.localdate())

    response = api.get("/api/v1/family/payments/")

    assert response.status_code == 200
    receipt = "http://testserver" + reverse("billing:payment_receipt", kwargs={"pk": cheque.pk})
    assert response.json() == [
        {
            "id": cheque.pk,
            "number": cheque.number,
            "received_on": timezone.localdate().isoformat(),
            "means": "cheque",
            "amount": "20.00",
            "status": "valid",
            "allocations": [
                {"invoice": october.number, "amount": "4.10"},
                {"invoice": dupont["invoice"].number, "amount": "10.05"},
            ],
            "receipt": receipt,
        }
    ]


def test_a_rejected_payment_is_listed_as_rejected(api, dupont, regisseur):
    cheque = payment_record(
        family=dupont["family"], means=PaymentMeans.CHEQUE, amount="10.05", received_on=timezone.localdate()
    )
    payment_reject(payment=cheque, on=timezone.localdate(), reason="Sans provision", by=regisseur)

    assert [p["status"] for p in api.get("/api/v1/family/payments/").json()] == ["rejected"]


def test_the_schema_documents_the_pay_endpoint(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    pay = schema["paths"]["/api/v1/family/invoices/{id}/pay/"]["post"]
    assert {"201", "404", "409", "503"} <= set(pay["responses"])
    assert "redirect_url" in str(schema["components"]["schemas"]["FamilyInvoicePayment"])
    assert "/api/v1/family/payments/" in schema["paths"]


# --- The simulator exists only where the settings say so --------------------------------------------------------


def test_the_simulator_page_is_not_found_with_payfip(client, dupont, settings):
    client.force_login(dupont["user"])
    redirect_url = client.post(pay_url(dupont["invoice"])).json()["redirect_url"]
    settings.PORTAIL_PAYMENT_BACKEND = "payfip_ws"

    assert client.get(urlsplit(redirect_url).path).status_code == 404
    assert client.post(urlsplit(redirect_url).path, {"decision": "pay"}).status_code == 404


def _production_settings(**env) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.PORTAIL_PAYMENT_BACKEND)"
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("PORTAIL_") and k != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="backoffice.settings.production",
        SECRET_KEY="a-real-production-secret-key-0123456789",
        ALLOWED_HOSTS="portail.exemple.fr",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_use_payfip_and_refuse_the_simulator():
    default = _production_settings()
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip().splitlines()[-1] == "payfip_ws"

    forced = _production_settings(PORTAIL_PAYMENT_BACKEND="simulator")
    assert forced.returncode != 0
    assert "simulateur" in forced.stderr
