"""Credit notes (avoirs): the only way to correct an issued invoice, never beyond what remains of it."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import BilledBooking, CreditNote, Invoice, NumberCounter
from billing.services.numbering import number_take

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def invoice_creditable(*, invoice: Invoice) -> Decimal:
    """What a credit note may still correct: the invoice total minus its credit notes (and, later, payments)."""
    total = invoice.lines.aggregate(s=Sum("amount"))["s"] or ZERO
    credited = invoice.credit_notes.aggregate(s=Sum("amount"))["s"] or ZERO
    return total - credited


@transaction.atomic
def credit_note_create(
    *, invoice: Invoice, amount, reason: str, by, today: date | None = None, cancels: bool = False
) -> CreditNote:
    """Issue an avoir on an issued invoice; refused (French message) beyond the invoice's remaining balance."""
    today = today or timezone.localdate()
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.ISSUED:
        raise ValidationError({"invoice": _("Un avoir ne corrige qu'une facture émise et non annulée.")})
    try:
        amount = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"amount": _("Indiquez un montant en euros (ex. 12,50).")}) from exc
    if amount <= 0:
        raise ValidationError({"amount": _("Le montant d'un avoir doit être positif.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'avoir.")})
    remaining = invoice_creditable(invoice=invoice)
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _(
                    "L'avoir (%(amount)s €) dépasse le reste de la facture %(number)s (%(remaining)s €)."
                )
                % {"amount": amount, "number": invoice.number, "remaining": remaining}
            }
        )
    if cancels and amount != remaining:
        raise ValidationError({"amount": _("Une annulation porte sur tout le reste de la facture.")})
    note = CreditNote.objects.create(
        invoice=invoice,
        number=number_take(series=NumberCounter.Series.CREDIT_NOTE, year=today.year),
        amount=amount,
        reason=reason.strip()[:300],
        issued_on=today,
        created_by=by,
    )
    if cancels or amount == remaining:
        # Fully corrected: the days it billed may be billed again (after correction) by a later run.
        invoice.status = Invoice.Status.CANCELLED
        invoice.save(update_fields=["status"])
        BilledBooking.objects.filter(line__invoice=invoice).update(active=False)
    from billing.pdf import credit_note_pdf

    note.pdf.save(f"{note.number}.pdf", ContentFile(credit_note_pdf(note=note)), save=True)
    return note


def invoice_cancel(*, invoice: Invoice, reason: str, by, today: date | None = None) -> CreditNote:
    """Cancel an issued invoice by a full credit note (avoir total)."""
    return credit_note_create(
        invoice=invoice,
        amount=invoice_creditable(invoice=invoice),
        reason=reason or _("Annulation de la facture"),
        by=by,
        today=today,
        cancels=True,
    )
