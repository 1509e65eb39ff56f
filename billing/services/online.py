"""Online payment (paiement en ligne) through eopayment: PayFiP in production, the local simulator in dev and tests.

One `PaymentTransaction` per attempt, for one invoice, for the invoice's balance as the server computes it (never an
amount from the browser). Whatever tells us the outcome — the bank's notification, the parent's return, the polling
command — goes through `online_payment_process`: eopayment parses and checks the response, the transaction row is
locked, and a paid transaction records exactly one `Payment` through `payment_record`. Replays credit nothing twice;
tampered or unknown responses are logged and refused (4xx).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import eopayment
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Invoice, PaymentMeans, PaymentTransaction
from billing.money import euros
from billing.services.invoicing import invoice_totals
from billing.services.online_simulator import SIMULATOR, SimulatedPayment
from billing.services.payments import CENT, ZERO, invoice_due, payment_record
from families.models import Family

logger = logging.getLogger(__name__)

# PayFiP's rules: one invoice per payment, between 1 € and 100 000 €.
ONLINE_MINIMUM = Decimal("1.00")
ONLINE_MAXIMUM = Decimal("100000.00")
PAYFIP_SAISIE = {"test": "T", "activation": "X", "production": "W"}
State = PaymentTransaction.State

# eopayment's result → our state; a paid transaction never goes back.
RESULT_STATES = {
    eopayment.PAID: State.PAID,
    eopayment.DENIED: State.REFUSED,
    eopayment.CANCELLED: State.ABANDONED,
    eopayment.EXPIRED: State.ABANDONED,
    eopayment.ERROR: State.ERROR,
    eopayment.WAITING: State.PENDING,
    eopayment.RECEIVED: State.PENDING,
    eopayment.ACCEPTED: State.PENDING,
}
AUDIT_HEADERS = ("User-Agent", "Content-Type", "X-Forwarded-For", "X-Real-Ip")


class OnlinePaymentNotPossible(Exception):
    """The invoice cannot be paid online now (already paid, below 1 €, cancelled…): a French message (409)."""


class OnlinePaymentUnavailable(Exception):
    """The payment service did not answer: a French message (503), the transaction is kept as an error."""


class OnlineResponseRejected(Exception):
    """A response we refuse (unreadable, bad signature, unknown reference, wrong amount): logged, answered 4xx."""

    def __init__(self, reason: str, *, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def online_backend() -> str:
    return settings.PORTAIL_PAYMENT_BACKEND


def payment_provider(
    *, return_url: str = "", notify_url: str = "", simulator_url: str = ""
) -> eopayment.Payment:
    """The eopayment object for the configured service (numcli and mode from the régie's settings)."""
    options = {"normal_return_url": return_url, "automatic_return_url": notify_url}
    saisie = PAYFIP_SAISIE.get(settings.PORTAIL_PAYFIP_MODE, "T")
    if online_backend() == SIMULATOR:
        # Never registered unless the settings say so (SimulatorBackend refuses otherwise).
        return SimulatedPayment(
            {
                **options,
                "numcli": settings.PORTAIL_PAYFIP_NUMCLI or "000000",
                "saisie": "T" if saisie == "W" else saisie,
                "service_url": simulator_url,
            },
            logger=logger,
        )
    return eopayment.Payment(
        online_backend(),
        {**options, "numcli": settings.PORTAIL_PAYFIP_NUMCLI, "saisie": saisie},
        logger=logger,
    )


def invoice_online_due(invoice: Invoice) -> Decimal:
    """What the family still owes on the invoice, read from the database (not from any form)."""
    annotated = invoice_totals(Invoice.objects.filter(pk=invoice.pk)).get()
    return invoice_due(annotated)


def online_payment_refusal(invoice: Invoice, due: Decimal | None = None) -> str:
    """Why this invoice cannot be paid online now, in French; "" when it can."""
    if invoice.status != Invoice.Status.ISSUED:
        return _("Cette facture n'est pas à payer.")
    due = invoice_online_due(invoice) if due is None else due
    if due <= ZERO:
        return _("Cette facture est déjà payée.")
    if due < ONLINE_MINIMUM:
        return _(
            "Le reste à payer (%(due)s) est inférieur à 1 € : le paiement en ligne n'est pas possible, "
            "il sera reporté sur votre prochaine facture ou réglé au guichet."
        ) % {"due": euros(due)}
    if due > ONLINE_MAXIMUM:
        return _("Le paiement en ligne est limité à 100 000 € : réglez cette facture au guichet.")
    return ""


def _order_id(invoice: Invoice) -> str:
    # PayFiP's refdet: letters and digits only, at most 30; the invoice number first, for the Trésor public.
    return f"{invoice.number.replace('-', '')}{secrets.token_hex(5).upper()}"


def _payer_email(invoice: Invoice, by) -> str:
    email = getattr(by, "email", "") or ""
    if not email:
        guardian = invoice.payer or invoice.family.guardians.exclude(email="").first()
        email = getattr(guardian, "email", "") or ""
    return email


def _with_query(url: str, params: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def online_payment_start(
    *, invoice: Invoice, by, return_url: str, notify_url: str, simulator_url: str = ""
) -> tuple[PaymentTransaction, str]:
    """Start paying an invoice online: a transaction for its current balance, and the bank's URL for the browser.

    Raises `OnlinePaymentNotPossible` (already paid, below 1 €…) or `OnlinePaymentUnavailable` (service down).
    """
    with transaction.atomic():
        locked = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("family", "payer")
            .get(pk=invoice.pk)
        )
        due = invoice_online_due(locked)
        refusal = online_payment_refusal(locked, due)
        if refusal:
            raise OnlinePaymentNotPossible(refusal)
        tx = PaymentTransaction.objects.create(
            invoice=locked,
            family=locked.family,
            amount=due,
            backend=online_backend(),
            order_id=_order_id(locked),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
    return_url = _with_query(return_url, {"ref": tx.order_id})
    try:
        provider = payment_provider(return_url=return_url, notify_url=notify_url, simulator_url=simulator_url)
        provider_reference, _kind, redirect_url = provider.request(
            str(due),
            email=_payer_email(locked, by),
            orderid=tx.order_id,
            refdet=tx.order_id,
            exer=str(locked.issued_on.year if locked.issued_on else timezone.localdate().year),
            subject=_("Facture %(number)s") % {"number": locked.number},
        )
    except Exception as exc:  # noqa: BLE001 - SOAP fault, network, configuration: a message and a trace
        logger.exception("Online payment %s could not start", tx.order_id)
        PaymentTransaction.objects.filter(pk=tx.pk).update(
            state=State.ERROR, bank_status=str(exc)[:200], updated_at=timezone.now()
        )
        raise OnlinePaymentUnavailable(
            _("Le service de paiement en ligne ne répond pas. Réessayez dans quelques minutes.")
        ) from exc
    tx.provider_reference = str(provider_reference)[:100]
    tx.state = State.PENDING
    tx.save(update_fields=["provider_reference", "state", "updated_at"])
    return tx, redirect_url


@dataclass(frozen=True)
class Received:
    """What arrived, for the audit trail."""

    source: str  # notification, return, poll
    method: str = ""
    query: str = ""
    headers: dict | None = None

    def record(self, response=None, **extra) -> dict:
        entry = {
            "at": timezone.now().isoformat(),
            "source": self.source,
            "method": self.method,
            "headers": {k: v for k, v in (self.headers or {}).items() if k in AUDIT_HEADERS},
            "data": self.query[:4000],
        }
        if response is not None:
            entry["result"] = eopayment.STATUS_NAME.get(response.result, str(response.result))
            entry["signed"] = bool(response.signed)
            entry["bank_status"] = str(response.bank_status or "")[:200]
            # What the service says (for PayFiP, the web service's answer: the notification only carries idop).
            bank_data = response.bank_data if isinstance(response.bank_data, dict) else {}
            entry["bank_data"] = {str(k): str(v)[:200] for k, v in bank_data.items() if k != "__bank_id"}
        return {**entry, **extra}


def _audit(tx_pk: int, entry: dict) -> None:
    with transaction.atomic():
        locked = PaymentTransaction.objects.select_for_update().get(pk=tx_pk)
        locked.notifications = [*locked.notifications, entry]
        locked.save(update_fields=["notifications", "updated_at"])


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _bank_amount_matches(tx: PaymentTransaction, bank_data: dict) -> bool:
    montant = bank_data.get("montant") if isinstance(bank_data, dict) else None
    if montant in (None, ""):
        return True  # the bank's answer does not repeat the amount (status query without details)
    try:
        return int(str(montant)) == _cents(tx.amount)
    except ValueError:
        return False


def _reject(tx: PaymentTransaction | None, received: Received, response, reason: str, *, status=400):
    logger.warning(
        "Online payment response refused (%s): %s %s", reason, received.source, received.query[:500]
    )
    if tx is not None:
        _audit(tx.pk, received.record(response, refused=reason))
    raise OnlineResponseRejected(reason, status=status)


def _settle(tx: PaymentTransaction):
    """Record the money: on the invoice for what it still owes, the rest (all if paid meanwhile) as family credit."""
    Family.objects.select_for_update().filter(pk=tx.family_id).values_list("pk", flat=True).get()
    invoice = invoice_totals(Invoice.objects.filter(pk=tx.invoice_id)).get()
    part = min(invoice_due(invoice), tx.amount) if invoice.status == Invoice.Status.ISSUED else ZERO
    payer = invoice.payer if invoice.payer_id and invoice.payer.family_id == tx.family_id else None
    return payment_record(
        family=tx.family,
        means=PaymentMeans.ONLINE,
        amount=tx.amount,
        received_on=timezone.localdate(),
        reference=tx.order_id,
        bank=_("PayFiP") if tx.backend != SIMULATOR else _("Simulateur de paiement"),
        note=_("Paiement en ligne, opération %(idop)s") % {"idop": tx.provider_reference},
        payer=payer,
        allocations=[(invoice, part.quantize(CENT))] if part > 0 else [],
    )


class _AlreadySettled(Exception):
    pass


def _claim(locked: PaymentTransaction, response) -> None:
    """Record the payment and link it in one conditional update: the last guard if the row lock ever failed."""
    now = timezone.now()
    try:
        with transaction.atomic():
            payment = _settle(locked)
            claimed = PaymentTransaction.objects.filter(pk=locked.pk, payment__isnull=True).update(
                payment=payment,
                state=State.PAID,
                paid_at=now,
                bank_status=str(response.bank_status or "")[:200],
                updated_at=now,
            )
            if not claimed:
                raise _AlreadySettled
    except _AlreadySettled:  # another process settled it: its payment stands, ours is rolled back
        logger.error("Online payment %s was settled concurrently; nothing recorded twice", locked.order_id)


@transaction.atomic
def _apply(tx_pk: int, response, entry: dict) -> PaymentTransaction:
    locked = PaymentTransaction.objects.select_for_update(of=("self",)).select_related("family").get(pk=tx_pk)
    locked.notifications = [*locked.notifications, entry]
    state = RESULT_STATES.get(response.result, State.ERROR)
    fields = ["notifications", "updated_at"]
    if state == State.PAID:
        if locked.payment_id is None:  # the only place money comes in, under the row lock
            _claim(locked, response)
            locked.refresh_from_db(fields=["payment", "state", "paid_at", "bank_status"])
    elif locked.state != State.PAID:
        if state != State.PENDING or locked.state in (State.CREATED, State.PENDING):
            locked.state = state
            locked.bank_status = str(response.bank_status or "")[:200]
            fields += ["state", "bank_status"]
    locked.save(update_fields=fields)
    return locked


def online_payment_process(*, received: Received) -> PaymentTransaction:
    """Handle what the bank sent (notification or return): check it with eopayment, then settle, once.

    Raises `OnlineResponseRejected` (logged, 4xx) for an unreadable, unsigned or tampered response, an unknown
    reference or an amount that is not the transaction's.
    """
    try:
        response = payment_provider().response(received.query)
    except Exception as exc:  # noqa: BLE001 - ResponseError, PayFiP faults: never a 500 for what a stranger sends
        logger.warning("Online payment response unreadable (%s): %s", exc, received.query[:500])
        raise OnlineResponseRejected("unreadable") from exc
    tx = PaymentTransaction.objects.filter(
        backend=online_backend(), provider_reference=str(response.order_id or "")
    ).first()
    if tx is None or not response.order_id:
        _reject(None, received, response, "unknown reference", status=404)
    if not response.signed:
        _reject(tx, received, response, "bad signature")
    bank_data = response.bank_data if isinstance(response.bank_data, dict) else {}
    refdet = bank_data.get("refdet")
    if refdet not in (None, "") and str(refdet) != tx.order_id:
        _reject(tx, received, response, "reference mismatch")
    if not _bank_amount_matches(tx, bank_data):
        _reject(tx, received, response, "amount mismatch")
    return _apply(tx.pk, response, received.record(response))


def online_payments_poll(
    *, older_than: timedelta = timedelta(minutes=20), now=None
) -> list[PaymentTransaction]:
    """Ask the payment service about transactions left pending (no notification came) and settle them."""
    now = now or timezone.now()
    stale = PaymentTransaction.objects.filter(
        state__in=(State.CREATED, State.PENDING), created_at__lte=now - older_than, backend=online_backend()
    ).order_by("created_at")
    settled = []
    for tx in stale:
        received = Received(source="poll")
        if not tx.provider_reference:  # never reached the service
            PaymentTransaction.objects.filter(pk=tx.pk, state=State.CREATED).update(
                state=State.ERROR, bank_status="jamais transmise au service de paiement", updated_at=now
            )
            continue
        try:
            response = payment_provider().payment_status(
                tx.provider_reference, transaction_date=tx.created_at
            )
        except Exception:  # noqa: BLE001 - the service is down: try again at the next run
            logger.exception("Online payment %s: status query failed", tx.order_id)
            continue
        bank_data = response.bank_data if isinstance(response.bank_data, dict) else {}
        if not _bank_amount_matches(tx, bank_data):
            logger.error("Online payment %s: the service reports another amount", tx.order_id)
            _audit(tx.pk, received.record(response, refused="amount mismatch"))
            continue
        settled.append(_apply(tx.pk, response, received.record(response)))
    return settled


def transaction_for_family(*, family, order_id: str) -> PaymentTransaction | None:
    return (
        PaymentTransaction.objects.select_related("invoice", "payment")
        .filter(family=family, order_id=order_id)
        .first()
    )


def family_payments(*, family):
    """The family's payments (règlements), newest first, with the invoices they settle (portal and family API)."""
    from billing.models import Payment

    return (
        Payment.objects.filter(family=family)
        .prefetch_related("allocations__invoice")
        .order_by("-received_on", "-number")
    )
