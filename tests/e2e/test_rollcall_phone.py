"""An animateur takes the appel on a 360-px phone in real Chromium: one tap marks a child present without a reload."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from families.models import Booking
from tests.conftest import PASSWORD
from tests.staff.conftest import MONDAY, canteen_day  # noqa: F401  (fixtures of the staff screens)

from .conftest import _close, _open_page, axe_violations, format_violations  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
def small_phone(browser, live_server):
    context, page = _open_page(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    _close(context, page)


def test_animateur_marks_a_child_present_with_one_tap_on_a_small_phone(small_phone, animateur, canteen_day):  # noqa: F811
    page = small_phone
    url = f"/gestion/appel/?school={canteen_day['school'].pk}&activity={canteen_day['canteen'].pk}&date={MONDAY}"
    page.goto(f"{page.base_url}{url}")
    page.get_by_label("Adresse e-mail").fill(animateur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/gestion/appel/**", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Appel", timeout=30_000)
    present = page.get_by_role("button", name="Présent : Léa Martin")
    present.tap()
    expect(present).to_have_attribute("aria-pressed", "true", timeout=30_000)
    expect(page.locator("#rc-to-mark")).to_have_text("1")
    assert Booking.objects.get(pk=canteen_day["lea_booking"].pk).attendance == Booking.Attendance.PRESENT
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"la page déborde ({width} px)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rollcall-360.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)
