"""A parent's mobile app reads and changes a child's planning through /api/v1/family/planning/."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from families.models import Booking, Closure, Enrolment
from tests.factories import ActivityFactory, BookingFactory, UnitFactory

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.family_api"]
PLANNING_URL = "/api/v1/family/planning/"
PARIS = ZoneInfo("Europe/Paris")

MONDAY_WINTER = date(2027, 1, 4)  # 3 jours ouvrés avant 10h → mardi 29 décembre 10h00 (1er janvier férié)
MONDAY_SUMMER = date(2027, 6, 7)  # → jeudi 3 juin 10h00, heure d'été


def planning(client, child, start, end):
    return client.get(PLANNING_URL, {"child": child.pk, "start": start.isoformat(), "end": end.isoformat()})


def post(client, body):
    return client.post(PLANNING_URL, json.dumps(body), content_type="application/json")


def change(day, unit, action="reserve"):
    return {"date": day.isoformat(), "unit": unit.pk, "action": action}


def active(child, unit, day):
    return Booking.objects.filter(child=child, unit=unit, date=day, state__in=Booking.ACTIVE).first()


# --- reading ----------------------------------------------------------------------------------------------------


def test_planning_answers_the_contract_with_the_winter_offset(claire, town):
    response = planning(claire, town["lea"], MONDAY_WINTER, MONDAY_WINTER)
    assert response.status_code == 200
    assert response.json() == {
        "days": [
            {
                "date": "2027-01-04",
                "units": [
                    {
                        "unit": town["classique"].pk,
                        "code": "repas-classique",
                        "label": "Repas classique",
                        "activity": town["canteen"].pk,
                        "state": "available",
                        "waiting_position": None,
                        "editable_until": "2026-12-29T10:00:00+01:00",
                    },
                    {
                        "unit": town["vege"].pk,
                        "code": "repas-vege",
                        "label": "Repas végétarien",
                        "activity": town["canteen"].pk,
                        "state": "available",
                        "waiting_position": None,
                        "editable_until": "2026-12-29T10:00:00+01:00",
                    },
                ],
            }
        ]
    }


def test_a_reserved_summer_day_shows_its_cancel_deadline_with_the_summer_offset(claire, town):
    town["canteen"].cancel_deadline_days = 1
    town["canteen"].save()
    BookingFactory(child=town["lea"], unit=town["classique"], date=MONDAY_SUMMER)
    days = planning(claire, town["lea"], MONDAY_SUMMER, MONDAY_SUMMER).json()["days"]
    classique, vege = days[0]["units"]
    assert classique["state"] == "reserved"
    assert classique["editable_until"] == "2027-06-04T10:00:00+02:00"  # cancel: 1 jour ouvré avant
    assert vege["state"] == "available"
    assert vege["editable_until"] == "2027-06-02T10:00:00+02:00"  # add: 3 jours ouvrés avant


def test_planning_shows_closed_waiting_and_attendance_states(claire, town):
    lea, classique = town["lea"], town["classique"]
    december = [date(2026, 12, 1), date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8)]
    attended = dict(zip(december[:3], ["present", "absent", "excused"], strict=True))
    for day, attendance in attended.items():
        BookingFactory(child=lea, unit=classique, date=day, attendance=attendance)
    BookingFactory(
        child=town["chloe"],
        unit=classique,
        date=december[3],
        state=Booking.State.WAITING,
        waiting_since=datetime(2026, 11, 2, tzinfo=PARIS),
    )
    BookingFactory(
        child=lea,
        unit=classique,
        date=december[3],
        state=Booking.State.WAITING,
        waiting_since=datetime(2026, 11, 3, tzinfo=PARIS),
    )
    Closure.objects.create(start_date=december[4], end_date=december[4], reason="Grève")
    days = {d["date"]: d["units"][0] for d in planning(claire, lea, december[0], december[4]).json()["days"]}
    assert {day: cell["state"] for day, cell in days.items()} == {
        "2026-12-01": "present",
        "2026-12-03": "absent",
        "2026-12-04": "excused",
        "2026-12-07": "waiting",
        "2026-12-08": "closed",
    }
    assert days["2026-12-07"]["waiting_position"] == 2
    assert all(cell["editable_until"] is None for cell in days.values())  # past days, or closed


def test_a_day_past_its_deadline_is_no_longer_editable(claire, town):
    # 14 December: 3 jours ouvrés avant → 9 December 10:00, already past on the 10th.
    cell = planning(claire, town["lea"], date(2026, 12, 14), date(2026, 12, 14)).json()["days"][0]["units"][0]
    assert cell["state"] == "available"
    assert cell["editable_until"] is None


def test_only_units_of_accepted_enrolments_appear(claire, town):
    garderie = ActivityFactory(name="Accueil du matin", kind="periscolaire")
    UnitFactory(activity=garderie, label="Accueil matin", code="matin", exclusive_group="")
    Enrolment.objects.create(
        child=town["lea"], activity=garderie, start_date=garderie.period_start
    )  # demandée
    units = planning(claire, town["lea"], MONDAY_WINTER, MONDAY_WINTER).json()["days"][0]["units"]
    assert [u["code"] for u in units] == ["repas-classique", "repas-vege"]


def test_planning_queries_do_not_grow_with_the_range(claire, town, django_assert_max_num_queries):
    lea, classique = town["lea"], town["classique"]
    start = date(2027, 1, 4)
    for offset in range(0, 93, 2):
        BookingFactory(child=lea, unit=classique, date=start + timedelta(days=offset))
    with django_assert_max_num_queries(9):
        week = planning(claire, lea, start, start + timedelta(days=6))
    with django_assert_max_num_queries(9):
        quarter = planning(claire, lea, start, start + timedelta(days=92))
    assert week.status_code == quarter.status_code == 200
    assert len(quarter.json()["days"]) > 5 * len(week.json()["days"])


# --- changing ---------------------------------------------------------------------------------------------------


def test_parent_reserves_and_cancels_in_one_request(claire, town):
    lea, classique = town["lea"], town["classique"]
    tuesday = MONDAY_WINTER + timedelta(days=1)
    BookingFactory(child=lea, unit=classique, date=tuesday)
    response = post(
        claire,
        {
            "child": lea.pk,
            "changes": [change(MONDAY_WINTER, classique), change(tuesday, classique, "cancel")],
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "child": lea.pk,
        "changes": [
            {
                "date": "2027-01-04",
                "unit": classique.pk,
                "action": "reserve",
                "state": "reserved",
                "waiting_position": None,
            },
            {
                "date": "2027-01-05",
                "unit": classique.pk,
                "action": "cancel",
                "state": "available",
                "waiting_position": None,
            },
        ],
    }
    booking = active(lea, classique, MONDAY_WINTER)
    assert booking.state == Booking.State.RESERVED and booking.created_by == town["martin_parent"].user
    assert active(lea, classique, tuesday) is None


def test_a_full_day_puts_the_child_on_the_waiting_list(claire, town):
    classique = town["classique"]
    classique.capacity = 1
    classique.save()
    BookingFactory(child=town["chloe"], unit=classique, date=MONDAY_WINTER)
    response = post(claire, {"child": town["lea"].pk, "changes": [change(MONDAY_WINTER, classique)]})
    assert response.status_code == 200
    assert response.json()["changes"][0] == {
        "date": "2027-01-04",
        "unit": classique.pk,
        "action": "reserve",
        "state": "waiting",
        "waiting_position": 1,
    }
    assert active(town["lea"], classique, MONDAY_WINTER).state == Booking.State.WAITING


def test_one_refused_change_saves_nothing(claire, town):
    lea, classique = town["lea"], town["classique"]
    late = date(2026, 12, 14)  # délai passé le 9 décembre à 10h
    response = post(
        claire, {"child": lea.pk, "changes": [change(MONDAY_WINTER, classique), change(late, classique)]}
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "date": "2026-12-14",
                "unit": classique.pk,
                "message": "Le délai pour réserver le lundi 14 décembre 2026 est dépassé "
                "(jusqu'au mercredi 9 décembre 2026 à 10h00).",
            }
        ]
    }
    assert not Booking.objects.filter(child=lea).exists()


REFUSED = {
    "closed_day": ("closed", "« Repas classique » est fermé le lundi 4 janvier 2027 (Grève)."),
    "outside_activity": (
        "outside",
        "« Restauration scolaire 2026-2027 » n'est pas ouvert le lundi 6 septembre 2027.",
    ),
    "weekend": ("saturday", "« Restauration scolaire 2026-2027 » n'est pas ouvert le samedi 9 janvier 2027."),
    "unit_of_another_activity": ("other", "n'a pas d'inscription acceptée à « Mercredis »"),
    "exclusive_units": ("exclusive", "Un seul choix possible le lundi 4 janvier 2027"),
    "cancel_after_deadline": ("late_cancel", "Le délai pour annuler le lundi 14 décembre 2026 est dépassé"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_changes_answer_400_in_french_and_save_nothing(claire, town, case):
    lea, classique, vege = town["lea"], town["classique"], town["vege"]
    kind, message = REFUSED[case]
    changes = [change(MONDAY_WINTER + timedelta(days=1), classique)]  # a valid change, never saved
    if kind == "closed":
        Closure.objects.create(start_date=MONDAY_WINTER, end_date=MONDAY_WINTER, reason="Grève")
        changes.append(change(MONDAY_WINTER, classique))
    elif kind == "outside":
        changes.append(change(date(2027, 9, 6), classique))
    elif kind == "saturday":
        changes.append(change(date(2027, 1, 9), classique))
    elif kind == "other":
        mercredis = ActivityFactory(name="Mercredis", kind="mercredi", wednesday=True)
        changes.append(change(date(2027, 1, 6), UnitFactory(activity=mercredis, code="journee")))
    elif kind == "exclusive":
        changes += [change(MONDAY_WINTER, classique), change(MONDAY_WINTER, vege)]
    elif kind == "late_cancel":
        BookingFactory(child=lea, unit=classique, date=date(2026, 12, 14))
        changes.append(change(date(2026, 12, 14), classique, "cancel"))
    before = list(Booking.objects.values_list("pk", "state"))
    response = post(claire, {"child": lea.pk, "changes": changes})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and all(set(e) == {"date", "unit", "message"} for e in errors)
    assert message in errors[0]["message"]
    assert list(Booking.objects.values_list("pk", "state")) == before


BAD_INPUT = {
    "malformed_json": ('{"child": 1, "changes": [', "detail"),
    "changes_not_a_list": ({"changes": "2027-01-04"}, "changes"),
    "empty_changes": ({"changes": []}, "changes"),
    "unknown_action": ({"changes": [{"date": "2027-01-04", "unit": "UNIT", "action": "book"}]}, "changes"),
    "malformed_date": ({"changes": [{"date": "04/01/2027", "unit": "UNIT", "action": "reserve"}]}, "changes"),
    "missing_date": ({"changes": [{"unit": "UNIT", "action": "reserve"}]}, "changes"),
    "unknown_unit": ({"changes": [{"date": "2027-01-04", "unit": 999999, "action": "reserve"}]}, "changes"),
    "unit_id_too_large": (
        {"changes": [{"date": "2027-01-04", "unit": 10**20, "action": "reserve"}]},
        "changes",
    ),
    "date_of_year_one": (
        {"changes": [{"date": "0001-01-01", "unit": "UNIT", "action": "reserve"}]},
        "changes",
    ),
    "same_day_twice": (
        {
            "changes": [
                {"date": "2027-01-04", "unit": "UNIT", "action": "reserve"},
                {"date": "2027-01-04", "unit": "UNIT", "action": "cancel"},
            ]
        },
        "changes",
    ),
    "missing_child": (
        {"child": None, "changes": [{"date": "2027-01-04", "unit": "UNIT", "action": "reserve"}]},
        "child",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_on_post_answers_400_with_field_errors(claire, town, case):
    body, field = BAD_INPUT[case]
    if isinstance(body, dict):
        body = json.loads(
            json.dumps({"child": town["lea"].pk, **body}).replace('"UNIT"', str(town["classique"].pk))
        )
        if body["child"] is None:
            del body["child"]
        body = json.dumps(body)
    response = claire.post(PLANNING_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Booking.objects.exists()


def test_bad_input_messages_are_in_french(claire, town):
    unknown = post(
        claire, {"child": town["lea"].pk, "changes": [change(MONDAY_WINTER, town["classique"], "book")]}
    )
    assert unknown.json() == {
        "changes": {"0": {"action": ["Action inconnue : « book » (reserve ou cancel)."]}}
    }
    malformed = claire.get(
        PLANNING_URL, {"child": town["lea"].pk, "start": "2027-13-01", "end": "2027-01-10"}
    )
    assert malformed.json() == {
        "start": ["Date invalide : utilisez le format AAAA-MM-JJ, par exemple 2027-01-04."]
    }


BAD_QUERIES = {
    "missing_start": ({"end": "2027-01-10"}, "start"),
    "malformed_end": ({"start": "2027-01-04", "end": "demain"}, "end"),
    "end_before_start": ({"start": "2027-01-10", "end": "2027-01-04"}, "end"),
    "over_93_days": ({"start": "2027-01-04", "end": "2027-04-07"}, "end"),
    "child_not_a_number": ({"child": "léa", "start": "2027-01-04", "end": "2027-01-10"}, "child"),
    "child_id_too_large": ({"child": str(10**20), "start": "2027-01-04", "end": "2027-01-10"}, "child"),
    "year_one": ({"start": "2027-01-04", "end": "0001-01-10"}, "end"),
}


@pytest.mark.parametrize("case", BAD_QUERIES, ids=list(BAD_QUERIES))
def test_bad_planning_queries_answer_400_with_field_errors(claire, town, case):
    params, field = BAD_QUERIES[case]
    response = claire.get(PLANNING_URL, {"child": town["lea"].pk, **params})
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_93_days_is_the_longest_range(claire, town):
    response = planning(claire, town["lea"], date(2027, 1, 4), date(2027, 1, 4) + timedelta(days=92))
    assert response.status_code == 200


def test_cancel_of_a_waiting_day_frees_the_line(claire, town):
    """Leaving the waiting list is a cancel the parent may make until the day could no longer be reserved."""
    lea, classique = town["lea"], town["classique"]
    BookingFactory(
        child=lea,
        unit=classique,
        date=MONDAY_WINTER,
        state=Booking.State.WAITING,
        waiting_since=datetime(2026, 11, 3, tzinfo=PARIS),
    )
    cell = planning(claire, lea, MONDAY_WINTER, MONDAY_WINTER).json()["days"][0]["units"][0]
    assert (cell["state"], cell["waiting_position"]) == ("waiting", 1)
    response = post(claire, {"child": lea.pk, "changes": [change(MONDAY_WINTER, classique, "cancel")]})
    assert response.json()["changes"][0]["state"] == "available"
    assert active(lea, classique, MONDAY_WINTER) is None
