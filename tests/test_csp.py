"""Every surface sends a Content-Security-Policy, and our pages run no script the policy would refuse."""

import re

import pytest

pytestmark = pytest.mark.django_db

STRICT_SURFACES = ["/", "/portail/connexion/", "/gestion/login/", "/api/docs/"]
SURFACES = [*STRICT_SURFACES, "/cms/login/"]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", SURFACES)
def test_each_surface_sends_a_policy_that_keeps_to_our_own_origin(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert not any("http" in source for sources in policy.values() for source in sources)


@pytest.mark.parametrize("url", STRICT_SURFACES)
def test_our_surfaces_refuse_inline_scripts(client, url):
    assert "'unsafe-inline'" not in _policy(client.get(url))["script-src"]


def test_only_wagtail_admin_allows_the_inline_scripts_of_its_widgets(client):
    assert _policy(client.get("/cms/login/"))["script-src"] == ["'self'", "'unsafe-inline'"]


@pytest.mark.parametrize("url", STRICT_SURFACES)
def test_inline_scripts_of_each_surface_carry_the_nonce_of_the_policy(client, url):
    response = client.get(url)
    page = response.content.decode()
    nonces = [
        s.removeprefix("'nonce-").removesuffix("'") for s in _policy(response)["script-src"] if "nonce-" in s
    ]
    for attributes in re.findall(r"<script\b([^>]*)>", page):
        if "src=" in attributes or re.search(r'type="application/(ld\+)?json"', attributes):
            continue
        assert nonces, f"inline script without a nonce in the policy on {url}"
        assert f'nonce="{nonces[0]}"' in attributes, f"inline script without the nonce on {url}: {attributes}"
    assert not re.search(r"<[^>]+\son[a-z]+=", page), f"inline event handler on {url}"


def test_parent_portal_pages_have_no_inline_event_handlers(client, small_town):
    client.force_login(small_town["martin_parent"].user)
    for url in ["/portail/", "/portail/dossier/", "/portail/dossier/entourage/", "/portail/messagerie/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response
        page = response.content.decode()
        assert not re.search(r"<[^>]+\son[a-z]+=", page), url
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)[^>]*>", page), url


def test_staff_api_json_is_served_with_the_policy_too(client, agent):
    client.force_login(agent)
    response = client.get("/api/v1/families/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
