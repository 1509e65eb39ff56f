"""Gapless numbering of invoices (2026-000123), credit notes (AV-2026-000012) and payment receipts (RC-2026-000042):
one locked counter row per series and year."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from billing.models import NumberCounter

PREFIXES = {
    NumberCounter.Series.INVOICE: "",
    NumberCounter.Series.CREDIT_NOTE: "AV-",
    NumberCounter.Series.RECEIPT: "RC-",
}


def format_number(*, series: str, year: int, value: int) -> str:
    return f"{PREFIXES[series]}{year}-{value:06d}"


@transaction.atomic
def number_take(*, series: str, year: int) -> str:
    """The next number of a series for a year; the counter row stays locked until the caller's transaction ends,
    so a rolled-back issue gives its number back and two concurrent issues never share or skip one."""
    counter = NumberCounter.objects.select_for_update().filter(series=series, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                NumberCounter.objects.create(series=series, year=year, last=0)
        except IntegrityError:
            pass  # another transaction created it first: lock theirs
        counter = NumberCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(series=series, year=year, value=counter.last)
