"""« Créer mon espace » costs the same for a new and a known address: no timing oracle on who is registered.

Wall clocks are flaky in CI; instead these tests check what the time is spent on. Every path runs the password
hasher exactly once and leaves the email to a background task queued after commit, so no path does more work in
the request than another (measured by hand: see the report of issue 8 §4.6).
"""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.core import mail

from families.services import accounts

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def addresses(small_town):
    User.objects.create_user(email="en.attente@exemple.fr", password=PASSWORD, is_active=False)
    return {
        "new": "nouvelle@exemple.fr",
        "pending": "en.attente@exemple.fr",
        "active": "claire.martin@exemple.fr",
    }


def _signup(email):
    return accounts.account_signup(
        email=email,
        password="une phrase de passe",
        first_name="A",
        last_name="B",
        base_url="http://testserver",
    )


@pytest.mark.parametrize("kind", ["new", "pending", "active"])
def test_every_signup_path_hashes_the_password_once(addresses, kind):
    hasher = type(get_hasher())
    with mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode:
        _signup(addresses[kind])

    assert encode.call_count == 1


@pytest.mark.parametrize("kind", ["new", "pending", "active"])
def test_every_signup_path_sends_one_email_in_the_background_after_commit(
    addresses, kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _signup(addresses[kind])
    assert not mail.outbox  # nothing sent inside the request's transaction
    assert len(callbacks) == 1

    callbacks[0]()  # the commit queues the task (run at once by the test settings' immediate backend)

    (email,) = mail.outbox
    assert email.to == [addresses[kind]]
