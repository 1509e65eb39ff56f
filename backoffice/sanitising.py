"""Control characters never reach the database: one pre_save hook for every model of our apps.

Why a signal and not forms or serializers: the same row is written by portal forms, the Django admin, the staff
API, imports, services and management commands; one hook before `save()` covers them all, including paths added
later. A `\\x07\\x1b` typed in a name once made every XLSX export of the table fail (openpyxl refuses them).
Not covered: `QuerySet.update()` and `bulk_create()`, which send no signal; code using them on free text must call
`strip_control_characters` itself."""

from __future__ import annotations

import re
from functools import cache

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

# Our apps; third-party models (Wagtail's, Django's) keep their own rules.
SANITISED_APPS = frozenset({"backoffice", "families", "billing", "cms", "api"})

# C0 controls, DEL and C1 controls. Tab, line feed and carriage return are text in a multi-line field.
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("[\t\n\r]+")


def strip_control_characters(value: str, *, multiline: bool = False) -> str:
    """The text without control characters; in a single-line value a tab or line break becomes a space."""
    value = _CONTROL_MULTILINE.sub("", value)
    if not multiline:
        value = _LINE_BREAKS.sub(" ", value)
    return value


@cache
def _text_fields(model: type[models.Model]) -> tuple[tuple[str, bool], ...]:
    """(attribute name, multi-line) of the model's text columns."""
    return tuple(
        (f.attname, isinstance(f, models.TextField))
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
    )


@receiver(pre_save, dispatch_uid="backoffice.sanitising.strip_control_characters")
def strip_control_characters_before_save(sender, instance, **kwargs):
    if sender._meta.app_label not in SANITISED_APPS:
        return
    for attname, multiline in _text_fields(sender):
        value = getattr(instance, attname)
        if isinstance(value, str) and value:
            cleaned = strip_control_characters(value, multiline=multiline)
            if cleaned != value:
                setattr(instance, attname, cleaned)
