"""Accounts: login by email, Argon2, django-axes lockout, staff roles and back-office access."""

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group

from backoffice import roles

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_argon2_is_the_first_hasher_in_real_settings():
    from backoffice.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.AUTH_USER_MODEL == "backoffice.User"


def test_user_logs_in_by_email_whatever_the_case(rf, small_town):
    request = rf.post("/portail/connexion/")
    user = authenticate(request, username="  Claire.MARTIN@exemple.fr ", password=PASSWORD)
    assert user == small_town["martin_parent"].user
    assert authenticate(request, username="claire.martin@exemple.fr", password="faux") is None


def test_email_is_unique_whatever_the_case(db):
    User = get_user_model()
    User.objects.create_user(email="Jeanne@exemple.fr", password=PASSWORD)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User(email="jeanne@EXEMPLE.fr").validate_constraints()


def test_portal_login_remembers_only_when_asked(client, small_town):
    response = client.post(
        "/portail/connexion/", {"username": "claire.martin@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    client.logout()
    client.post(
        "/portail/connexion/",
        {"username": "claire.martin@exemple.fr", "password": PASSWORD, "remember_me": "on"},
    )
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 30 * 24 * 3600


def test_lockout_after_five_failures_with_a_french_message(client, small_town):
    for _ in range(5):
        response = client.post(
            "/portail/connexion/", {"username": "claire.martin@exemple.fr", "password": "mauvais"}
        )
    response = client.post(
        "/portail/connexion/", {"username": "claire.martin@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "bloqué" in response.content.decode()
    assert settings.AXES_COOLOFF_TIME == 0.25  # 15 minutes


def test_wrong_password_re_renders_the_form_in_french(client, small_town):
    response = client.post(
        "/portail/connexion/", {"username": "claire.martin@exemple.fr", "password": "mauvais"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Identifiant ou mot de passe incorrect" in page
    assert "claire.martin@exemple.fr" in page  # what the parent typed is kept


def test_every_role_group_exists_with_permissions(db):
    for name in (
        roles.AGENTS,
        roles.REGISSEURS,
        roles.ANIMATEURS,
        roles.COMMUNICATION,
        roles.ADMINISTRATEURS,
    ):
        assert Group.objects.get(name=name).permissions.exists(), name
    agents = Group.objects.get(name=roles.AGENTS)
    assert agents.permissions.filter(codename="change_family").exists()
    assert not agents.permissions.filter(codename="change_user").exists()
    animateurs = Group.objects.get(name=roles.ANIMATEURS)
    assert animateurs.permissions.filter(codename="view_child").exists()
    assert not animateurs.permissions.filter(codename="view_family").exists()
    communication = Group.objects.get(name=roles.COMMUNICATION)
    assert communication.permissions.filter(codename="access_admin").exists()
    assert not communication.permissions.filter(content_type__app_label="families").exists()


def test_backoffice_access_by_role(client, agent, communication, small_town):
    client.force_login(small_town["martin_parent"].user)
    assert client.get("/gestion/").status_code == 302  # parents are sent to the login page
    client.force_login(communication)
    assert client.get("/gestion/").status_code == 302
    assert client.get("/cms/").status_code == 200
    client.force_login(agent)
    assert client.get("/gestion/").status_code == 200
    assert client.get("/gestion/families/family/").status_code == 200
    assert client.get("/gestion/backoffice/user/").status_code == 403
