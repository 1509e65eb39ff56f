"""Selectors of the régie's counter: the day's cash-up (journal de caisse) and a family's account history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy

from billing.models import CreditNote, Invoice, Payment, PaymentMeans
from billing.services.invoicing import invoice_totals
from billing.services.payments import family_credit

ZERO = Decimal("0.00")


# --- Journal de caisse --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeansTotal:
    means: str
    label: str
    count: int
    amount: Decimal


@dataclass
class CashUp:
    day: date
    payments: list
    totals: list[MeansTotal]
    count: int
    total: Decimal
    rejected: list = field(default_factory=list)


def cashup_day(*, day: date) -> CashUp:
    """The payments received on `day`, totals by means (rejected ones listed apart, never counted): one query."""
    payments = list(
        Payment.objects.filter(received_on=day)
        .select_related("family", "payer", "created_by")
        .order_by("means", "number")
    )
    valid = [p for p in payments if p.status == Payment.Status.VALID]
    totals = []
    for means in PaymentMeans:
        rows = [p for p in valid if p.means == means]
        if rows:
            totals.append(
                MeansTotal(
                    means=means.value,
                    label=str(means.label),
                    count=len(rows),
                    amount=sum((p.amount for p in rows), ZERO),
                )
            )
    return CashUp(
        day=day,
        payments=valid,
        totals=totals,
        count=len(valid),
        total=sum((p.amount for p in valid), ZERO),
        rejected=[p for p in payments if p.status == Payment.Status.REJECTED],
    )


# --- Historique de mon compte --------------------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    INVOICE = "invoice", gettext_lazy("Facture")
    CREDIT_NOTE = "credit_note", gettext_lazy("Avoir")
    PAYMENT = "payment", gettext_lazy("Règlement")
    REJECT = "reject", gettext_lazy("Rejet de règlement")


@dataclass
class HistoryEntry:
    day: date
    kind: EntryKind
    label: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    balance: Decimal = ZERO
    invoice: Invoice | None = None
    credit_note: CreditNote | None = None
    payment: Payment | None = None
    rejected: bool = False  # a payment that was rejected later (its own line, the reject, follows)


@dataclass
class AccountHistory:
    entries: list[HistoryEntry]
    balance: Decimal  # what the family owes (negative: the town owes the family)
    credit: Decimal  # money received and not yet spread over an invoice
    billed: Decimal
    credited: Decimal
    paid: Decimal


# Same day: the invoice first, then what corrects or pays it, a reject last.
_ORDER = {EntryKind.INVOICE: 0, EntryKind.CREDIT_NOTE: 1, EntryKind.PAYMENT: 2, EntryKind.REJECT: 3}


def family_account_history(*, family) -> AccountHistory:
    """Invoices, credit notes, payments and rejects in date order with the running balance (a few queries)."""
    from django.utils.translation import gettext as _

    entries: list[HistoryEntry] = []
    invoices = invoice_totals(
        Invoice.objects.filter(family=family).exclude(status=Invoice.Status.DRAFT)
    ).order_by("issued_on", "number")
    for invoice in invoices:
        entries.append(
            HistoryEntry(
                day=invoice.issued_on,
                kind=EntryKind.INVOICE,
                label=_("Facture %(number)s") % {"number": invoice.number},
                debit=invoice.total,
                invoice=invoice,
            )
        )
    for note in CreditNote.objects.filter(invoice__family=family).select_related("invoice"):
        entries.append(
            HistoryEntry(
                day=note.issued_on,
                kind=EntryKind.CREDIT_NOTE,
                label=_("Avoir %(number)s sur la facture %(invoice)s")
                % {"number": note.number, "invoice": note.invoice.number},
                credit=note.amount,
                credit_note=note,
            )
        )
    for payment in Payment.objects.filter(family=family):
        entries.append(
            HistoryEntry(
                day=payment.received_on,
                kind=EntryKind.PAYMENT,
                label=_("Règlement %(number)s — %(means)s")
                % {"number": payment.number, "means": payment.get_means_display()},
                credit=payment.amount,
                payment=payment,
                rejected=payment.status == Payment.Status.REJECTED,
            )
        )
        if payment.status == Payment.Status.REJECTED:
            entries.append(
                HistoryEntry(
                    day=payment.rejected_on or payment.received_on,
                    kind=EntryKind.REJECT,
                    label=_("Rejet du règlement %(number)s : %(reason)s")
                    % {"number": payment.number, "reason": payment.reject_reason},
                    debit=payment.amount,
                    payment=payment,
                )
            )
    entries.sort(key=lambda e: (e.day, _ORDER[e.kind]))
    balance = ZERO
    for entry in entries:
        balance += entry.debit - entry.credit
        entry.balance = balance
    billed = sum((e.debit for e in entries if e.kind == EntryKind.INVOICE), ZERO)
    credited = sum((e.credit for e in entries if e.kind == EntryKind.CREDIT_NOTE), ZERO)
    paid = sum(
        (
            e.payment.amount
            for e in entries
            if e.kind == EntryKind.PAYMENT and e.payment.status == Payment.Status.VALID
        ),
        ZERO,
    )
    return AccountHistory(
        entries=entries,
        balance=balance,
        credit=family_credit(family=family),
        billed=billed,
        credited=credited,
        paid=paid,
    )
