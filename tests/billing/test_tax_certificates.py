"""Attestations fiscales: what each payer paid in a year for the care of each child under 6, meals excluded."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import InvoiceLine, Payment, Tariff, TariffMode, TaxCertificate, TaxCertificateRun
from billing.services.invoicing import invoice_run_create, invoice_run_prepare
from billing.services.payments import payment_reject
from billing.services.tax_certificates import (
    child_is_eligible,
    tax_amounts,
    tax_certificate_run_start,
    tax_certificates_generate,
    tax_year_parse,
)
from families.models import Booking
from families.models.catalogue import ActivityKind
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    UnitFactory,
)

from .taxcert_builders import care_invoice, pay, pdf_text

D = Decimal
CARE = ActivityKind.PERISCOLAIRE
HOLIDAYS = ActivityKind.VACANCES
CANTEEN = ActivityKind.RESTAURATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(db):
    family = FamilyFactory(name="DUPONT")
    family.claire = GuardianFactory(family=family, first_name="Claire", last_name="Dupont")
    return family


@pytest.fixture
def lea(family):
    """Léa, born in 2022: 4 on 1 January 2027, eligible for 2026."""
    return ChildFactory(family=family, first_name="Léa", birth_date=date(2022, 3, 14))


@pytest.fixture
def hugo(family):
    """Hugo, born in 2017: too old for 2026."""
    return ChildFactory(family=family, first_name="Hugo", birth_date=date(2017, 6, 2))


def amounts_of(year, family):
    return {
        child: amount for (_f, _p, child), amount in tax_amounts(year=year, family_ids=[family.pk]).items()
    }


def test_a_child_born_on_1_january_six_years_before_is_no_longer_under_six():
    assert child_is_eligible(birth_date=date(2020, 1, 2), year=2026)
    assert not child_is_eligible(birth_date=date(2020, 1, 1), year=2026)
    assert not child_is_eligible(birth_date=date(2019, 12, 31), year=2026)
    assert child_is_eligible(birth_date=date(2026, 5, 1), year=2026)  # born during the year


def test_only_the_care_of_children_under_six_on_1_january_counts(family):
    turned_six = ChildFactory(family=family, first_name="Zoé", birth_date=date(2020, 1, 1))
    almost_six = ChildFactory(family=family, first_name="Noé", birth_date=date(2020, 1, 2))
    invoice = care_invoice(
        family, [(turned_six, CARE, "30.00"), (almost_six, CARE, "20.00")], issued_on=date(2026, 3, 3)
    )
    pay(family, "50.00", on=date(2026, 3, 20), invoice=invoice)

    assert amounts_of(2026, family) == {almost_six.pk: D("20.00")}


def test_meals_are_left_out_whole_canteen_lines_and_the_lunch_inside_a_holiday_day(family, lea):
    invoice = care_invoice(
        family,
        [(lea, CANTEEN, "40.00"), (lea, HOLIDAYS, "60.00", "15.00"), (lea, CARE, "20.00")],
        issued_on=date(2026, 4, 3),
    )
    pay(family, "120.00", on=date(2026, 4, 10), invoice=invoice)

    assert amounts_of(2026, family) == {lea.pk: D("65.00")}  # 60 − 15 + 20


def test_a_payment_counts_in_the_year_it_was_received_31_december_or_2_january(family, lea):
    december = care_invoice(family, [(lea, CARE, "30.00")], issued_on=date(2026, 12, 3))
    november = care_invoice(family, [(lea, CARE, "25.00")], issued_on=date(2026, 11, 3))
    pay(family, "25.00", on=date(2026, 12, 31), invoice=november)
    pay(family, "30.00", on=date(2027, 1, 2), invoice=december)

    assert amounts_of(2026, family) == {lea.pk: D("25.00")}
    assert amounts_of(2027, family) == {lea.pk: D("30.00")}  # Léa is still 4 on 1 January 2027


def test_a_rejected_payment_never_counts(family, lea, regisseur):
    invoice = care_invoice(family, [(lea, CARE, "30.00")], issued_on=date(2026, 5, 4))
    cheque = pay(family, "30.00", on=date(2026, 5, 20), invoice=invoice)
    payment_reject(payment=cheque, on=date(2026, 6, 2), reason="Chèque sans provision", by=regisseur)

    assert amounts_of(2026, family) == {}


def test_a_part_payment_counts_pro_rata_of_each_childs_care(family, lea):
    sam = ChildFactory(family=family, first_name="Sam", birth_date=date(2023, 9, 9))
    hugo = ChildFactory(family=family, first_name="Hugo", birth_date=date(2017, 6, 2))
    invoice = care_invoice(
        family,
        [
            (lea, CARE, "60.00"),
            (sam, HOLIDAYS, "40.00", "10.00"),
            (lea, CANTEEN, "50.00"),
            (hugo, CARE, "50.00"),
        ],
        issued_on=date(2026, 5, 4),
    )  # total 200: Léa's care 60 (30 %), Sam's care 30 (15 %)
    pay(family, "100.00", on=date(2026, 5, 20), invoice=invoice)

    assert amounts_of(2026, family) == {lea.pk: D("30.00"), sam.pk: D("15.00")}


def test_thirds_are_rounded_so_the_children_never_get_more_than_was_paid(family, lea):
    sam = ChildFactory(family=family, first_name="Sam", birth_date=date(2023, 9, 9))
    tom = ChildFactory(family=family, first_name="Tom", birth_date=date(2024, 1, 9))
    invoice = care_invoice(
        family, [(lea, CARE, "10.00"), (sam, CARE, "10.00"), (tom, CARE, "10.00")], issued_on=date(2026, 5, 4)
    )
    pay(family, "10.00", on=date(2026, 5, 20), invoice=invoice)

    amounts = amounts_of(2026, family)
    assert sum(amounts.values()) == D("10.00")
    assert sorted(amounts.values()) == [D("3.33"), D("3.33"), D("3.34")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2),
            st.sampled_from([CARE, HOLIDAYS, CANTEEN]),
            st.integers(min_value=1, max_value=9000),
            st.integers(min_value=0, max_value=100),
        ),
        min_size=1,
        max_size=6,
    ),
    payments=st.lists(st.integers(min_value=1, max_value=20000), min_size=1, max_size=4),
)
def test_the_children_never_add_up_to_more_than_was_paid(family, lines, payments):
    children = [
        ChildFactory(family=family, first_name=name, birth_date=born)
        for name, born in (("Léa", date(2022, 3, 14)), ("Sam", date(2023, 9, 9)), ("Tom", date(2024, 1, 9)))
    ]
    rows = []
    for index, kind, cents, meal_percent in lines:
        amount = D(cents) / 100
        meal = (amount * meal_percent / 100).quantize(D("0.01")) if kind == HOLIDAYS else D("0")
        rows.append((children[index], kind, str(amount), str(meal)))
    invoice = care_invoice(family, rows, issued_on=date(2026, 2, 3))
    paid = D("0")
    for cents in payments:
        left = sum(D(row[2]) for row in rows) - paid
        amount = min(D(cents) / 100, left)
        if amount <= 0:
            break
        pay(family, str(amount), on=date(2026, 3, 1), invoice=invoice)
        paid += amount

    amounts = amounts_of(2026, family)
    eligible = sum(D(row[2]) - D(row[3]) for row in rows if row[1] != CANTEEN)
    assert sum(amounts.values(), D("0")) <= paid
    assert sum(amounts.values(), D("0")) <= eligible
    assert all(amount > 0 for amount in amounts.values())
    TaxCertificate.objects.all().delete()
    Payment.objects.all().delete()


def test_each_payer_of_a_shared_custody_gets_their_own_certificate(family, lea):
    marc = GuardianFactory(family=family, first_name="Marc", last_name="Durand", is_billing_contact=False)
    for_claire = care_invoice(family, [(lea, CARE, "40.00")], issued_on=date(2026, 3, 3), payer=family.claire)
    for_marc = care_invoice(family, [(lea, CARE, "40.00")], issued_on=date(2026, 3, 3), payer=marc)
    pay(family, "40.00", on=date(2026, 3, 20), invoice=for_claire)
    pay(family, "25.00", on=date(2026, 3, 21), invoice=for_marc)

    tax_certificates_generate(year=2026, family_ids=[family.pk], today=date(2027, 1, 4))

    rows = set(TaxCertificate.objects.values_list("payer__first_name", "child__first_name", "amount"))
    assert rows == {("Claire", "Léa", D("40.00")), ("Marc", "Léa", D("25.00"))}


def test_an_invoice_without_payer_goes_to_the_familys_billing_guardian(family, lea):
    invoice = care_invoice(family, [(lea, CARE, "40.00")], issued_on=date(2026, 3, 3))
    pay(family, "40.00", on=date(2026, 3, 20), invoice=invoice)

    tax_certificates_generate(year=2026, family_ids=[family.pk], today=date(2027, 1, 4))

    certificate = TaxCertificate.objects.get()
    assert (certificate.payer, certificate.payer_name) == (family.claire, "Claire DUPONT")


def test_the_certificate_is_a_pdf_with_the_child_the_amount_and_the_legal_basis(family, lea):
    invoice = care_invoice(family, [(lea, CARE, "1234.50")], issued_on=date(2026, 3, 3))
    pay(family, "1234.50", on=date(2026, 3, 20), invoice=invoice)

    tax_certificates_generate(year=2026, family_ids=[family.pk], today=date(2027, 1, 4))

    certificate = TaxCertificate.objects.get()
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in (
        "Attestation de frais de garde — année 2026",
        "200 quater B",
        "Léa",
        "14 mars 2022",
        "1 234,50 €",
        "Claire DUPONT",
        "Sophie Marchand",
        "4 janvier 2027",
    ):
        assert expected in text, expected


def test_a_rejected_cheque_regenerates_the_years_certificates(
    family, lea, regisseur, django_capture_on_commit_callbacks
):
    invoice = care_invoice(family, [(lea, CARE, "60.00")], issued_on=date(2026, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        first = pay(family, "20.00", on=date(2026, 3, 20), invoice=invoice)
        pay(family, "40.00", on=date(2026, 4, 20), invoice=invoice)
    tax_certificates_generate(year=2026, family_ids=[family.pk], today=date(2027, 1, 4))
    assert TaxCertificate.objects.get().amount == D("60.00")
    old_pdf = TaxCertificate.objects.get().pdf.name

    with django_capture_on_commit_callbacks(execute=True):
        payment_reject(payment=first, on=date(2027, 1, 10), reason="Chèque sans provision", by=regisseur)

    certificate = TaxCertificate.objects.get()
    assert certificate.amount == D("40.00")
    with certificate.pdf.open("rb") as handle:
        assert "40,00 €" in pdf_text(handle.read())
    assert not certificate.pdf.storage.exists(old_pdf)


def test_a_payment_of_a_year_not_yet_issued_creates_no_certificate(
    family, lea, django_capture_on_commit_callbacks
):
    invoice = care_invoice(family, [(lea, CARE, "60.00")], issued_on=date(2026, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        pay(family, "60.00", on=date(2026, 3, 20), invoice=invoice)

    assert not TaxCertificate.objects.exists()


def test_staff_issue_a_year_in_bulk_and_a_second_run_changes_nothing(
    family, lea, regisseur, django_capture_on_commit_callbacks
):
    other = FamilyFactory(name="MARTIN")
    GuardianFactory(family=other, first_name="Inès", last_name="Martin")
    noa = ChildFactory(family=other, first_name="Noa", birth_date=date(2021, 7, 1))
    pay(
        family,
        "30.00",
        on=date(2026, 3, 20),
        invoice=care_invoice(family, [(lea, CARE, "30.00")], issued_on=date(2026, 3, 3)),
    )
    pay(
        other,
        "60.00",
        on=date(2026, 6, 20),
        invoice=care_invoice(other, [(noa, HOLIDAYS, "60.00", "15.00")], issued_on=date(2026, 6, 3)),
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = tax_certificate_run_start(year="2026", by=regisseur, today=date(2027, 1, 5))

    run.refresh_from_db()
    assert (run.status, run.done_steps, run.total_steps, run.certificates) == (
        TaxCertificateRun.Status.DONE,
        2,
        2,
        2,
    )
    assert set(TaxCertificate.objects.values_list("child__first_name", "amount")) == {
        ("Léa", D("30.00")),
        ("Noa", D("45.00")),  # 60 paid, the 15 € of lunches left out
    }
    stamps = set(TaxCertificate.objects.values_list("pk", "generated_at"))

    with django_capture_on_commit_callbacks(execute=True):
        tax_certificate_run_start(year=2026, by=regisseur, today=date(2027, 1, 5))

    assert set(TaxCertificate.objects.values_list("pk", "generated_at")) == stamps


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("deux mille", "Indiquez une année sur quatre chiffres, par exemple 2026."),
        ("2031", "L'année doit être comprise entre 2000 et 2027."),
        ("1999", "L'année doit être comprise entre 2000 et 2027."),
    ],
)
def test_a_bad_year_gets_a_french_message(value, message):
    with pytest.raises(ValidationError) as error:
        tax_year_parse(value, today=date(2027, 1, 5))
    assert error.value.message_dict == {"year": [message]}


def test_the_command_issues_a_year(family, lea, capsys):
    pay(
        family,
        "30.00",
        on=date(2026, 3, 20),
        invoice=care_invoice(family, [(lea, CARE, "30.00")], issued_on=date(2026, 3, 3)),
    )

    call_command("tax_certificates", "2026")

    assert TaxCertificate.objects.get().amount == D("30.00")
    assert "1 attestation" in capsys.readouterr().out


def test_the_invoicing_keeps_the_lunch_of_a_holiday_day_on_the_line(family, lea, regisseur):
    holidays = ActivityFactory(name="Accueil de loisirs Toussaint", kind=HOLIDAYS)
    day = UnitFactory(activity=holidays, label="Journée avec repas", code="journee", exclusive_group="")
    Tariff.objects.create(
        unit=day, mode=TariffMode.FLAT, valid_from=date(2026, 9, 1), price=D("18.00"), meal_part=D("4.20")
    )
    for number in (19, 20, 21):
        BookingFactory(
            child=lea, unit=day, date=date(2026, 10, number), attendance=Booking.Attendance.PRESENT
        )
    run = invoice_run_create(period=date(2026, 10, 1), activities=[holidays], by=regisseur, start=False)

    invoice_run_prepare(run=run, today=date(2026, 11, 2))

    line = InvoiceLine.objects.get(invoice__family=family)
    assert (line.amount, line.meal_amount) == (D("54.00"), D("12.60"))


def test_a_meal_part_above_the_price_is_refused_in_french(small_town):
    unit = UnitFactory(activity=ActivityFactory(kind=HOLIDAYS), code="journee-2", exclusive_group="")
    tariff = Tariff(
        unit=unit, mode=TariffMode.FLAT, valid_from=date(2026, 9, 1), price=D("5"), meal_part=D("6")
    )

    with pytest.raises(ValidationError) as error:
        tariff.full_clean()

    assert error.value.message_dict["meal_part"] == ["La part repas ne peut pas dépasser le prix de l'unité."]


def test_the_demo_gives_the_dubois_family_last_years_certificates_once(db):
    from billing.demo import seed_tax_demo
    from families.models import Family

    dubois = FamilyFactory(code=Family.code_for(1), name="DUBOIS Thomas et Camille")
    GuardianFactory(family=dubois, first_name="Camille", last_name="Dubois")
    for name, born in (("Léa", date(2018, 4, 12)), ("Hugo", date(2021, 9, 3)), ("Jade", date(2023, 2, 20))):
        ChildFactory(family=dubois, first_name=name, birth_date=born)
    for kind in (CARE, HOLIDAYS, CANTEEN):
        UnitFactory(activity=ActivityFactory(kind=kind), code=f"demo-{kind}", exclusive_group="")

    seed_tax_demo(today=date(2026, 12, 2))
    seed_tax_demo(today=date(2026, 12, 2))

    assert set(TaxCertificate.objects.values_list("year", "child__first_name", "amount")) == {
        (2025, "Hugo", D("64.80")),
        (2025, "Jade", D("70.80")),
    }
