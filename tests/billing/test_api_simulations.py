"""The public simulation API: anonymous, throttled, exact contract, French field errors on bad input."""

import pytest
from django.core.management import call_command

from api.simulations import SimulationRateThrottle

pytestmark = pytest.mark.django_db

QUOTIENT_URL = "/api/v1/simulations/quotient/"
TARIFFS_URL = "/api/v1/simulations/tariffs/"
STREETS_URL = "/api/v1/simulations/streets/"


def test_anonymous_visitor_simulates_the_qf_of_the_issue_example(client):
    response = client.get(
        QUOTIENT_URL,
        {"annual_income": "36000", "monthly_benefits": "150", "children": "3", "disabled_children": "0"},
    )
    assert response.status_code == 200
    assert response.json() == {"parts": "4.0", "quotient": "787.50"}


def test_child_with_aeeh_counts_half_a_part_more(client):
    response = client.get(
        QUOTIENT_URL,
        {"annual_income": "36000", "monthly_benefits": "150", "children": "3", "disabled_children": "1"},
    )
    assert response.json() == {"parts": "4.5", "quotient": "700.00"}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"annual_income": "-1"}, "annual_income", "Le montant ne peut pas être négatif."),
        (
            {"annual_income": "beaucoup"},
            "annual_income",
            "Saisissez un montant en euros, par exemple 1250.50.",
        ),
        ({"annual_income": "99999999999"}, "annual_income", "Le montant est trop élevé."),
        ({"annual_income": "20000000"}, "annual_income", "Le montant est trop élevé (maximum 10000000 €)."),
        (
            {"monthly_benefits": "NaN"},
            "monthly_benefits",
            "Saisissez un montant en euros, par exemple 1250.50.",
        ),
        ({"children": "deux"}, "children", "Saisissez un nombre entier."),
        ({"children": "-2"}, "children", "Le nombre ne peut pas être négatif."),
        ({"children": "500"}, "children", "Le nombre est trop élevé (maximum 20)."),
        (
            {"disabled_children": "4"},
            "disabled_children",
            "Il ne peut pas y avoir plus d'enfants bénéficiaires de l'AEEH que d'enfants.",
        ),
    ],
)
def test_bad_figures_get_a_french_field_error(client, params, field, message):
    query = {
        "annual_income": "36000",
        "monthly_benefits": "150",
        "children": "3",
        "disabled_children": "0",
        **params,
    }
    response = client.get(QUOTIENT_URL, query)
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_missing_income_is_required(client):
    response = client.get(QUOTIENT_URL, {"monthly_benefits": "0", "children": "1"})
    assert response.status_code == 400
    assert response.json() == {"annual_income": ["Ce champ est obligatoire."]}


def test_simulations_are_throttled(client, monkeypatch):
    monkeypatch.setattr(SimulationRateThrottle, "default_rate", "2/minute")
    query = {"annual_income": "36000", "monthly_benefits": "150", "children": "3"}
    assert [client.get(QUOTIENT_URL, query).status_code for _ in range(3)] == [200, 200, 429]


def test_tariff_simulation_lists_units_with_price_and_rule(client, town_tariffs):
    response = client.get(TARIFFS_URL, {"quotient": "787.50", "resident": "true", "children": "2"})
    assert response.status_code == 200
    data = response.json()
    assert (data["quotient"], data["resident"], data["children"]) == ("787.50", True, 2)
    activities = {a["name"]: a for a in data["activities"]}
    canteen = {u["label"]: u for u in activities["Restauration scolaire 2026-2027"]["units"]}
    assert canteen["Repas classique"] == {
        "id": town_tariffs["meal"].unit_id,
        "label": "Repas classique",
        "price": "3.35",
        "rule": "Tranche QF 3 (601–900 €)",
        "sibling_price": "3.02",
        "sibling_rule": "Tranche QF 3 (601–900 €) ; Réduction fratrie −10 %",
    }
    morning = activities["Accueil périscolaire 2026-2027"]["units"][0]
    assert (morning["price"], morning["rule"], morning["sibling_price"]) == (
        "2.36",
        "Taux d'effort 0,30 %",
        None,
    )
    day = activities["Mercredis récréatifs 2026-2027"]["units"][0]
    assert (day["price"], day["rule"]) == ("12.00", "Prix unique")


def test_tariff_simulation_for_a_non_resident_without_qf(client, town_tariffs):
    data = client.get(TARIFFS_URL, {"resident": "false"}).json()
    assert data["quotient"] is None
    canteen = data["activities"][
        next(i for i, a in enumerate(data["activities"]) if a["name"].startswith("Resta"))
    ]
    meal = next(u for u in canteen["units"] if u["label"] == "Repas classique")
    assert meal["price"] == "5.82"  # 4.85 × 1.20
    assert meal["rule"].startswith("Sans quotient familial valide : tranche la plus haute")
    assert meal["rule"].endswith("Non-résident +20 %")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"quotient": "-3"}, "quotient"),
        ({"quotient": "abc"}, "quotient"),
        ({"resident": "peut-être"}, "resident"),
        ({"children": "0"}, "children"),
        ({"quotient": "1" * 30}, "quotient"),
    ],
)
def test_tariff_simulation_refuses_bad_input(client, town_tariffs, params, field):
    response = client.get(TARIFFS_URL, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_tariff_simulation_queries_do_not_grow_with_tariffs_and_brackets(
    client, town_tariffs, django_assert_num_queries
):
    # Tariffs with their unit and activity in one query, all their brackets in a second one, whatever their number.
    with django_assert_num_queries(2):
        assert client.get(TARIFFS_URL, {"quotient": "500"}).status_code == 200


def test_street_suggestions(client, sectors):
    response = client.get(STREETS_URL, {"q": "av. de la ga"})
    assert response.status_code == 200
    assert response.json() == {"results": [{"street": "Avenue de la Gare", "commune": "Bessancourt"}]}
    assert client.get(STREETS_URL, {"q": "x" * 101}).status_code == 400
    assert client.get(STREETS_URL, {"q": "a"}).json() == {"results": []}


def test_schema_documents_the_simulations(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/simulations/quotient/",
        "/api/v1/simulations/tariffs/",
        "/api/v1/simulations/streets/",
    ):
        assert path in text
