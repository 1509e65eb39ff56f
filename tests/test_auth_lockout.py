"""One lockout per account, whatever the spelling of the address and whether it comes from the portal or the API."""

import base64
import importlib

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
CLAIRE = "claire.martin@exemple.fr"
VARIANTS = [
    "CLAIRE.MARTIN@EXEMPLE.FR",
    "claire.martin@EXEMPLE.FR",
    "  claire.martin@exemple.fr  ",
    "Claire.Martin@exemple.fr",
]


def _portal_login(client, username, password):
    return client.post(reverse("portal:login"), {"username": username, "password": password})


def _basic(username, password) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _api_get(client, username, password):
    return client.get("/api/v1/families/", **_basic(username, password))


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_locked_account_stays_locked_whatever_the_spelling_of_the_address(client, small_town, variant):
    for _ in range(5):
        _portal_login(client, CLAIRE, "mauvais")

    response = _portal_login(client, variant, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_spelling_variants_share_the_same_five_guesses(client, small_town):
    for variant in [*VARIANTS, CLAIRE]:  # five wrong guesses, each with another spelling
        _portal_login(client, variant, "mauvais")

    assert _portal_login(client, CLAIRE, PASSWORD).status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [CLAIRE]


def test_the_back_office_login_shares_the_portal_lockout(client, agent):
    for _ in range(5):
        _portal_login(client, "agent@mairie.exemple.fr", "mauvais")

    response = client.post("/gestion/login/", {"username": "AGENT@mairie.exemple.fr", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_user_manager_and_saves_store_the_address_lowercased(db):
    user = User.objects.create_user(email="  Jeanne.DUPONT@Exemple.FR ", password=PASSWORD)
    assert user.email == "jeanne.dupont@exemple.fr"
    user.email = "Jeanne.Durand@EXEMPLE.fr"  # an admin form, an import or the API saving the model
    user.save()
    user.refresh_from_db()
    assert user.email == "jeanne.durand@exemple.fr"


def test_existing_mixed_case_addresses_are_lowercased_by_the_data_migration(db):
    user = User.objects.create_user(email="jeanne@exemple.fr", password=PASSWORD)
    User.objects.filter(pk=user.pk).update(email="Jeanne@EXEMPLE.fr")  # stored before normalisation existed
    migration = importlib.import_module("backoffice.migrations.0004_accounts_lowercase_emails")

    migration.lowercase_emails(apps, None)

    user.refresh_from_db()
    assert user.email == "jeanne@exemple.fr"


# API (HTTP Basic) -------------------------------------------------------------------------------------------------


def test_bad_basic_auth_is_counted_against_the_real_account_not_a_shared_none(client, agent, regisseur):
    statuses = [_api_get(client, "Agent@Mairie.exemple.fr", "mauvais").status_code for _ in range(5)]

    # Refused, then locked at the fifth failure, as on the portal.
    assert statuses == [403, 403, 403, 403, 429]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["agent@mairie.exemple.fr"]
    # Another staff script of the same IP is not locked out by the agent's mistakes.
    assert _api_get(client, "regie@mairie.exemple.fr", PASSWORD).status_code == 200


def test_an_account_locked_on_the_portal_is_refused_by_the_api(client, agent):
    for _ in range(5):
        _portal_login(client, "agent@mairie.exemple.fr", "mauvais")

    response = _api_get(client, "agent@mairie.exemple.fr", PASSWORD)

    assert response.status_code == 429
    assert "bloqué" in response.json()["detail"]


def test_an_account_locked_through_the_api_is_refused_by_the_portal(client, agent):
    for _ in range(5):
        _api_get(client, "agent@mairie.exemple.fr", "mauvais")

    assert _portal_login(client, "agent@mairie.exemple.fr", PASSWORD).status_code == 429
