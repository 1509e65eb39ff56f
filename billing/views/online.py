"""Payer en ligne: the confirmation page, the bank's notification, the return page, and the local simulator's page."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from backoffice.town import town_identity
from billing.models import PaymentTransaction, SimulatorOperation
from billing.services import online_simulator
from billing.services.invoicing import (
    FamilyInvoiceStatus,
    family_invoices,
    invoice_balance,
    invoice_status_label,
)
from billing.services.online import (
    OnlinePaymentNotPossible,
    OnlinePaymentUnavailable,
    OnlineResponseRejected,
    Received,
    online_payment_process,
    online_payment_refusal,
    online_payment_start,
    transaction_for_family,
)
from families.views.common import family_required

logger = logging.getLogger(__name__)
State = PaymentTransaction.State
# What the protocol sends back (PayFiP: idop; the simulator: idop and its signed fields).
PROTOCOL_KEYS = ("idop", "idOp")


def online_urls(request) -> dict[str, str]:
    """The absolute URLs the bank needs: where to notify, where to send the parent back, the simulator's page."""
    return {
        "return_url": request.build_absolute_uri(reverse("billing:payment_return")),
        "notify_url": request.build_absolute_uri(reverse("billing:payment_notify")),
        "simulator_url": request.build_absolute_uri(reverse("billing:payment_simulator_base")),
    }


def _received(request, source: str) -> Received:
    query = ""
    if request.method == "POST":
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                query = request.body.decode("utf-8", "replace")
            except RawPostDataException:  # already parsed by a middleware: the same fields, re-encoded
                query = request.POST.urlencode()
        else:  # multipart or anything else: only its form fields count
            query = request.POST.urlencode()
    if not query:
        query = request.META.get("QUERY_STRING", "")
    headers = dict(request.headers)
    if request.META.get("REMOTE_ADDR"):
        headers["X-Real-Ip"] = request.META["REMOTE_ADDR"]
    return Received(source=source, method=request.method, query=query, headers=headers)


@family_required
@require_http_methods(["GET", "POST"])
def invoice_pay(request, pk):
    """« Payer en ligne »: confirm (GET), then create the transaction and go to the bank (POST)."""
    invoice = get_object_or_404(family_invoices(family=request.family), pk=pk)
    balance = invoice_balance(invoice)
    refusal = online_payment_refusal(invoice, max(balance, 0))
    if refusal:
        messages.error(request, refusal)
        return redirect("billing:invoice", pk=invoice.pk)
    if request.method == "POST":
        try:
            _tx, redirect_url = online_payment_start(invoice=invoice, by=request.user, **online_urls(request))
        except (OnlinePaymentNotPossible, OnlinePaymentUnavailable) as exc:
            messages.error(request, str(exc))
            return redirect("billing:invoice", pk=invoice.pk)
        return redirect(redirect_url)
    return render(
        request,
        "billing/online/confirm.html",
        {"invoice": invoice, "amount": balance, "simulator": online_simulator.simulator_enabled()},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def payment_notify(request):
    """The bank's server-to-server notification: checked, idempotent, answered 200 or a logged 4xx."""
    try:
        online_payment_process(received=_received(request, "notification"))
    except OnlineResponseRejected as exc:
        return HttpResponse(exc.reason, status=exc.status, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def payment_return(request):
    """The parent back from the bank: the response is processed here too (it may come before the notification)."""
    received = _received(request, "return")
    has_response = any(key in request.GET or key in request.POST for key in PROTOCOL_KEYS)
    rejected, order_id = False, request.GET.get("ref", "")
    if has_response:
        try:
            order_id = online_payment_process(received=received).order_id
        except OnlineResponseRejected:
            rejected = True
    if not request.user.is_authenticated:
        return redirect_to_login(request.build_absolute_uri(), settings.LOGIN_URL)
    return _return_page(request, order_id=order_id, rejected=rejected)


@family_required
def _return_page(request, *, order_id: str, rejected: bool):
    tx = transaction_for_family(family=request.family, order_id=order_id) if order_id else None
    if tx is None:
        raise Http404
    invoice = get_object_or_404(family_invoices(family=request.family), pk=tx.invoice_id)
    status = invoice_status_label(invoice)
    return render(
        request,
        "billing/online/return.html",
        {
            "tx": tx,
            "invoice": invoice,
            "status": status,
            "paid_on": invoice.paid_on if status == FamilyInvoiceStatus.PAID else None,
            "payable": not online_payment_refusal(invoice, max(invoice_balance(invoice), 0)),
            "balance": invoice_balance(invoice),
            "rejected": rejected,
            "State": State,
        },
    )


# --- The local payment simulator (dev and tests only) ----------------------------------------------------------


def _simulator_operation(idop: str) -> SimulatorOperation:
    if not online_simulator.simulator_enabled():
        raise Http404
    return get_object_or_404(SimulatorOperation, idop=idop)


def payment_simulator_base(request):
    raise Http404


DECISIONS = {"pay": "P", "refuse": "R", "abandon": "A"}


@require_http_methods(["GET", "POST"])
def payment_simulator(request, idop):
    """The bank's page: amount, town, invoice, « Payer », « Refuser », « Abandonner »."""
    operation = _simulator_operation(idop)
    if request.method == "POST":
        result = DECISIONS.get(request.POST.get("decision", ""))
        if result is None:
            return HttpResponse("Choix inconnu.", status=400, content_type="text/plain; charset=utf-8")
        provider = online_simulator.SimulatedPayment({"service_url": "-", "normal_return_url": "-"})
        query = provider.backend.decide(operation, result)
        try:
            status = online_simulator.notification_send(operation.notify_url, query)
            logger.info("Simulator notified %s: HTTP %s", operation.notify_url, status)
        except Exception:  # noqa: BLE001 - like a bank whose call failed: the return and the polling still settle
            logger.exception("Simulator could not notify %s", operation.notify_url)
        sep = "&" if "?" in operation.return_url else "?"
        return redirect(f"{operation.return_url}{sep}{query}")
    tx = (
        PaymentTransaction.objects.select_related("invoice").filter(provider_reference=operation.idop).first()
    )
    return render(
        request,
        "billing/online/simulator.html",
        {
            "operation": operation,
            "amount": (Decimal(operation.amount_cents) / 100).quantize(Decimal("0.01")),
            "invoice": tx.invoice if tx else None,
            "town": town_identity(),
        },
    )
