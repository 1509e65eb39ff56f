"""Who reaches the family API: a parent sees their own family only, staff are refused unless serving a family at
the guichet, and the OpenAPI schema documents the endpoints."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from families.models import Booking, Enrolment, GuichetAction
from families.views.common import GUICHET_SESSION_KEY

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.family_api"]

CHILDREN_URL = "/api/v1/family/children/"
PLANNING_URL = "/api/v1/family/planning/"
ENROLMENTS_URL = "/api/v1/family/enrolments/"
MONDAY = date(2027, 1, 4)


def calls(town, child):
    """Every endpoint of the family API, asked about `child`."""
    unit = town["classique"].pk
    planning_body = {
        "child": child.pk,
        "changes": [{"date": "2027-01-04", "unit": unit, "action": "reserve"}],
    }
    enrolment_body = {"child": child.pk, "activity": town["canteen"].pk, "start_date": "2027-01-04"}
    return {
        "children": ("get", CHILDREN_URL, None),
        "planning_get": (
            "get",
            PLANNING_URL,
            {"child": child.pk, "start": "2027-01-04", "end": "2027-01-08"},
        ),
        "planning_post": ("post", PLANNING_URL, planning_body),
        "enrolments_get": ("get", ENROLMENTS_URL, None),
        "enrolments_post": ("post", ENROLMENTS_URL, enrolment_body),
    }


def call(client, method, url, data):
    if method == "get":
        return client.get(url, data)
    return client.post(url, json.dumps(data), content_type="application/json")


ENDPOINTS = ["children", "planning_get", "planning_post", "enrolments_get", "enrolments_post"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_visitors_are_refused(client, town, endpoint):
    assert call(client, *calls(town, town["lea"])[endpoint]).status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_staff_without_a_family_are_refused(client, town, agent, endpoint):
    client.force_login(agent)
    response = call(client, *calls(town, town["lea"])[endpoint])
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Cette API est réservée aux familles : ce compte n'est rattaché à aucun dossier famille."
    }


@pytest.mark.parametrize("endpoint", ["planning_get", "planning_post", "enrolments_post"])
def test_another_familys_child_is_not_found(claire, town, endpoint):
    response = call(claire, *calls(town, town["chloe"])[endpoint])
    assert response.status_code == 404
    assert not Booking.objects.exists()
    assert Enrolment.objects.filter(child=town["chloe"]).count() == 1  # her canteen enrolment only


def test_parent_lists_the_familys_children_only(claire, town):
    response = claire.get(CHILDREN_URL)
    assert response.status_code == 200
    assert response.json() == [
        {"id": town["lea"].pk, "first_name": "Léa", "last_name": "Martin", "birth_date": "2017-03-02"},
        {"id": town["hugo"].pk, "first_name": "Hugo", "last_name": "Martin", "birth_date": "2020-09-21"},
    ]


def test_parent_lists_the_familys_enrolments_only(claire, town):
    response = claire.get(ENROLMENTS_URL)
    assert response.status_code == 200
    assert sorted(e["child"] for e in response.json()) == sorted([town["lea"].pk, town["hugo"].pk])


def test_an_agent_at_the_guichet_acts_for_the_family_and_is_logged(client, town, agent):
    client.force_login(agent)
    session = client.session
    session[GUICHET_SESSION_KEY] = town["martin"].pk
    session.save()
    assert [c["first_name"] for c in client.get(CHILDREN_URL).json()] == ["Léa", "Hugo"]
    response = call(client, *calls(town, town["lea"])["planning_post"])
    assert response.status_code == 200
    booking = Booking.objects.get(child=town["lea"])
    assert booking.created_by == agent
    assert GuichetAction.objects.get(family=town["martin"], agent=agent).path == PLANNING_URL
    assert call(client, *calls(town, town["chloe"])["planning_get"]).status_code == 404


def test_the_openapi_schema_documents_the_family_api(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (CHILDREN_URL, PLANNING_URL, ENROLMENTS_URL):
        assert f"  {path}:\n" in text
    for operation in (
        "family_children_list",
        "family_planning_retrieve",
        "family_planning_change",
        "family_enrolments_list",
        "family_enrolments_request",
    ):
        assert f"operationId: {operation}\n" in text
    assert "FamilyPlanningDayStateEnum" in text and "- excused\n" in text
