"""Benchmark of the invoice PDFs: N issued invoices rendered with `billing.pdf.invoice_pdf` (town header and logo,
payer, lines by child and activity with the rule applied, totals, due date, régie), next to a minimal one-page
reportlab PDF × N as the floor (one canvas, one line of text, no database).

Run with `make bench` (10,000 PDFs; skipped in the normal run by --benchmark-skip); `PORTAIL_BENCH_INVOICE_PDFS=200`
for a quick check. Reports seconds, ms per PDF, queries, the floor and the ratio; nothing is asserted on time.
"""

import io
import os
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from billing.models import Invoice, InvoiceLine
from billing.pdf import invoice_pdf
from families.models import Child, Family
from tests.factories import ActivityFactory, SchoolFactory, UnitFactory

pytestmark = [pytest.mark.benchmark_town, pytest.mark.django_db]

PDFS = int(os.environ.get("PORTAIL_BENCH_INVOICE_PDFS", "10000"))
NOV = date(2026, 11, 1)
DAYS = ", ".join(
    (NOV + timedelta(days=i)).strftime("%d/%m") for i in range(30) if (NOV + timedelta(days=i)).weekday() < 5
)


@pytest.fixture
def issued_invoices(db):
    """N families, each with an issued November invoice of three lines (two children: meals, one evening care)."""
    canteen = ActivityFactory(name="Restauration scolaire")
    meal = UnitFactory(activity=canteen, label="Repas classique")
    evening = UnitFactory(activity=canteen, label="Accueil du soir", code="soir", exclusive_group="")
    school = SchoolFactory()
    families = Family.objects.bulk_create(
        Family(
            code=f"F-{i:06d}",
            name=f"FAMILLE{i} Claire et Julien",
            address_line1=f"{i % 90 + 1} rue Jean Jaurès",
            postcode="95550",
            commune="Bessancourt",
        )
        for i in range(1, PDFS + 1)
    )
    children = Child.objects.bulk_create(
        Child(
            family=f, first_name=name, last_name=f"Famille{f.pk}", birth_date=date(2017, 3, 1), school=school
        )
        for f in families
        for name in ("Léa", "Hugo")
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            family=f,
            payer_name=f"Claire FAMILLE{i}",
            payer_address=f"{f.address_line1}\n95550 Bessancourt",
            period=NOV,
            status=Invoice.Status.ISSUED,
            number=f"2026-{i:06d}",
            issued_on=date(2026, 12, 2),
            due_on=date(2027, 1, 1),
        )
        for i, f in enumerate(families, start=1)
    )
    rows = []
    for invoice, (lea, hugo) in zip(invoices, zip(children[::2], children[1::2], strict=True), strict=True):
        for position, (child, unit, quantity, price, rule) in enumerate(
            [
                (lea, meal, 19, "3.40", "Tranche QF 3 (601–900 €)"),
                (hugo, meal, 19, "3.06", "Tranche QF 3 (601–900 €) ; Réduction fratrie −10 %"),
                (hugo, evening, 8, "1.86", "Taux d'effort 0,25 % du QF"),
            ]
        ):
            rows.append(
                InvoiceLine(
                    invoice=invoice,
                    child=child,
                    child_name=f"{child.first_name} {child.last_name}",
                    unit=unit,
                    activity_name=canteen.name,
                    label=unit.label,
                    dates=DAYS,
                    first_date=NOV,
                    last_date=date(2026, 11, 30),
                    quantity=Decimal(quantity),
                    unit_price=Decimal(price),
                    amount=Decimal(price) * quantity,
                    rule=rule,
                    position=position,
                )
            )
    InvoiceLine.objects.bulk_create(rows, batch_size=5000)
    return list(Invoice.objects.select_related("family").order_by("pk"))


def _minimal_pdf(number: str) -> bytes:
    """The floor: one A4 page with one line of text, straight on a reportlab canvas."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 770, f"Facture {number}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_invoice_pdfs_next_to_a_minimal_reportlab_pdf(benchmark, issued_invoices, capsys):
    started = time.perf_counter()
    floor_bytes = sum(len(_minimal_pdf(invoice.number)) for invoice in issued_invoices)
    floor_seconds = time.perf_counter() - started

    timings = {}

    def render():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            timings["bytes"] = sum(len(invoice_pdf(invoice=invoice)) for invoice in issued_invoices)
            timings["seconds"] = time.perf_counter() - started
        timings["queries"] = len(queries)

    benchmark.pedantic(render, rounds=1, iterations=1)
    seconds = timings["seconds"]
    assert timings["bytes"] > floor_bytes
    ratio = seconds / floor_seconds
    benchmark.extra_info.update(
        {
            "pdfs": PDFS,
            "seconds": round(seconds, 2),
            "ms_per_pdf": round(1000 * seconds / PDFS, 1),
            "queries": timings["queries"],
            "floor_seconds": round(floor_seconds, 2),
            "ratio": round(ratio, 1),
        }
    )
    with capsys.disabled():
        print(
            f"\n[bench] {PDFS} factures PDF : {seconds:.1f} s ({1000 * seconds / PDFS:.1f} ms par facture, "
            f"{timings['queries']} requêtes, {timings['bytes'] / PDFS / 1024:.1f} Kio en moyenne) ; plancher "
            f"reportlab une page {floor_seconds:.2f} s ({1000 * floor_seconds / PDFS:.2f} ms) ; ratio {ratio:.0f}×"
        )
