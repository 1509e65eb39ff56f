"""A parent who follows a dead link or hits a server error gets a French page that fits a phone, with our icon."""

from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_a_dead_link_shows_a_french_page_with_a_way_back(client):
    response = client.get("/activites/cette-page-n-existe-plus/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "Page introuvable" in page
    assert "Not Found" not in page
    assert 'href="/portail/"' in page
    assert 'action="/recherche/"' in page


def test_the_server_error_page_is_french_and_needs_no_database():
    # No django_db mark: any query would raise. Django renders 500.html without context processors.
    response = server_error(RequestFactory().get("/portail/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert 'name="viewport"' in page
    assert "Le service est momentanément indisponible" in page
    assert "Server Error" not in page
    assert "favicon.svg" in page


@pytest.mark.django_db
def test_public_and_backoffice_pages_link_the_favicon(client):
    for url in ("/page-inconnue/", "/gestion/login/"):
        page = client.get(url).content.decode()
        assert '<link rel="icon" href="/static/favicon.ico"' in page, url
        assert 'href="/static/favicon.svg" type="image/svg+xml"' in page, url
    assert (ROOT / "static/favicon.svg").read_text().startswith("<svg")
    assert (ROOT / "static/favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
