"""Each admin links to the other: the back-office to the CMS, the CMS to the back-office (for staff)."""

import pytest

pytestmark = pytest.mark.django_db


def test_backoffice_links_to_the_cms(client, agent):
    client.force_login(agent)
    page = client.get("/gestion/").content.decode()
    assert 'href="/cms/"' in page


def test_cms_menu_links_to_the_backoffice_for_staff(client, town_admin):
    client.force_login(town_admin)
    page = client.get("/cms/").content.decode()
    assert "/gestion/" in page


def test_cms_menu_hides_the_backoffice_from_communication(client, communication):
    client.force_login(communication)
    response = client.get("/cms/")
    assert response.status_code == 200
    assert "/gestion/" not in response.content.decode()
