"""An agent logs into the back-office in real Chromium and finds a family by name."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_finds_a_family_by_name(page, agent, small_town):
    page.goto(f"{page.base_url}/gestion/")
    page.get_by_label("Adresse e-mail").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="Familles", exact=True).first.click()
    page.locator("#searchbar").fill("Bernard")
    page.locator("#searchbar").press("Enter")
    page.wait_for_url("**/gestion/families/family/?q=Bernard")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("BERNARD Sophie")
    rows.first.get_by_role("link").first.click()
    expect(page.locator("input#id_name")).to_have_value("BERNARD Sophie")
