"""The régisseur's monthly invoicing: drafts from bookings and attendance, preview, issue, re-runs, estimate."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import (
    ActivityBillingRule,
    BilledBooking,
    Invoice,
    InvoiceRun,
    SurchargeKind,
)
from billing.services.invoicing import (
    invoice_run_create,
    invoice_run_issue,
    invoice_run_prepare,
    invoice_run_preview,
    month_estimate,
)
from billing.services.quotients import family_quotient_set
from families.models import Booking
from tests.billing.conftest import CANTEEN_BRACKETS, brackets_tariff
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    UnitFactory,
)

D = Decimal
NOV = date(2026, 11, 1)
DEC = date(2026, 12, 1)
TODAY = date(2026, 12, 2)


@pytest.fixture
def canteen(db):
    activity = ActivityFactory(name="Restauration scolaire")
    unit = UnitFactory(activity=activity, label="Repas classique")
    brackets_tariff(
        unit,
        brackets=CANTEEN_BRACKETS,
        unreserved_surcharge_kind=SurchargeKind.PERCENT,
        unreserved_surcharge_value=D("50"),
    )
    return unit


@pytest.fixture
def dupont(db, regisseur):
    family = FamilyFactory(name="DUPONT Martin et Claire")
    GuardianFactory(family=family, first_name="Claire", email="claire@exemple.fr", is_billing_contact=True)
    family_quotient_set(family=family, value=D("750"), valid_from=date(2026, 9, 1), by=regisseur)
    return family


def book(child, unit, day, **fields):
    return BookingFactory(child=child, unit=unit, date=day, **fields)


def run_month(unit, *, period=NOV, by=None, today=TODAY):
    run = invoice_run_create(period=period, activities=[unit.activity], by=by, start=False)
    return invoice_run_prepare(run=run, today=today)


def test_a_month_of_canteen_becomes_one_draft_with_the_rule_applied(canteen, dupont, regisseur):
    lea = ChildFactory(family=dupont, first_name="Léa")
    for day in (2, 3, 5):
        book(lea, canteen, date(2026, 11, day), attendance=Booking.Attendance.PRESENT)
    book(lea, canteen, date(2026, 11, 6), attendance=Booking.Attendance.ABSENT)
    book(lea, canteen, date(2026, 11, 9), attendance=Booking.Attendance.EXCUSED)
    book(
        lea, canteen, date(2026, 11, 10), state=Booking.State.CANCELLED, attendance=Booking.Attendance.PRESENT
    )

    run = run_month(canteen, by=regisseur)

    invoice = Invoice.objects.get(run=run)
    assert invoice.status == Invoice.Status.DRAFT
    assert invoice.payer.first_name == "Claire"
    lines = {(line.rule, line.quantity, line.unit_price, line.amount) for line in invoice.lines.all()}
    assert lines == {
        ("Tranche QF 3 (601–900 €)", D("3"), D("3.35"), D("10.05")),
        ("Tranche QF 3 (601–900 €) ; Absence non justifiée", D("1"), D("3.35"), D("3.35")),
        (
            "Tranche QF 3 (601–900 €) ; Majoration présence sans réservation +50 %",
            D("1"),
            D("5.03"),
            D("5.03"),
        ),
    }
    assert invoice.lines_total() == D("18.43")
    assert run.status == InvoiceRun.Status.DRAFTED


def test_preview_lists_families_without_quotient_and_days_not_closed_by_roll_call(canteen, regisseur):
    family = FamilyFactory(name="MARTIN")
    GuardianFactory(family=family)
    child = ChildFactory(family=family)
    for day in (2, 3):
        book(child, canteen, date(2026, 11, day))  # never pointed

    run = run_month(canteen, by=regisseur)
    preview = invoice_run_preview(run=run)

    assert preview.count == 1
    assert preview.total == D("9.70")  # top bracket, 2 × 4,85 €
    kinds = [a["kind"] for a in preview.anomalies]
    assert kinds.count("open_roll_call") == 2
    assert "no_quotient" in kinds


def test_a_small_month_is_not_invoiced_and_carries_over(canteen, dupont, regisseur):
    child = ChildFactory(family=dupont)
    book(child, canteen, date(2026, 11, 30), attendance=Booking.Attendance.PRESENT)

    run = run_month(canteen, by=regisseur)
    assert not Invoice.objects.filter(run=run).exists()
    assert [a["kind"] for a in run.anomalies] == ["carried_over"]

    book(child, canteen, date(2026, 12, 1), attendance=Booking.Attendance.PRESENT)
    book(child, canteen, date(2026, 12, 3), attendance=Booking.Attendance.PRESENT)
    december = run_month(canteen, period=DEC, by=regisseur, today=date(2027, 1, 4))
    invoice = Invoice.objects.get(run=december)
    assert invoice.lines_total() == D("10.05")
    assert {line.kind for line in invoice.lines.all()} == {"carry", "charge"}


@override_settings(PORTAIL_INVOICE_MINIMUM="0")
def test_issue_numbers_renders_and_emails_and_lists_paper_families(
    canteen, dupont, regisseur, django_capture_on_commit_callbacks
):
    paper = FamilyFactory(name="BERNARD")
    GuardianFactory(family=paper, email="bernard@exemple.fr")
    dupont.paperless_invoices = True
    dupont.save()
    for family in (dupont, paper):
        book(ChildFactory(family=family), canteen, date(2026, 11, 2), attendance=Booking.Attendance.PRESENT)
    run = run_month(canteen, by=regisseur)

    with django_capture_on_commit_callbacks(execute=True):
        run = invoice_run_issue(run=run, today=TODAY)

    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == ["2026-000001", "2026-000002"]
    assert all(invoice.pdf.name.endswith(".pdf") for invoice in Invoice.objects.all())
    assert Invoice.objects.get(family=dupont).due_on == date(2027, 1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["bernard@exemple.fr", "claire@exemple.fr"]
    assert "/portail/factures/" in mail.outbox[0].body
    assert [i.family for i in invoice_run_preview(run=run).print_list] == [paper]
    assert run.status == InvoiceRun.Status.ISSUED


def test_re_running_a_period_never_bills_a_booking_twice(canteen, dupont, regisseur):
    child = ChildFactory(family=dupont)
    for day in (2, 3, 4):
        book(child, canteen, date(2026, 11, day), attendance=Booking.Attendance.PRESENT)
    invoice_run_issue(run=run_month(canteen, by=regisseur), today=TODAY)

    again = run_month(canteen, by=regisseur)

    assert not Invoice.objects.filter(run=again).exists()
    assert BilledBooking.objects.filter(active=True).count() == 3


def test_two_drafts_of_the_same_days_cannot_both_be_issued(canteen, dupont, regisseur):
    child = ChildFactory(family=dupont)
    for day in (2, 3):
        book(child, canteen, date(2026, 11, day), attendance=Booking.Attendance.PRESENT)
    first = run_month(canteen, by=regisseur)
    second = run_month(canteen, by=regisseur)

    invoice_run_issue(run=first, today=TODAY)
    second = invoice_run_issue(run=second, today=TODAY)

    assert Invoice.objects.filter(status=Invoice.Status.ISSUED).count() == 1
    assert Invoice.objects.get(run=second).status == Invoice.Status.DRAFT
    assert second.anomalies[-1]["kind"] == "already_billed"


@override_settings(PORTAIL_INVOICE_MINIMUM="0")
def test_a_late_excused_absence_on_an_invoiced_day_is_refunded_next_month(canteen, dupont, regisseur):
    child = ChildFactory(family=dupont)
    booked = [
        book(child, canteen, date(2026, 11, day), attendance=Booking.Attendance.PRESENT) for day in (2, 3)
    ]
    invoice_run_issue(run=run_month(canteen, by=regisseur), today=TODAY)
    booked[1].attendance = Booking.Attendance.EXCUSED
    booked[1].save()
    book(child, canteen, date(2026, 12, 1), attendance=Booking.Attendance.PRESENT)

    december = run_month(canteen, period=DEC, by=regisseur, today=date(2027, 1, 4))

    invoice = Invoice.objects.get(run=december)
    amounts = sorted((line.kind, line.amount) for line in invoice.lines.all())
    assert amounts == [("charge", D("3.35")), ("reversal", D("-3.35"))]
    invoice_run_issue(run=december, today=date(2027, 1, 4))
    again = run_month(canteen, period=DEC, by=regisseur, today=date(2027, 1, 5))
    assert not Invoice.objects.filter(run=again).exists()


def test_an_activity_rule_can_stop_billing_unjustified_absences(canteen, dupont, regisseur):
    ActivityBillingRule.objects.create(activity=canteen.activity, bill_reserved_absent_unjustified=False)
    child = ChildFactory(family=dupont)
    for day in (2, 3):
        book(child, canteen, date(2026, 11, day), attendance=Booking.Attendance.PRESENT)
    book(child, canteen, date(2026, 11, 4), attendance=Booking.Attendance.ABSENT)

    invoice = Invoice.objects.get(run=run_month(canteen, by=regisseur))

    assert invoice.lines_total() == D("6.70")


def test_month_estimate_prices_the_days_ticked_so_far(canteen, dupont):
    child = ChildFactory(family=dupont)
    for day in (2, 3, 5, 6):
        book(child, canteen, date(2026, 11, day))
    book(child, canteen, date(2026, 11, 9), state=Booking.State.WAITING, waiting_since="2026-11-01T10:00Z")

    total, lines = month_estimate(family=dupont, child=child, month=NOV)

    assert total == D("13.40")
    assert [(line.label, line.quantity, line.rule) for line in lines] == [
        ("Repas classique", D("4"), "Tranche QF 3 (601–900 €)")
    ]


def test_command_drafts_then_issues_a_month(canteen, dupont):
    child = ChildFactory(family=dupont)
    for day in (2, 3):
        book(child, canteen, date(2026, 11, day), attendance=Booking.Attendance.PRESENT)

    call_command("invoice_month", "2026-11")
    assert Invoice.objects.get().status == Invoice.Status.DRAFT
    call_command("invoice_month", "2026-11", "--issue")
    assert Invoice.objects.get(status=Invoice.Status.ISSUED).number.endswith("-000001")


def test_command_refuses_a_malformed_month(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("invoice_month", "novembre")


def test_a_run_needs_an_activity(regisseur):
    with pytest.raises(ValidationError):
        invoice_run_create(period=NOV, activities=[], by=regisseur)


ATTENDANCE = [
    Booking.Attendance.UNKNOWN,
    Booking.Attendance.PRESENT,
    Booking.Attendance.ABSENT,
    Booking.Attendance.EXCUSED,
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.sampled_from(ATTENDANCE), min_size=1, max_size=20))
@pytest.mark.django_db
def test_an_invoice_total_is_the_sum_of_its_lines_and_of_its_billed_days(canteen, dupont, regisseur, days):
    Invoice.objects.all().delete()
    Booking.objects.all().delete()
    child = ChildFactory(family=dupont)
    for offset, attendance in enumerate(days):
        book(child, canteen, date(2026, 11, 2) + timedelta(days=offset), attendance=attendance)
    billed = sum(1 for a in days if a != Booking.Attendance.EXCUSED)

    with override_settings(PORTAIL_INVOICE_MINIMUM="0"):
        run = run_month(canteen, by=regisseur)

    invoice = Invoice.objects.filter(run=run).first()
    total = invoice.lines_total() if invoice else D("0")
    assert total == D("3.35") * billed
    if invoice:
        assert all(line.amount == line.quantity * line.unit_price for line in invoice.lines.all())
        assert BilledBooking.objects.filter(line__invoice=invoice).count() == billed
