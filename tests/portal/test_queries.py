"""Every portal page runs a constant number of queries: 4 children, 8 démarches and 200 messages cost what 1 child,
2 démarches and 2 messages do."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.models import ChangeRequest, Contact, Conversation, Enrolment, Message
from families.services.documents import document_upload
from tests.factories import ActivityFactory, ChildFactory, FamilyFactory, GuardianFactory, UserFactory

from .conftest import BACKEND, pdf_file

# Measured on SQLite; the bound leaves no room for a per-row query. The fiche famille PDF reads the town's identity
# from the CMS site settings (default site + its settings row: 2 queries). Mon accueil prefetches the inscriptions
# and reads its agenda (coming and past bookings) in one query; Mon compte reads the account's guardian (rappels)
# and the calendar address (abonnement iCal): one query each.
MAX_QUERIES = {
    "home": 13,
    "dossier": 13,
    "coordinates": 8,
    "demarches": 11,
    "contacts": 9,
    "contact_add": 9,
    "documents": 9,
    "attestations": 7,
    "messages": 8,
    "conversation_new": 7,
    "account": 9,
    "family_sheet": 12,
    "child_health": 11,
    "contact_edit": 11,
    "conversation": 10,
    "absences": 10,
    "child_agenda": 10,
}


def _populate(family, parent, agent, *, children: int, conversations: int, messages: int):
    canteen = ActivityFactory(name=f"Restauration {family.name}")
    garderie = ActivityFactory(name=f"Périscolaire {family.name}", kind="periscolaire")
    for i in range(children):
        child = ChildFactory(family=family, first_name=f"Enfant{i}", birth_date=date(2015 + i, 1, 10))
        for activity in (canteen, garderie):
            Enrolment.objects.create(
                child=child, activity=activity, status=Enrolment.Status.ACCEPTED, start_date=date(2026, 9, 1)
            )
    for i in range(children):
        Contact.objects.create(
            family=family,
            first_name=f"Contact{i}",
            last_name="X",
            relationship="Tante",
            phone="06 00 00 00 01",
        ).children.set(family.children.all())
    for i in range(children):
        document_upload(family=family, kind="pai", file=pdf_file(), by=None, child=family.children.all()[i])
    guardian_id = str(parent.pk)
    for i in range(children):
        ChangeRequest.objects.create(
            family=family,
            kind=ChangeRequest.Kind.COORDINATES,
            payload={
                "family": {"commune": f"Ville {i}"},
                "guardians": {guardian_id: {"employer": f"Employeur {i}"}},
            },
        )
        ChangeRequest.objects.create(
            family=family,
            kind=ChangeRequest.Kind.NEW_CHILD,
            payload={
                "first_name": f"Bébé{i}",
                "last_name": "X",
                "birth_date": "2025-01-01",
                "school": family.children.first().school_id,
                "class_level": None,
            },
        )
    for c in range(conversations):
        conversation = Conversation.objects.create(family=family, subject=f"Sujet {c}", created_by=agent)
        Message.objects.bulk_create(
            [
                Message(
                    conversation=conversation,
                    author=agent if i % 2 else parent.user,
                    from_staff=bool(i % 2),
                    body=f"Message {i}",
                )
                for i in range(messages)
            ]
        )


def _family(name, agent, **sizes):
    family = FamilyFactory(name=name)
    parent = GuardianFactory(family=family, user=UserFactory(email=f"{name.lower()}@exemple.fr"))
    _populate(family, parent, agent, **sizes)
    return family, parent


def _urls(family):
    child = family.children.order_by("pk").first()
    contact = family.contacts.order_by("pk").first()
    conversation = family.conversations.order_by("pk").first()
    urls = {
        name: reverse(f"portal:{name}")
        for name in MAX_QUERIES
        if name not in ("child_health", "contact_edit", "conversation", "child_agenda")
    }
    urls["child_health"] = reverse("portal:child_health", args=[child.pk])
    urls["contact_edit"] = reverse("portal:contact_edit", args=[contact.pk])
    urls["conversation"] = reverse("portal:conversation", args=[conversation.pk])
    urls["child_agenda"] = reverse("portal:child_agenda", args=[child.pk])
    return urls


def _counts(client, parent, family) -> dict[str, int]:
    client.force_login(parent.user, backend=BACKEND)
    out = {}
    for name, url in _urls(family).items():
        client.get(url)  # first visit marks messages read; count the steady state
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, name
        out[name] = len(ctx.captured_queries)
    client.logout()
    return out


@pytest.mark.django_db
def test_portal_pages_query_count_does_not_grow_with_the_family(client, agent, django_assert_max_num_queries):
    small, small_parent = _family("PETITE", agent, children=1, conversations=1, messages=2)
    big, big_parent = _family("NOMBREUSE", agent, children=4, conversations=10, messages=20)
    assert Message.objects.filter(conversation__family=big).count() == 200
    small_counts = _counts(client, small_parent, small)
    big_counts = _counts(client, big_parent, big)
    print("requêtes par page (4 enfants, 200 messages) :", big_counts)
    assert big_counts == small_counts
    client.force_login(big_parent.user, backend=BACKEND)
    for name, url in _urls(big).items():
        with django_assert_max_num_queries(MAX_QUERIES[name]):
            client.get(url)
