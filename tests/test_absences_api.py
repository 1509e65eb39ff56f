"""Family API: a parent declares and lists absences of their own children (`/api/v1/family/absences/`)."""

import pytest

from families.models import Absence, Booking
from families.services.absences import absence_declare
from tests.portal.conftest import BACKEND, exe_file, pdf_file
from tests.test_absences import MONDAY, SAME_MORNING, absence_town, booking

pytestmark = pytest.mark.django_db

URL = "/api/v1/family/absences/"


@pytest.fixture
def town(small_town, monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())
    return absence_town(small_town)


@pytest.fixture
def parent(client, town):
    client.force_login(town["parent"], backend=BACKEND)
    return client


def _body(town, **overrides):
    data = {
        "child": town["lea"].pk,
        "start": MONDAY.isoformat(),
        "end": MONDAY.isoformat(),
        "reason": "illness",
    }
    data.update(overrides)
    return data


def test_parent_declares_an_absence_with_a_certificate_as_multipart(parent, town):
    response = parent.post(URL, _body(town, certificate=pdf_file()))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["has_certificate"] is True
    assert body["start"] == body["end"] == "2026-11-23" and body["child_first_name"] == "Léa"
    assert booking(town, MONDAY).attendance == Booking.Attendance.ABSENT


def test_parent_declares_without_certificate_as_json(parent, town):
    response = parent.post(URL, _body(town, reason="family"), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "unjustified"


def test_another_familys_child_is_a_404(parent, town):
    assert parent.post(URL, _body(town, child=town["chloe"].pk)).status_code == 404
    assert not Absence.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": "2026-11-20"}, "end", "même jour que son début"),
        ({"end": "2027-03-01"}, "end", "93 jours au plus"),
        ({"start": "2027-07-10", "end": "2027-07-12"}, "start", "aucune inscription acceptée"),
        ({"certificate": "exe"}, "certificate", "PDF ou une photo"),
        ({"reason": "vacances"}, "reason", ""),
        ({"start": "pas une date"}, "start", ""),
        ({"child": "99999999999999999999"}, "child", ""),
    ],
)
def test_bad_input_is_a_400_with_field_errors(parent, town, overrides, field, message):
    if overrides.get("certificate") == "exe":
        overrides = {"certificate": exe_file()}
    response = parent.post(URL, _body(town, **overrides))
    assert response.status_code == 400
    errors = response.json()
    assert field in errors and message in errors[field][0]
    assert not Absence.objects.exists()


def test_parent_lists_only_their_familys_absences(parent, town):
    absence_declare(
        child=town["chloe"],
        start=MONDAY,
        end=MONDAY,
        reason="illness",
        certificate=None,
        by=town["bernard_parent"].user,
        now=SAME_MORNING,
    )
    mine = absence_declare(
        child=town["lea"],
        start=MONDAY,
        end=MONDAY,
        reason="illness",
        certificate=pdf_file(),
        by=town["parent"],
        now=SAME_MORNING,
    )
    response = parent.get(URL)
    assert response.status_code == 200
    results = response.json()
    assert [(r["id"], r["status"], r["status_label"]) for r in results] == [
        (mine.pk, "pending", "Certificat à vérifier")
    ]


def test_anonymous_and_accounts_without_family_get_nothing(client, town, regisseur):
    assert client.get(URL).status_code == 403
    client.force_login(regisseur, backend=BACKEND)
    assert client.get(URL).status_code == 403


def test_the_endpoint_is_in_the_openapi_schema(client, town):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/family/absences/" in schema
    assert "family_absences_create" in schema
