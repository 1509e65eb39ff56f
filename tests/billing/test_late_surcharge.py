"""Réservation tardive: a day the service enfance reserves after the délai is marked late and billed with the
tariff's surcharge, the rule written on the invoice line."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing.models import SurchargeKind, Tariff, TariffMode
from billing.services.invoicing import invoice_run_create, invoice_run_prepare, month_estimate
from families.models import Booking, Enrolment
from families.services.bookings import Change, bookings_apply, bookings_from_enrolment
from families.services.deadlines import BookingAction
from tests.factories import AcceptedEnrolmentFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
D = Decimal
# Monday 16 November 2026, 3 jours ouvrés avant 10h: Friday 13, Thursday 12 and — Wednesday 11 November being a
# jour férié — Tuesday 10 November at 10:00. The weekend and the holiday are skipped.
MONDAY_16 = date(2026, 11, 16)
DEADLINE = datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)
JUST_BEFORE = datetime(2026, 11, 10, 9, 59, 59, tzinfo=PARIS)
HOLIDAY_MORNING = datetime(2026, 11, 11, 8, 0, tzinfo=PARIS)
TUESDAY_17 = date(2026, 11, 17)  # deadline Thursday 12 November at 10:00


@pytest.fixture
def canteen(small_town):
    """Léa enrolled at the canteen, fiche sanitaire confirmed; a meal costs 3,35 €, +2 € when reserved late."""
    lea = small_town["lea"]
    lea.health_form_confirmed_on = date(2026, 8, 28)
    lea.save()
    activity = small_town["canteen"]
    AcceptedEnrolmentFactory(child=lea, activity=activity)
    meal = activity.units.get(code="repas-classique")
    Tariff.objects.create(
        unit=meal,
        mode=TariffMode.FLAT,
        valid_from=date(2026, 9, 1),
        price=D("3.35"),
        late_surcharge_kind=SurchargeKind.AMOUNT,
        late_surcharge_value=D("2"),
    )
    return {**small_town, "meal": meal}


def reserve(town, day, *, now, by, as_staff):
    return bookings_apply(
        child_changes=[Change(child=town["lea"], unit=town["meal"], day=day, action=BookingAction.ADD)],
        by=by,
        as_staff=as_staff,
        now=now,
    )


def booking(town, day) -> Booking:
    return Booking.objects.get(child=town["lea"], unit=town["meal"], date=day, state=Booking.State.RESERVED)


def test_agent_reserving_on_the_public_holiday_for_next_monday_makes_a_late_reservation(canteen, agent):
    parent = canteen["martin_parent"].user
    refused = reserve(canteen, MONDAY_16, now=HOLIDAY_MORNING, by=parent, as_staff=False)
    assert refused.refused[0].code == "deadline"

    assert reserve(canteen, MONDAY_16, now=HOLIDAY_MORNING, by=agent, as_staff=True).ok

    assert booking(canteen, MONDAY_16).late is True


def test_a_reservation_one_second_before_the_deadline_is_not_late(canteen, agent):
    assert reserve(canteen, MONDAY_16, now=JUST_BEFORE, by=agent, as_staff=True).ok
    assert booking(canteen, MONDAY_16).late is False


def test_the_deadline_itself_is_already_late(canteen, agent):
    assert reserve(canteen, MONDAY_16, now=DEADLINE, by=agent, as_staff=True).ok
    assert booking(canteen, MONDAY_16).late is True


def test_on_the_holiday_next_tuesday_is_still_open_to_parents_and_not_late(canteen, agent):
    # Tuesday 17: Monday 16, Friday 13, Thursday 12 (back over the weekend) → Thursday 12 November at 10:00.
    parent = canteen["martin_parent"].user
    assert reserve(canteen, TUESDAY_17, now=HOLIDAY_MORNING, by=parent, as_staff=False).ok
    assert booking(canteen, TUESDAY_17).late is False
    # Thursday 19 can be changed until Monday 16 at 10:00: an agent booking it on Friday 13 is in time.
    friday = datetime(2026, 11, 13, 8, 0, tzinfo=PARIS)
    assert reserve(canteen, date(2026, 11, 19), now=friday, by=agent, as_staff=True).ok
    assert booking(canteen, date(2026, 11, 19)).late is False


def test_a_cancelled_day_reserved_again_in_time_is_no_longer_late(canteen, agent):
    reserve(canteen, TUESDAY_17, now=datetime(2026, 11, 13, 8, tzinfo=PARIS), by=agent, as_staff=True)
    assert booking(canteen, TUESDAY_17).late is True
    bookings_apply(
        child_changes=[
            Change(child=canteen["lea"], unit=canteen["meal"], day=TUESDAY_17, action=BookingAction.CANCEL)
        ],
        by=agent,
        as_staff=True,
        now=datetime(2026, 11, 13, 9, tzinfo=PARIS),
    )
    reserve(canteen, TUESDAY_17, now=datetime(2026, 11, 2, 9, tzinfo=PARIS), by=agent, as_staff=True)
    assert booking(canteen, TUESDAY_17).late is False


def test_days_of_an_accepted_enrolment_planning_are_never_late(canteen, agent):
    enrolment = Enrolment.objects.get(child=canteen["lea"])
    enrolment.planning_weekdays = [0]
    enrolment.save()
    enrolment.planning_units.set([canteen["meal"]])

    result = bookings_from_enrolment(enrolment=enrolment, by=agent, now=HOLIDAY_MORNING)

    assert MONDAY_16 in {b.date for b in result.reserved}
    assert booking(canteen, MONDAY_16).late is False


def test_the_invoice_bills_the_late_day_with_its_surcharge_and_says_why(canteen, agent, regisseur):
    parent = canteen["martin_parent"].user
    reserve(canteen, date(2026, 11, 9), now=datetime(2026, 11, 2, 8, tzinfo=PARIS), by=parent, as_staff=False)
    reserve(canteen, TUESDAY_17, now=datetime(2026, 11, 2, 8, tzinfo=PARIS), by=parent, as_staff=False)
    reserve(canteen, MONDAY_16, now=HOLIDAY_MORNING, by=agent, as_staff=True)

    run = invoice_run_create(
        period=date(2026, 11, 1), activities=[canteen["canteen"]], by=regisseur, start=False
    )
    invoice_run_prepare(run=run, today=date(2026, 12, 2))

    lines = sorted(
        run.invoices.get().lines.values_list("quantity", "unit_price", "amount", "rule"), key=lambda r: r[1]
    )
    assert lines == [
        (D("2"), D("3.35"), D("6.70"), "Prix unique"),
        (D("1"), D("5.35"), D("5.35"), "Prix unique ; Majoration réservation tardive +2 €"),
    ]


def test_the_month_estimate_shows_the_surcharge_too(canteen, agent):
    reserve(canteen, MONDAY_16, now=HOLIDAY_MORNING, by=agent, as_staff=True)

    estimate = month_estimate(family=canteen["martin"], child=canteen["lea"], month=date(2026, 11, 1))

    assert estimate.total == D("5.35")
    assert estimate.lines[0].rule == "Prix unique ; Majoration réservation tardive +2 €"


def test_a_walk_in_day_gets_only_the_walk_in_surcharge(canteen):
    # Present without reservation is its own surcharge: a late flag on such a row would not add a second one.
    Booking.objects.create(
        child=canteen["lea"],
        unit=canteen["meal"],
        date=MONDAY_16,
        state=Booking.State.CANCELLED,
        attendance=Booking.Attendance.PRESENT,
        walk_in=True,
        late=True,
    )
    estimate = month_estimate(family=canteen["martin"], child=canteen["lea"], month=date(2026, 11, 1))
    assert estimate.total == D("3.35")
