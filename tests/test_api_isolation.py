"""Generated: every staff API endpoint refuses parents and anonymous visitors, for reading and writing.

New registrations in the CRUD engine are covered automatically."""

import pytest

from backoffice.crud import registry

pytestmark = pytest.mark.django_db

ENDPOINTS = sorted(crud.api_name for crud in registry if crud.viewset_class is not None)


def test_every_registered_model_has_an_endpoint():
    assert {"families", "children", "guardians", "enrolments", "change-requests"} <= set(ENDPOINTS)


@pytest.mark.parametrize("api_name", ENDPOINTS)
def test_parent_gets_403_on_every_staff_endpoint(client, small_town, api_name):
    client.force_login(small_town["martin_parent"].user)
    base = f"/api/v1/{api_name}/"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}1/").status_code == 403
    assert client.post(base, {}, content_type="application/json").status_code == 403
    assert client.delete(f"{base}1/").status_code == 403


@pytest.mark.parametrize("api_name", ENDPOINTS)
def test_anonymous_is_refused_on_every_staff_endpoint(client, api_name):
    assert client.get(f"/api/v1/{api_name}/").status_code in (401, 403)
