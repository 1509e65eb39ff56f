"""Accounts: « Créer mon espace » → activation → clé famille, staff-created accounts, password and email changes."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from families.models import AccountRequest, FamilyAccessKey, Guardian
from families.services import accounts
from tests.conftest import PASSWORD

from .conftest import BACKEND, read_link

User = get_user_model()
NEW_PASSWORD = "une phrase de passe"


def _login(client, email, password) -> bool:
    response = client.post(reverse("portal:login"), {"username": email, "password": password})
    return response.status_code == 302


def _signup(client, email="nadia.roux@exemple.fr", **extra):
    data = {
        "first_name": "Nadia",
        "last_name": "Roux",
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }
    return client.post(reverse("portal:signup"), data)


@pytest.mark.django_db
def test_signup_sends_activation_link_and_account_stays_inactive(client):
    response = _signup(client)
    assert response.status_code == 200
    assert "Vérifiez votre boîte e-mail" in response.content.decode()
    user = User.objects.get(email="nadia.roux@exemple.fr")
    assert not user.is_active
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert "Activez votre espace" in email.subject
    assert email.alternatives and email.alternatives[0][1] == "text/html"
    assert NEW_PASSWORD not in email.body  # never email a password
    assert "/portail/activation/" in email.body


@pytest.mark.django_db
def test_signup_form_keeps_what_the_parent_typed_and_explains_in_french(client):
    response = _signup(client, password2="autre chose")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Les deux mots de passe ne sont pas identiques" in body
    assert 'value="nadia.roux@exemple.fr"' in body and 'value="Roux"' in body
    assert not User.objects.filter(email="nadia.roux@exemple.fr").exists()


@pytest.mark.django_db
def test_signup_refuses_short_password(client):
    response = _signup(client, password1="court", password2="court")
    assert "trop court" in response.content.decode()


@pytest.mark.django_db
def test_signup_with_existing_email_does_not_reveal_the_account(client, small_town):
    response = _signup(client, email="claire.martin@exemple.fr")
    assert "Vérifiez votre boîte e-mail" in response.content.decode()
    assert User.objects.filter(email__iexact="claire.martin@exemple.fr").count() == 1
    assert "existe déjà" in mail.outbox[0].subject


@pytest.mark.django_db
def test_activation_link_activates_once_then_key_attaches_account(client, small_town):
    _signup(client)
    link = read_link(mail.outbox[0].body, "/portail/activation/")
    response = client.get(link)
    assert response.status_code == 302 and response.url == reverse("portal:login")
    assert User.objects.get(email="nadia.roux@exemple.fr").is_active
    assert client.get(link).status_code == 400  # single use

    assert _login(client, "nadia.roux@exemple.fr", NEW_PASSWORD)
    assert client.get(reverse("portal:home")).url == reverse("portal:attach")
    key = accounts.family_key_generate(family=small_town["martin"], by=None)
    response = client.post(
        reverse("portal:attach"), {"key": key.lower(), "civility": "mme", "relationship": "mere"}
    )
    assert response.status_code == 302
    guardian = Guardian.objects.get(user__email="nadia.roux@exemple.fr")
    assert guardian.family == small_town["martin"]
    assert client.get(reverse("portal:home")).status_code == 200
    # Several accounts per family: Claire's stays attached too.
    assert small_town["martin"].guardians.filter(user__isnull=False).count() == 2


@pytest.mark.django_db
def test_activation_link_expires_after_48_hours(client):
    _signup(client)
    link = read_link(mail.outbox[0].body, "/portail/activation/")
    later = datetime.now() + timedelta(hours=48, minutes=5)  # naive local time, like Django's token clock
    with mock.patch.object(accounts.ActivationTokenGenerator, "_now", return_value=later):
        assert client.get(link).status_code == 400
    assert not User.objects.get(email="nadia.roux@exemple.fr").is_active


@pytest.mark.django_db
def test_wrong_used_or_revoked_keys_get_the_same_refusal(small_town):
    user = User.objects.create_user(email="x@exemple.fr", password=PASSWORD, first_name="X", last_name="Y")
    family = small_town["martin"]
    old_key = accounts.family_key_generate(family=family, by=None)
    new_key = accounts.family_key_generate(family=family, by=None)  # rotation revokes the old key
    messages = set()
    for key in ["ZZZZ-ZZZZ-ZZZZ", old_key]:
        with pytest.raises(accounts.InvalidFamilyKey) as exc:
            accounts.family_key_attach(user=user, key=key, civility="m")
        messages.add(exc.value.messages[0])
    assert accounts.family_key_attach(user=user, key=new_key, civility="m") == family
    other = User.objects.create_user(email="z@exemple.fr", password=PASSWORD)
    with pytest.raises(accounts.InvalidFamilyKey) as exc:  # single use
        accounts.family_key_attach(user=other, key=new_key, civility="m")
    messages.add(exc.value.messages[0])
    assert len(messages) == 1
    assert FamilyAccessKey.objects.get(used_by=user).used_at is not None


@pytest.mark.django_db
def test_key_attach_links_the_existing_guardian_with_the_same_email(small_town):
    family = small_town["martin"]
    julien = Guardian.objects.create(
        family=family, civility="m", first_name="Julien", last_name="Martin", email="julien.martin@exemple.fr"
    )
    user = User.objects.create_user(
        email="Julien.Martin@exemple.fr", password=PASSWORD, first_name="Julien", last_name="Martin"
    )
    accounts.family_key_attach(
        user=user, key=accounts.family_key_generate(family=family, by=None), civility="m"
    )
    julien.refresh_from_db()
    assert julien.user == user
    assert family.guardians.count() == 2


@pytest.mark.django_db
def test_wrong_key_is_rate_limited(small_town):
    user = User.objects.create_user(email="x@exemple.fr", password=PASSWORD)
    for _ in range(accounts.KEY_ATTEMPTS_PER_HOUR):
        with pytest.raises(accounts.InvalidFamilyKey):
            accounts.family_key_attach(user=user, key="AAAA-AAAA-AAAA", civility="m")
    key = accounts.family_key_generate(family=small_town["martin"], by=None)
    with pytest.raises(accounts.InvalidFamilyKey, match="Trop de clés"):
        accounts.family_key_attach(user=user, key=key, civility="m")


@pytest.mark.django_db
def test_staff_created_account_chooses_password_from_emailed_link(client, small_town, agent):
    guardian = Guardian.objects.create(
        family=small_town["bernard"],
        civility="m",
        first_name="Marc",
        last_name="Bernard",
        email="marc.bernard@exemple.fr",
    )
    accounts.account_invite(guardian=guardian, by=agent, base_url="http://testserver")
    user = User.objects.get(email="marc.bernard@exemple.fr")
    assert not user.is_active and not user.has_usable_password()
    email = mail.outbox[-1]
    assert "choisissez votre mot de passe" in email.subject
    link = read_link(email.body, "/portail/activation/")
    assert "Choisissez votre mot de passe" in client.get(link).content.decode()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _login(client, "marc.bernard@exemple.fr", NEW_PASSWORD)
    assert "BERNARD Sophie" in client.get(reverse("portal:home")).content.decode()
    client.logout()
    assert client.get(link).status_code == 400


@pytest.mark.django_db
def test_login_remember_me_keeps_a_long_session(client, small_town):
    response = client.post(
        reverse("portal:login"),
        {"username": "CLAIRE.martin@exemple.fr", "password": PASSWORD, "remember_me": "on"},
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() >= 29 * 24 * 3600
    client.post(reverse("portal:logout"))
    client.post(reverse("portal:login"), {"username": "claire.martin@exemple.fr", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_lockout_after_five_failures_shows_french_message(client, small_town):
    for _ in range(5):
        client.post(reverse("portal:login"), {"username": "claire.martin@exemple.fr", "password": "faux"})
    response = client.post(
        reverse("portal:login"), {"username": "claire.martin@exemple.fr", "password": PASSWORD}
    )
    assert "Compte temporairement bloqué" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_french_link_never_a_password(client, small_town):
    response = client.post(reverse("portal:password_reset"), {"email": "claire.martin@exemple.fr"})
    assert response.status_code == 302
    email = mail.outbox[-1]
    assert "nouveau mot de passe" in email.subject
    assert PASSWORD not in email.body
    link = read_link(email.body, "/portail/reinitialisation/")
    response = client.get(link, follow=True)
    assert "Choisissez un nouveau mot de passe" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _login(client, "claire.martin@exemple.fr", NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_path_matches_public_site_link():
    assert reverse("portal:password_reset") == "/portail/mot-de-passe-oublie/"
    assert reverse("portal:signup") == "/portail/inscription/"


@pytest.mark.django_db
def test_change_password(martin_client):
    response = martin_client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(email="claire.martin@exemple.fr").check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_change_email_needs_confirmation_from_the_new_address(martin_client, small_town):
    response = martin_client.post(
        reverse("portal:email_change"), {"new_email": "claire@nouveau.fr", "password": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=small_town["martin_parent"].user.pk)
    assert user.email == "claire.martin@exemple.fr"
    confirm = next(m for m in mail.outbox if m.to == ["claire@nouveau.fr"])
    assert any(m.to == ["claire.martin@exemple.fr"] for m in mail.outbox)  # the old address is told
    link = read_link(confirm.body, "/portail/mon-compte/e-mail/")
    assert martin_client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "claire@nouveau.fr"
    assert Guardian.objects.get(user=user).email == "claire@nouveau.fr"
    assert martin_client.get(link).status_code == 400  # used


@pytest.mark.django_db
def test_change_email_with_wrong_password_is_refused(martin_client):
    response = martin_client.post(
        reverse("portal:email_change"), {"new_email": "claire@nouveau.fr", "password": "faux"}
    )
    assert "Mot de passe incorrect" in response.content.decode()
    assert not mail.outbox


@pytest.mark.django_db
def test_account_request_is_stored_for_staff(client):
    response = client.post(
        reverse("portal:account_request"),
        {
            "first_name": "Inès",
            "last_name": "Garcia",
            "email": "ines@exemple.fr",
            "phone": "06 11 22 33 44",
            "postcode": "95550",
            "commune": "Bessancourt",
            "children": "Lina, 3 ans",
        },
    )
    assert response.status_code == 200
    request = AccountRequest.objects.get()
    assert request.status == AccountRequest.Status.PENDING
    assert {tuple(m.to) for m in mail.outbox} >= {("ines@exemple.fr",)}


@pytest.mark.django_db
def test_self_signup_can_be_switched_off(client, settings):
    settings.PORTAIL_SIGNUP_MODES = ["staff"]
    assert client.get(reverse("portal:signup")).status_code == 404


@pytest.mark.django_db
def test_force_login_backend_constant_is_valid(settings):
    assert BACKEND in settings.AUTHENTICATION_BACKENDS


@pytest.mark.django_db
def test_signing_up_again_before_activation_sends_a_fresh_link(client):
    _signup(client)
    _signup(client)
    assert User.objects.filter(email="nadia.roux@exemple.fr").count() == 1
    assert [m.subject for m in mail.outbox].count(mail.outbox[0].subject) == 2
    link = read_link(mail.outbox[-1].body, "/portail/activation/")
    assert client.get(link).status_code == 302
