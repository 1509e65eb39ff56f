"""Billing answers the portal needs (month estimate, a family's price per unit, Mon accueil items) without families
importing billing: billing registers its functions here in its `AppConfig.ready()` (dependencies point one way,
billing → families). Without a registration the portal simply shows nothing (or the unit's base price)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_month_estimate: Callable | None = None
_unit_prices: Callable | None = None
_todo: dict[str, Callable] = {}


@dataclass(frozen=True)
class Estimate:
    """What a child's month costs so far, with the sentence the planning shows."""

    total: Decimal
    text: str


def register_month_estimate(fn: Callable) -> Callable:
    """`fn(*, family, child, month, changes)` → `Estimate`; `changes` are (unit, day, "add"/"cancel") not yet saved."""
    global _month_estimate
    _month_estimate = fn
    return fn


def register_unit_prices(fn: Callable) -> Callable:
    """`fn(*, family, child, units, day)` → {unit id: French price sentence} for the family's own tariff."""
    global _unit_prices
    _unit_prices = fn
    return fn


def register_todo(name: str, fn: Callable) -> Callable:
    """`fn(*, family, today)` → Mon accueil items ({level, text, url, action}); a name registered again replaces."""
    _todo[name] = fn
    return fn


def month_estimate(*, family, child, month: date, changes: Iterable[tuple] = ()) -> Estimate | None:
    if _month_estimate is None:
        return None
    return _month_estimate(family=family, child=child, month=month, changes=list(changes))


def unit_prices(*, family, child, units, day: date) -> dict[int, str]:
    if _unit_prices is None:
        return {}
    return _unit_prices(family=family, child=child, units=list(units), day=day)


def todo_items(*, family, today: date) -> list[dict]:
    items: list[dict] = []
    for fn in _todo.values():
        items += fn(family=family, today=today)
    return items
