"""Effectifs: the kitchen counts meals classique / végétarien / sans porc per school and day (reservations ahead,
attendance behind), with allergies for staff allowed to see them, in CSV/XLSX without formula injection and as an A4
PDF sheet; the sites get head counts per unit."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import ActivityKind, Allergen, Booking
from families.selectors_staff import kitchen_counts
from families.staff.kitchen import safe_cell
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    SchoolFactory,
    UnitFactory,
)

from .conftest import login

pytestmark = pytest.mark.django_db

PAST = date(2026, 11, 23)  # a Monday


@pytest.fixture
def kitchen_town(small_town):
    today = timezone.localdate()
    ahead = today + timedelta(days=(7 - today.weekday()))  # next Monday
    canteen = small_town["canteen"]
    classique = canteen.units.get(code="repas-classique")
    vege = canteen.units.get(code="repas-vege")
    sans_porc = UnitFactory(activity=canteen, label="Repas sans porc", code="repas-sans-porc")
    peri = ActivityFactory(name="Accueil périscolaire", kind=ActivityKind.PERISCOLAIRE)
    morning = UnitFactory(activity=peri, label="Accueil du matin", code="matin", exclusive_group="")
    lea, hugo, chloe = small_town["lea"], small_town["hugo"], small_town["chloe"]
    lea.allergens.add(Allergen.objects.get(code="arachides"))
    chloe.has_pai = True
    chloe.save()
    BookingFactory(child=lea, unit=classique, date=ahead)
    BookingFactory(child=hugo, unit=sans_porc, date=ahead)
    BookingFactory(child=chloe, unit=vege, date=ahead)
    BookingFactory(child=lea, unit=morning, date=ahead)
    BookingFactory(child=hugo, unit=classique, date=ahead, state=Booking.State.CANCELLED)
    # Past Monday: Léa came, Hugo was absent, Chloé came without reservation.
    BookingFactory(child=lea, unit=classique, date=PAST, attendance=Booking.Attendance.PRESENT)
    BookingFactory(child=hugo, unit=classique, date=PAST, attendance=Booking.Attendance.ABSENT)
    BookingFactory(child=chloe, unit=vege, date=PAST, attendance=Booking.Attendance.PRESENT, walk_in=True)
    return {**small_town, "ahead": ahead, "today": today}


def test_coming_days_count_reservations_by_meal_with_allergies_and_pai(kitchen_town):
    counts = kitchen_counts(start=kitchen_town["ahead"], end=kitchen_town["ahead"], with_health=True)
    school = next(s for s in counts.schools if s.school == kitchen_town["school"])
    cell = school.days[0]
    assert cell.meals == {"classique": 1, "vegetarien": 1, "sans_porc": 1}
    assert cell.allergy_text == "Arachides (1), PAI (1)"
    assert school.unit_rows()[0][0].label == "Accueil du matin" and school.unit_rows()[0][1] == [1]


def test_past_days_count_the_children_present(kitchen_town):
    counts = kitchen_counts(start=PAST, end=PAST, with_health=False)
    cell = counts.schools[0].days[0]
    assert cell.from_attendance is True
    assert cell.meals == {"classique": 1, "vegetarien": 1, "sans_porc": 0}
    assert cell.allergy_text == ""  # no health permission, no allergy


def test_the_page_shows_a_chart_of_the_coming_two_weeks(client, agent, kitchen_town):
    page = login(client, agent).get(reverse("staff:kitchen")).content.decode()
    assert "<svg" in page and "Repas des deux semaines à venir" in page
    assert "École élémentaire Jean Jaurès" in page and "Arachides (1)" in page


def test_regisseur_sees_counts_without_allergies(client, regisseur, kitchen_town):
    page = login(client, regisseur).get(reverse("staff:kitchen")).content.decode()
    assert "École élémentaire Jean Jaurès" in page and "Arachides" not in page


def test_animateur_cannot_open_the_counts(client, animateur):
    assert login(client, animateur).get(reverse("staff:kitchen")).status_code == 403


def test_csv_export_quotes_a_school_name_that_looks_like_a_formula(client, agent, kitchen_town):
    SchoolFactory(name='=HYPERLINK("http://evil")')
    ahead = kitchen_town["ahead"].isoformat()
    response = login(client, agent).get(
        reverse("staff:kitchen"), {"start": ahead, "end": ahead, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == [
        "École",
        "Jour",
        "Source",
        "Repas classique",
        "Repas végétarien",
        "Repas sans porc",
        "Total repas",
    ]
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    jaures = next(r for r in rows if r[0] == "École élémentaire Jean Jaurès")
    assert jaures[3:7] == ["1", "1", "1", "3"]


def test_xlsx_export_opens_in_a_spreadsheet(client, agent, kitchen_town):
    from openpyxl import load_workbook

    ahead = kitchen_town["ahead"].isoformat()
    response = login(client, agent).get(
        reverse("staff:kitchen"), {"start": ahead, "end": ahead, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "École" and sheet.max_row == 2


def test_the_pdf_sheet_is_an_a4_document(client, agent, kitchen_town):
    ahead = kitchen_town["ahead"].isoformat()
    response = login(client, agent).get(
        reverse("staff:kitchen"), {"start": ahead, "end": ahead, "format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content


def test_a_reversed_period_gets_a_french_error(client, agent):
    page = login(client, agent).get(reverse("staff:kitchen"), {"start": "2026-11-27", "end": "2026-11-23"})
    assert "La fin de la période doit suivre son début." in page.content.decode()


def test_formula_cells_are_quoted():
    assert [safe_cell(v) for v in ("=1+1", "+33 1", "-2", "@x", "Jaurès", 3)] == [
        "'=1+1",
        "'+33 1",
        "'-2",
        "'@x",
        "Jaurès",
        3,
    ]


@pytest.mark.parametrize("n_schools", [2, 20])
def test_the_counts_page_costs_the_same_queries_for_2_or_20_schools_over_10_days(
    client, agent, small_town, django_assert_max_num_queries, n_schools
):
    unit = small_town["canteen"].units.get(code="repas-classique")
    start = date(2026, 11, 23)
    for i in range(n_schools):
        child = ChildFactory(family=FamilyFactory(), school=SchoolFactory(name=f"École {i}"))
        child.allergens.add(Allergen.objects.get(code="gluten"))
        Booking.objects.bulk_create(
            [
                Booking(child=child, unit=unit, date=start + timedelta(days=d), attendance="present")
                for d in range(14)
            ]
        )
    login(client, agent)
    params = {"start": "2026-11-23", "end": "2026-12-04"}
    client.get(reverse("staff:kitchen"), params)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("staff:kitchen"), params).content.decode()
    assert page.count("<h2>École ") == n_schools + 1
