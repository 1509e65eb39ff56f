"""Logging in before activation: with the right password the parent learns why, and can get a fresh link."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from .conftest import PASSWORD
from .portal.conftest import read_link

pytestmark = pytest.mark.django_db
User = get_user_model()
NOT_ACTIVATED = "pas encore activé"
WRONG = "Identifiant ou mot de passe incorrect"


@pytest.fixture(autouse=True)
def emails_sent_at_once(monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())


@pytest.fixture
def pending(db):
    return User.objects.create_user(
        email="nadia.roux@exemple.fr", password=PASSWORD, first_name="Nadia", is_active=False
    )


def _login(client, username, password):
    return client.post(reverse("portal:login"), {"username": username, "password": password})


def test_right_password_before_activation_says_the_account_is_not_activated(client, pending):
    response = _login(client, "Nadia.Roux@exemple.fr", PASSWORD)

    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_ACTIVATED in page and WRONG not in page
    assert "Renvoyer le lien d'activation" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("username", ["nadia.roux@exemple.fr", "inconnu@exemple.fr"])
def test_wrong_password_reveals_nothing_about_the_account(client, pending, username):
    response = _login(client, username, "pas le bon")

    page = response.content.decode()
    assert WRONG in page
    assert NOT_ACTIVATED not in page and "Renvoyer le lien" not in page


def test_the_resend_button_mails_a_fresh_link_that_activates_the_account(client, pending):
    _login(client, "nadia.roux@exemple.fr", PASSWORD)

    response = client.post(reverse("portal:activation_resend"))

    assert response.status_code == 200
    assert "Vérifiez votre boîte e-mail" in response.content.decode()
    (email,) = mail.outbox
    assert email.to == ["nadia.roux@exemple.fr"]
    assert client.get(read_link(email.body, "/portail/activation/")).status_code == 302
    pending.refresh_from_db()
    assert pending.is_active
    assert _login(client, "nadia.roux@exemple.fr", PASSWORD).status_code == 302


def test_resend_without_a_proven_password_sends_nothing(client, pending):
    _login(client, "nadia.roux@exemple.fr", "pas le bon")

    response = client.post(reverse("portal:activation_resend"), {"email": "nadia.roux@exemple.fr"})

    assert response.status_code == 302 and response.url == reverse("portal:login")
    assert not mail.outbox
