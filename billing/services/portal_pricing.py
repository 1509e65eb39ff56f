"""The prices parents see before any invoice: the month estimate of the planning and their own price per unit in
the enrolment form; registered in `families.pricing_hooks` (families never imports billing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from billing.models import TariffMode
from billing.money import euros
from billing.services.invoicing import PricingData, month_estimate
from families.pricing_hooks import Estimate


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _quantity(value: Decimal) -> str:
    return f"{int(value)}" if value == value.to_integral_value() else f"{value}".replace(".", ",")


def planning_month_estimate(*, family, child, month: date, changes=()) -> Estimate:
    """« Estimation du mois : 24,12 € (7 × Repas classique à 3,35 € …) — hors majorations éventuelles »."""
    estimate = month_estimate(family=family, child=child, month=month, changes=changes)
    if not estimate.lines:
        return Estimate(
            total=estimate.total, text=_("Estimation du mois : 0,00 € (aucun jour réservé pour l'instant).")
        )
    details = " ; ".join(
        _("%(n)s × %(unit)s à %(price)s")
        % {"n": _quantity(line.quantity), "unit": line.unit.label, "price": euros(line.unit_price)}
        for line in estimate.lines
    )
    return Estimate(
        total=estimate.total,
        text=_("Estimation du mois : %(total)s (%(details)s) — hors majorations éventuelles")
        % {"total": euros(estimate.total), "details": details},
    )


def family_unit_prices(*, family, child, units, day: date) -> dict[int, str]:
    """Each unit's price for this family on `day` (its QF, residence, rank among siblings), with why; units
    without a tariff in force are left out (the form then shows their base price). Constant queries."""
    units = list(units)
    if not units:
        return {}
    data = PricingData.load(
        family_ids=[family.pk], unit_ids=[u.pk for u in units], activity_ids={u.activity_id for u in units}
    )
    prices = {}
    for unit in units:
        tariff = data.tariff(unit.pk, day)
        if tariff is None or (tariff.mode == TariffMode.BRACKETS and not tariff.brackets.all()):
            continue
        ctx = data.context(family=family, child_id=child.pk, day=day, unreserved=False)
        price = data.price(tariff, ctx)
        rule = _lower_first(price.rule)
        if tariff.mode != TariffMode.FLAT and ctx.quotient is not None:
            rule = _("tarif selon votre QF, %(rule)s") % {"rule": rule}
        prices[unit.pk] = _("%(label)s — %(price)s (%(rule)s)") % {
            "label": unit.label,
            "price": euros(price.amount),
            "rule": rule,
        }
    return prices
