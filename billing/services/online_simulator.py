"""The local payment simulator (simulateur de paiement): an eopayment backend that plays PayFiP, dev and tests only.

eopayment's `dummy` backend sends the browser to a public host that is unreachable here, so this backend keeps the
bank's side in `SimulatorOperation` and serves its own page (`billing:payment_simulator`). It speaks like PayFiP:
an operation id (idop) per request, the parent pays / refuses / abandons on the bank's page, the bank POSTs a
notification to our server and sends the browser back to the return URL with the same parameters, and the server can
ask the bank about an operation (`payment_status`). Its responses are signed with an HMAC of the project's secret,
so a tampered notification is detected the way a real signed protocol detects it.

It is only instantiated when `PORTAIL_PAYMENT_BACKEND == "simulator"` (dev and test settings; production refuses it).
"""

from __future__ import annotations

import hmac
import uuid
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlencode

import eopayment
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from eopayment.common import (
    CANCELLED,
    DENIED,
    ERROR,
    EXPIRED,
    PAID,
    URL,
    WAITING,
    PaymentCommon,
    PaymentResponse,
    ResponseError,
    force_text,
)

SIMULATOR = "simulator"
# Like PayFiP, an operation left without an answer for this long is expired.
OPERATION_LIFETIME = timedelta(minutes=15)
RESULTS = {"P": (PAID, "paid CB"), "R": (DENIED, "refused CB"), "A": (CANCELLED, "cancelled CB")}


def simulator_enabled() -> bool:
    return getattr(settings, "PORTAIL_PAYMENT_BACKEND", "") == SIMULATOR


# What the simulator signs (a return URL may carry our own parameters besides them, such as `ref`).
SIGNED_FIELDS = ("idop", "refdet", "montant", "resultrans", "numcli", "saisie", "dattrans", "heurtrans")


def simulator_signature(fields: dict[str, str]) -> str:
    canonical = "&".join(f"{key}={fields.get(key, '')}" for key in SIGNED_FIELDS)
    return salted_hmac("billing.online.simulator", canonical, algorithm="sha256").hexdigest()


class SimulatorBackend(PaymentCommon):
    """eopayment backend of the local simulator (same options and results as `payfip_ws`)."""

    description = {
        "caption": "Simulateur local de paiement (PayFiP)",
        "parameters": [
            {"name": "numcli", "caption": "Numéro client", "default": "000000"},
            {
                "name": "saisie",
                "caption": "Mode",
                "default": "T",
                "choices": [("T", "test"), ("X", "activation")],
            },
            {"name": "normal_return_url", "caption": "URL de retour", "required": True},
            {"name": "automatic_return_url", "caption": "URL de notification", "required": True},
            {"name": "service_url", "caption": "Adresse de la page du simulateur", "required": True},
        ],
    }
    minimal_amount = Decimal("1.0")
    maximal_amount = Decimal("100000.0")
    email_is_required = True

    def __init__(self, options, logger=None):
        if not simulator_enabled():
            raise eopayment.PaymentException("Le simulateur de paiement n'est pas activé sur ce site.")
        super().__init__(options, logger=logger)

    def request(self, amount, email=None, orderid=None, subject=None, **kwargs):
        from billing.models import SimulatorOperation

        montant = self.clean_amount(amount, min_amount=1, max_amount=100000)
        operation = SimulatorOperation.objects.create(
            idop=uuid.uuid4().hex,
            refdet=orderid or "",
            amount_cents=int(montant),
            email=email or "",
            subject=(subject or "")[:200],
            notify_url=self.automatic_return_url,
            return_url=self.normal_return_url,
        )
        return operation.idop, URL, f"{self.service_url.rstrip('/')}/{operation.idop}/"

    def _fields(self, operation) -> dict[str, str]:
        when = timezone.localtime(operation.decided_at or timezone.now())
        fields = {
            "idop": operation.idop,
            "refdet": operation.refdet,
            "montant": str(operation.amount_cents),
            "resultrans": operation.result,
            "numcli": self.numcli,
            "saisie": self.saisie,
            "dattrans": when.strftime("%d%m%Y"),
            "heurtrans": when.strftime("%H%M"),
        }
        fields["signature"] = simulator_signature(fields)
        return fields

    def _response(self, fields: dict[str, str], *, signed: bool) -> PaymentResponse:
        result, bank_status = RESULTS.get(fields.get("resultrans", ""), (ERROR, "unknown result code"))
        return PaymentResponse(
            result=result,
            signed=signed,
            bank_data=fields,
            return_content="OK",
            bank_status=bank_status,
            order_id=fields.get("idop", ""),
            transaction_id=f"{fields.get('refdet', '')} {fields.get('idop', '')}",
            test=fields.get("saisie") == "T",
        )

    def response(self, query_string, **kwargs):
        form = parse_qs(force_text(query_string), keep_blank_values=True)
        fields = {key: values[0] for key, values in form.items()}
        if not fields.get("idop"):
            raise ResponseError("missing idop parameter in query string")
        signature = fields.get("signature", "")
        signed = bool(signature) and hmac.compare_digest(signature, simulator_signature(fields))
        return self._response(fields, signed=signed)

    def payment_status(self, transaction_id, transaction_date=None, **kwargs):
        from billing.models import SimulatorOperation

        operation = SimulatorOperation.objects.filter(idop=transaction_id).first()
        if operation is None:  # PayFiP's P1: unknown (or cleaned) operation
            return PaymentResponse(result=EXPIRED, signed=True, order_id=transaction_id)
        if not operation.result:
            expired = timezone.now() - operation.created_at >= OPERATION_LIFETIME
            return PaymentResponse(
                result=EXPIRED if expired else WAITING, signed=True, order_id=transaction_id
            )
        return self._response(self._fields(operation), signed=True)

    # The simulator page's side (the bank): decide once, then answer with the signed fields.
    def decide(self, operation, result: str) -> str:
        """Record the parent's choice on the bank's page (first choice wins) and return the response query."""
        from billing.models import SimulatorOperation

        SimulatorOperation.objects.filter(pk=operation.pk, result="").update(
            result=result, decided_at=timezone.now()
        )
        operation.refresh_from_db()
        return urlencode(self._fields(operation))


class SimulatedPayment(eopayment.Payment):
    """`eopayment.Payment` whose backend is the local simulator (eopayment resolves backends by module name)."""

    def __init__(self, options, logger=None):
        self.kind = SIMULATOR
        self.backend = SimulatorBackend(options, logger=logger)


def notification_send(url: str, body: str) -> int:
    """The bank's server-to-server notification: a real HTTP POST to our notification URL (tests replace it)."""
    import requests

    response = requests.post(
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10
    )
    return response.status_code
