"""Date, date-time and time fields of the API: sane ranges, French errors, and a schema that says what is sent.

DRF alone answered `"12:00:00"` for a `format: time` field (RFC 3339 `full-time` wants an offset, so clients
validating the schema rejected it) and accepted a date-time in the year 858, read back with Paris' local mean
time offset (`+00:09:21`). Generated serializers use these through `SERIALIZER_FIELD_MAPPING`; a hand-written
serializer declares them directly."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

DATE_MIN_YEAR, DATE_MAX_YEAR = 1900, 2100
# Paris kept its mean time (+00:09:21) until 1911; from 1970 every offset is whole minutes and RFC 3339-valid.
DATETIME_MIN_YEAR, DATETIME_MAX_YEAR = 1970, 2100

_YEARS_1900_2100 = r"(19[0-9]{2}|20[0-9]{2}|2100)"
_YEARS_1970_2100 = r"(19[7-9][0-9]|20[0-9]{2}|2100)"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


@extend_schema_field(
    {
        "type": "string",
        "format": "date",
        "pattern": rf"^{_YEARS_1900_2100}-[0-9]{{2}}-[0-9]{{2}}$",
        "description": "Date AAAA-MM-JJ entre 1900 et 2100.",
    }
)
class DateField(serializers.DateField):
    default_error_messages = {
        "out_of_range": _("Indiquez une date entre {min} et {max}."),
    }

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not DATE_MIN_YEAR <= value.year <= DATE_MAX_YEAR:
            self.fail("out_of_range", min=DATE_MIN_YEAR, max=DATE_MAX_YEAR)
        return value


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": rf"^{_YEARS_1970_2100}-",
        "description": "Date et heure ISO 8601 avec décalage horaire, entre 1970 et 2100.",
    }
)
class DateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "out_of_range": _("Indiquez une date et une heure entre {min} et {max}."),
    }

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        # Judged in the town's time zone, the one the value is stored and read back in.
        try:
            local = timezone.localtime(value) if timezone.is_aware(value) else value
        except OverflowError:  # year 1 or 9999 moved across midnight
            self.fail("out_of_range", min=DATETIME_MIN_YEAR, max=DATETIME_MAX_YEAR)
        if not DATETIME_MIN_YEAR <= local.year <= DATETIME_MAX_YEAR:
            self.fail("out_of_range", min=DATETIME_MIN_YEAR, max=DATETIME_MAX_YEAR)
        return value


@extend_schema_field(
    {
        "type": "string",
        "pattern": TIME_PATTERN,
        "example": "10:00",
        "description": "Heure HH:MM (24 h, heure de Paris).",
    }
)
class TimeField(serializers.TimeField):
    """`"10:00"` out; `"10:00"` (or `"10:00:00"`) in. Seconds never matter for a deadline or an opening hour."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        return value.replace(second=0, microsecond=0) if isinstance(value, datetime.time) else value


# For `ModelSerializer.serializer_field_mapping` (DateTimeField before DateField would not matter: DRF looks a
# model field's class up along its MRO).
SERIALIZER_FIELD_MAPPING = {
    models.DateField: DateField,
    models.DateTimeField: DateTimeField,
    models.TimeField: TimeField,
}


class SaneDatesSerializerMixin:
    """Mix into a ModelSerializer so its generated date, date-time and time fields are the ones above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **SERIALIZER_FIELD_MAPPING,
    }
