"""Benchmark of the monthly invoicing: N children × a month of canteen, next to a raw-SQL aggregate + insert floor
(one GROUP BY, the invoices, the lines and the per-booking links, without pricing rules).

Run with `make bench` (skipped in the normal run by --benchmark-skip); `PORTAIL_BENCH_INVOICE_CHILDREN=500` for a
quick check. Reports seconds, queries and the ratio (goal: invoicing ≤ 3 × the floor).
"""

import os
import time
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
    """One GROUP BY over the bookings, then raw INSERTs of one invoice per family and one line per child."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.family_id, b.child_id, b.unit_id, COUNT(*) FROM families_booking b "
            "JOIN families_child c ON c.id = b.child_id WHERE b.date BETWEEN %s AND %s AND b.state = 'reserved' "
            "GROUP BY c.family_id, b.child_id, b.unit_id",
            [period, period.replace(day=30)],
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
            "dates, quantity, unit_price, amount, rule, position) "
            "VALUES (%s, 'charge', %s, '', %s, '', 'Repas', '', %s, %s, %s, '', 0)",
            [(invoice_of[f], child, unit, n, price, price * n) for f, child, unit, n in rows],
        )
        # The same link per booking the service keeps (a booking is billed at most once), in one INSERT … SELECT.
        cursor.execute(
            "INSERT INTO billing_billedbooking (line_id, booking_id, reversal, amount, active) "
            "SELECT l.id, b.id, false, l.unit_price, false FROM families_booking b "
            "JOIN billing_invoiceline l ON l.child_id = b.child_id AND l.unit_id = b.unit_id "
            "JOIN billing_invoice i ON i.id = l.invoice_id AND i.period = %s "
            "WHERE b.date BETWEEN %s AND %s AND b.state = 'reserved'",
            [period, period, period.replace(day=30)],
        )
    return len(rows)


def test_invoicing_a_month_next_to_the_sql_floor(benchmark, month_of_bookings, capsys):
    with CaptureQueriesContext(connection) as floor_queries, transaction.atomic():
        started = time.perf_counter()
        lines = _floor(NOV)
        floor_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    assert lines == CHILDREN

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
    assert InvoiceLine.objects.count() >= CHILDREN
    ratio = seconds / floor_seconds
    benchmark.extra_info.update(
        {
            "children": CHILDREN,
            "seconds": round(seconds, 2),
            "queries": timings["queries"],
            "ratio": round(ratio, 1),
        }
    )
    with capsys.disabled():
        print(
            f"\n[bench] facturation de {CHILDREN} enfants × {len(SCHOOL_DAYS)} jours : {seconds:.2f} s, "
            f"{timings['queries']} requêtes ; plancher SQL {floor_seconds:.2f} s, {len(floor_queries)} requêtes ; "
            f"ratio {ratio:.1f}×"
        )
