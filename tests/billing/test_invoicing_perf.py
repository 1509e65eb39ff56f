"""The monthly invoicing at town scale: the batch path (memoised pricing, billed days written as plain rows) bills
each day exactly what `unit_price` says for that day's family context, and writes the days in a few statements."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import BilledBooking, FamilyQuotient, Invoice, InvoiceLine, SurchargeKind
from billing.services.invoicing import invoice_run_create, invoice_run_prepare
from billing.services.tariffs import FamilyContext, unit_price
from families.models import Booking
from tests.billing.conftest import CANTEEN_BRACKETS, brackets_tariff
from tests.factories import ActivityFactory, ChildFactory, FamilyFactory, GuardianFactory, UnitFactory

D = Decimal
NOV = date(2026, 11, 1)
TODAY = date(2026, 12, 2)
SCHOOL_DAYS = [NOV + timedelta(days=i) for i in range(30) if (NOV + timedelta(days=i)).weekday() < 5]


@pytest.fixture
def canteen(db):
    activity = ActivityFactory(name="Restauration scolaire")
    unit = UnitFactory(activity=activity, label="Repas classique")
    tariff = brackets_tariff(
        unit,
        brackets=CANTEEN_BRACKETS,
        sibling_reduction_percent=D("10"),
        unreserved_surcharge_kind=SurchargeKind.PERCENT,
        unreserved_surcharge_value=D("50"),
        late_surcharge_kind=SurchargeKind.AMOUNT,
        late_surcharge_value=D("1.00"),
    )
    return unit, tariff


def family_with_children(name, children):
    family = FamilyFactory(name=name)
    GuardianFactory(family=family, is_billing_contact=True)
    kids = [
        ChildFactory(family=family, first_name=f"Enfant{i}", birth_date=date(2016 + i, 1, 1))
        for i in range(children)
    ]
    return family, kids


def prepare(unit):
    run = invoice_run_create(period=NOV, activities=[unit.activity], by=None, start=False)
    return invoice_run_prepare(run=run, today=TODAY)


def test_every_billed_day_costs_what_unit_price_says_for_that_day(canteen):
    """QF that changes mid-month, a family without QF, siblings, late bookings and presences without booking: the
    run prices each (tariff, context) once, yet every day is billed at its own day's price."""
    unit, tariff = canteen
    martin, (lea, hugo) = family_with_children("MARTIN", 2)
    FamilyQuotient.objects.create(
        family=martin, value=D("450"), valid_from=NOV, valid_until=date(2026, 11, 15)
    )
    FamilyQuotient.objects.create(family=martin, value=D("1000"), valid_from=date(2026, 11, 16))
    bernard, (zoe,) = family_with_children("BERNARD", 1)  # no QF: the highest bracket
    durand, (tom, noa, eva) = family_with_children("DURAND", 3)
    FamilyQuotient.objects.create(family=durand, value=D("450"), valid_from=date(2026, 1, 1))
    situations = {}
    for n, day in enumerate(SCHOOL_DAYS):
        for child in (lea, hugo, zoe, tom, noa, eva):
            fields = {"attendance": Booking.Attendance.PRESENT}
            if (n + child.pk) % 5 == 0:
                fields["late"] = True
            if (n + child.pk) % 7 == 0:
                fields["state"] = Booking.State.CANCELLED  # present without booking: +50 %
            booking = Booking.objects.create(child=child, unit=unit, date=day, **fields)
            situations[booking.pk] = fields

    run = prepare(unit)

    ranks = {lea.pk: 1, hugo.pk: 2, zoe.pk: 1, tom.pk: 1, noa.pk: 2, eva.pk: 3}  # the eldest first
    children = {martin.pk: 2, bernard.pk: 1, durand.pk: 3}
    links = BilledBooking.objects.filter(line__invoice__run=run).select_related("booking__child", "line")
    assert links.count() == len(SCHOOL_DAYS) * 6
    for link in links:
        booking = link.booking
        quotient = None
        if booking.child.family_id == durand.pk:
            quotient = D("450")
        elif booking.child.family_id == martin.pk:
            quotient = D("450") if booking.date <= date(2026, 11, 15) else D("1000")
        unreserved = situations[booking.pk].get("state") == Booking.State.CANCELLED
        expected = unit_price(
            tariff=tariff,
            family_context=FamilyContext(
                quotient=quotient,
                children=children[booking.child.family_id],
                child_rank=ranks[booking.child_id],
                unreserved=unreserved,
                late=situations[booking.pk].get("late", False) and not unreserved,
            ),
        )
        assert (link.amount, link.line.unit_price, link.line.rule) == (
            expected.amount,
            expected.amount,
            expected.rule,
        )
        assert (link.active, link.reversal, link.share) == (False, False, BilledBooking.Share.WHOLE)
    for line in InvoiceLine.objects.filter(invoice__run=run):
        assert line.amount == (line.quantity * line.unit_price).quantize(D("0.01"))
        assert line.quantity == line.links.count()


def test_a_month_of_billed_days_is_written_in_one_statement(canteen):
    """12 children × 20 school days = 240 links: the ORM's bulk insert needed two statements on SQLite (and many
    more at town scale); the run writes them as plain rows in one batch."""
    unit, _tariff = canteen
    for i in range(6):
        _family, kids = family_with_children(f"FAMILLE {i}", 2)
        Booking.objects.bulk_create(
            Booking(child=child, unit=unit, date=day, attendance=Booking.Attendance.PRESENT)
            for child in kids
            for day in SCHOOL_DAYS
        )

    with CaptureQueriesContext(connection) as queries:
        run = prepare(unit)

    table = BilledBooking._meta.db_table
    inserts = [q for q in queries.captured_queries if f'INSERT INTO "{table}"' in q["sql"]]
    assert len(inserts) == 1
    assert Invoice.objects.filter(run=run).count() == 6
    assert BilledBooking.objects.filter(line__invoice__run=run).count() == 12 * len(SCHOOL_DAYS)
    assert set(BilledBooking.objects.values_list("booking_id", flat=True)) == set(
        Booking.objects.values_list("pk", flat=True)
    )
