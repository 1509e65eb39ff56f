"""Staff API of the appel, the effectifs and the annulation groupée: same rules as the screens, 400/403/404/409
with French messages, never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from families.models import Booking, Closure

from .conftest import MONDAY, reload

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def sheet_params(town):
    return {"school": town["school"].pk, "activity": town["canteen"].pk, "date": MONDAY.isoformat()}


def test_animateur_reads_and_writes_the_roll_call(animateur, canteen_day):
    client = api(animateur)
    sheet = client.get("/api/v1/staff/roll-call/", sheet_params(canteen_day)).json()
    assert sheet["expected"] == 2 and sheet["closed"] is False
    assert sheet["groups"][0]["unit"]["label"] == "Repas classique"
    lea = sheet["groups"][0]["children"][0]
    assert lea["child"]["first_name"] == "Léa" and lea["pick_up"][0]["relationship"] == "Grand-mère"
    for booking in (canteen_day["lea_booking"], canteen_day["chloe_booking"]):
        response = client.post(
            "/api/v1/staff/roll-call/mark/", {"booking": booking.pk, "attendance": "present"}
        )
        assert response.status_code == 200
    assert client.post("/api/v1/staff/roll-call/", sheet_params(canteen_day)).status_code == 200
    again = client.post("/api/v1/staff/roll-call/", sheet_params(canteen_day))
    assert again.status_code == 409 and "déjà clôturé" in again.json()["detail"]
    closed = client.post(
        "/api/v1/staff/roll-call/mark/", {"booking": canteen_day["lea_booking"].pk, "attendance": "absent"}
    )
    assert closed.status_code == 400 and "seul un agent" in str(closed.json())
    assert reload(canteen_day["lea_booking"]).attendance == "present"


def test_bad_input_gets_field_errors(animateur, canteen_day):
    client = api(animateur)
    response = client.post("/api/v1/staff/roll-call/mark/", {"booking": 999999, "attendance": "peut-être"})
    assert response.status_code == 400 and set(response.json()) >= {"booking", "attendance"}
    assert client.get("/api/v1/staff/roll-call/", {"school": "x"}).status_code == 400


def test_a_parent_has_no_staff_api(canteen_day):
    client = api(canteen_day["martin_parent"].user)
    assert client.get("/api/v1/staff/roll-call/", sheet_params(canteen_day)).status_code == 403


def test_counts_per_day(agent, canteen_day):
    response = api(agent).get(
        "/api/v1/staff/counts/", {"start": MONDAY.isoformat(), "end": MONDAY.isoformat()}
    )
    assert response.status_code == 200
    row = next(r for r in response.json()["results"] if r["school"] == canteen_day["school"].pk)
    assert row["source"] == "attendance" and row["total_meals"] == 0  # nobody pointed present yet


def test_bulk_cancel_then_revert_through_the_api(agent, small_town):
    day = timezone.localdate() + timedelta(days=7)
    client = api(agent)
    response = client.post(
        "/api/v1/staff/bulk-cancel/",
        {"start_date": day.isoformat(), "reason": "Grève", "school": small_town["school"].pk},
    )
    assert response.status_code == 201
    closure = Closure.objects.get(pk=response.json()["closure"])
    assert client.post(f"/api/v1/staff/bulk-cancel/{closure.pk}/revert/").status_code == 200
    assert not Closure.objects.exists()
    assert client.post("/api/v1/staff/bulk-cancel/999999/revert/").status_code == 404


def test_bulk_cancel_on_a_past_day_is_a_french_400(agent, small_town):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = api(agent).post(
        "/api/v1/staff/bulk-cancel/", {"start_date": yesterday.isoformat(), "reason": "Grève"}
    )
    assert response.status_code == 400
    assert "on n'annule pas un jour passé" in response.json()["start_date"][0]
    assert not Booking.objects.exists() and not Closure.objects.exists()


def test_animateur_cannot_cancel_in_bulk_through_the_api(animateur):
    day = timezone.localdate() + timedelta(days=7)
    response = api(animateur).post(
        "/api/v1/staff/bulk-cancel/", {"start_date": day.isoformat(), "reason": "X"}
    )
    assert response.status_code == 403
