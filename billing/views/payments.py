"""Parent side of payments under /portail/factures/: « Historique de mon compte » and the receipts (reçus)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from billing.models import Payment
from billing.services.counter import EntryKind, family_account_history
from billing.views.invoices import _pdf_response
from families.views.common import family_required


@family_required
def account_history(request):
    """Invoices, credit notes, payments (with their receipts) and rejects in date order, with the running balance."""
    history = family_account_history(family=request.family)
    return render(
        request,
        "billing/payments/account_history.html",
        {"history": history, "entries": list(reversed(history.entries)), "kinds": EntryKind},
    )


@family_required
def payment_receipt(request, pk):
    # Another family's receipt is simply not found (404, nothing to learn).
    payment = Payment.objects.select_related("family").filter(pk=pk, family=request.family).first()
    if payment is None:
        raise Http404
    from billing.pdf_payments import receipt_pdf

    return _pdf_response(receipt_pdf(payment=payment), f"recu-{payment.number}.pdf")
