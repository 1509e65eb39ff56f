"""Shared custody (garde alternée): who pays a child's day when two payers share it, and the split's one write path.

A split in force on a booking's day sends the day to payer A or B (alternate weeks, per activity) or shares its price
(percentage: A's share of the unit price rounded half-up, B pays the rest, so the two lines always add up to the
undivided amount). Children without a split keep the family's one payer.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from billing.models import BilledBooking, CustodyMode, CustodySplit, WeekBasis
from families.models import Child

CENT = Decimal("0.01")
PAYER_A, PAYER_B = BilledBooking.Share.PAYER_A, BilledBooking.Share.PAYER_B


# --- Write path -----------------------------------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def custody_split_validate(
    *,
    child: Child,
    payer_a,
    payer_b,
    mode: str,
    valid_from: date | None,
    valid_until: date | None = None,
    percent_a: int | None = None,
    week_basis: str = "",
    reference_monday: date | None = None,
    payer_b_activities: Iterable = (),
    exclude_pk: int | None = None,
) -> None:
    """Both payers are responsables légaux of the child's family, the mode has its parameters, and no other split of
    the child overlaps the validity range. French messages, by field."""
    errors: dict[str, list[str]] = defaultdict(list)
    if payer_a is None:
        errors["payer_a"].append(_("Choisissez le payeur A."))
    elif payer_a.family_id != child.family_id:
        errors["payer_a"].append(_("Le payeur A doit être un responsable légal de la famille de l'enfant."))
    if payer_b is None:
        errors["payer_b"].append(_("Choisissez le payeur B."))
    elif payer_b.family_id != child.family_id:
        errors["payer_b"].append(_("Le payeur B doit être un responsable légal de la famille de l'enfant."))
    if payer_a is not None and payer_b is not None and payer_a.pk == payer_b.pk:
        errors["payer_b"].append(_("Choisissez deux payeurs différents."))
    if mode not in CustodyMode.values:
        errors["mode"].append(
            _("Choisissez une répartition : pourcentage, semaines alternées ou par activité.")
        )
    elif mode == CustodyMode.PERCENTAGE:
        if percent_a is None or not 1 <= percent_a <= 99:
            errors["percent_a"].append(_("Indiquez la part du payeur A, entre 1 et 99 %."))
    elif mode == CustodyMode.ALTERNATE_WEEKS:
        if week_basis not in WeekBasis.values:
            errors["week_basis"].append(_("Indiquez les semaines du payeur A."))
        elif week_basis == WeekBasis.REFERENCE:
            if reference_monday is None:
                errors["reference_monday"].append(_("Indiquez le lundi de référence."))
            elif reference_monday.weekday() != 0:
                errors["reference_monday"].append(_("Le lundi de référence doit être un lundi."))
    elif mode == CustodyMode.PER_ACTIVITY and not list(payer_b_activities):
        errors["payer_b_activities"].append(_("Choisissez au moins une activité payée par le payeur B."))
    if valid_from is None:
        errors["valid_from"].append(_("Indiquez la date de début."))
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"].append(_("La date de fin précède la date de début."))
    if valid_from is not None and not errors.get("valid_until"):
        others = CustodySplit.objects.filter(child=child).exclude(pk=exclude_pk)
        others = others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        if valid_until is not None:
            others = others.filter(valid_from__lte=valid_until)
        clash = others.order_by("valid_from").first()
        if clash is not None:
            if clash.valid_until:
                message = _(
                    "Une autre répartition de garde alternée est déjà en vigueur pour cet enfant "
                    "du %(start)s au %(end)s : les périodes ne peuvent pas se chevaucher."
                ) % {"start": _day(clash.valid_from), "end": _day(clash.valid_until)}
            else:
                message = _(
                    "Une autre répartition de garde alternée est déjà en vigueur pour cet enfant depuis le "
                    "%(start)s : terminez-la avant d'en saisir une nouvelle."
                ) % {"start": _day(clash.valid_from)}
            errors["valid_from"].append(message)
    if errors:
        raise ValidationError(dict(errors))


@transaction.atomic
def custody_split_set(
    *,
    child: Child,
    payer_a,
    payer_b,
    mode: str,
    valid_from: date,
    valid_until: date | None = None,
    percent_a: int | None = None,
    week_basis: str = "",
    reference_monday: date | None = None,
    payer_b_activities: Iterable = (),
    payer_a_address: str = "",
    payer_b_address: str = "",
    by=None,
    split: CustodySplit | None = None,
) -> CustodySplit:
    """Record (or correct) how a child's days are shared between two payers (garde alternée) over a date range."""
    # One writer per child at a time, so two overlapping splits cannot both pass the overlap check.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    payer_b_activities = list(payer_b_activities)
    custody_split_validate(
        child=child,
        payer_a=payer_a,
        payer_b=payer_b,
        mode=mode,
        valid_from=valid_from,
        valid_until=valid_until,
        percent_a=percent_a,
        week_basis=week_basis,
        reference_monday=reference_monday,
        payer_b_activities=payer_b_activities,
        exclude_pk=split.pk if split is not None else None,
    )
    split = split if split is not None else CustodySplit(child=child, created_by=by)
    split.child = child
    split.payer_a, split.payer_b = payer_a, payer_b
    split.payer_a_address, split.payer_b_address = payer_a_address.strip(), payer_b_address.strip()
    split.mode = mode
    split.valid_from, split.valid_until = valid_from, valid_until
    # Only the chosen mode's parameters are kept: nothing stale is read back later.
    split.percent_a = percent_a if mode == CustodyMode.PERCENTAGE else None
    split.week_basis = week_basis if mode == CustodyMode.ALTERNATE_WEEKS else ""
    split.reference_monday = (
        reference_monday
        if mode == CustodyMode.ALTERNATE_WEEKS and week_basis == WeekBasis.REFERENCE
        else None
    )
    split.full_clean(exclude=["payer_b_activities"])
    split.save()
    split.payer_b_activities.set(payer_b_activities if mode == CustodyMode.PER_ACTIVITY else [])
    return split


@transaction.atomic
def custody_split_end(*, split: CustodySplit, on: date, by=None) -> CustodySplit:
    """End a shared custody on a day (inclusive): from the next day the family's one payer is billed again."""
    if on < split.valid_from:
        raise ValidationError(
            {
                "valid_until": _("La fin ne peut pas précéder le début (%(start)s).")
                % {"start": _day(split.valid_from)}
            }
        )
    split.valid_until = on
    split.save(update_fields=["valid_until"])
    return split


# --- Reading splits ---------------------------------------------------------------------------------------------------


def custody_splits_for(*, since: date, until: date) -> dict[int, list[CustodySplit]]:
    """Splits in force at some point between two days, by child, with payers and B's activities loaded (two queries,
    however many children the run bills: splits are few, children are many)."""
    out: dict[int, list[CustodySplit]] = defaultdict(list)
    splits = (
        CustodySplit.objects.filter(valid_from__lte=until)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=since))
        .select_related("payer_a", "payer_b")
        .prefetch_related("payer_b_activities")
        .order_by("child_id", "valid_from")
    )
    for split in splits:
        split.b_activity_ids = {activity.pk for activity in split.payer_b_activities.all()}
        out[split.child_id].append(split)
    return out


def custody_family_shared(*, family) -> bool:
    """Whether a child of the family is (or was) in shared custody: its invoices then go to two payers."""
    return CustodySplit.objects.filter(child__family=family).exists()


def split_in_force(splits: Iterable[CustodySplit], day: date) -> CustodySplit | None:
    return next((split for split in splits if split.in_force(day)), None)


def week_payer(split: CustodySplit, day: date) -> int:
    """Payer A or B for the week of `day` (alternate weeks)."""
    if split.week_basis == WeekBasis.REFERENCE:
        monday = day - timedelta(days=day.weekday())
        weeks = (monday - split.reference_monday).days // 7
        return PAYER_A if weeks % 2 == 0 else PAYER_B
    even = day.isocalendar().week % 2 == 0
    return PAYER_A if even == (split.week_basis == WeekBasis.ISO_EVEN) else PAYER_B


def share_prices(unit_price: Decimal, percent_a: int) -> tuple[Decimal, Decimal]:
    """A's share rounded half-up to the cent, B gets the rest: 3,35 € at 50 % → 1,68 € + 1,67 €."""
    a = (unit_price * Decimal(percent_a) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return a, unit_price - a


def _week_rule(split: CustodySplit, share: int) -> str:
    if split.week_basis == WeekBasis.REFERENCE:
        return _("Garde alternée : une semaine sur deux")
    a_even = split.week_basis == WeekBasis.ISO_EVEN
    return (
        _("Garde alternée : semaines paires")
        if a_even == (share == PAYER_A)
        else _("Garde alternée : semaines impaires")
    )


def _joined(*rules: str) -> str:
    return " ; ".join(rule for rule in rules if rule)


# --- Distribution of a family's lines ---------------------------------------------------------------------------------


@dataclasses.dataclass
class PayerLines:
    """One invoice to be: its payer (None: the family has no responsable), billing address override, its lines."""

    payer: object
    address: str = ""
    lines: list = dataclasses.field(default_factory=list)


def _booking_parts(line, booking, child_splits, group, default_payer) -> list[tuple]:
    """(payer group, share, unit price, rule) for one day of a line: one part, or two for a percentage split."""
    split = split_in_force(child_splits, booking.date)
    if split is None:
        return [(group(default_payer), BilledBooking.Share.WHOLE, line.unit_price, line.rule)]
    a = group(split.payer_a, split.payer_a_address)
    b = group(split.payer_b, split.payer_b_address)
    if split.mode == CustodyMode.PERCENTAGE:
        price_a, price_b = share_prices(line.unit_price, split.percent_a)
        rule_a = _joined(line.rule, _("Garde alternée : %(p)s %%") % {"p": split.percent_a})
        rule_b = _joined(line.rule, _("Garde alternée : %(p)s %%") % {"p": 100 - split.percent_a})
        # A share still billed (the other parent's invoice was cancelled by a credit note) is not billed again.
        parts = []
        if not getattr(booking, "billed_a", False):
            parts.append((a, PAYER_A, price_a, rule_a))
        if not getattr(booking, "billed_b", False):
            parts.append((b, PAYER_B, price_b, rule_b))
        return parts
    if split.mode == CustodyMode.ALTERNATE_WEEKS:
        share = week_payer(split, booking.date)
        rule = _joined(line.rule, _week_rule(split, share))
    else:
        share = PAYER_B if line.unit.activity_id in split.b_activity_ids else PAYER_A
        rule = _joined(line.rule, _("Garde alternée : répartition par activité"))
    # The whole day goes to one payer: billed whole, like a day without split (the invoice says to whom).
    return [(a if share == PAYER_A else b, BilledBooking.Share.WHOLE, line.unit_price, rule)]


def custody_distribute(
    *, lines: Iterable, splits: dict[int, list[CustodySplit]], default_payer
) -> list[PayerLines]:
    """Send each priced line (`LineDraft`) to the payer of its days: the family's payer when no split is in force,
    else payer A or B (alternate weeks, per activity) or both for their share (percentage). First the family's
    payer, then the others in order of appearance."""
    groups: dict[int | None, PayerLines] = {}

    def group(payer, address: str = "") -> PayerLines:
        key = payer.pk if payer is not None else None
        if key not in groups:
            groups[key] = PayerLines(payer=payer)
        if address:
            groups[key].address = address
        return groups[key]

    group(default_payer)
    for line in lines:
        child_splits = splits.get(line.child.pk) if not getattr(line, "reversal", False) else None
        if not child_splits:
            group(default_payer).lines.append(line)
            continue
        # Sub-lines keyed by (payer, share, unit price, rule), in the order the days come.
        parts: dict[tuple, tuple[PayerLines, int, Decimal, str, list]] = {}
        for booking in line.bookings:
            for target, share, price, rule in _booking_parts(
                line, booking, child_splits, group, default_payer
            ):
                key = (target.payer.pk if target.payer else None, share, price, rule)
                parts.setdefault(key, (target, share, price, rule, []))[4].append(booking)
        for target, share, price, rule, bookings in parts.values():
            changes = {"bookings": bookings, "unit_price": price, "rule": rule, "share": share}
            meal_part = getattr(line, "meal_part", None)
            if meal_part and line.unit_price and price != line.unit_price:
                # A share of the price carries the same share of its catering part (attestation fiscale).
                changes["meal_part"] = (meal_part * price / line.unit_price).quantize(Decimal("0.01"))
            target.lines.append(dataclasses.replace(line, **changes))
    return [g for g in groups.values() if g.lines]


def custody_share_conflict(*, invoice) -> bool:
    """True when a day of this invoice is already billed in a way its shares cannot add up to: billed whole and as a
    share of a shared custody (the database refuses the same share twice; this is the cross-check)."""
    others = BilledBooking.objects.filter(
        booking=OuterRef("booking_id"), active=True, reversal=False
    ).exclude(line__invoice=invoice)
    mine = BilledBooking.objects.filter(line__invoice=invoice, reversal=False)
    return mine.filter(
        Exists(others.filter(share=BilledBooking.Share.WHOLE))
        | (Q(share=BilledBooking.Share.WHOLE) & Exists(others))
    ).exists()
