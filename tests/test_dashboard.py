"""The back-office index lists the work queues that apps register in backoffice.dashboard, for who may see them."""

import re

import pytest
from django.urls import reverse

from backoffice import dashboard
from families.models import AccountRequest

pytestmark = pytest.mark.django_db

FAMILIES_QUEUES = [
    "Démarches à traiter",
    "Documents à vérifier",
    "Conversations avec messages non lus",
    "Demandes de compte",
]


def _queues(client) -> dict[str, str]:
    page = client.get(reverse("admin:index")).content.decode()
    return dict(re.findall(r'<a href="[^"]*">([^<]+)</a></th><td><strong>(\d+)</strong>', page))


@pytest.fixture
def extra_queue():
    queue = dashboard.register(
        dashboard.Queue(
            "Factures à relancer",
            count=lambda: 7,
            url_name="admin:backoffice_user_changelist",
            query="is_active__exact=1",
            permission="backoffice.view_user",
            order=5,
        )
    )
    yield queue
    dashboard._queues.pop(f"{queue.url_name}?{queue.query}")


def test_an_app_adds_a_queue_to_the_index_without_touching_the_template(client, town_admin, extra_queue):
    client.force_login(town_admin)
    AccountRequest.objects.create(first_name="Léa", last_name="Roux", email="lea.roux@example.fr")
    queues = _queues(client)
    assert queues["Factures à relancer"] == "7"
    assert queues["Demandes de compte"] == "1"
    assert list(queues)[0] == "Factures à relancer"  # order=5 comes before the families queues
    assert extra_queue.url == "/gestion/backoffice/user/?is_active__exact=1"


def test_a_queue_is_hidden_from_staff_without_its_permission(client, animateur, extra_queue):
    client.force_login(animateur)
    assert "Factures à relancer" not in _queues(client)


def test_families_registers_its_four_queues():
    labels = [str(queue.label) for queue in dashboard.registered()]
    assert [label for label in labels if label in FAMILIES_QUEUES] == FAMILIES_QUEUES
