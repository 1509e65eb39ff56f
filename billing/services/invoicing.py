"""Monthly invoicing (facturation): bookings and attendance priced into draft invoices, then issued and numbered.

One computation serves the batch run, the preview, the parents' month estimate and the regularisations: a booking's
billing situation, its tariff on its day and the family's context give a price and the rule applied, grouped into
lines per child, unit, price and rule. A booking is billed at most once while its invoice stands (`BilledBooking`).
"""

from __future__ import annotations

import calendar
import gc
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.models import (
    ActivityBillingRule,
    BilledBooking,
    BillingSituation,
    FamilyQuotient,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    NumberCounter,
    Tariff,
    TariffBracket,
)
from billing.services.custody import (
    PayerLines,
    custody_distribute,
    custody_share_conflict,
    custody_splits_for,
)
from billing.services.numbering import number_take
from billing.services.tariffs import FamilyContext, situation_is_billed, unit_price
from families.models import Booking, Child, Family, Guardian, Unit
from families.services.deadlines import BookingAction

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PROGRESS_EVERY = 25
ROWS_BATCH = 5000  # rows per executemany (drafts, lines, billed days)


# --- Settings -----------------------------------------------------------------------------------------------------


def invoice_minimum() -> Decimal:
    """Below this total nothing is invoiced and the days carry over to next month (PORTAIL_INVOICE_MINIMUM)."""
    return Decimal(str(getattr(settings, "PORTAIL_INVOICE_MINIMUM", "5")))


def invoice_due_days() -> int:
    return int(getattr(settings, "PORTAIL_INVOICE_DUE_DAYS", 30))


def lookback_months() -> int:
    """How far back unbilled days (carried over, corrected late) are looked for (PORTAIL_INVOICE_LOOKBACK_MONTHS)."""
    return int(getattr(settings, "PORTAIL_INVOICE_LOOKBACK_MONTHS", 3))


def family_is_resident(family) -> bool:
    """Resident unless the town lists its postcodes (PORTAIL_TOWN_POSTCODES) and the family's is not one of them."""
    postcodes = getattr(settings, "PORTAIL_TOWN_POSTCODES", None) or []
    return not postcodes or family.postcode in postcodes


# --- Periods ------------------------------------------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def months_before(day: date, months: int) -> date:
    year, month = day.year, day.month - months
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def parse_period(text: str) -> date:
    """ "2026-11" → 1 November 2026; a French error for anything else."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise ValidationError({"period": _("Indiquez le mois sous la forme AAAA-MM (ex. 2026-11).")}) from exc


# --- Billing situation of a booking ------------------------------------------------------------------------------


def booking_situation(booking: Booking) -> BillingSituation | None:
    """What happened on a booked day, for billing; None for a day that never concerned the family (liste d'attente)."""
    present = booking.attendance == Booking.Attendance.PRESENT
    if booking.state == Booking.State.RESERVED:
        if booking.attendance == Booking.Attendance.ABSENT:
            return BillingSituation.RESERVED_ABSENT_UNJUSTIFIED
        if booking.attendance == Booking.Attendance.EXCUSED:
            return BillingSituation.ABSENT_JUSTIFIED
        return BillingSituation.RESERVED_PRESENT  # not yet pointed: billed as reserved (and flagged)
    if present:
        return BillingSituation.PRESENT_UNRESERVED
    if booking.state == Booking.State.CLOSURE:
        return BillingSituation.CLOSURE
    if booking.state == Booking.State.CANCELLED:
        return BillingSituation.CANCELLED_IN_TIME
    return None


# --- Pricing context, loaded in bulk ------------------------------------------------------------------------------


@dataclass
class PricingData:
    """Everything pricing needs, fetched once for a set of families and units (constant queries per run)."""

    tariffs: dict[int, list[Tariff]] = field(default_factory=dict)
    rules: dict[int, ActivityBillingRule] = field(default_factory=dict)
    quotients: dict[int, list[FamilyQuotient]] = field(default_factory=dict)
    children: dict[int, list[Child]] = field(default_factory=dict)
    child_by_id: dict[int, Child] = field(default_factory=dict)
    units: dict[int, Unit] = field(default_factory=dict)
    _prices: dict[tuple, object] = field(default_factory=dict)
    # Run-wide memos of the pricing loop (plain dicts: a month is tens of thousands of days, with few distinct
    # tariffs, situations and contexts).
    _tariff_on: dict[tuple, Tariff | None] = field(default_factory=dict)
    _billed: dict[tuple, bool] = field(default_factory=dict)
    _day_prices: dict[tuple, tuple[Decimal, str]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, *, family_ids: Iterable[int], unit_ids: Iterable[int], activity_ids: Iterable[int]
    ) -> PricingData:
        family_ids, unit_ids = list(set(family_ids)), list(set(unit_ids))
        data = cls()
        for tariff in Tariff.objects.filter(unit_id__in=unit_ids).prefetch_related(
            Prefetch("brackets", queryset=TariffBracket.objects.order_by("qf_min"))
        ):
            data.tariffs.setdefault(tariff.unit_id, []).append(tariff)
        data.rules = {
            r.activity_id: r for r in ActivityBillingRule.objects.filter(activity_id__in=set(activity_ids))
        }
        for quotient in FamilyQuotient.objects.filter(family_id__in=family_ids).order_by("-valid_from"):
            data.quotients.setdefault(quotient.family_id, []).append(quotient)
        for child in Child.objects.filter(family_id__in=family_ids).order_by(
            "birth_date", "first_name", "pk"
        ):
            data.children.setdefault(child.family_id, []).append(child)
            data.child_by_id[child.pk] = child
        data.units = Unit.objects.select_related("activity").in_bulk(unit_ids)
        return data

    def price(self, tariff: Tariff, ctx: FamilyContext):
        # Many days share a tariff and a context: price each pair once.
        key = (tariff.pk, ctx)
        if key not in self._prices:
            self._prices[key] = unit_price(tariff=tariff, family_context=ctx)
        return self._prices[key]

    def tariff(self, unit_id: int, day: date) -> Tariff | None:
        for tariff in self.tariffs.get(unit_id, []):
            if tariff.valid_from <= day and (tariff.valid_until is None or tariff.valid_until >= day):
                return tariff
        return None

    def quotient(self, family_id: int, day: date) -> Decimal | None:
        for quotient in self.quotients.get(family_id, []):
            if quotient.valid_from <= day and (quotient.valid_until is None or quotient.valid_until >= day):
                return quotient.value
        return None

    def context(
        self, *, family, child_id: int, day: date, unreserved: bool, late: bool = False
    ) -> FamilyContext:
        children = self.children.get(family.pk, [])
        rank = next((i for i, c in enumerate(children, start=1) if c.pk == child_id), 1)
        return FamilyContext(
            quotient=self.quotient(family.pk, day),
            resident=family_is_resident(family),
            children=max(len(children), 1),
            child_rank=rank,
            unreserved=unreserved,
            late=late,
        )

    # --- The batch path: the same answers as `tariff`, `context` and `price`, memoised for a run ---------------

    def tariff_on(self, unit_id: int, day: date) -> Tariff | None:
        key = (unit_id, day)
        try:
            return self._tariff_on[key]
        except KeyError:
            tariff = self._tariff_on[key] = self.tariff(unit_id, day)
            return tariff

    def is_billed(self, situation: BillingSituation, unit: Unit) -> bool:
        key = (situation, unit.pk)
        try:
            return self._billed[key]
        except KeyError:
            billed = self._billed[key] = situation_is_billed(
                situation=situation, rule=self.rules.get(unit.activity.pk)
            )
            return billed

    def family_pricing(self, family) -> tuple[bool, int, dict[int, int]]:
        """(resident, number of children, rank of each child): what `context` derives from the family alone."""
        children = self.children.get(family.pk, [])
        ranks = {child.pk: rank for rank, child in enumerate(children, start=1)}
        return family_is_resident(family), max(len(children), 1), ranks

    def day_price(
        self, tariff: Tariff, situation: BillingSituation, context_key: tuple
    ) -> tuple[Decimal, str]:
        """(unit price, rule with the situation's) for a tariff and a context given as `FamilyContext`'s fields
        (quotient, resident, children, child_rank, unreserved, late): priced once per distinct key."""
        key = (tariff.pk, situation, *context_key)
        try:
            return self._day_prices[key]
        except KeyError:
            quotient, resident, children, rank, unreserved, late = context_key
            ctx = FamilyContext(
                quotient=quotient,
                resident=resident,
                children=children,
                child_rank=rank,
                unreserved=unreserved,
                late=late,
            )
            price = self.price(tariff, ctx)
            rule = " ; ".join(r for r in (price.rule, _situation_rule(situation)) if r)
            priced = self._day_prices[key] = (price.amount, rule)
            return priced


# --- Lines --------------------------------------------------------------------------------------------------------


@dataclass
class LineDraft:
    """A line before it is saved: the bookings it bills, quantity × unit price, the rule applied."""

    kind: str
    child: Child
    unit: object
    unit_price: Decimal
    rule: str
    bookings: list[Booking] = field(default_factory=list)
    reversal: bool = False
    # Tariff.meal_part: the catering inside each unit, kept out of the attestation fiscale.
    meal_part: Decimal = ZERO
    # A payer's share of a shared custody (garde alternée en pourcentage).
    share: int = BilledBooking.Share.WHOLE

    @property
    def quantity(self) -> Decimal:
        return Decimal(len(self.bookings))

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def meal_amount(self) -> Decimal:
        meal = min((self.quantity * self.meal_part).quantize(CENT, rounding=ROUND_HALF_UP), abs(self.amount))
        return -meal if self.reversal else meal

    @property
    def days(self) -> list[date]:
        return sorted(b.date for b in self.bookings)

    @property
    def label(self) -> str:
        if self.reversal:
            return _("Régularisation : %(unit)s") % {"unit": self.unit.label}
        if self.kind == InvoiceLine.Kind.CARRY:
            return _("%(unit)s (jours antérieurs)") % {"unit": self.unit.label}
        return self.unit.label

    @property
    def dates_text(self) -> str:
        return ", ".join(day.strftime("%d/%m") for day in self.days)


class Anomaly(NamedTuple):
    kind: str
    message: str


ANOMALY_NO_QF = "no_quotient"
ANOMALY_OPEN_ROLL_CALL = "open_roll_call"
ANOMALY_ZERO = "zero_amount"
ANOMALY_NO_TARIFF = "no_tariff"
ANOMALY_CARRIED = "carried_over"
ANOMALY_CONFLICT = "already_billed"


def _situation_rule(situation: BillingSituation) -> str | None:
    if situation == BillingSituation.RESERVED_ABSENT_UNJUSTIFIED:
        return _("Absence non justifiée")
    return None


def price_bookings(
    *, family, bookings: Iterable[Booking], data: PricingData, period_start: date
) -> tuple[list[LineDraft], list[Anomaly]]:
    """Group a family's billable bookings into priced lines (per child, unit, kind, unit price and rule)."""
    groups: dict[tuple, LineDraft] = {}
    anomalies: list[Anomaly] = []
    # What depends on the family alone, once; the rest from the run's memos (`PricingData.day_price`…).
    resident, n_children, ranks = data.family_pricing(family)
    situations: dict[tuple, BillingSituation | None] = {}
    quotients: dict[date, Decimal | None] = {}  # the family's QF by day (its children share the days)
    unreserved_situation = BillingSituation.PRESENT_UNRESERVED
    carry, charge = InvoiceLine.Kind.CARRY, InvoiceLine.Kind.CHARGE
    for booking in bookings:
        state_key = (booking.state, booking.attendance)
        try:
            situation = situations[state_key]
        except KeyError:
            situation = situations[state_key] = booking_situation(booking)
        if situation is None:
            continue
        unit = data.units[booking.unit_id]
        if not data.is_billed(situation, unit):
            continue
        day = booking.date
        tariff = data.tariff_on(booking.unit_id, day)
        if tariff is None:
            anomalies.append(
                Anomaly(
                    ANOMALY_NO_TARIFF,
                    _("%(unit)s : aucun tarif en vigueur le %(day)s (jour non facturé).")
                    % {"unit": unit.label, "day": day.strftime("%d/%m/%Y")},
                )
            )
            continue
        try:
            quotient = quotients[day]
        except KeyError:
            quotient = quotients[day] = data.quotient(family.pk, day)
        unreserved = situation == unreserved_situation
        amount, rule = data.day_price(
            tariff,
            situation,
            (
                quotient,
                resident,
                n_children,
                ranks.get(booking.child_id, 1),
                unreserved,
                # Réservation tardive: reserved by the service enfance after the délai (Booking.late).
                bool(booking.late and not unreserved),
            ),
        )
        kind = carry if day < period_start else charge
        key = (booking.child_id, booking.unit_id, kind, amount, rule, tariff.meal_part)
        line = groups.get(key)
        if line is None:
            line = groups[key] = LineDraft(
                kind=kind,
                child=data.child_by_id[booking.child_id],
                unit=unit,
                unit_price=amount,
                rule=rule,
                meal_part=tariff.meal_part,
            )
        line.bookings.append(booking)
    return list(groups.values()), anomalies


def reversal_lines(*, links: Iterable[BilledBooking], data: PricingData) -> list[LineDraft]:
    """Days already invoiced whose attendance was corrected since (absence justifiée…): a negative line next month."""
    groups: dict[tuple, LineDraft] = {}
    for link in links:
        booking = link.booking
        situation = booking_situation(booking)
        billed = situation is not None and situation_is_billed(
            situation=situation, rule=data.rules.get(booking.unit.activity_id)
        )
        if billed:
            continue
        reason = BillingSituation(situation).label if situation is not None else _("Jour non dû")
        rule = _("Jour déjà facturé, désormais : %(reason)s") % {"reason": reason}
        tariff = data.tariff(booking.unit_id, booking.date)
        meal_part = tariff.meal_part if tariff is not None else ZERO
        key = (booking.child_id, booking.unit_id, -link.amount, rule, meal_part, link.share)
        if key not in groups:
            groups[key] = LineDraft(
                kind=InvoiceLine.Kind.REVERSAL,
                child=booking.child,
                unit=booking.unit,
                unit_price=-link.amount,
                rule=rule,
                reversal=True,
                meal_part=meal_part,
                share=link.share,
            )
        groups[key].bookings.append(booking)
    return list(groups.values())


def _sort_key(line: LineDraft):
    return (
        line.child.first_name,
        line.child.pk,
        line.unit.activity.name,
        line.unit.label,
        line.reversal,
        line.days,
    )


# --- Estimate for the planning page ------------------------------------------------------------------------------


class MonthEstimate(NamedTuple):
    total: Decimal
    lines: list[LineDraft]


def month_estimate(*, family, child, month: date, changes: Iterable[tuple] = ()) -> MonthEstimate:
    """What a child's month costs so far (réservations du mois, présences pointées), priced like the invoice will be.

    `changes` are the parent's ticks not yet validated, (unit, day, "add" or "cancel"): an added day counts as
    reserved (replacing the day's other meal type), a cancelled one no longer counts.
    """
    start, end = month_bounds(month)
    bookings = list(
        Booking.objects.filter(child=child, date__range=(start, end)).select_related(
            "child", "unit__activity"
        )
    )
    for unit, day, action in changes:
        if not start <= day <= end:
            continue
        same_day = [
            b
            for b in bookings
            if b.date == day
            and b.state in Booking.ACTIVE
            and (
                b.unit_id == unit.pk
                or (
                    action == BookingAction.ADD
                    and unit.exclusive_group
                    and b.unit.activity_id == unit.activity_id
                    and b.unit.exclusive_group == unit.exclusive_group
                )
            )
        ]
        if action == BookingAction.ADD and any(b.unit_id == unit.pk for b in same_day):
            continue
        bookings = [b for b in bookings if b not in same_day]
        if action == BookingAction.ADD:
            bookings.append(Booking(child=child, unit=unit, date=day, state=Booking.State.RESERVED))
    data = PricingData.load(
        family_ids=[family.pk],
        unit_ids=[b.unit_id for b in bookings],
        activity_ids=[b.unit.activity_id for b in bookings],
    )
    lines, _anomalies = price_bookings(family=family, bookings=bookings, data=data, period_start=start)
    lines.sort(key=_sort_key)
    return MonthEstimate(total=sum((line.amount for line in lines), ZERO), lines=lines)


# --- Batch run: drafts ----------------------------------------------------------------------------------------------


@transaction.atomic
def invoice_run_create(*, period: date, activities: Iterable, by, start: bool = True) -> InvoiceRun:
    """Open a run for a month and activities; its drafts are prepared in the background (django-tasks)."""
    activities = list(activities)
    if not activities:
        raise ValidationError({"activities": _("Choisissez au moins une activité à facturer.")})
    run = InvoiceRun.objects.create(period=period.replace(day=1), created_by=by)
    run.activities.set(activities)
    if start:
        from billing.tasks import prepare_invoice_run

        transaction.on_commit(lambda: prepare_invoice_run.enqueue(run_id=run.pk))
    return run


def _candidate_bookings(*, activity_ids, since: date, until: date, family_ids=None):
    active_link = BilledBooking.objects.filter(booking=OuterRef("pk"), active=True, reversal=False)
    Share = BilledBooking.Share
    qs = (
        Booking.objects.filter(unit__activity_id__in=activity_ids, date__range=(since, until))
        .exclude(
            state=Booking.State.WAITING,
            attendance__in=[Booking.Attendance.UNKNOWN, Booking.Attendance.ABSENT],
        )
        # Shared custody: a day whose one share stands (the other parent's invoice was cancelled) is billed again
        # for the missing share only (`billed_a` / `billed_b`).
        .annotate(
            billed_a=Exists(active_link.filter(share=Share.PAYER_A)),
            billed_b=Exists(active_link.filter(share=Share.PAYER_B)),
        )
        .filter(~Exists(active_link.filter(share=Share.WHOLE)))
        .exclude(billed_a=True, billed_b=True)
        .order_by("child__family_id", "child_id", "date", "unit_id")
        # Light rows, not model instances: a town's month is tens of thousands of bookings.
        .values_list(
            "pk",
            "child_id",
            "unit_id",
            "date",
            "state",
            "attendance",
            "late",
            "child__family_id",
            "billed_a",
            "billed_b",
            named=True,
        )
    )
    if family_ids is not None:
        qs = qs.filter(child__family_id__in=family_ids)
    return qs


def _reversal_candidates(*, activity_ids, until: date):
    reversed_link = BilledBooking.objects.filter(
        booking=OuterRef("booking_id"), share=OuterRef("share"), active=True, reversal=True
    )
    return (
        BilledBooking.objects.filter(active=True, reversal=False, booking__unit__activity_id__in=activity_ids)
        .filter(booking__date__lte=until)
        .filter(
            Q(booking__attendance=Booking.Attendance.EXCUSED)
            | Q(booking__state__in=[Booking.State.CLOSURE, Booking.State.CANCELLED, Booking.State.WAITING])
        )
        .filter(~Exists(reversed_link))
        .select_related("booking__child__family", "booking__unit__activity", "line__invoice__payer")
    )


def _billing_guardians(family_ids) -> dict[int, Guardian]:
    payers: dict[int, Guardian] = {}
    for guardian in Guardian.objects.filter(family_id__in=family_ids).order_by("-is_billing_contact", "pk"):
        payers.setdefault(guardian.family_id, guardian)
    return payers


def _links_by_payer(links, default_payer) -> list[tuple]:
    """Billed days to reverse, grouped by the payer of the invoice that billed them (shared custody)."""
    out: dict = {}
    for link in links:
        payer = link.line.invoice.payer if link.line.invoice.payer_id else default_payer
        out.setdefault(payer.pk if payer else None, (payer, []))[1].append(link)
    return list(out.values())


def _payer_group(groups: list[PayerLines], payer) -> PayerLines:
    key = payer.pk if payer else None
    for group in groups:
        if (group.payer.pk if group.payer else None) == key:
            return group
    groups.append(PayerLines(payer=payer))
    return groups[-1]


def _address(family) -> str:
    lines = [family.address_line1, family.address_line2, f"{family.postcode} {family.commune}"]
    return "\n".join(line for line in lines if line.strip())


# Fields whose values every database driver takes as they are (no adaptation by the field).
_PLAIN_TYPES = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def _rows_insert(model, names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows given as plain tuples of values in `names` order (field names; a foreign key by its id), in
    batches of one `executemany`; every other field gets its default (auto_now_add: now), as `bulk_create` would.

    The batch run writes one row per billed day: building a model instance per row and preparing it field by field
    cost several times the insert itself. Values are adapted by their field once per distinct value (dates,
    decimals); integers, booleans and text go to the driver as they are. No signals, like `bulk_create`.
    """
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    given = [meta.get_field(name) for name in names]
    now = timezone.now()
    defaults, default_values = [], []
    for f in meta.concrete_fields:
        if f in given or f is meta.pk or (f.has_db_default() and not f.has_default()):
            continue
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        defaults.append(f)
        default_values.append(f.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in given + defaults)
    placeholders = ", ".join(["%s"] * (len(given) + len(defaults)))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"
    memos: list[dict | None] = [None if f.get_internal_type() in _PLAIN_TYPES else {} for f in given]
    tail = tuple(default_values)

    def adapted(row: Sequence) -> tuple:
        out = []
        for f, memo, value in zip(given, memos, row, strict=True):
            if memo is not None:
                try:
                    value = memo[value]
                except KeyError:
                    value = memo[value] = f.get_db_prep_save(value, connection)
            out.append(value)
        return (*out, *tail)

    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(adapted(row))
            if len(batch) >= ROWS_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _dates_text(days: list[date]) -> str:
    """ "03/11, 04/11": `LineDraft.dates_text` for days already sorted."""
    return ", ".join(f"{day.day:02d}/{day.month:02d}" for day in days)


@contextmanager
def _cyclic_gc_paused():
    """Python's cyclic garbage collector paused while a run builds its rows, then back as it was.

    A run keeps tens of thousands of small rows alive until it writes them, and every full collection walks the whole
    process heap to find none of them garbage (about 0.2 s each in the benchmark, one or two per 2,000 children).
    Reference counting still frees everything meanwhile; only cycles wait for the collector's return.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def invoice_run_prepare(*, run: InvoiceRun, today: date | None = None) -> InvoiceRun:
    """Build the run's draft invoices (one per family, to its payer) and its anomalies; re-running replaces them."""
    with _cyclic_gc_paused():
        return _invoice_run_prepare(run=run, today=today)


def _invoice_run_prepare(*, run: InvoiceRun, today: date | None) -> InvoiceRun:
    today = today or timezone.localdate()
    start, end = month_bounds(run.period)
    activity_ids = list(run.activities.values_list("pk", flat=True))
    InvoiceRun.objects.filter(pk=run.pk).update(status=InvoiceRun.Status.PREPARING, done_steps=0, error="")
    Invoice.objects.filter(run=run, status=Invoice.Status.DRAFT).delete()

    bookings = list(
        _candidate_bookings(
            activity_ids=activity_ids, since=months_before(start, lookback_months()), until=end
        )
    )
    links = list(_reversal_candidates(activity_ids=activity_ids, until=end))
    by_family: dict[int, list[Booking]] = defaultdict(list)
    families = {}
    for booking in bookings:
        by_family[booking.child__family_id].append(booking)
        families[booking.child__family_id] = None
    links_by_family: dict[int, list[BilledBooking]] = defaultdict(list)
    for link in links:
        links_by_family[link.booking.child.family_id].append(link)
        families[link.booking.child.family_id] = link.booking.child.family
    families.update(Family.objects.in_bulk([pk for pk, family in families.items() if family is None]))
    data = PricingData.load(
        family_ids=families.keys(),
        unit_ids={b.unit_id for b in bookings} | {link.booking.unit_id for link in links},
        activity_ids=activity_ids,
    )
    payers = _billing_guardians(families.keys())
    splits = custody_splits_for(since=months_before(start, lookback_months()), until=end)
    total = len(families)
    InvoiceRun.objects.filter(pk=run.pk).update(total_steps=total)

    anomalies: list[Anomaly] = []
    open_days: dict[tuple, int] = defaultdict(int)
    for booking in bookings:
        if (
            booking.state == Booking.State.RESERVED
            and booking.attendance == Booking.Attendance.UNKNOWN
            and booking.date <= today
        ):
            open_days[(data.units[booking.unit_id].activity.name, booking.date)] += 1
    for (activity_name, day), count in sorted(open_days.items(), key=lambda item: (item[0][1], item[0][0])):
        anomalies.append(
            Anomaly(
                ANOMALY_OPEN_ROLL_CALL,
                _(
                    "%(activity)s, %(day)s : appel non clôturé (%(n)s réservation(s) non pointée(s), facturées comme réservées)."
                )
                % {"activity": activity_name, "day": day.strftime("%d/%m/%Y"), "n": count},
            )
        )

    minimum = invoice_minimum()
    invoices, line_rows = [], []
    for done, (family_id, family) in enumerate(
        sorted(families.items(), key=lambda item: item[1].name), start=1
    ):
        lines, found = price_bookings(
            family=family, bookings=by_family.get(family_id, []), data=data, period_start=start
        )
        # Shared custody: one invoice per (family, payer); a reversal goes back to the payer of the billed day.
        per_payer = custody_distribute(lines=lines, splits=splits, default_payer=payers.get(family_id))
        for link_payer, payer_links in _links_by_payer(
            links_by_family.get(family_id, []), payers.get(family_id)
        ):
            _payer_group(per_payer, link_payer).lines += reversal_lines(links=payer_links, data=data)
        lines = [line for group in per_payer for line in group.lines]
        anomalies += [Anomaly(a.kind, f"{family.code} — {a.message}") for a in found]
        if lines:
            amount = sum((line.amount for line in lines), ZERO)
            if amount < minimum:
                anomalies.append(
                    Anomaly(
                        ANOMALY_CARRIED,
                        _(
                            "%(family)s : %(amount)s € sous le minimum de facturation, reporté au mois suivant."
                        )
                        % {"family": family.code, "amount": amount},
                    )
                )
            else:
                # The rules first: scanning every day's QF is only worth it when a line is priced by QF.
                if any("QF" in line.rule or "quotient" in line.rule for line in lines) and any(
                    data.quotient(family_id, day) is None
                    for day in {b.date for line in lines for b in line.bookings}
                ):
                    anomalies.append(
                        Anomaly(
                            ANOMALY_NO_QF,
                            _("%(family)s : pas de quotient familial valide, tarif le plus haut.")
                            % {"family": f"{family.name} ({family.code})"},
                        )
                    )
                for line in lines:
                    if line.unit_price == 0 and not line.reversal:
                        anomalies.append(
                            Anomaly(
                                ANOMALY_ZERO,
                                _("%(family)s : %(child)s facturé à 0 € (%(unit)s).")
                                % {
                                    "family": family.code,
                                    "child": line.child.full_name,
                                    "unit": line.unit.label,
                                },
                            )
                        )
                for group in per_payer:
                    payer = group.payer
                    # (family, payer) identifies the draft within the run: its id is read back after the insert.
                    invoices.append(
                        (
                            run.pk,
                            family_id,
                            payer.pk if payer else None,
                            payer.full_name if payer else family.name,
                            group.address or _address(family),
                            start,
                            family.paperless_invoices,
                        )
                    )
                    group.lines.sort(key=_sort_key)
                    line_rows.append(((family_id, payer.pk if payer else None), group.lines))
        if done % PROGRESS_EVERY == 0:
            InvoiceRun.objects.filter(pk=run.pk).update(done_steps=done)

    with transaction.atomic():
        _rows_insert(
            Invoice,
            ("run", "family", "payer", "payer_name", "payer_address", "period", "paperless"),
            invoices,
        )
        drafts = Invoice.objects.filter(run=run, status=Invoice.Status.DRAFT)
        invoice_ids = {
            (family_id, payer_id): pk
            for pk, family_id, payer_id in drafts.values_list("pk", "family_id", "payer_id")
        }
        _rows_insert(
            InvoiceLine,
            (
                "invoice",
                "kind",
                "child",
                "child_name",
                "unit",
                "activity_name",
                "label",
                "dates",
                "first_date",
                "last_date",
                "quantity",
                "unit_price",
                "amount",
                "meal_amount",
                "rule",
                "position",
            ),
            (
                (
                    invoice_ids[invoice_key],
                    line.kind,
                    line.child.pk,
                    line.child.full_name,
                    line.unit.pk,
                    line.unit.activity.name,
                    line.label,
                    _dates_text(days)[:500],
                    days[0],
                    days[-1],
                    line.quantity,
                    line.unit_price,
                    line.amount,
                    line.meal_amount,
                    line.rule[:300],
                    position,
                )
                for invoice_key, lines in line_rows
                for position, line in enumerate(lines)
                for days in (line.days,)
            ),
        )
        line_ids = {
            (invoice_id, position): pk
            for pk, invoice_id, position in InvoiceLine.objects.filter(invoice__in=drafts).values_list(
                "pk", "invoice_id", "position"
            )
        }
        _rows_insert(
            BilledBooking,
            ("line", "booking", "reversal", "amount", "share"),
            (
                (
                    line_id,
                    booking.pk,
                    line.reversal,
                    -line.unit_price if line.reversal else line.unit_price,
                    line.share,
                )
                for invoice_key, lines in line_rows
                for position, line in enumerate(lines)
                for line_id in (line_ids[(invoice_ids[invoice_key], position)],)
                for booking in line.bookings
            ),
        )
        run.anomalies = [{"kind": a.kind, "message": a.message} for a in anomalies]
        run.status = InvoiceRun.Status.DRAFTED
        run.done_steps = total
        run.total_steps = total
        run.save(update_fields=["anomalies", "status", "done_steps", "total_steps"])
    return run


# --- Preview ------------------------------------------------------------------------------------------------------


def invoice_totals(queryset):
    """Invoices with `total` (sum of lines), `credited` (credit notes), `paid` (valid payments spread on them) and
    `paid_on` (the last of those payments) annotated: one query."""
    from django.db.models import DateField, DecimalField, Max, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from billing.models import CreditNote, Payment, PaymentAllocation

    def summed(model, **filters):
        return (
            model.objects.filter(invoice=OuterRef("pk"), **filters)
            .values("invoice")
            .annotate(s=Sum("amount"))
            .values("s")
        )

    last_payment = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"), payment__status=Payment.Status.VALID)
        .values("invoice")
        .annotate(d=Max("payment__received_on"))
        .values("d")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    return queryset.annotate(
        total=Coalesce(Subquery(summed(InvoiceLine), output_field=money), Value(ZERO), output_field=money),
        credited=Coalesce(Subquery(summed(CreditNote), output_field=money), Value(ZERO), output_field=money),
        paid=Coalesce(
            Subquery(summed(PaymentAllocation, payment__status=Payment.Status.VALID), output_field=money),
            Value(ZERO),
            output_field=money,
        ),
        paid_on=Subquery(last_payment, output_field=DateField()),
    )


@dataclass
class RunPreview:
    run: InvoiceRun
    invoices: list
    total: Decimal
    count: int
    print_list: list
    anomalies: list


def invoice_run_preview(*, run: InvoiceRun) -> RunPreview:
    """The run's invoices with their totals, the grand total, the paper print list and the anomalies."""
    invoices = list(invoice_totals(run.invoices.select_related("family").order_by("family__name")))
    return RunPreview(
        run=run,
        invoices=invoices,
        total=sum((i.total for i in invoices), ZERO).quantize(Decimal("0.01")),
        count=len(invoices),
        print_list=[i for i in invoices if not i.paperless and i.status != Invoice.Status.DRAFT],
        anomalies=run.anomalies,
    )


# --- Issue ----------------------------------------------------------------------------------------------------------


def invoice_issue(*, invoice: Invoice, today: date) -> Invoice:
    """Number a draft (gapless per year), activate its bookings' links (billed once) and freeze it."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status != Invoice.Status.DRAFT:
            raise ValidationError(_("Cette facture est déjà émise."))
        try:
            with transaction.atomic():
                BilledBooking.objects.filter(line__invoice=locked).update(active=True)
                if custody_share_conflict(invoice=locked):
                    raise IntegrityError("a day billed whole and as a custody share")
        except IntegrityError as exc:
            raise ValidationError(
                _(
                    "Une partie de ces jours a déjà été facturée par une autre facture : relancez la préparation."
                )
            ) from exc
        locked.number = number_take(series=NumberCounter.Series.INVOICE, year=today.year)
        locked.status = Invoice.Status.ISSUED
        locked.issued_on = today
        locked.due_on = today + timedelta(days=invoice_due_days())
        locked.save(update_fields=["number", "status", "issued_on", "due_on"])
    return locked


def invoice_attach_pdf(*, invoice: Invoice) -> None:
    from billing.pdf import invoice_pdf

    content = invoice_pdf(invoice=invoice)
    invoice.pdf.save(f"{invoice.number}.pdf", ContentFile(content), save=False)
    Invoice.objects.filter(pk=invoice.pk).update(pdf=invoice.pdf.name)


def invoice_notify(*, invoice: Invoice) -> None:
    """Email the payer a link to the invoice in the portal (every family; paper goes on the print list)."""
    from families.services.emails import email_send

    to = invoice.payer.email if invoice.payer and invoice.payer.email else None
    if not to:
        return
    total = invoice.lines_total()
    email_send(
        to=to,
        template="invoice_issued",
        context={
            "invoice": invoice,
            "total": total,
            "invoice_url": f"{settings.PORTAIL_BASE_URL}/portail/factures/{invoice.pk}/",
        },
    )


def invoice_run_start_issue(*, run: InvoiceRun, by) -> InvoiceRun:
    """Staff confirm the preview: the issue runs in the background (numbers, PDFs, emails)."""
    if run.status != InvoiceRun.Status.DRAFTED:
        raise ValidationError(_("Seule une facturation dont les brouillons sont prêts peut être émise."))
    InvoiceRun.objects.filter(pk=run.pk).update(status=InvoiceRun.Status.ISSUING, done_steps=0)
    run.refresh_from_db()
    from billing.tasks import issue_invoice_run

    transaction.on_commit(lambda: issue_invoice_run.enqueue(run_id=run.pk))
    return run


def invoice_run_issue(*, run: InvoiceRun, today: date | None = None, notify: bool = True) -> InvoiceRun:
    """Issue every draft of the run: numbers without gaps, a PDF each, the families notified (unless `notify` is
    False: the demo's past months, whose emails would have gone out back then)."""
    today = today or timezone.localdate()
    drafts = list(
        run.invoices.filter(status=Invoice.Status.DRAFT)
        .select_related("family", "payer")
        .order_by("family__name", "pk")
    )
    InvoiceRun.objects.filter(pk=run.pk).update(
        status=InvoiceRun.Status.ISSUING, total_steps=len(drafts), done_steps=0
    )
    anomalies = list(run.anomalies)
    for done, draft in enumerate(drafts, start=1):
        try:
            invoice = invoice_issue(invoice=draft, today=today)
        except ValidationError as exc:
            anomalies.append(
                {"kind": ANOMALY_CONFLICT, "message": f"{draft.family.code} — {exc.messages[0]}"}
            )
            continue
        invoice.family, invoice.payer = draft.family, draft.payer
        invoice_attach_pdf(invoice=invoice)
        if notify:
            invoice_notify(invoice=invoice)
        if done % PROGRESS_EVERY == 0:
            InvoiceRun.objects.filter(pk=run.pk).update(done_steps=done)
    InvoiceRun.objects.filter(pk=run.pk).update(
        status=InvoiceRun.Status.ISSUED, done_steps=len(drafts), issued_at=timezone.now(), anomalies=anomalies
    )
    run.refresh_from_db()
    return run


# --- Family account ----------------------------------------------------------------------------------------------


def invoice_paid(invoice) -> Decimal:
    """The valid payments spread on the invoice (uses the `paid` annotation of `invoice_totals` when present)."""
    paid = getattr(invoice, "paid", None)
    if paid is None:
        from billing.models import Payment

        paid = (
            invoice.allocations.filter(payment__status=Payment.Status.VALID).aggregate(s=Sum("amount"))["s"]
            or ZERO
        )
    return paid


def invoice_balance(invoice) -> Decimal:
    total = getattr(invoice, "total", None)
    if total is None:
        total = invoice.lines_total()
    credited = getattr(invoice, "credited", None)
    if credited is None:
        credited = invoice.credit_notes.aggregate(s=Sum("amount"))["s"] or ZERO
    return (total - credited - invoice_paid(invoice)).quantize(CENT, rounding=ROUND_HALF_UP)


class FamilyInvoiceStatus(models.TextChoices):
    """The family's view of an issued invoice (the family API's `status`)."""

    DUE = "due", gettext_lazy("À payer")
    PAID = "paid", gettext_lazy("Payée")
    CANCELLED = "cancelled", gettext_lazy("Annulée par avoir")


def invoice_status_label(invoice) -> FamilyInvoiceStatus:
    """`due`, `paid` or `cancelled`: the family's view of an issued invoice."""
    if invoice.status == Invoice.Status.CANCELLED:
        return FamilyInvoiceStatus.CANCELLED
    return FamilyInvoiceStatus.PAID if invoice_balance(invoice) <= 0 else FamilyInvoiceStatus.DUE


def family_invoices(*, family):
    """The family's issued invoices (never drafts), newest first, with totals and lines prefetched."""
    return invoice_totals(
        Invoice.objects.filter(family=family)
        .exclude(status=Invoice.Status.DRAFT)
        .order_by("-issued_on", "-number")
    ).prefetch_related("lines", "credit_notes")


@transaction.atomic
def family_paperless_set(*, family, paperless: bool, by) -> None:
    """Opt in or out of the facture dématérialisée (email only, no paper from the next invoice)."""
    family.paperless_invoices = paperless
    family.save(update_fields=["paperless_invoices", "updated_at"])
