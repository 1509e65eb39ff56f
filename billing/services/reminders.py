"""Balance âgée (aged balance) of unpaid issued invoices and relances: one reminder email per invoice, 15 days after
its due date, recorded as a `BillingReminder` so the daily command can run any number of times."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from billing.models import BillingReminder, Invoice
from billing.services.invoicing import invoice_totals
from billing.services.payments import invoice_due

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")
REMINDER_DELAY_DAYS = 15


def reminder_delay_days() -> int:
    return int(getattr(settings, "PORTAIL_BILLING_REMINDER_DAYS", REMINDER_DELAY_DAYS))


# (key, label, first day past due, last day past due); "not due" is everything up to the due date itself.
BUCKETS = (
    ("not_due", gettext_lazy("Non échu"), None, 0),
    ("d30", gettext_lazy("0 à 30 jours"), 1, 30),
    ("d60", gettext_lazy("31 à 60 jours"), 31, 60),
    ("d90", gettext_lazy("61 à 90 jours"), 61, 90),
    ("over90", gettext_lazy("Plus de 90 jours"), 91, None),
)


def bucket_of(days_late: int) -> str:
    for key, _label, first, last in BUCKETS:
        if (first is None or days_late >= first) and (last is None or days_late <= last):
            return key
    raise AssertionError(days_late)


@dataclass
class AgedInvoice:
    invoice: Invoice
    due: Decimal
    days_late: int
    bucket: str
    reminded_on: date | None


@dataclass
class AgedFamily:
    family: object
    invoices: list[AgedInvoice] = field(default_factory=list)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO

    @property
    def cells(self) -> list[Decimal]:
        return [self.amounts.get(key, ZERO) for key, *_rest in BUCKETS]


@dataclass
class BucketTotal:
    key: str
    label: str
    amount: Decimal
    count: int
    percent: int  # width of the CSS bar, relative to the largest bucket


@dataclass
class AgedBalance:
    today: date
    families: list[AgedFamily]
    buckets: list[BucketTotal]
    total: Decimal


def aged_balance(*, today: date) -> AgedBalance:
    """Issued invoices with something left to pay, per family and by how late they are: one query, any size."""
    invoices = invoice_totals(
        Invoice.objects.filter(status=Invoice.Status.ISSUED).select_related("family", "reminder")
    ).order_by("family__name", "family__code", "due_on", "number")
    families: dict[int, AgedFamily] = {}
    counts = {key: 0 for key, *_rest in BUCKETS}
    amounts = {key: ZERO for key, *_rest in BUCKETS}
    for invoice in invoices:
        due = invoice_due(invoice)
        if due <= 0:
            continue
        days_late = (today - (invoice.due_on or invoice.issued_on)).days
        key = bucket_of(days_late)
        reminder = getattr(invoice, "reminder", None)
        row = families.setdefault(invoice.family_id, AgedFamily(family=invoice.family))
        row.invoices.append(
            AgedInvoice(
                invoice=invoice,
                due=due,
                days_late=days_late,
                bucket=key,
                reminded_on=reminder.sent_on if reminder else None,
            )
        )
        row.amounts[key] = row.amounts.get(key, ZERO) + due
        row.total += due
        counts[key] += 1
        amounts[key] += due
    largest = max(amounts.values()) if amounts else ZERO
    buckets = [
        BucketTotal(
            key=key,
            label=str(label),
            amount=amounts[key],
            count=counts[key],
            percent=int(amounts[key] * 100 / largest) if largest > 0 else 0,
        )
        for key, label, *_rest in BUCKETS
    ]
    return AgedBalance(
        today=today,
        families=list(families.values()),
        buckets=buckets,
        total=sum(amounts.values(), ZERO),
    )


def recent_reminders(*, limit: int = 50):
    return BillingReminder.objects.select_related("invoice__family").order_by("-sent_on", "-pk")[:limit]


def invoices_to_remind(*, today: date) -> list[Invoice]:
    """Issued invoices due `reminder_delay_days()` days ago or more, still unpaid and never reminded."""
    limit = today - timedelta(days=reminder_delay_days())
    candidates = invoice_totals(
        Invoice.objects.filter(status=Invoice.Status.ISSUED, due_on__lte=limit, reminder__isnull=True)
        .select_related("family", "payer")
        .prefetch_related("family__guardians")
    ).order_by("due_on", "number")
    return [invoice for invoice in candidates if invoice_due(invoice) > 0]


def _recipients(invoice: Invoice) -> list[str]:
    if invoice.payer_id and invoice.payer.email:
        return [invoice.payer.email]
    guardians = [g for g in invoice.family.guardians.all() if g.email]
    billing = [g.email for g in guardians if g.is_billing_contact]
    return billing or [g.email for g in guardians]


def invoice_remind(*, invoice: Invoice, today: date) -> BillingReminder | None:
    """Record the relance of one (annotated) invoice and email it after commit; None if already reminded."""
    from families.services.emails import email_send

    due = invoice_due(invoice)
    to = _recipients(invoice)
    try:
        with transaction.atomic():
            reminder = BillingReminder.objects.create(
                invoice=invoice, sent_on=today, sent_to=", ".join(to)[:500], amount_due=due
            )
            email_send(
                to=to,
                template="billing_reminder",
                context={
                    "invoice": invoice,
                    "due": due,
                    "invoice_url": f"{settings.PORTAIL_BASE_URL}/portail/factures/{invoice.pk}/",
                },
            )
    except IntegrityError:  # another run reminded it in the meantime
        return None
    return reminder


def reminders_send(*, today: date) -> list[BillingReminder]:
    """Send every relance due today (idempotent: an invoice is reminded once, whatever how often this runs)."""
    sent = []
    for invoice in invoices_to_remind(today=today):
        reminder = invoice_remind(invoice=invoice, today=today)
        if reminder is not None:
            sent.append(reminder)
    logger.info("%s relance(s) de facture envoyée(s)", len(sent))
    return sent
