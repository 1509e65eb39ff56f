"""Inscriptions: one active per child and activity, shown on Mon accueil, and staff write to enrolled families."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from families.models import Conversation, Enrolment
from families.selectors import activity_families
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_a_child_has_one_active_inscription_per_activity(small_town):
    lea, canteen = small_town["lea"], small_town["canteen"]
    Enrolment.objects.create(
        child=lea, activity=canteen, status=Enrolment.Status.ACCEPTED, start_date=date(2026, 9, 1)
    )
    duplicate = Enrolment(
        child=lea, activity=canteen, status=Enrolment.Status.REQUESTED, start_date=date(2026, 11, 2)
    )
    with pytest.raises(ValidationError, match="déjà une inscription en cours"):
        duplicate.full_clean()
    # A refused request does not block a new one.
    Enrolment.objects.filter(child=lea).update(status=Enrolment.Status.REFUSED)
    duplicate.full_clean()


def test_mon_accueil_shows_current_inscriptions(client, small_town):
    Enrolment.objects.create(
        child=small_town["lea"],
        activity=small_town["canteen"],
        status=Enrolment.Status.ACCEPTED,
        start_date=date(2026, 9, 1),
    )
    client.force_login(small_town["martin_parent"].user)
    page = client.get("/portail/").content.decode()
    assert "Restauration scolaire 2026-2027" in page
    assert "Acceptée" in page
    assert "Aucune inscription en cours." in page  # Hugo has none


def test_activity_families_are_those_with_an_accepted_inscription(small_town):
    canteen = small_town["canteen"]
    Enrolment.objects.create(
        child=small_town["lea"],
        activity=canteen,
        status=Enrolment.Status.ACCEPTED,
        start_date=date(2026, 9, 1),
    )
    Enrolment.objects.create(
        child=small_town["hugo"],
        activity=canteen,
        status=Enrolment.Status.ACCEPTED,
        start_date=date(2026, 9, 1),
    )
    Enrolment.objects.create(
        child=small_town["chloe"],
        activity=canteen,
        status=Enrolment.Status.REQUESTED,
        start_date=date(2026, 9, 1),
    )
    assert list(activity_families(activities=[canteen])) == [small_town["martin"]]


def test_staff_write_to_every_family_of_an_activity(client, agent, small_town):
    canteen = small_town["canteen"]
    other = ActivityFactory(name="Mercredis 2026-2027", kind="mercredi")
    Enrolment.objects.create(
        child=small_town["lea"],
        activity=canteen,
        status=Enrolment.Status.ACCEPTED,
        start_date=date(2026, 9, 1),
    )
    Enrolment.objects.create(
        child=small_town["chloe"],
        activity=other,
        status=Enrolment.Status.ACCEPTED,
        start_date=date(2026, 9, 1),
    )
    client.force_login(agent)
    url = "/gestion/families/activity/"
    preview = client.post(url, {"action": "write_to_enrolled_families", "_selected_action": [canteen.pk]})
    assert preview.status_code == 200
    assert "MARTIN Claire et Julien" in preview.content.decode()
    assert "BERNARD" not in preview.content.decode()
    sent = client.post(
        url,
        {
            "action": "write_to_enrolled_families",
            "_selected_action": [canteen.pk],
            "subject": "Sortie au cinéma",
            "body": "Prévoir une casquette.",
        },
    )
    assert sent.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.family == small_town["martin"]
    assert conversation.subject == "Sortie au cinéma"


def test_animateur_cannot_broadcast(client, animateur, small_town):
    Enrolment.objects.create(
        child=small_town["lea"],
        activity=small_town["canteen"],
        status=Enrolment.Status.ACCEPTED,
        start_date=date(2026, 9, 1),
    )
    client.force_login(animateur)
    response = client.post(
        "/gestion/families/activity/",
        {
            "action": "write_to_enrolled_families",
            "_selected_action": [small_town["canteen"].pk],
            "subject": "x",
            "body": "y",
        },
    )
    assert response.status_code == 403
    assert not Conversation.objects.exists()
