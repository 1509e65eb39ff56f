"""Rows of any registered model, in bulk, for the generated tests: every field filled from its type alone.

Each row gets its own related rows (foreign keys are filled, nullable ones too, so a list that forgets a
`select_related` shows its N+1), which keeps unique constraints on relations satisfied without knowing them."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, time
from decimal import Decimal

from django.db import models
from django.utils import timezone

_counter = itertools.count(1)
_small_counter = itertools.count(1)  # unique small integers stay under PostgreSQL's smallint limit

# Values a check constraint needs that the field's type alone cannot tell (a flat tariff has a price).
OVERRIDES: dict[str, dict[str, object]] = {
    "billing.Tariff": {"price": Decimal("3.40")},
}


def build_rows(model: type[models.Model], n: int, *, batch_size: int = 1000) -> list[models.Model]:
    """`n` saved rows of `model` (with `bulk_create`), each with its own related rows."""
    values: dict[str, list] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key and isinstance(f, models.AutoField):
            continue
        if f.is_relation:
            if f.related_model is model:
                if not f.null:
                    raise AssertionError(f"{model.__name__}.{f.name} : relation obligatoire vers soi-même")
                continue
            related = build_rows(f.related_model, n, batch_size=batch_size)
            values[f.name] = related
            continue
        if f.has_default() and not f.unique:
            continue
        override = OVERRIDES.get(model._meta.label, {})
        if f.name in override:
            values[f.name] = [override[f.name]] * n
            continue
        values[f.name] = [_value(f) for _ in range(n)]
    objs = [model(**{name: column[i] for name, column in values.items()}) for i in range(n)]
    return model._default_manager.bulk_create(objs, batch_size=batch_size)


def _value(f: models.Field):
    k = next(_counter)
    if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
        return timezone.now()
    if f.null and not f.unique:
        return None
    if f.choices:
        return next(value for value, _label in f.flatchoices if value not in ("", None))
    if isinstance(f, models.EmailField):
        return f"ligne{k}@exemple.fr"
    if isinstance(f, models.FileField):
        return f"generated/{k}.pdf"
    if isinstance(f, models.CharField | models.TextField):
        if f.blank and not f.unique:
            return ""
        return str(k)[-f.max_length :] if f.max_length else str(k)
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return next(_small_counter) % 30000 + 1000 if f.unique else 1
    if isinstance(f, models.IntegerField):
        return k if f.unique else 1
    if isinstance(f, models.DecimalField):
        return Decimal("1")
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return date(2026, 9, 1)
    if isinstance(f, models.TimeField):
        return time(8, 0)
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.UUIDField):
        return uuid.uuid4()
    raise AssertionError(
        f"{f.model.__name__}.{f.name} : type {type(f).__name__} inconnu de build_rows, à ajouter"
    )
