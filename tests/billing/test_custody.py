"""Shared custody (garde alternée): the régisseur records how two parents share a child, and each parent is invoiced
for their share — by percentage, alternate weeks or activity — never more than once per day."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import BilledBooking, CustodyMode, CustodySplit, Invoice, PaymentMeans, WeekBasis
from billing.services.credit_notes import invoice_cancel
from billing.services.custody import custody_split_end, custody_split_set, share_prices, week_payer
from billing.services.invoicing import (
    invoice_issue,
    invoice_run_create,
    invoice_run_issue,
    invoice_run_prepare,
)
from billing.services.payments import family_credit, open_invoices, payment_allocate_credit, payment_record
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
JAN = date(2027, 1, 1)
SEPT_1 = date(2026, 9, 1)
PRESENT = Booking.Attendance.PRESENT


@pytest.fixture
def canteen(db):
    unit = UnitFactory(activity=ActivityFactory(name="Restauration scolaire"), label="Repas classique")
    brackets_tariff(unit, brackets=CANTEEN_BRACKETS)  # QF 750 € → 3,35 €
    return unit


@pytest.fixture
def wednesday(db):
    from billing.models import Tariff, TariffMode

    unit = UnitFactory(activity=ActivityFactory(name="Mercredis récréatifs"), label="Journée", code="journee")
    Tariff.objects.create(unit=unit, mode=TariffMode.FLAT, valid_from=SEPT_1, price=D("12.00"))
    return unit


@pytest.fixture
def separated(db, regisseur):
    """Claire and Marc separated: both are responsables légaux of the Dupont dossier, Marc lives elsewhere."""
    family = FamilyFactory(
        name="DUPONT", address_line1="3 rue Jean Jaurès", postcode="95550", commune="Bessancourt"
    )
    claire = GuardianFactory(family=family, first_name="Claire", last_name="Dupont", is_billing_contact=True)
    marc = GuardianFactory(family=family, first_name="Marc", last_name="Durand", is_billing_contact=False)
    family_quotient_set(family=family, value=D("750"), valid_from=SEPT_1, by=regisseur)
    lea = ChildFactory(family=family, first_name="Léa")
    return {"family": family, "claire": claire, "marc": marc, "lea": lea}


MARC_ADDRESS = "12 avenue de la Gare\n95550 Bessancourt"


def split(s, mode, *, by=None, **fields):
    fields.setdefault("valid_from", SEPT_1)
    return custody_split_set(
        child=fields.pop("child", s["lea"]),
        payer_a=fields.pop("payer_a", s["claire"]),
        payer_b=fields.pop("payer_b", s["marc"]),
        mode=mode,
        payer_b_address=fields.pop("payer_b_address", MARC_ADDRESS),
        by=by,
        **fields,
    )


def run_month(activities, period, *, today=None):
    run = invoice_run_create(period=period, activities=activities, by=None, start=False)
    return invoice_run_prepare(run=run, today=today or period.replace(day=28))


def invoice_of(run, guardian) -> Invoice:
    return Invoice.objects.get(run=run, payer=guardian)


def lines_of(invoice):
    return [
        (line.dates, line.unit_price, line.amount, line.rule) for line in invoice.lines.order_by("position")
    ]


# --- Percentage ------------------------------------------------------------------------------------------------------


def test_a_fifty_fifty_custody_bills_each_parent_half_of_each_meal(separated, canteen, regisseur):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50, by=regisseur)
    for day in (2, 3, 5):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)

    run = run_month([canteen.activity], NOV)

    claire, marc = invoice_of(run, separated["claire"]), invoice_of(run, separated["marc"])
    assert Invoice.objects.filter(run=run).count() == 2
    assert lines_of(claire) == [
        ("02/11, 03/11, 05/11", D("1.68"), D("5.04"), "Tranche QF 3 (601–900 €) ; Garde alternée : 50 %")
    ]
    assert lines_of(marc) == [
        ("02/11, 03/11, 05/11", D("1.67"), D("5.01"), "Tranche QF 3 (601–900 €) ; Garde alternée : 50 %")
    ]
    assert claire.lines_total() + marc.lines_total() == D("10.05")  # 3 × 3,35 €, not a cent lost or added
    assert (claire.payer_name, claire.payer_address) == (
        "Claire DUPONT",
        "3 rue Jean Jaurès\n95550 Bessancourt",
    )
    assert (marc.payer_name, marc.payer_address) == ("Marc DURAND", MARC_ADDRESS)
    shares = sorted(BilledBooking.objects.filter(line__invoice__run=run).values_list("share", "amount"))
    assert shares == [(1, D("1.68"))] * 3 + [(2, D("1.67"))] * 3


def test_a_sixty_forty_split_says_each_parents_share_in_the_rule(separated, canteen):
    split(separated, CustodyMode.PERCENTAGE, percent_a=60)
    for day in (2, 3):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)

    run = run_month([canteen.activity], NOV)

    [claire] = invoice_of(run, separated["claire"]).lines.all()
    [marc] = invoice_of(run, separated["marc"]).lines.all()
    assert (claire.unit_price, claire.rule) == (D("2.01"), "Tranche QF 3 (601–900 €) ; Garde alternée : 60 %")
    assert (marc.unit_price, marc.rule) == (D("1.34"), "Tranche QF 3 (601–900 €) ; Garde alternée : 40 %")


@given(
    price=st.decimals(min_value=D("0.00"), max_value=D("500.00"), places=2),
    percent=st.integers(min_value=1, max_value=99),
    days=st.integers(min_value=1, max_value=23),
)
@settings(max_examples=300)
def test_the_two_shares_always_add_up_to_the_undivided_amount(price, percent, days):
    a, b = share_prices(price, percent)

    assert a + b == price
    assert a >= 0 and b >= 0
    # A is rounded half-up to the cent: never more than half a cent away from the exact share.
    assert abs(a - price * percent / 100) <= D("0.005")
    assert days * a + days * b == days * price


def test_three_thirty_five_at_fifty_percent_is_one_sixty_eight_and_one_sixty_seven():
    assert share_prices(D("3.35"), 50) == (D("1.68"), D("1.67"))


@given(
    percent=st.integers(min_value=1, max_value=99), days=st.sets(st.integers(2, 27), min_size=1, max_size=8)
)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_split_month_bills_exactly_what_one_invoice_would(separated, canteen, percent, days):
    CustodySplit.objects.all().delete()
    Invoice.objects.all().delete()
    Booking.objects.all().delete()
    split(separated, CustodyMode.PERCENTAGE, percent_a=percent)
    for day in days:
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)

    run = run_month([canteen.activity], NOV)

    total = sum((invoice.lines_total() for invoice in Invoice.objects.filter(run=run)), D("0"))
    if len(days) * D("3.35") >= 5:  # below the invoicing minimum the month carries over for both parents
        assert total == len(days) * D("3.35")
        links = BilledBooking.objects.filter(line__invoice__run=run)
        assert sum(link.amount for link in links) == total
    else:
        assert total == 0


# --- Alternate weeks across the year end --------------------------------------------------------------------------


def test_iso_week_parity_gives_week_53_and_week_1_to_the_same_parent():
    even = CustodySplit(week_basis=WeekBasis.ISO_EVEN)

    assert week_payer(even, date(2026, 12, 24)) == BilledBooking.Share.PAYER_A  # ISO week 52
    assert week_payer(even, date(2026, 12, 29)) == BilledBooking.Share.PAYER_B  # week 53 of 2026
    assert (
        week_payer(even, date(2027, 1, 1)) == BilledBooking.Share.PAYER_B
    )  # Friday 1 January: still week 53
    assert week_payer(even, date(2027, 1, 4)) == BilledBooking.Share.PAYER_B  # week 1 of 2027: odd again
    assert week_payer(even, date(2027, 1, 11)) == BilledBooking.Share.PAYER_A  # week 2


def test_a_reference_monday_alternates_strictly_across_the_year_end():
    alternate = CustodySplit(week_basis=WeekBasis.REFERENCE, reference_monday=date(2026, 12, 21))

    assert week_payer(alternate, date(2026, 12, 24)) == BilledBooking.Share.PAYER_A
    assert week_payer(alternate, date(2027, 1, 1)) == BilledBooking.Share.PAYER_B
    assert week_payer(alternate, date(2027, 1, 4)) == BilledBooking.Share.PAYER_A
    assert week_payer(alternate, date(2027, 1, 11)) == BilledBooking.Share.PAYER_B
    assert week_payer(alternate, date(2026, 12, 18)) == BilledBooking.Share.PAYER_B  # the week before


def test_alternate_weeks_send_whole_days_to_the_parent_of_the_week(separated, wednesday):
    split(separated, CustodyMode.ALTERNATE_WEEKS, week_basis=WeekBasis.ISO_EVEN)
    lea = separated["lea"]
    for day in (date(2026, 12, 23), date(2026, 12, 30), date(2027, 1, 6), date(2027, 1, 13)):
        BookingFactory(child=lea, unit=wednesday, date=day, attendance=PRESENT)

    december = invoice_run_issue(run=run_month([wednesday.activity], DEC), today=date(2027, 1, 4))
    january = run_month([wednesday.activity], JAN, today=date(2027, 1, 31))

    assert lines_of(invoice_of(december, separated["claire"])) == [
        ("23/12", D("12.00"), D("12.00"), "Prix unique ; Garde alternée : semaines paires")
    ]
    assert lines_of(invoice_of(december, separated["marc"])) == [
        ("30/12", D("12.00"), D("12.00"), "Prix unique ; Garde alternée : semaines impaires")
    ]
    assert lines_of(invoice_of(january, separated["marc"])) == [
        ("06/01", D("12.00"), D("12.00"), "Prix unique ; Garde alternée : semaines impaires")
    ]
    assert lines_of(invoice_of(january, separated["claire"])) == [
        ("13/01", D("12.00"), D("12.00"), "Prix unique ; Garde alternée : semaines paires")
    ]


def test_a_split_that_starts_mid_month_leaves_the_earlier_days_to_the_family_payer(separated, wednesday):
    split(
        separated,
        CustodyMode.ALTERNATE_WEEKS,
        week_basis=WeekBasis.REFERENCE,
        reference_monday=date(2026, 11, 16),
        valid_from=date(2026, 11, 16),
    )
    for day in (4, 11, 18, 25):
        BookingFactory(child=separated["lea"], unit=wednesday, date=date(2026, 11, day), attendance=PRESENT)

    run = run_month([wednesday.activity], NOV)

    assert lines_of(invoice_of(run, separated["claire"])) == [
        ("04/11, 11/11", D("12.00"), D("24.00"), "Prix unique"),
        ("18/11", D("12.00"), D("12.00"), "Prix unique ; Garde alternée : une semaine sur deux"),
    ]
    assert lines_of(invoice_of(run, separated["marc"])) == [
        ("25/11", D("12.00"), D("12.00"), "Prix unique ; Garde alternée : une semaine sur deux")
    ]


# --- Per activity -------------------------------------------------------------------------------------------------


def test_per_activity_the_canteen_goes_to_one_parent_and_wednesdays_to_the_other(
    separated, canteen, wednesday
):
    split(separated, CustodyMode.PER_ACTIVITY, payer_b_activities=[wednesday.activity])
    lea = separated["lea"]
    for day in (2, 3):
        BookingFactory(child=lea, unit=canteen, date=date(2026, 11, day), attendance=PRESENT)
    BookingFactory(child=lea, unit=wednesday, date=date(2026, 11, 4), attendance=PRESENT)

    run = run_month([canteen.activity, wednesday.activity], NOV)

    rule = "Garde alternée : répartition par activité"
    assert lines_of(invoice_of(run, separated["claire"])) == [
        ("02/11, 03/11", D("3.35"), D("6.70"), f"Tranche QF 3 (601–900 €) ; {rule}")
    ]
    assert lines_of(invoice_of(run, separated["marc"])) == [
        ("04/11", D("12.00"), D("12.00"), f"Prix unique ; {rule}")
    ]


def test_a_brother_without_split_stays_on_the_family_payers_invoice(separated, canteen):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    tom = ChildFactory(family=separated["family"], first_name="Tom")
    BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, 2), attendance=PRESENT)
    BookingFactory(child=tom, unit=canteen, date=date(2026, 11, 2), attendance=PRESENT)

    run = run_month([canteen.activity], NOV)

    claire = invoice_of(run, separated["claire"])
    assert {(line.child.first_name, line.amount) for line in claire.lines.all()} == {
        ("Léa", D("1.68")),
        ("Tom", D("3.35")),
    }
    assert [line.child.first_name for line in invoice_of(run, separated["marc"]).lines.all()] == ["Léa"]


def test_a_family_without_split_keeps_one_invoice_to_its_payer(canteen, regisseur):
    family = FamilyFactory()
    payer = GuardianFactory(family=family, is_billing_contact=True)
    GuardianFactory(family=family, is_billing_contact=False)
    child = ChildFactory(family=family)
    for day in (2, 3):
        BookingFactory(child=child, unit=canteen, date=date(2026, 11, day), attendance=PRESENT)

    run = run_month([canteen.activity], NOV)

    [invoice] = Invoice.objects.filter(run=run)
    assert invoice.payer == payer
    assert BilledBooking.objects.filter(line__invoice=invoice, share=BilledBooking.Share.WHOLE).count() == 2


def _split_families(n, canteen, regisseur):
    for i in range(n):
        family = FamilyFactory()
        a = GuardianFactory(family=family, is_billing_contact=True)
        b = GuardianFactory(family=family, is_billing_contact=False)
        family_quotient_set(family=family, value=D("750"), valid_from=SEPT_1, by=regisseur)
        child = ChildFactory(family=family)
        mode = [CustodyMode.PERCENTAGE, CustodyMode.ALTERNATE_WEEKS, CustodyMode.PER_ACTIVITY][i % 3]
        custody_split_set(
            child=child,
            payer_a=a,
            payer_b=b,
            mode=mode,
            percent_a=50,
            week_basis=WeekBasis.ISO_EVEN,
            payer_b_activities=[canteen.activity],
            valid_from=SEPT_1,
        )
        for day in (2, 3, 9, 10):
            BookingFactory(child=child, unit=canteen, date=date(2026, 11, day), attendance=PRESENT)


def test_preparing_a_month_costs_the_same_queries_for_few_or_many_split_families(canteen, regisseur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        run = invoice_run_create(period=NOV, activities=[canteen.activity], by=None, start=False)
        with CaptureQueriesContext(connection) as captured:
            invoice_run_prepare(run=run, today=date(2026, 11, 30))
        return len(captured)

    _split_families(3, canteen, regisseur)
    few = queries()
    _split_families(6, canteen, regisseur)
    many = queries()

    assert many == few
    assert Invoice.objects.filter(run__isnull=False).values("run").distinct().count() == 2


# --- Re-runs, issue, corrections ----------------------------------------------------------------------------------


def test_re_running_a_split_month_never_bills_a_day_twice(separated, canteen):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    for day in (2, 3):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)
    run = run_month([canteen.activity], NOV)
    run = invoice_run_prepare(run=run, today=date(2026, 11, 30))  # re-run: the drafts are replaced
    assert Invoice.objects.filter(run=run).count() == 2
    invoice_run_issue(run=run, today=date(2026, 12, 2))
    assert Invoice.objects.filter(run=run, status=Invoice.Status.ISSUED).count() == 2

    again = run_month([canteen.activity], NOV)

    assert not Invoice.objects.filter(run=again).exists()
    assert BilledBooking.objects.filter(active=True).count() == 4  # 2 days × 2 shares


def test_a_cancelled_share_is_billed_again_to_that_parent_only(separated, canteen, regisseur):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    for day in (2, 3, 5, 6):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)
    first = invoice_run_issue(run=run_month([canteen.activity], NOV), today=date(2026, 12, 2))
    invoice_cancel(
        invoice=invoice_of(first, separated["marc"]),
        reason="Adresse erronée",
        by=regisseur,
        today=date(2026, 12, 3),
    )

    again = run_month([canteen.activity], NOV)

    [invoice] = Invoice.objects.filter(run=again)
    assert invoice.payer == separated["marc"]
    assert lines_of(invoice) == [
        (
            "02/11, 03/11, 05/11, 06/11",
            D("1.67"),
            D("6.68"),
            "Tranche QF 3 (601–900 €) ; Garde alternée : 50 %",
        )
    ]
    invoice_issue(invoice=invoice, today=date(2026, 12, 4))
    assert (
        BilledBooking.objects.filter(active=True, reversal=False).count() == 8
    )  # 4 days × 2 shares, once each


def test_two_drafts_of_the_same_share_cannot_both_be_issued(separated, canteen):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    for day in (2, 3):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)
    first = run_month([canteen.activity], NOV)
    second = run_month([canteen.activity], NOV)
    invoice_issue(invoice=invoice_of(first, separated["marc"]), today=date(2026, 12, 2))

    with pytest.raises(ValidationError, match="déjà été facturée"):
        invoice_issue(invoice=invoice_of(second, separated["marc"]), today=date(2026, 12, 2))
    # Claire's share of the same days is another share: her invoice can still be issued (once).
    invoice_issue(invoice=invoice_of(second, separated["claire"]), today=date(2026, 12, 2))


def test_a_day_billed_whole_cannot_also_be_billed_as_a_share(separated, canteen):
    for day in (2, 3):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)
    before_split = run_month([canteen.activity], NOV)  # one invoice to Claire, days billed whole
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    after_split = run_month([canteen.activity], NOV)
    invoice_issue(invoice=Invoice.objects.get(run=before_split), today=date(2026, 12, 2))

    with pytest.raises(ValidationError, match="déjà été facturée"):
        invoice_issue(invoice=invoice_of(after_split, separated["marc"]), today=date(2026, 12, 2))


def test_an_excused_absence_on_a_shared_day_is_refunded_to_each_parent(separated, canteen):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    lea = separated["lea"]
    days = [
        BookingFactory(child=lea, unit=canteen, date=date(2026, 11, d), attendance=PRESENT) for d in (2, 3, 5)
    ]
    invoice_run_issue(run=run_month([canteen.activity], NOV), today=date(2026, 12, 2))
    Booking.objects.filter(pk=days[0].pk).update(attendance=Booking.Attendance.EXCUSED)
    for day in (1, 2, 3, 4):
        BookingFactory(child=lea, unit=canteen, date=date(2026, 12, day), attendance=PRESENT)

    december = run_month([canteen.activity], DEC)

    claire, marc = invoice_of(december, separated["claire"]), invoice_of(december, separated["marc"])
    assert [(line.kind, line.amount) for line in claire.lines.order_by("position")] == [
        ("charge", D("6.72")),
        ("reversal", D("-1.68")),
    ]
    assert [(line.kind, line.amount) for line in marc.lines.order_by("position")] == [
        ("charge", D("6.68")),
        ("reversal", D("-1.67")),
    ]
    invoice_run_issue(run=december, today=date(2027, 1, 4))
    reversals = BilledBooking.objects.filter(booking=days[0], reversal=True, active=True)
    assert sorted(reversals.values_list("share", flat=True)) == [1, 2]


# --- Payments: each parent pays their own invoices ------------------------------------------------------------------


def test_each_parent_pays_their_own_invoice(separated, canteen, regisseur):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    for day in (2, 3, 5):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)
    run = invoice_run_issue(run=run_month([canteen.activity], NOV), today=date(2026, 12, 2))
    family, marc = separated["family"], separated["marc"]

    assert [i.payer for i in open_invoices(family=family, payer=marc)] == [marc]
    payment = payment_record(
        family=family,
        payer=marc,
        means=PaymentMeans.CHEQUE,
        amount="5,01",
        received_on=date(2026, 12, 10),
        by=regisseur,
    )

    assert [(a.invoice.payer, a.amount) for a in payment.allocations.all()] == [(marc, D("5.01"))]
    assert open_invoices(family=family, payer=marc) == []
    assert [i.payer for i in open_invoices(family=family)] == [separated["claire"]]
    assert family_credit(family=family) == 0
    assert invoice_of(run, separated["claire"]).allocations.count() == 0


def test_a_parents_credit_never_pays_the_other_parents_invoice(separated, canteen, regisseur):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50)
    for day in (2, 3, 5):
        BookingFactory(child=separated["lea"], unit=canteen, date=date(2026, 11, day), attendance=PRESENT)
    family, marc = separated["family"], separated["marc"]
    payment_record(
        family=family, payer=marc, means=PaymentMeans.CHEQUE, amount="20,00", received_on=date(2026, 11, 20)
    )
    run = invoice_run_issue(run=run_month([canteen.activity], NOV), today=date(2026, 12, 2))

    payment_allocate_credit(family=family)

    assert open_invoices(family=family, payer=marc) == []
    assert [i.payer for i in open_invoices(family=family)] == [separated["claire"]]
    assert invoice_of(run, separated["claire"]).allocations.count() == 0
    assert family_credit(family=family) == D("14.99")  # 20,00 € − Marc's 5,01 €


# --- The régisseur records the split: French errors ---------------------------------------------------------------


def errors(exc) -> dict:
    return exc.value.message_dict


def test_both_payers_must_be_guardians_of_the_childs_family(separated):
    stranger = GuardianFactory(first_name="Paul")

    with pytest.raises(ValidationError) as exc:
        split(separated, CustodyMode.PERCENTAGE, percent_a=50, payer_b=stranger)

    assert errors(exc) == {
        "payer_b": ["Le payeur B doit être un responsable légal de la famille de l'enfant."]
    }


def test_the_two_payers_must_differ(separated):
    with pytest.raises(ValidationError) as exc:
        split(separated, CustodyMode.PERCENTAGE, percent_a=50, payer_b=separated["claire"])

    assert errors(exc) == {"payer_b": ["Choisissez deux payeurs différents."]}


@pytest.mark.parametrize("percent", [None, 0, 100, 150])
def test_a_percentage_is_between_1_and_99(separated, percent):
    with pytest.raises(ValidationError) as exc:
        split(separated, CustodyMode.PERCENTAGE, percent_a=percent)

    assert errors(exc) == {"percent_a": ["Indiquez la part du payeur A, entre 1 et 99 %."]}


def test_alternate_weeks_from_a_reference_day_need_a_monday(separated):
    with pytest.raises(ValidationError) as exc:
        split(
            separated,
            CustodyMode.ALTERNATE_WEEKS,
            week_basis=WeekBasis.REFERENCE,
            reference_monday=date(2027, 1, 1),
        )

    assert errors(exc) == {"reference_monday": ["Le lundi de référence doit être un lundi."]}


def test_per_activity_needs_the_activities_of_payer_b(separated):
    with pytest.raises(ValidationError) as exc:
        split(separated, CustodyMode.PER_ACTIVITY)

    assert errors(exc) == {"payer_b_activities": ["Choisissez au moins une activité payée par le payeur B."]}


def test_two_splits_of_a_child_cannot_overlap(separated):
    split(separated, CustodyMode.PERCENTAGE, percent_a=50, valid_until=date(2026, 12, 31))

    with pytest.raises(ValidationError) as exc:
        split(
            separated,
            CustodyMode.ALTERNATE_WEEKS,
            week_basis=WeekBasis.ISO_EVEN,
            valid_from=date(2026, 12, 1),
        )

    assert errors(exc) == {
        "valid_from": [
            "Une autre répartition de garde alternée est déjà en vigueur pour cet enfant du 01/09/2026 au "
            "31/12/2026 : les périodes ne peuvent pas se chevaucher."
        ]
    }
    follow_up = split(
        separated, CustodyMode.ALTERNATE_WEEKS, week_basis=WeekBasis.ISO_EVEN, valid_from=date(2027, 1, 1)
    )
    assert follow_up.valid_from == date(2027, 1, 1)


def test_an_open_ended_split_must_be_ended_before_the_next(separated):
    first = split(separated, CustodyMode.PERCENTAGE, percent_a=50)

    with pytest.raises(ValidationError, match="depuis le 01/09/2026 : terminez-la"):
        split(separated, CustodyMode.PERCENTAGE, percent_a=70, valid_from=date(2027, 1, 1))

    custody_split_end(split=first, on=date(2026, 12, 31))
    assert split(separated, CustodyMode.PERCENTAGE, percent_a=70, valid_from=date(2027, 1, 1)).percent_a == 70


def test_a_split_cannot_end_before_it_starts(separated):
    with pytest.raises(ValidationError) as exc:
        split(separated, CustodyMode.PERCENTAGE, percent_a=50, valid_until=date(2026, 8, 31))

    assert errors(exc) == {"valid_until": ["La date de fin précède la date de début."]}


def test_only_the_chosen_modes_parameters_are_kept(separated, wednesday):
    saved = split(
        separated,
        CustodyMode.ALTERNATE_WEEKS,
        week_basis=WeekBasis.ISO_ODD,
        percent_a=30,
        payer_b_activities=[wednesday.activity],
    )

    saved.refresh_from_db()
    assert (saved.percent_a, saved.week_basis, saved.reference_monday) == (None, WeekBasis.ISO_ODD, None)
    assert not saved.payer_b_activities.exists()
