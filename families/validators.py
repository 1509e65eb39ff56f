"""Field validators with French messages, shared by forms, imports and the API."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")
PHONE_RE = re.compile(r"^(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}$")


def validate_postcode(value: str) -> None:
    """A French postcode: five digits, department 01–98 (Corsica and overseas included)."""
    if value and not POSTCODE_RE.match(value.strip()):
        raise ValidationError(
            _("« %(value)s » n'est pas un code postal français valide (5 chiffres, ex. 95550)."),
            code="invalid_postcode",
            params={"value": value},
        )


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro de téléphone valide (ex. 06 12 34 56 78)."),
            code="invalid_phone",
            params={"value": value},
        )


def validate_not_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(
            _("La date %(value)s est dans le futur."),
            code="future_date",
            params={"value": value.strftime("%d/%m/%Y")},
        )


# Database ids are signed 64-bit integers (BigAutoField). A bigger number typed in a form or a query string is
# not an id at all; checked before it reaches the database, where SQLite raises OverflowError and PostgreSQL a
# DataError (a 500 instead of a field error).
MAX_DATABASE_ID = 2**63 - 1


def is_database_id(value) -> bool:
    """True when `value` could be a primary key: an integer (or its digits) between 1 and 2⁶³−1."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit():
            return False
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return 0 < number <= MAX_DATABASE_ID


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values must look like ids before any query is made.

    Django checks each value with an `exact` lookup (safe with huge numbers since Django 5.0) and then runs one
    `pk__in` query, which is not: `?allergens=99999999999999999999` ended in OverflowError."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk" or self.queryset.model._meta.get_field(key).get_internal_type().endswith("AutoField"):
            for pk in value:
                if not is_database_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)
