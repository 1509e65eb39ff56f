"""Real Chromium loads each surface under the Content-Security-Policy and reports no violation in its console."""

import pytest
from wagtail.models import Page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANONYMOUS = ["/", "/portail/connexion/", "/gestion/login/", "/cms/login/", "/api/docs/"]
STAFF = ["/gestion/", "/gestion/families/family/", "/gestion/families/family/add/", "/cms/", "/cms/pages/"]


def _violations(page, base_url, urls) -> list[str]:
    seen = []
    page.on(
        "console",
        lambda msg: (
            seen.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: {error}"))
    for url in urls:
        response = page.goto(base_url + url)
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("networkidle")
    return seen


def test_public_portal_and_login_pages_run_without_policy_violations(page, live_server):
    assert _violations(page, live_server.url, ANONYMOUS) == []


def test_back_office_and_cms_run_without_policy_violations(page, live_server, admin_user):
    page.goto(live_server.url + "/gestion/login/")
    page.fill("input[name=username]", admin_user.email or admin_user.username)
    page.fill("input[name=password]", "password")
    page.click("[type=submit]")
    page.wait_for_url(live_server.url + "/gestion/")
    home = Page.objects.get(depth=2)
    # The page editor: Wagtail's date widgets and panels with their inline scripts.
    assert _violations(page, live_server.url, [*STAFF, f"/cms/pages/{home.pk}/edit/"]) == []
