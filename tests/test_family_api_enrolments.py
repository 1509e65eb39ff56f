"""A parent asks for an inscription from the mobile app: the same rules as the portal, refusals in French."""

import json
from datetime import date

import pytest

from families.models import Booking, ClassLevel, Enrolment
from tests.factories import (
    AcceptedEnrolmentFactory,
    ActivityFactory,
    ChildFactory,
    SchoolFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.family_api"]

ENROLMENTS_URL = "/api/v1/family/enrolments/"
MONDAY = date(2027, 1, 4)


@pytest.fixture
def periscolaire(town):
    """The after-school club, open for inscriptions from June to June, decided by the service enfance."""
    activity = ActivityFactory(
        name="Accueil périscolaire 2026-2027",
        kind="periscolaire",
        requires_validation=True,
        registration_opens=date(2026, 6, 1),
        registration_closes=date(2027, 6, 30),
    )
    return {
        "activity": activity,
        "matin": UnitFactory(activity=activity, label="Accueil du matin", code="matin", exclusive_group=""),
        "soir": UnitFactory(activity=activity, label="Accueil du soir", code="soir", exclusive_group=""),
    }


def request(client, **fields):
    return client.post(ENROLMENTS_URL, json.dumps(fields), content_type="application/json")


def body(town, periscolaire, **overrides):
    return {
        "child": town["lea"].pk,
        "activity": periscolaire["activity"].pk,
        "start_date": "2027-01-04",
        "weekdays": [0, 3],
        "units": [periscolaire["soir"].pk],
        **overrides,
    }


def test_parent_requests_an_inscription_the_service_will_decide(claire, town, periscolaire):
    response = request(claire, **body(town, periscolaire))
    assert response.status_code == 201
    enrolment = Enrolment.objects.get(child=town["lea"], activity=periscolaire["activity"])
    assert response.json() == {
        "id": enrolment.pk,
        "child": town["lea"].pk,
        "activity": periscolaire["activity"].pk,
        "activity_name": "Accueil périscolaire 2026-2027",
        "status": "demandee",
        "status_label": "Demandée",
        "start_date": "2027-01-04",
        "end_date": None,
        "weekdays": [0, 3],
        "units": [periscolaire["soir"].pk],
        "requested_at": "2026-12-10T09:00:00+01:00",
        "refusal_reason": "",
    }
    assert not Booking.objects.filter(child=town["lea"]).exists()


def test_an_inscription_without_validation_is_accepted_and_its_week_reserved(claire, town, periscolaire):
    periscolaire["activity"].requires_validation = False
    periscolaire["activity"].save()
    response = request(claire, **body(town, periscolaire, weekdays=[0]))
    assert response.status_code == 201
    assert response.json()["status"] == "acceptee"
    mondays = Booking.objects.filter(
        child=town["lea"], unit=periscolaire["soir"], state=Booking.State.RESERVED
    )
    assert MONDAY in set(mondays.values_list("date", flat=True))
    assert {d.weekday() for d in mondays.values_list("date", flat=True)} == {0}


def _too_young(town, periscolaire):
    periscolaire["activity"].min_age = 12


def _wrong_level(town, periscolaire):
    periscolaire["activity"].min_level = ClassLevel.objects.get(code="CM1")


def _other_school(town, periscolaire):
    periscolaire["activity"].save()
    periscolaire["activity"].schools.set([SchoolFactory(name="École maternelle Les Lilas")])


def _closed(town, periscolaire):
    periscolaire["activity"].registration_closes = date(2026, 11, 30)


def _not_yet_open(town, periscolaire):
    periscolaire["activity"].registration_opens = date(2027, 1, 15)


def _no_health_form(town, periscolaire):
    town["lea"].health_form_confirmed_on = None
    town["lea"].save()


def _already_requested(town, periscolaire):
    Enrolment.objects.create(
        child=town["lea"], activity=periscolaire["activity"], start_date=date(2026, 9, 1)
    )


def _full(town, periscolaire):
    periscolaire["activity"].capacity = 1
    AcceptedEnrolmentFactory(child=ChildFactory(family=town["bernard"]), activity=periscolaire["activity"])


REFUSALS = {
    # An activity not open to the child (age, level, school, registration window) is one refusal: the portal only
    # offers the open ones, so the API says the same.
    "too_young": (_too_young, {}, "activity", "n'est pas ouverte aux inscriptions pour Léa"),
    "wrong_level": (_wrong_level, {}, "activity", "n'est pas ouverte aux inscriptions pour Léa"),
    "other_school": (_other_school, {}, "activity", "n'est pas ouverte aux inscriptions pour Léa"),
    "registration_closed": (_closed, {}, "activity", "n'est pas ouverte aux inscriptions pour Léa"),
    "registration_not_open": (_not_yet_open, {}, "activity", "n'est pas ouverte aux inscriptions pour Léa"),
    "health_form": (_no_health_form, {}, "non_field_errors", "La fiche sanitaire de Léa doit être complétée"),
    "already_requested": (_already_requested, {}, "activity", "Léa a déjà une inscription en cours"),
    "start_outside_period": (
        None,
        {"start_date": "2027-09-06"},
        "start_date",
        "La date d'entrée doit être comprise entre",
    ),
    "weekday_not_run": (None, {"weekdays": [2]}, "weekdays", "n'a pas lieu ces jours-là"),
    "unit_of_another_activity": (
        None,
        {"units": "CANTEEN"},
        "units",
        "Choisissez parmi les prestations proposées",
    ),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_refused_inscription_answers_400_in_french_and_saves_nothing(claire, town, periscolaire, case):
    arrange, overrides, field, message = REFUSALS[case]
    if arrange:
        arrange(town, periscolaire)
        periscolaire["activity"].save()
    if overrides.get("units") == "CANTEEN":
        overrides = {"units": [town["classique"].pk]}
    before = Enrolment.objects.count()
    response = request(claire, **body(town, periscolaire, **overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert any(message in text for text in response.json()[field])
    assert Enrolment.objects.count() == before


BAD_INPUT = {
    "unknown_activity": ({"activity": 999999}, "activity"),
    "missing_activity": ({"activity": None}, "activity"),
    "malformed_date": ({"start_date": "4 janvier"}, "start_date"),
    "weekdays_not_a_list": ({"weekdays": "lundi"}, "weekdays"),
    "weekday_out_of_range": ({"weekdays": [7]}, "weekdays"),
    "unknown_unit": ({"units": [999999]}, "units"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_on_an_inscription_answers_400_with_field_errors(claire, town, periscolaire, case):
    overrides, field = BAD_INPUT[case]
    fields = {k: v for k, v in body(town, periscolaire, **overrides).items() if v is not None}
    response = request(claire, **fields)
    assert response.status_code == 400
    assert field in response.json()
    assert not Enrolment.objects.filter(activity=periscolaire["activity"]).exists()


def test_malformed_json_answers_400(claire, town):
    response = claire.post(ENROLMENTS_URL, '{"child": ', content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_full_activity_puts_the_request_on_the_waiting_list(claire, town, periscolaire):
    _full(town, periscolaire)
    periscolaire["activity"].save()
    response = request(claire, **body(town, periscolaire))
    assert response.status_code == 201
    assert response.json()["status"] == "attente"
