"""Pricing of a unit for a family (tarification): the one function every invoice line and simulator calls."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from billing.models import (
    ActivityBillingRule,
    BillingSituation,
    SurchargeKind,
    Tariff,
    TariffBracket,
    TariffMode,
)
from billing.models.tariffs import EffortBase

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Never billed, whatever the activity says (règlement: absence justifiée, annulation dans les délais, fermeture).
NEVER_BILLED = frozenset(
    {BillingSituation.ABSENT_JUSTIFIED, BillingSituation.CANCELLED_IN_TIME, BillingSituation.CLOSURE}
)


@dataclass(frozen=True)
class FamilyContext:
    """What the price depends on: the family's valid QF (or None), income, residence and the child's rank."""

    quotient: Decimal | None = None
    monthly_income: Decimal | None = None
    resident: bool = True
    children: int = 1
    child_rank: int = 1
    unreserved: bool = False
    late: bool = False


@dataclass(frozen=True)
class PriceResult:
    amount: Decimal
    rule: str


def fr_number(value: Decimal) -> str:
    """601 → "601", 600.5 → "600,50", 0.35 → "0,35" (French decimal comma, no useless zeros)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value)}"
    text = f"{value.quantize(CENT) if value.as_tuple().exponent >= -2 else value.normalize()}"
    return text.replace(".", ",")


def _percent(value: Decimal) -> str:
    return f"{fr_number(Decimal(value).normalize())} %"


def bracket_label(index: int, bracket: TariffBracket) -> str:
    if bracket.qf_max is None:
        return _("Tranche QF %(n)s (à partir de %(min)s €)") % {"n": index, "min": fr_number(bracket.qf_min)}
    return _("Tranche QF %(n)s (%(min)s–%(max)s €)") % {
        "n": index,
        "min": fr_number(bracket.qf_min),
        "max": fr_number(bracket.qf_max),
    }


def _sorted_brackets(tariff: Tariff) -> list[TariffBracket]:
    # `.all()` uses the prefetch cache: no query per tariff when the caller prefetched the brackets.
    return sorted(tariff.brackets.all(), key=lambda b: b.qf_min)


def _base_price(tariff: Tariff, ctx: FamilyContext) -> tuple[Decimal, str]:
    if tariff.mode == TariffMode.FLAT:
        return Decimal(tariff.price), _("Prix unique")
    if tariff.mode == TariffMode.BRACKETS:
        brackets = _sorted_brackets(tariff)
        if not brackets:
            raise ValidationError(_("Ce tarif n'a aucune tranche de quotient familial."))
        if ctx.quotient is None:
            top = len(brackets)
            return Decimal(brackets[-1].price), _(
                "Sans quotient familial valide : tranche la plus haute (%(label)s)"
            ) % {"label": bracket_label(top, brackets[-1])}
        # A QF belongs to the last bracket starting at or below it (601–900 € holds 900,50 €).
        index, chosen = 1, brackets[0]
        for i, bracket in enumerate(brackets, start=1):
            if bracket.qf_min <= ctx.quotient:
                index, chosen = i, bracket
        return Decimal(chosen.price), bracket_label(index, chosen)
    # Taux d'effort
    base = ctx.quotient if tariff.effort_base == EffortBase.QUOTIENT else ctx.monthly_income
    if base is None:
        what = _("quotient familial") if tariff.effort_base == EffortBase.QUOTIENT else _("revenus")
        return Decimal(tariff.effort_ceiling), _("Sans %(what)s valide : prix plafond") % {"what": what}
    rate = tariff.effort_rate_for(ctx.children)
    amount = Decimal(base) * rate / HUNDRED
    label = _("Taux d'effort %(rate)s") % {"rate": _percent(rate)}
    if tariff.effort_ceiling is not None and amount > tariff.effort_ceiling:
        return Decimal(tariff.effort_ceiling), _("%(label)s plafonné") % {"label": label}
    if tariff.effort_floor is not None and amount < tariff.effort_floor:
        return Decimal(tariff.effort_floor), _("%(label)s, prix plancher") % {"label": label}
    return amount, label


def _surcharge(amount: Decimal, kind: str, value: Decimal, what: str) -> tuple[Decimal, str | None]:
    if kind == SurchargeKind.AMOUNT and value:
        return amount + value, f"{what} +{fr_number(value)} €"
    if kind == SurchargeKind.PERCENT and value:
        return amount * (1 + value / HUNDRED), f"{what} +{_percent(value)}"
    return amount, None


def unit_price(*, tariff: Tariff, family_context: FamilyContext) -> PriceResult:
    """The price of one day of a unit for a family, with its French explanation; rounded once, half up, to the cent."""
    ctx = family_context
    amount, base_rule = _base_price(tariff, ctx)
    rules = [base_rule]
    if not ctx.resident:
        if tariff.non_resident_price is not None:
            amount = Decimal(tariff.non_resident_price)
            rules.append(_("Non-résident : %(price)s €") % {"price": fr_number(tariff.non_resident_price)})
        elif tariff.non_resident_coefficient is not None and tariff.non_resident_coefficient != 1:
            amount = amount * tariff.non_resident_coefficient
            delta = (tariff.non_resident_coefficient - 1) * HUNDRED
            sign = "+" if delta > 0 else "−"
            rules.append(_("Non-résident %(sign)s%(pct)s") % {"sign": sign, "pct": _percent(abs(delta))})
    if ctx.child_rank >= 2 and tariff.sibling_reduction_percent:
        amount = amount * (1 - tariff.sibling_reduction_percent / HUNDRED)
        rules.append(_("Réduction fratrie −%(pct)s") % {"pct": _percent(tariff.sibling_reduction_percent)})
    if ctx.unreserved:
        amount, rule = _surcharge(
            amount,
            tariff.unreserved_surcharge_kind,
            tariff.unreserved_surcharge_value,
            _("Majoration présence sans réservation"),
        )
        rules.append(rule)
    if ctx.late:
        amount, rule = _surcharge(
            amount,
            tariff.late_surcharge_kind,
            tariff.late_surcharge_value,
            _("Majoration réservation tardive"),
        )
        rules.append(rule)
    return PriceResult(
        amount=amount.quantize(CENT, rounding=ROUND_HALF_UP), rule=" ; ".join(r for r in rules if r)
    )


def situation_is_billed(*, situation: BillingSituation, rule: ActivityBillingRule | None) -> bool:
    """Whether a day in this attendance situation is billed (absence justifiée, annulation à temps, fermeture: never)."""
    if situation in NEVER_BILLED:
        return False
    if rule is None:
        return True
    return {
        BillingSituation.RESERVED_PRESENT: rule.bill_reserved_present,
        BillingSituation.RESERVED_ABSENT_UNJUSTIFIED: rule.bill_reserved_absent_unjustified,
        BillingSituation.PRESENT_UNRESERVED: rule.bill_present_unreserved,
    }[situation]


# --- QF brackets: contiguous from 0 €, no gap and no overlap ------------------------------------------------------


def _bounds(bracket) -> tuple[Decimal, Decimal | None]:
    if isinstance(bracket, TariffBracket):
        return bracket.qf_min, bracket.qf_max
    return bracket


def brackets_check_overlap(*, brackets: Iterable[TariffBracket], new: TariffBracket) -> None:
    """Refuses a bracket that overlaps a saved one (the API and the import add brackets one at a time)."""
    for other in brackets:
        lo_a, hi_a = new.qf_min, new.qf_max
        lo_b, hi_b = other.qf_min, other.qf_max
        if (hi_b is None or lo_a <= hi_b) and (hi_a is None or lo_b <= hi_a):
            raise ValidationError(
                {"qf_min": _("Cette tranche chevauche la tranche %(other)s.") % {"other": other}}
            )


def tariff_brackets_validate(*, brackets: Sequence[TariffBracket | tuple[Decimal, Decimal | None]]) -> None:
    """QF brackets must start at 0 €, follow each other without gap nor overlap; only the last may be open."""
    bounds = sorted((_bounds(b) for b in brackets), key=lambda b: b[0])
    if not bounds:
        return
    errors = []
    if bounds[0][0] != 0:
        errors.append(_("La première tranche doit commencer à 0 €."))
    for (lo, hi), (next_lo, _next_hi) in zip(bounds, bounds[1:], strict=False):
        if hi is None:
            errors.append(_("Seule la dernière tranche peut être sans maximum."))
            break
        if next_lo <= hi:
            errors.append(
                _("Les tranches %(a)s–%(b)s € et à partir de %(c)s € se chevauchent.")
                % {"a": fr_number(lo), "b": fr_number(hi), "c": fr_number(next_lo)}
            )
        elif next_lo - hi > 1:
            errors.append(
                _("Trou entre les tranches : aucun tarif pour un QF entre %(a)s € et %(b)s €.")
                % {"a": fr_number(hi), "b": fr_number(next_lo)}
            )
    if errors:
        raise ValidationError(errors)


# --- Selectors ----------------------------------------------------------------------------------------------------


def tariffs_valid_on(*, day: date) -> QuerySet[Tariff]:
    """Tariffs in force on a day, with their unit, activity and brackets: constant queries whatever their number."""
    return (
        Tariff.objects.filter(valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(unit__is_active=True, unit__activity__is_active=True)
        .select_related("unit__activity")
        .prefetch_related(Prefetch("brackets", queryset=TariffBracket.objects.order_by("qf_min")))
        .order_by("unit__activity__name", "unit__position", "unit__label")
    )
