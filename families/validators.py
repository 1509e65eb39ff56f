"""Field validators with French messages, shared by forms, imports and the API."""

import re

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
