"""Wrong clés famille are counted in the database, so the hourly limit holds across every worker process."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.utils import timezone

from backoffice.models import Attempt
from families.services import accounts

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
WRONG_KEY = "AAAA-AAAA-AAAA"


@pytest.fixture
def parent(db):
    return User.objects.create_user(email="x@exemple.fr", password=PASSWORD)


def _try_wrong_keys(user, times):
    for _ in range(times):
        with pytest.raises(accounts.InvalidFamilyKey):
            accounts.family_key_attach(user=user, key=WRONG_KEY, civility="m")


def _forget_every_process_cache():
    """What another gunicorn worker sees: none of this process's memory."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


def test_the_limit_holds_in_another_worker_process(small_town, parent):
    _try_wrong_keys(parent, accounts.KEY_ATTEMPTS_PER_HOUR)
    key = accounts.family_key_generate(family=small_town["martin"], by=None)

    _forget_every_process_cache()

    with pytest.raises(accounts.InvalidFamilyKey, match="Trop de clés"):
        accounts.family_key_attach(user=parent, key=key, civility="m")
    assert Attempt.objects.filter(scope=accounts.KEY_ATTEMPT_SCOPE, key=str(parent.pk)).count() == 10


def test_wrong_keys_older_than_an_hour_no_longer_count(small_town, parent):
    _try_wrong_keys(parent, accounts.KEY_ATTEMPTS_PER_HOUR)
    Attempt.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    key = accounts.family_key_generate(family=small_town["martin"], by=None)

    assert accounts.family_key_attach(user=parent, key=key, civility="m") == small_town["martin"]


def test_each_account_has_its_own_count(small_town, parent):
    _try_wrong_keys(parent, accounts.KEY_ATTEMPTS_PER_HOUR)
    other = User.objects.create_user(email="y@exemple.fr", password=PASSWORD)
    key = accounts.family_key_generate(family=small_town["martin"], by=None)

    assert accounts.family_key_attach(user=other, key=key, civility="m") == small_town["martin"]
