"""Mes factures (/portail/factures/): the family's account, its invoices and credit notes, PDFs, paperless opt-in."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.models import CreditNote
from billing.services.custody import custody_family_shared
from billing.services.invoicing import (
    FamilyInvoiceStatus,
    family_invoices,
    invoice_balance,
    invoice_paid,
    invoice_status_label,
)
from families.views.common import family_required

ZERO = Decimal("0.00")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _rows(invoices):
    return [
        {
            "invoice": invoice,
            "balance": invoice_balance(invoice),
            "status": invoice_status_label(invoice),
        }
        for invoice in invoices
    ]


def _family_payments(family):
    from billing.services.online import family_payments

    return list(family_payments(family=family))


def _online_flags(row):
    # « Payer en ligne » on a due invoice of at least 1 €, « Payée le … » on a paid one (billing/services/online.py).
    from billing.services.online import ONLINE_MAXIMUM, ONLINE_MINIMUM

    paid = row["status"] == FamilyInvoiceStatus.PAID
    due = row["status"] == FamilyInvoiceStatus.DUE
    row["payable_online"] = due and ONLINE_MINIMUM <= row["balance"] <= ONLINE_MAXIMUM
    row["paid_on"] = row["invoice"].paid_on if paid else None
    return row


@family_required
def invoice_list(request):
    invoices = list(family_invoices(family=request.family))
    # Shared custody: the invoices addressed to this parent first, then the other parent's (stable otherwise).
    guardian = getattr(request.user, "guardian", None)
    invoices.sort(key=lambda invoice: guardian is None or invoice.payer_id != guardian.pk)
    rows = [_online_flags(row) for row in _rows(invoices)]
    credit_notes = [note for invoice in invoices for note in invoice.credit_notes.all()]
    return render(
        request,
        "billing/invoice_list.html",
        {
            "rows": rows,
            "credit_notes": sorted(credit_notes, key=lambda n: n.issued_on, reverse=True),
            "payments": _family_payments(request.family),
            "billed": sum((i.total for i in invoices), ZERO),
            "credited": sum((i.credited for i in invoices), ZERO),
            "paid": sum((invoice_paid(i) for i in invoices), ZERO),
            "balance": sum(
                (row["balance"] for row in rows if row["status"] != FamilyInvoiceStatus.CANCELLED), ZERO
            ),
            "paperless": request.family.paperless_invoices,
            "custody": custody_family_shared(family=request.family),
            # Shared custody: what is left to pay on the invoices addressed to this parent.
            "own_balance": sum(
                (
                    row["balance"]
                    for row in rows
                    if guardian is not None
                    and row["invoice"].payer_id == guardian.pk
                    and row["status"] != FamilyInvoiceStatus.CANCELLED
                ),
                ZERO,
            ),
        },
    )


def _family_invoice(request, pk):
    # Another family's invoice (or a draft) is simply not found: 404, never 403 (nothing to learn).
    return get_object_or_404(family_invoices(family=request.family), pk=pk)


@family_required
def invoice_detail(request, pk):
    invoice = _family_invoice(request, pk)
    lines = list(invoice.lines.all())
    row = _online_flags(_rows([invoice])[0])
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": lines,
            "balance": invoice_balance(invoice),
            "status": invoice_status_label(invoice),
            "payable_online": row["payable_online"],
            "paid_on": row["paid_on"],
            "credit_notes": list(invoice.credit_notes.all()),
        },
    )


@family_required
def invoice_pdf(request, pk):
    invoice = _family_invoice(request, pk)
    if invoice.pdf:
        with invoice.pdf.open("rb") as handle:
            content = handle.read()
    else:
        from billing.pdf import invoice_pdf as render_pdf

        content = render_pdf(invoice=invoice)
    return _pdf_response(content, f"facture-{invoice.number}.pdf")


@family_required
def credit_note_pdf(request, pk):
    note = (
        CreditNote.objects.select_related("invoice__family")
        .filter(pk=pk, invoice__family=request.family)
        .first()
    )
    if note is None:
        raise Http404
    if note.pdf:
        with note.pdf.open("rb") as handle:
            content = handle.read()
    else:
        from billing.pdf import credit_note_pdf as render_pdf

        content = render_pdf(note=note)
    return _pdf_response(content, f"avoir-{note.number}.pdf")


@family_required
def statement_pdf(request):
    from billing.pdf import statement_pdf as render_pdf

    invoices = list(family_invoices(family=request.family))
    content = render_pdf(family=request.family, invoices=invoices, today=timezone.localdate())
    return _pdf_response(content, f"releve-{request.family.code}.pdf")


@require_POST
@family_required
def paperless(request):
    """Facture dématérialisée: the family chooses email only (no paper) or paper as well."""
    from billing.services.invoicing import family_paperless_set

    wanted = request.POST.get("paperless") == "1"
    family_paperless_set(family=request.family, paperless=wanted, by=request.user)
    if wanted:
        messages.success(request, _("Vos prochaines factures vous seront envoyées par e-mail uniquement."))
    else:
        messages.success(request, _("Vos prochaines factures vous seront aussi envoyées par courrier."))
    return redirect("billing:invoices")
