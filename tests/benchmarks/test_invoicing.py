"""Benchmark of the monthly invoicing: N children × a month of canteen, next to a raw-SQL aggregate + insert floor
(one GROUP BY, the invoices, the lines and the per-booking links, without pricing rules).

Run with `make bench` (skipped in the normal run by --benchmark-skip); `PORTAIL_BENCH_INVOICE_CHILDREN=500` for a
quick check, 10000 for the issue's town (~200k bookings). Reports seconds, queries and peak Python memory
(tracemalloc) of both, and the ratio (goal: invoicing ≤ 3 × the floor). Seconds are measured without tracemalloc
(it slows Python down); the peaks come from a second, traced pass of each (re-running a run replaces its drafts).
"""

import os
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from billing.models import FamilyQuotient, Invoice, InvoiceLine, Tariff, TariffBracket, TariffMode
from billing.services.invoicing import invoice_run_create, invoice_run_prepare
from families.models import Booking, Child, ClassLevel, Family, Guardian
from tests.factories import ActivityFactory, SchoolFactory, UnitFactory

pytestmark = [pytest.mark.benchmark_town, pytest.mark.django_db]

CHILDREN = int(os.environ.get("PORTAIL_BENCH_INVOICE_CHILDREN", "2000"))
NOV = date(2026, 11, 1)
SCHOOL_DAYS = [NOV + timedelta(days=i) for i in range(30) if (NOV + timedelta(days=i)).weekday() < 5]


@pytest.fixture
def month_of_bookings(db):
    activity = ActivityFactory(name="Restauration scolaire")
    unit = UnitFactory(activity=activity)
    tariff = Tariff.objects.create(unit=unit, mode=TariffMode.BRACKETS, valid_from=date(2026, 9, 1))
    for qf_min, qf_max, price in ((0, 600, "2.40"), (601, 1200, "3.35"), (1201, None, "4.85")):
        TariffBracket.objects.create(tariff=tariff, qf_min=qf_min, qf_max=qf_max, price=Decimal(price))
    school, level = SchoolFactory(), ClassLevel.objects.get(code="CE1")
    families = Family.objects.bulk_create(
        Family(
            code=f"F-{i:06d}",
            name=f"FAMILLE {i}",
            address_line1="1 rue",
            postcode="95550",
            commune="Bessancourt",
        )
        for i in range(1, CHILDREN // 2 + 1)
    )
    Guardian.objects.bulk_create(
        Guardian(family=f, civility="mme", first_name="Claire", last_name=f.name, is_billing_contact=True)
        for f in families
    )
    FamilyQuotient.objects.bulk_create(
        FamilyQuotient(family=f, value=Decimal(300 + (i * 37) % 1500), valid_from=date(2026, 1, 1))
        for i, f in enumerate(families)
        if i % 4
    )
    children = Child.objects.bulk_create(
        Child(
            family=families[i // 2],
            first_name=f"Enfant{i}",
            last_name="X",
            birth_date=date(2017 + i % 2, 3, 1),
            school=school,
            class_level=level,
        )
        for i in range(CHILDREN)
    )
    Booking.objects.bulk_create(
        (
            Booking(child=c, unit=unit, date=day, attendance=Booking.Attendance.PRESENT)
            for c in children
            for day in SCHOOL_DAYS
        ),
        batch_size=5000,
    )
    return activity


def _floor(period: date) -> int:
    """One GROUP BY over the bookings, then raw INSERTs of one invoice per family, one line per child and unit, and
    the per-booking links (a booking is billed at most once), mapped in Python by (child, unit)."""
    end = period.replace(day=30)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.family_id, b.child_id, b.unit_id, COUNT(*) FROM families_booking b "
            "JOIN families_child c ON c.id = b.child_id WHERE b.date BETWEEN %s AND %s AND b.state = 'reserved' "
            "GROUP BY c.family_id, b.child_id, b.unit_id",
            [period, end],
        )
        rows = cursor.fetchall()
        families = sorted({r[0] for r in rows})
        cursor.executemany(
            "INSERT INTO billing_invoice (family_id, payer_name, payer_address, period, status, pdf, paperless, "
            "created_at) VALUES (%s, '', '', %s, 'draft', '', false, CURRENT_TIMESTAMP)",
            [(f, period) for f in families],
        )
        cursor.execute("SELECT family_id, id FROM billing_invoice WHERE period = %s", [period])
        invoice_of = dict(cursor.fetchall())
        price = Decimal("3.35")
        cursor.executemany(
            "INSERT INTO billing_invoiceline (invoice_id, kind, child_id, child_name, unit_id, activity_name, label, "
            "dates, quantity, unit_price, amount, meal_amount, rule, position) "
            "VALUES (%s, 'charge', %s, '', %s, '', 'Repas', '', %s, %s, %s, 0, '', 0)",
            [(invoice_of[f], child, unit, n, price, price * n) for f, child, unit, n in rows],
        )
        cursor.execute(
            "SELECT l.child_id, l.unit_id, l.id FROM billing_invoiceline l "
            "JOIN billing_invoice i ON i.id = l.invoice_id WHERE i.period = %s",
            [period],
        )
        line_of = {(child, unit): line for child, unit, line in cursor.fetchall()}
        cursor.execute(
            "SELECT id, child_id, unit_id FROM families_booking WHERE date BETWEEN %s AND %s AND state = 'reserved'",
            [period, end],
        )
        cursor.executemany(
            "INSERT INTO billing_billedbooking (line_id, booking_id, reversal, amount, active, share) "
            "VALUES (%s, %s, false, %s, false, 0)",
            [(line_of[(child, unit)], booking, price) for booking, child, unit in cursor.fetchall()],
        )
    return len(rows)


def _peak_mib(work) -> float:
    """Peak Python memory allocated while `work` runs (tracemalloc), in MiB."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _floor_rolled_back() -> int:
    with transaction.atomic():
        lines = _floor(NOV)
        transaction.set_rollback(True)
    return lines


def test_invoicing_a_month_next_to_the_sql_floor(benchmark, month_of_bookings, capsys):
    with CaptureQueriesContext(connection) as floor_queries:
        started = time.perf_counter()
        lines = _floor_rolled_back()
        floor_seconds = time.perf_counter() - started
    assert lines == CHILDREN
    floor_peak = _peak_mib(_floor_rolled_back)

    run = invoice_run_create(period=NOV, activities=[month_of_bookings], by=None, start=False)
    timings = {}

    def prepare():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            invoice_run_prepare(run=run, today=date(2026, 12, 2))
            timings["seconds"] = time.perf_counter() - started
        timings["queries"] = len(queries)

    benchmark.pedantic(prepare, rounds=1, iterations=1)
    seconds = timings["seconds"]
    assert Invoice.objects.count() == CHILDREN // 2
    Invoice.objects.filter(run=run).delete()  # the traced pass measures the preparation, not this clean-up
    peak = _peak_mib(lambda: invoice_run_prepare(run=run, today=date(2026, 12, 2)))

    assert Invoice.objects.count() == CHILDREN // 2
    assert InvoiceLine.objects.count() >= CHILDREN
    ratio = seconds / floor_seconds
    benchmark.extra_info.update(
        {
            "children": CHILDREN,
            "bookings": CHILDREN * len(SCHOOL_DAYS),
            "seconds": round(seconds, 2),
            "queries": timings["queries"],
            "peak_mib": round(peak, 1),
            "floor_seconds": round(floor_seconds, 2),
            "floor_queries": len(floor_queries),
            "floor_peak_mib": round(floor_peak, 1),
            "ratio": round(ratio, 1),
        }
    )
    with capsys.disabled():
        print(
            f"\n[bench] facturation de {CHILDREN} enfants × {len(SCHOOL_DAYS)} jours "
            f"({CHILDREN * len(SCHOOL_DAYS)} réservations) : {seconds:.2f} s, {timings['queries']} requêtes, "
            f"pic mémoire {peak:.1f} Mio ; plancher SQL {floor_seconds:.2f} s, {len(floor_queries)} requêtes, "
            f"pic {floor_peak:.1f} Mio ; ratio {ratio:.1f}×"
        )
