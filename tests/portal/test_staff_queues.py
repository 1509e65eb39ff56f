"""The back-office queues: the admin index counts what waits, and a closed account request is not decided again."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import AccountRequest
from families.services.accounts import account_request_close
from families.services.change_requests import coordinates_submit

pytestmark = pytest.mark.django_db


def test_admin_index_counts_each_queue(agent_client, small_town):
    coordinates_submit(
        family=small_town["martin"], family_data={"commune": "Taverny"}, guardians_data={}, by=None
    )
    AccountRequest.objects.create(first_name="A", last_name="B", email="a@b.fr")
    AccountRequest.objects.create(first_name="C", last_name="D", email="c@d.fr")
    page = agent_client.get(reverse("admin:index")).content.decode()
    counts = dict(re.findall(r'<a href="[^"]*">([^<]+)</a></th><td><strong>(\d+)</strong>', page))
    assert counts["Démarches à traiter"] == "1"
    assert counts["Demandes de compte"] == "2"
    assert counts["Documents à vérifier"] == "0"


def test_a_closed_account_request_is_not_decided_again(agent_client, agent):
    req = AccountRequest.objects.create(first_name="Nadia", last_name="Benali", email="nadia@exemple.fr")
    account_request_close(request=req, by=agent, status=AccountRequest.Status.REJECTED)
    with pytest.raises(ValidationError):
        account_request_close(request=req, by=agent, status=AccountRequest.Status.DONE)
    agent_client.post(
        reverse("admin:families_accountrequest_changelist"),
        {"action": "mark_done", "_selected_action": [req.pk]},
    )
    req.refresh_from_db()
    assert req.status == AccountRequest.Status.REJECTED
