"""Public simulators: the town's real tariffs for a simulated family (never an official QF nor a quote)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from billing.services.tariffs import FamilyContext, PriceResult, tariffs_valid_on, unit_price


@dataclass
class UnitPrice:
    unit_id: int
    label: str
    price: PriceResult
    sibling_price: PriceResult | None = None


@dataclass
class ActivityPrices:
    activity_id: int
    name: str
    kind_label: str
    units: list[UnitPrice] = field(default_factory=list)


def tariff_simulation(
    *, quotient: Decimal | None, resident: bool = True, children: int = 1, day: date
) -> list[ActivityPrices]:
    """Each bookable unit with its price for a family (first child, and a brother or sister when there are two or more).

    Queries are constant: the tariffs with their unit and activity, then all their brackets at once."""
    activities: dict[int, ActivityPrices] = {}
    for tariff in tariffs_valid_on(day=day):
        activity = tariff.unit.activity
        entry = activities.setdefault(
            activity.pk,
            ActivityPrices(
                activity_id=activity.pk, name=activity.name, kind_label=activity.get_kind_display()
            ),
        )
        context = FamilyContext(quotient=quotient, resident=resident, children=max(children, 1))
        sibling = None
        if children >= 2 and tariff.sibling_reduction_percent:
            sibling = unit_price(
                tariff=tariff,
                family_context=FamilyContext(
                    quotient=quotient, resident=resident, children=children, child_rank=2
                ),
            )
        entry.units.append(
            UnitPrice(
                unit_id=tariff.unit.pk,
                label=tariff.unit.label,
                price=unit_price(tariff=tariff, family_context=context),
                sibling_price=sibling,
            )
        )
    return list(activities.values())
