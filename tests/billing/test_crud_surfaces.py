"""Tariffs, QF brackets, QF history and school sectors through the back-office surfaces: admin, API, import."""

from datetime import date
from decimal import Decimal

import pytest
import tablib

from backoffice.crud import registry
from billing.models import FamilyQuotient, SchoolSector, Tariff, TariffBracket, TariffMode

pytestmark = pytest.mark.django_db
D = Decimal


def _tariff_form(unit, brackets):
    data = {
        "unit": unit.pk,
        "mode": TariffMode.BRACKETS,
        "valid_from": "01/09/2026",
        "valid_until": "",
        "effort_base": "quotient",
        "sibling_reduction_percent": "0",
        "unreserved_surcharge_kind": "none",
        "unreserved_surcharge_value": "0",
        "late_surcharge_kind": "none",
        "late_surcharge_value": "0",
        "brackets-TOTAL_FORMS": str(len(brackets)),
        "brackets-INITIAL_FORMS": "0",
        "brackets-MIN_NUM_FORMS": "0",
        "brackets-MAX_NUM_FORMS": "1000",
    }
    for i, (qf_min, qf_max, price) in enumerate(brackets):
        data |= {f"brackets-{i}-qf_min": qf_min, f"brackets-{i}-qf_max": qf_max, f"brackets-{i}-price": price}
    return data


def test_regisseur_creates_a_tariff_with_its_brackets_in_the_admin(client, regisseur, small_town):
    client.force_login(regisseur)
    unit = small_town["canteen"].units.get(code="repas-classique")
    response = client.post(
        "/gestion/billing/tariff/add/",
        _tariff_form(unit, [("0", "600", "1.50"), ("601", "", "3.20")]),
    )
    assert response.status_code == 302
    tariff = Tariff.objects.get()
    assert [(b.qf_min, b.qf_max, b.price) for b in tariff.brackets.order_by("qf_min")] == [
        (D("0"), D("600"), D("1.50")),
        (D("601"), None, D("3.20")),
    ]


def test_admin_refuses_brackets_with_a_gap(client, regisseur, small_town):
    client.force_login(regisseur)
    unit = small_town["canteen"].units.get(code="repas-classique")
    response = client.post(
        "/gestion/billing/tariff/add/",
        _tariff_form(unit, [("0", "600", "1.50"), ("700", "", "3.20")]),
    )
    assert response.status_code == 200
    assert (
        "Trou entre les tranches : aucun tarif pour un QF entre 600 € et 700 €." in response.content.decode()
    )
    assert not Tariff.objects.exists()


def test_api_refuses_a_negative_price_and_an_overlapping_tariff(client, regisseur, town_tariffs):
    client.force_login(regisseur)
    unit = town_tariffs["day"].unit
    negative = client.post(
        "/api/v1/tariffs/",
        {"unit": unit.pk, "mode": "flat", "valid_from": "2030-01-01", "price": "-2"},
        content_type="application/json",
    )
    assert negative.status_code == 400
    assert "price" in negative.json()
    overlapping = client.post(
        "/api/v1/tariffs/",
        {"unit": unit.pk, "mode": "flat", "valid_from": "2027-01-01", "price": "13.00"},
        content_type="application/json",
    )
    assert overlapping.status_code == 400
    assert overlapping.json()["valid_from"] == [
        "Un autre tarif de cette unité couvre déjà cette période (à partir du 01/09/2026)."
    ]


def test_api_refuses_a_bracket_overlapping_a_saved_one(client, regisseur, town_tariffs):
    client.force_login(regisseur)
    response = client.post(
        "/api/v1/tariff-brackets/",
        {"tariff": town_tariffs["meal"].pk, "qf_min": "550", "qf_max": "650", "price": "2.00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["qf_min"][0].startswith("Cette tranche chevauche la tranche")
    assert TariffBracket.objects.filter(tariff=town_tariffs["meal"]).count() == 5


def test_qf_saved_in_the_admin_is_signed_by_the_staff_member(client, regisseur, small_town):
    client.force_login(regisseur)
    response = client.post(
        "/gestion/billing/familyquotient/add/",
        {
            "family": small_town["martin"].pk,
            "value": "787.50",
            "valid_from": "01/09/2026",
            "valid_until": "",
            "source": "computed",
            "proof": "",
        },
    )
    assert response.status_code == 302
    assert FamilyQuotient.objects.get().set_by == regisseur


def test_a_qf_reaching_over_a_later_one_is_refused(small_town, agent):
    # An earlier QF still running simply ends the day before (family_quotient_set); a later one is never covered.
    FamilyQuotient.objects.create(family=small_town["martin"], value=D("700"), valid_from=date(2026, 6, 1))
    other = FamilyQuotient(family=small_town["martin"], value=D("650"), valid_from=date(2026, 1, 1))
    with pytest.raises(Exception) as error:
        other.full_clean()
    assert "Un quotient familial est déjà enregistré à partir du 01/06/2026." in str(error.value)


HEADERS = ["street_name", "number_from", "number_to", "parity", "school", "commune"]


def test_staff_import_the_carte_scolaire_and_unknown_schools_are_named(small_town):
    resource = registry.get(SchoolSector).resource_class()
    data = tablib.Dataset(headers=HEADERS)
    data.append(["Rue Jean Jaurès", "", "", "all", "École élémentaire Jean Jaurès", "Bessancourt"])
    data.append(["Avenue de la Gare", "1", "59", "odd", "École élémentaire Jean Jaurès", "Bessancourt"])
    result = resource.import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert SchoolSector.objects.get(street_name="Rue Jean Jaurès").street_key == "rue jean jaures"

    bad = tablib.Dataset(headers=HEADERS)
    bad.append(["Rue des Lilas", "10", "2", "even", "École élémentaire Jean Jaurès", "Bessancourt"])
    bad.append(["Rue Pasteur", "", "", "all", "École inconnue", "Bessancourt"])
    result = resource.import_data(bad, dry_run=False)
    assert result.has_validation_errors()
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert errors[1]["number_to"] == ["Le dernier numéro doit être supérieur ou égal au premier."]
    assert "school" in errors[2]
    assert SchoolSector.objects.count() == 2


def test_bracket_import_refuses_negative_price_and_overlap(town_tariffs):
    resource = registry.get(TariffBracket).resource_class()
    meal = town_tariffs["meal"]
    data = tablib.Dataset(headers=["id", "tariff", "qf_min", "qf_max", "price"])
    data.append(["", meal.pk, "5000", "6000", "-1"])
    data.append(["", meal.pk, "100", "200", "2.00"])
    result = resource.import_data(data, dry_run=False)
    assert result.has_validation_errors()
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert errors[1]["price"] == ["Un prix ne peut pas être négatif."]
    assert errors[2]["qf_min"][0].startswith("Cette tranche chevauche la tranche 0")
    assert meal.brackets.count() == 5
