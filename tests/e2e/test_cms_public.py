"""A parent opens the public site in real Chromium, on a desktop and on a phone: home, a news item, this week's
menu and the documents; axe-core finds no serious or critical accessibility violation."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from cms.demo import seed_cms_demo
from tests.cms.reference import register

from .conftest import axe_violations, format_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

register()

PAGES = ["/", "/actualites/actualite-02/", "/menus/", "/documents/"]


@pytest.fixture
def public_site(db):
    cache.clear()
    seed_cms_demo(today=timezone.localdate())
    yield
    cache.clear()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_public_pages_have_no_serious_accessibility_violation(request, device, public_site):
    browser_page = request.getfixturevalue(device)
    for path in PAGES:
        browser_page.goto(browser_page.base_url + path)
        expect(browser_page.locator("h1")).to_have_count(1)
        violations = axe_violations(browser_page)
        assert violations == [], f"{path} ({device}) :\n{format_violations(violations)}"


def test_parent_goes_from_home_to_this_weeks_menu_and_a_news_item(page, public_site):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    expect(page.get_by_label("Nom d'utilisateur")).to_be_visible()
    expect(page.get_by_label("Se rappeler de moi")).to_be_visible()
    page.get_by_role("link", name="Menus de la semaine").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Menus de la semaine")
    expect(page.locator(".menu-day")).to_have_count(5)
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.get_by_role("link", name="Cette semaine")).to_be_visible()
    page.goto(page.base_url + "/actualites/")
    page.get_by_role("link", name="Repas de Noël au restaurant scolaire", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Repas de Noël au restaurant scolaire")


def test_on_a_phone_the_navigation_folds_behind_a_menu_button(phone_page, public_site):
    phone_page.goto(phone_page.base_url + "/")
    nav_link = phone_page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Menus de la cantine"
    )
    expect(nav_link).to_be_hidden()
    toggle = phone_page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    nav_link.click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Menus de la semaine")
