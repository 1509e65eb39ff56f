"""The service enfance changes any family's days from the back-office and the staff API: no délai, every change
logged with the agent, the other rules (inscription, capacity, waiting list) still holding."""

from datetime import date

import pytest
from django.urls import reverse

from families.models import Booking, Closure
from families.services.bookings import Change, bookings_apply
from families.services.deadlines import BookingAction
from tests.factories import AcceptedEnrolmentFactory, ActivityFactory, UnitFactory

pytestmark = pytest.mark.django_db

# A Monday long past its délai (3 jours ouvrés avant 10h): parents can no longer change it, agents can.
PAST_MONDAY = date(2026, 11, 23)
STAFF_REASON = "Modification par le service enfance"


@pytest.fixture
def town(small_town):
    canteen = small_town["canteen"]
    units = {u.code: u for u in canteen.units.all()}
    for name in ("lea", "hugo", "chloe"):
        AcceptedEnrolmentFactory(child=small_town[name], activity=canteen)
    return {**small_town, "classique": units["repas-classique"], "vege": units["repas-vege"]}


def staff_book(town, child, unit, day=PAST_MONDAY):
    result = bookings_apply(
        child_changes=[Change(child=child, unit=unit, day=day)], by=town["martin_parent"].user, as_staff=True
    )
    assert result.ok, result.refused
    return Booking.objects.get(child=child, unit=unit, date=day, state__in=Booking.ACTIVE)


def test_parent_cannot_cancel_after_the_deadline_but_the_agent_can_and_is_logged(town, agent, client):
    lea = town["lea"]
    booking = staff_book(town, lea, town["classique"])
    refused = bookings_apply(
        child_changes=[
            Change(child=lea, unit=town["classique"], day=PAST_MONDAY, action=BookingAction.CANCEL)
        ],
        by=town["martin_parent"].user,
        as_staff=False,
    )
    assert [r.code for r in refused.refused] == ["deadline"]

    client.force_login(agent)
    response = client.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "cancelled"
    booking.refresh_from_db()
    assert (booking.state, booking.updated_by) == (Booking.State.CANCELLED, agent)
    last = booking.history.order_by("-history_id").first()
    assert (last.history_user, last.state, last.history_change_reason) == (agent, "cancelled", STAFF_REASON)


def test_agent_reserves_past_days_for_a_family_through_the_api(town, agent, client):
    client.force_login(agent)
    body = {
        "child": town["lea"].pk,
        "changes": [
            {"date": "2026-11-23", "unit": town["classique"].pk, "action": "reserve"},
            {"date": "2026-11-24", "unit": town["vege"].pk, "action": "reserve"},
        ],
    }

    response = client.post("/api/v1/bookings/apply/", body, content_type="application/json")

    assert response.status_code == 200, response.content
    assert len(response.json()["reserved"]) == 2
    booked = Booking.objects.filter(child=town["lea"], state=Booking.State.RESERVED).order_by("date")
    assert [(b.date, b.unit.code, b.created_by) for b in booked] == [
        (date(2026, 11, 23), "repas-classique", agent),
        (date(2026, 11, 24), "repas-vege", agent),
    ]
    assert {h.history_user for h in Booking.history.all()} == {agent}


def test_agent_choosing_the_other_meal_replaces_the_day(town, agent, client):
    booking = staff_book(town, town["lea"], town["classique"])
    client.force_login(agent)
    body = {
        "child": town["lea"].pk,
        "changes": [{"date": "2026-11-23", "unit": town["vege"].pk, "action": "reserve"}],
    }

    response = client.post("/api/v1/bookings/apply/", body, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["cancelled"] == [booking.pk]
    active = Booking.objects.filter(child=town["lea"], date=PAST_MONDAY, state__in=Booking.ACTIVE)
    assert [b.unit.code for b in active] == ["repas-vege"]


def test_agent_cannot_book_a_child_without_inscription_and_nothing_is_saved(town, agent, client):
    periscolaire = ActivityFactory(name="Accueil périscolaire 2026-2027", kind="periscolaire")
    evening = UnitFactory(activity=periscolaire, label="Accueil du soir", code="soir", exclusive_group="")
    client.force_login(agent)
    body = {
        "child": town["lea"].pk,
        "changes": [
            {"date": "2026-11-23", "unit": town["classique"].pk, "action": "reserve"},
            {"date": "2026-11-23", "unit": evening.pk, "action": "reserve"},
        ],
    }

    response = client.post("/api/v1/bookings/apply/", body, content_type="application/json")

    assert response.status_code == 409
    assert response.json()["refused"] == [
        {
            "date": "2026-11-23",
            "unit": evening.pk,
            "code": "not_enrolled",
            "message": "Léa n'a pas d'inscription acceptée à « Accueil périscolaire 2026-2027 » pour le "
            "lundi 23 novembre 2026.",
        }
    ]
    assert not Booking.objects.exists()


def test_a_bad_body_gets_field_errors(town, agent, client):
    client.force_login(agent)
    body = {"child": town["lea"].pk, "changes": [{"date": "23/11/2026", "unit": 999999, "action": "book"}]}

    response = client.post("/api/v1/bookings/apply/", body, content_type="application/json")

    assert response.status_code == 400
    errors = response.json()["changes"]["0"]  # the first change
    assert set(errors) == {"date", "unit", "action"}
    assert "n'est pas un choix valide" in errors["action"][0]


def test_agent_cancelling_a_past_full_day_leaves_the_waiting_list_waiting(town, agent, client):
    town["classique"].capacity = 1
    town["classique"].save()
    lea_booking = staff_book(town, town["lea"], town["classique"])
    hugo_booking = staff_book(town, town["hugo"], town["classique"])
    assert hugo_booking.state == Booking.State.WAITING
    client.force_login(agent)

    response = client.post(f"/api/v1/bookings/{lea_booking.pk}/cancel/", {}, content_type="application/json")

    assert response.status_code == 200, response.content
    hugo_booking.refresh_from_db()
    # Promotion still respects the délai de réservation of the day: a past day keeps its waiting list.
    assert hugo_booking.state == Booking.State.WAITING


def test_agent_restores_a_cancelled_day(town, agent, client):
    booking = staff_book(town, town["lea"], town["classique"])
    client.force_login(agent)
    client.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, content_type="application/json")

    response = client.post(f"/api/v1/bookings/{booking.pk}/reserve/", {}, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "reserved"
    assert Booking.objects.get(pk=booking.pk).updated_by == agent


def test_regisseur_reads_bookings_but_cannot_change_them(town, regisseur, client):
    booking = staff_book(town, town["lea"], town["classique"])
    client.force_login(regisseur)

    assert client.get("/api/v1/bookings/").status_code == 200
    assert (
        client.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, content_type="application/json").status_code
        == 403
    )
    body = {
        "child": town["lea"].pk,
        "changes": [{"date": "2026-11-24", "unit": town["classique"].pk, "action": "reserve"}],
    }
    assert client.post("/api/v1/bookings/apply/", body, content_type="application/json").status_code == 403
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.RESERVED


def test_parent_has_no_access_to_the_staff_bookings_api(town, client):
    client.force_login(town["martin_parent"].user)
    body = {
        "child": town["lea"].pk,
        "changes": [{"date": "2026-11-24", "unit": town["classique"].pk, "action": "reserve"}],
    }
    assert client.post("/api/v1/bookings/apply/", body, content_type="application/json").status_code == 403
    assert client.get("/api/v1/bookings/").status_code == 403


def test_staff_filter_bookings_by_day_unit_activity_and_state(town, agent, client):
    staff_book(town, town["lea"], town["classique"])
    staff_book(town, town["hugo"], town["vege"])
    staff_book(town, town["chloe"], town["classique"], day=date(2026, 11, 24))
    client.force_login(agent)

    def children(query):
        response = client.get(f"/api/v1/bookings/?{query}")
        assert response.status_code == 200, response.content
        return sorted(row["child"] for row in response.json()["results"])

    canteen = town["canteen"].pk
    assert children("date=2026-11-23") == sorted([town["lea"].pk, town["hugo"].pk])
    assert children(f"unit={town['classique'].pk}") == sorted([town["lea"].pk, town["chloe"].pk])
    assert children(f"unit__activity={canteen}&date__gte=2026-11-24") == [town["chloe"].pk]
    assert children("state=cancelled") == []


def test_admin_bulk_cancel_is_logged_with_the_agent(town, agent, client):
    booking = staff_book(town, town["lea"], town["classique"])
    client.force_login(agent)

    response = client.post(
        reverse("gestion:families_booking_changelist"),
        {"action": "cancel", "_selected_action": [booking.pk]},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert booking.history.order_by("-history_id").first().history_user == agent


def test_admin_changelist_filters_by_unit(town, agent, client):
    staff_book(town, town["lea"], town["classique"])
    staff_book(town, town["hugo"], town["vege"])
    client.force_login(agent)

    response = client.get(
        reverse("gestion:families_booking_changelist"), {"unit__id__exact": town["vege"].pk}
    )

    assert response.status_code == 200
    assert [b.child for b in response.context["cl"].result_list] == [town["hugo"]]


def test_closure_added_through_the_api_records_the_agent(town, agent, client):
    client.force_login(agent)
    body = {
        "start_date": "2027-05-14",
        "end_date": "2027-05-14",
        "reason": "Pont de l'Ascension",
        "activity": town["canteen"].pk,
    }

    response = client.post("/api/v1/closures/", body, content_type="application/json")

    assert response.status_code == 201, response.content
    closure = Closure.objects.get()
    assert (closure.created_by, closure.activity) == (agent, town["canteen"])


def test_closure_ending_before_it_starts_is_refused_in_french(town, agent, client):
    client.force_login(agent)
    body = {"start_date": "2027-05-14", "end_date": "2027-05-13", "reason": "Travaux"}

    response = client.post("/api/v1/closures/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["end_date"] == ["La fin de la fermeture doit suivre son début."]
