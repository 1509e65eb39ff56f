"""Issue 11 « Trouver mon école de secteur », in real Chromium: on the public site's « Simulateurs » page (placed by
the demo CMS), a visitor types an address and gets street suggestions as they type, learns that the Rue de Pontoise
is split between two schools, then gets the school for their number."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from billing.demo import seed_billing_demo
from cms.demo import seed_cms_demo
from tests.factories import SchoolFactory

from .conftest import ARTIFACTS, axe_violations, format_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def carte_scolaire(small_town):
    """The demo town's public site and carte scolaire (Rue de Pontoise: odd numbers 1–49 go to Louise Michel, even
    numbers and the odd ones from 51 to Jean Jaurès)."""
    cache.clear()
    SchoolFactory(name="École primaire Louise Michel", address="4 rue Louise Michel")
    seed_billing_demo(today=date(2026, 9, 1))
    seed_cms_demo(today=date(2026, 11, 23))
    yield
    cache.clear()


def _shots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def test_visitor_finds_the_school_sector_of_a_split_street(page, carte_scolaire):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Simulateur de tarifs").click()
    page.get_by_role("heading", name="Simulateurs", level=1).wait_for()
    finder = page.locator("#simulateur-ecole")
    address = finder.get_by_label("Votre adresse (numéro et voie)")

    address.press_sequentially("12 rue de pon", delay=60)
    suggestion = finder.locator("datalist option")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_attribute("value", "12 Rue de Pontoise")
    expect(suggestion).to_have_attribute("label", "Rue de Pontoise (Bessancourt)")

    address.fill("Rue de Pontoise")
    finder.get_by_role("button", name="Trouver l'école").click()
    answer = page.locator("#simulateur-ecole [role=status]")
    expect(answer).to_contain_text(
        "La voie « Rue de Pontoise » est partagée entre plusieurs écoles : indiquez votre numéro."
    )
    expect(answer.get_by_role("listitem")).to_have_count(3)
    expect(answer).to_contain_text("École primaire Louise Michel")
    expect(answer).to_contain_text("École élémentaire Jean Jaurès")
    _shots(page, "school-sector-split")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.locator("#simulateur-ecole").get_by_label("Votre adresse (numéro et voie)").fill(
        "12 rue de Pontoise"
    )
    page.locator("#simulateur-ecole").get_by_role("button", name="Trouver l'école").click()
    expect(page.locator("#simulateur-ecole [role=status]")).to_contain_text(
        "Votre école de secteur : École élémentaire Jean Jaurès."
    )
    page.locator("#simulateur-ecole").get_by_label("Votre adresse (numéro et voie)").fill(
        "13 rue de Pontoise"
    )
    page.locator("#simulateur-ecole").get_by_role("button", name="Trouver l'école").click()
    expect(page.locator("#simulateur-ecole [role=status]")).to_contain_text(
        "Votre école de secteur : École primaire Louise Michel."
    )
    expect(page.locator("#simulateur-ecole [role=status]")).to_contain_text("4 rue Louise Michel")
    _shots(page, "school-sector-found")
