"""« Créer mon espace » never re-passwords an account that exists, even one still waiting for its activation."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from families.models import Guardian
from families.services import accounts

from .portal.conftest import read_link

pytestmark = pytest.mark.django_db
User = get_user_model()
ATTACKER_PASSWORD = "le mot de passe de l'intrus"
OWNER_PASSWORD = "une phrase de passe"


@pytest.fixture(autouse=True)
def emails_sent_at_once(monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())


def _signup(client, email, password):
    return client.post(
        reverse("portal:signup"),
        {
            "first_name": "Intrus",
            "last_name": "Anonyme",
            "email": email,
            "password1": password,
            "password2": password,
        },
    )


def _login(client, email, password) -> bool:
    return client.post(reverse("portal:login"), {"username": email, "password": password}).status_code == 302


@pytest.fixture
def invited(small_town, agent):
    guardian = Guardian.objects.create(
        family=small_town["bernard"],
        civility="m",
        first_name="Marc",
        last_name="Bernard",
        email="marc.bernard@exemple.fr",
    )
    accounts.account_invite(guardian=guardian, by=agent, base_url="http://testserver")
    mail.outbox.clear()
    return User.objects.get(email="marc.bernard@exemple.fr")


def test_signup_cannot_take_over_an_invited_account_before_the_parent_activates_it(client, invited):
    response = _signup(client, "Marc.Bernard@exemple.fr", ATTACKER_PASSWORD)

    assert response.status_code == 200
    invited.refresh_from_db()
    assert not invited.has_usable_password()  # the invitation still asks the parent to choose a password
    assert (invited.first_name, invited.last_name) == ("Marc", "Bernard")
    # The real owner is told and gets a fresh link, on which *they* choose the password.
    (email,) = mail.outbox
    assert email.to == ["marc.bernard@exemple.fr"]
    assert "Une nouvelle demande a été faite avec votre adresse" in email.body
    link = read_link(email.body, "/portail/activation/")
    assert "Choisissez votre mot de passe" in client.get(link).content.decode()
    client.post(link, {"new_password1": OWNER_PASSWORD, "new_password2": OWNER_PASSWORD})
    assert not _login(client, "marc.bernard@exemple.fr", ATTACKER_PASSWORD)
    assert _login(client, "marc.bernard@exemple.fr", OWNER_PASSWORD)


def test_signup_again_on_a_pending_self_signup_keeps_the_first_password(client):
    _signup(client, "nadia.roux@exemple.fr", OWNER_PASSWORD)
    _signup(client, "nadia.roux@exemple.fr", ATTACKER_PASSWORD)

    user = User.objects.get(email="nadia.roux@exemple.fr")
    assert user.check_password(OWNER_PASSWORD)
    assert not user.check_password(ATTACKER_PASSWORD)
    client.get(read_link(mail.outbox[-1].body, "/portail/activation/"))  # the owner opens the latest link
    assert not _login(client, "nadia.roux@exemple.fr", ATTACKER_PASSWORD)
    assert _login(client, "nadia.roux@exemple.fr", OWNER_PASSWORD)


def _pages(response) -> list[str]:
    return [t.name for t in response.templates if not t.name.startswith("emails/")]  # emails are not the page


@pytest.mark.parametrize("address", ["marc.bernard@exemple.fr", "claire.martin@exemple.fr"])
def test_signup_with_a_known_address_answers_exactly_like_a_new_one(client, invited, address):
    new = _signup(client, "inconnu@exemple.fr", ATTACKER_PASSWORD)
    known = _signup(client, address, ATTACKER_PASSWORD)

    assert known.status_code == new.status_code == 200
    assert _pages(known) == _pages(new)
    assert known.content.decode().replace(address, "@") == new.content.decode().replace(
        "inconnu@exemple.fr", "@"
    )
