"""Payments (règlements): recorded once, spread over the family's invoices, oldest first unless staff choose.

One write path for every means: the counter (cheque, cash, CESU, transfer), the online payment and the SEPA batch
all call `payment_record`. The family row is locked while money is spread, so two payments never settle the same
euro twice; what is not spread stays as a credit (avoir de trésorerie) on the family account, used by
`payment_allocate_credit` when the next invoice is issued.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from billing.models import Invoice, InvoiceLine, NumberCounter, Payment, PaymentAllocation, PaymentMeans
from billing.money import euros
from billing.services.invoicing import invoice_totals
from billing.services.numbering import number_take
from billing.signals import payments_changed
from families.models import Family, Guardian
from families.models.catalogue import ActivityKind

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# CESU (chèques emploi service universel) pay childcare only: the accueils de loisirs and périscolaire, never meals.
CESU_KINDS = (ActivityKind.PERISCOLAIRE, ActivityKind.MERCREDI, ActivityKind.VACANCES)


def money(value, *, field: str = "amount") -> Decimal:
    """A positive amount in euros with at most two decimals, or a French ValidationError."""
    try:
        amount = Decimal(str(value).replace(",", ".").replace("€", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Saisissez un montant en euros, par exemple 12,50.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("Le montant doit être supérieur à 0 €.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Le montant a au plus deux décimales (centimes).")})
    if amount >= Decimal("100000000"):
        raise ValidationError({field: _("Ce montant est trop élevé.")})
    return amount.quantize(CENT)


@dataclass(frozen=True)
class Allocation:
    invoice: Invoice
    amount: Decimal


def open_invoices(*, family, payer=None, for_update: bool = False) -> list[Invoice]:
    """The family's issued invoices with something left to pay, oldest first, `total/credited/paid` annotated."""
    queryset = Invoice.objects.filter(family=family, status=Invoice.Status.ISSUED)
    if payer is not None:
        queryset = queryset.filter(payer=payer)
    if for_update:
        # Lock the rows themselves (no join: PostgreSQL refuses FOR UPDATE with aggregates), then read the sums.
        list(queryset.select_for_update().values_list("pk", flat=True))
    invoices = invoice_totals(queryset).order_by("issued_on", "number", "pk")
    return [invoice for invoice in invoices if invoice_due(invoice) > 0]


def invoice_due(invoice) -> Decimal:
    """What is left to pay on an annotated invoice (total − credit notes − valid payments), never below 0."""
    left = invoice.total - invoice.credited - invoice.paid
    return max(left, ZERO).quantize(CENT)


def cesu_cap(invoice) -> Decimal:
    """How much of an invoice CESU may still settle: its childcare lines (no meals), minus CESU already on it."""
    childcare = (
        InvoiceLine.objects.filter(invoice=invoice, unit__activity__kind__in=CESU_KINDS).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    already = (
        PaymentAllocation.objects.filter(
            invoice=invoice, payment__means=PaymentMeans.CESU, payment__status=Payment.Status.VALID
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return max(min(childcare - already, invoice_due(invoice)), ZERO)


def allocation_plan(*, invoices: Iterable[Invoice], amount: Decimal, means: str = "") -> list[Allocation]:
    """Oldest first: each invoice gets what it still owes until the money runs out (the default spread)."""
    plan, left = [], amount
    for invoice in invoices:
        if left <= 0:
            break
        room = cesu_cap(invoice) if means == PaymentMeans.CESU else invoice_due(invoice)
        part = min(room, left)
        if part > 0:
            plan.append(Allocation(invoice=invoice, amount=part))
            left -= part
    return plan


def _checked_allocations(*, family, amount, means, allocations, payer) -> list[Allocation]:
    open_by_pk = {invoice.pk: invoice for invoice in open_invoices(family=family, for_update=True)}
    if allocations is None:
        candidates = [i for i in open_by_pk.values() if payer is None or i.payer_id in (None, payer.pk)]
        return allocation_plan(invoices=candidates, amount=amount, means=means)
    plan, spread = [], ZERO
    for key, value in allocations:
        invoice_pk = key.pk if isinstance(key, Invoice) else int(key)
        part = money(value, field="allocations")
        invoice = open_by_pk.get(invoice_pk)
        if invoice is None:
            number = (
                Invoice.objects.filter(pk=invoice_pk, family=family).values_list("number", flat=True).first()
            )
            if number is None:
                raise ValidationError({"allocations": _("Cette facture n'appartient pas à la famille.")})
            raise ValidationError(
                {"allocations": _("La facture %(number)s est déjà soldée.") % {"number": number}}
            )
        room = cesu_cap(invoice) if means == PaymentMeans.CESU else invoice_due(invoice)
        if part > room:
            if means == PaymentMeans.CESU:
                message = _(
                    "Les CESU ne paient que l'accueil des enfants (pas les repas) : au plus %(room)s sur la "
                    "facture %(number)s."
                )
            else:
                message = _("%(amount)s dépasse le reste à payer de la facture %(number)s (%(room)s).")
            raise ValidationError(
                {
                    "allocations": message
                    % {"amount": euros(part), "number": invoice.number, "room": euros(room)}
                }
            )
        plan.append(Allocation(invoice=invoice, amount=part))
        spread += part
    if spread > amount:
        raise ValidationError(
            {
                "allocations": _(
                    "Les affectations (%(spread)s) dépassent le montant du règlement (%(amount)s)."
                )
                % {"spread": euros(spread), "amount": euros(amount)}
            }
        )
    return plan


def _notify_after_commit(family, years: set[int]) -> None:
    transaction.on_commit(lambda: payments_changed.send(sender=Payment, family=family, years=set(years)))


@transaction.atomic
def payment_record(
    *,
    family: Family,
    means: str,
    amount,
    received_on: date,
    by=None,
    reference: str = "",
    bank: str = "",
    note: str = "",
    payer: Guardian | None = None,
    allocations: Iterable[tuple[Invoice | int, Decimal | str]] | None = None,
) -> Payment:
    """Record money received and spread it: over `allocations` (invoice, amount) when given, else oldest first.

    Nothing is spread beyond what an invoice still owes; the remainder stays as a credit on the family account.
    """
    if means not in PaymentMeans.values:
        raise ValidationError({"means": _("Choisissez un moyen de paiement.")})
    amount = money(amount)
    if payer is not None and payer.family_id != family.pk:
        raise ValidationError({"payer": _("Ce payeur n'est pas un responsable de la famille.")})
    Family.objects.select_for_update().filter(pk=family.pk).values_list("pk", flat=True).get()
    plan = _checked_allocations(
        family=family,
        amount=amount,
        means=means,
        allocations=list(allocations) if allocations is not None else None,
        payer=payer,
    )
    if means == PaymentMeans.CESU and sum((a.amount for a in plan), ZERO) < amount:
        raise ValidationError(
            {"amount": _("Les CESU ne peuvent pas rester en crédit : affectez-les à l'accueil des enfants.")}
        )
    payment = Payment.objects.create(
        number=number_take(series=NumberCounter.Series.RECEIPT, year=received_on.year),
        family=family,
        payer=payer,
        payer_name=(payer.full_name if payer is not None else ""),
        means=means,
        amount=amount,
        received_on=received_on,
        reference=reference.strip(),
        bank=bank.strip(),
        note=note.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    PaymentAllocation.objects.bulk_create(
        [PaymentAllocation(payment=payment, invoice=a.invoice, amount=a.amount) for a in plan]
    )
    _notify_after_commit(family, {received_on.year})
    return payment


def payment_unallocated(payment: Payment) -> Decimal:
    spread = payment.allocations.aggregate(s=Sum("amount"))["s"] or ZERO
    return (payment.amount - spread).quantize(CENT)


def family_credit(*, family) -> Decimal:
    """Money received and not yet spread over an invoice (valid payments only)."""
    received = (
        Payment.objects.filter(family=family, status=Payment.Status.VALID).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    spread = (
        PaymentAllocation.objects.filter(
            payment__family=family, payment__status=Payment.Status.VALID
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return (received - spread).quantize(CENT)


@transaction.atomic
def payment_allocate_credit(*, family) -> list[PaymentAllocation]:
    """Spread the family's credit (payments not fully spread, oldest first) over its open invoices, oldest first."""
    Family.objects.select_for_update().filter(pk=family.pk).values_list("pk", flat=True).get()
    payments = list(
        Payment.objects.filter(family=family, status=Payment.Status.VALID)
        .exclude(means=PaymentMeans.CESU)
        .annotate(spread=Sum("allocations__amount"))
        .order_by("received_on", "pk")
    )
    invoices = open_invoices(family=family, for_update=True)
    created, years = [], set()
    for payment in payments:
        left = payment.amount - (payment.spread or ZERO)
        if left <= 0:
            continue
        # Shared custody: a parent's credit only pays that parent's invoices (or the family's unaddressed ones).
        mine = [i for i in invoices if payment.payer_id is None or i.payer_id in (None, payment.payer_id)]
        for allocation in allocation_plan(invoices=mine, amount=left):
            existing = PaymentAllocation.objects.filter(payment=payment, invoice=allocation.invoice).first()
            if existing is not None:
                existing.amount += allocation.amount
                existing.save(update_fields=["amount"])
                created.append(existing)
            else:
                created.append(
                    PaymentAllocation.objects.create(
                        payment=payment, invoice=allocation.invoice, amount=allocation.amount
                    )
                )
            allocation.invoice.paid += allocation.amount
            years.add(payment.received_on.year)
        invoices = [i for i in invoices if invoice_due(i) > 0]
    if created:
        _notify_after_commit(family, years)
    return created


@transaction.atomic
def payment_reject(*, payment: Payment, on: date, reason: str, by=None) -> Payment:
    """A cheque without funds or a refused direct debit: the payment stops counting, its invoices are due again."""
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.status == Payment.Status.REJECTED:
        raise ValidationError(_("Ce règlement est déjà rejeté."))
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du rejet.")})
    locked.status = Payment.Status.REJECTED
    locked.rejected_on = on
    locked.reject_reason = reason.strip()[:200]
    locked.save(update_fields=["status", "rejected_on", "reject_reason"])
    _notify_after_commit(locked.family, {locked.received_on.year})
    return locked
