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


def test_deleting_a_contact_still_asks_first_with_the_script_moved_out_of_the_page(page, live_server):
    from tests.factories import ContactFactory, FamilyFactory, GuardianFactory, UserFactory

    family = FamilyFactory(name="MARTIN Claire")
    user = UserFactory(email="claire.martin@exemple.fr")
    GuardianFactory(family=family, user=user, email=user.email)
    ContactFactory(family=family, first_name="Monique", last_name="Martin")
    page.goto(live_server.url + "/portail/connexion/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill(user.email)
    page.get_by_label("Mot de passe").fill("motdepasse-solide-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/portail/")
    page.goto(live_server.url + "/portail/dossier/entourage/")
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss() if len(questions) == 1 else dialog.accept()

    page.on("dialog", answer)
    delete = page.get_by_role("button", name="Supprimer Monique")
    delete.click()
    assert questions == ["Supprimer ce contact ?"]
    assert family.contacts.count() == 1
    delete.click()
    page.wait_for_load_state("networkidle")
    assert family.contacts.count() == 0
