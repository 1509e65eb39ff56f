"""The simulators as the public sees them: the CMS SimulatorPage and /portail/simulation/, without JavaScript."""

import pytest
from django.urls import reverse

from cms.models import HomePage, SimulatorPage
from tests.cms.conftest import demo_site, today  # noqa: F401  (fixtures of the demo public site)

pytestmark = pytest.mark.django_db


@pytest.fixture
def simulator_page(demo_site):  # noqa: F811
    home = HomePage.objects.get()
    # The demo site places its own « Simulateurs » page: this one is a second page, with its own intro.
    page = home.add_child(
        instance=SimulatorPage(
            title="Simulateurs", slug="simulateurs-test", intro="<p>Estimez votre participation.</p>"
        )
    )
    page.save_revision().publish()
    return page


def test_simulator_page_shows_the_three_empty_forms_with_labels(client, simulator_page):
    response = client.get(simulator_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Estimez votre participation." in html
    assert "Seul le service enfance peut calculer votre QF" in html
    for title in (
        "Calculer mon quotient familial",
        "Voir le tarif des activités",
        "Trouver mon école de secteur",
    ):
        assert title in html
    assert '<label for="id_qf-annual_income">' in html
    assert '<label for="id_ecole-address">' in html
    assert 'method="get"' in html


def test_visitor_computes_a_qf_on_the_cms_page(client, simulator_page):
    response = client.get(
        simulator_page.url,
        {
            "simulateur": "qf",
            "qf-annual_income": "36000",
            "qf-monthly_benefits": "150",
            "qf-children": "3",
            "qf-disabled_children": "0",
        },
    )
    html = response.content.decode()
    assert "Nombre de parts : <strong>4,0</strong>" in html
    assert "Quotient familial estimé : <strong>787,50 €</strong>" in html
    assert "tarifs-quotient=787.50" in html


def test_bad_figures_show_a_french_error_next_to_the_field(client, simulator_page):
    response = client.get(
        simulator_page.url,
        {
            "simulateur": "qf",
            "qf-annual_income": "-5",
            "qf-monthly_benefits": "abc",
            "qf-children": "3",
            "qf-disabled_children": "0",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le montant ne peut pas être négatif." in html
    assert "Saisissez un montant en euros, par exemple 1250,50." in html
    assert "Quotient familial estimé" not in html


def test_visitor_sees_the_town_tariffs_for_a_qf(client, simulator_page, town_tariffs):
    response = client.get(
        simulator_page.url,
        {"simulateur": "tarifs", "tarifs-quotient": "787,50", "tarifs-resident": "1", "tarifs-children": "2"},
    )
    html = response.content.decode()
    assert "<caption>Restauration scolaire 2026-2027</caption>" in html
    assert "Tranche QF 3 (601–900 €)" in html
    assert "3,35 €" in html
    assert "frère ou sœur : 3,02 €" in html


def test_page_without_the_school_finder(client, simulator_page):
    simulator_page.show_school_sector = False
    simulator_page.save_revision().publish()
    html = client.get(simulator_page.url).content.decode()
    assert "Trouver mon école de secteur" not in html


def test_portal_simulation_page_is_open_to_anonymous_visitors(client, sectors):
    response = client.get(
        reverse("billing:simulation"), {"simulateur": "ecole", "ecole-address": "16 av. de la gare"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre école de secteur : École Louis Pasteur." in html
    assert 'data-streets-url="/api/v1/simulations/streets/"' in html


def test_portal_finder_asks_for_the_number_of_a_split_street(client, sectors):
    html = client.get(
        reverse("billing:simulation"), {"simulateur": "ecole", "ecole-address": "Avenue de la Gare"}
    ).content.decode()
    assert "partagée entre plusieurs écoles : indiquez votre numéro." in html
    assert "n° 1 à 59, numéros impairs : École élémentaire Jean Jaurès" in html


def test_portal_finder_unknown_address(client, sectors):
    html = client.get(
        reverse("billing:simulation"), {"simulateur": "ecole", "ecole-address": "3 chemin inconnu"}
    ).content.decode()
    assert "Adresse inconnue : contactez le service enfance." in html


def test_signed_in_parent_uses_the_same_page(client, small_town, town_tariffs):
    client.force_login(small_town["martin_parent"].user)
    response = client.get(
        reverse("billing:simulation"),
        {"simulateur": "tarifs", "tarifs-resident": "0", "tarifs-children": "1"},
    )
    assert response.status_code == 200
    assert "Sans quotient familial valide, le tarif le plus haut s'applique." in response.content.decode()
