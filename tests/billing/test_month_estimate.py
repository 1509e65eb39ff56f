"""Parents see what the month costs while they tick days (planning), and their own price in the enrolment form."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.services.quotients import family_quotient_set
from tests.factories import AcceptedEnrolmentFactory, ActivityFactory, BookingFactory, UnitFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 16, 9, tzinfo=PARIS)  # lundi 16 novembre 2026, 9h
PLANNING = reverse("portal:planning")
ESTIMATE = reverse("billing:planning_estimate")
BACKEND = "backoffice.auth.EmailBackend"
D = Decimal


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def town(small_town, town_tariffs, agent):
    """Léa (QF 787,50 €: tranche 3, 3,35 € the meal) at the canteen, two meals already reserved in November."""
    lea = small_town["lea"]
    lea.health_form_confirmed_on = date(2026, 8, 28)
    lea.save()
    AcceptedEnrolmentFactory(child=lea, activity=small_town["canteen"])
    family_quotient_set(family=small_town["martin"], value=D("787.50"), valid_from=date(2026, 1, 1), by=agent)
    classique, vege = town_tariffs["meal"].unit, town_tariffs["veggie"].unit
    for day in (date(2026, 11, 23), date(2026, 11, 24)):
        BookingFactory(child=lea, unit=classique, date=day)
    return {**small_town, "classique": classique, "vege": vege}


@pytest.fixture
def parent(client, town):
    client.force_login(town["martin_parent"].user, backend=BACKEND)
    return client


def field(prefix, unit, day):
    return f"{prefix}{unit.pk}_{day:%Y%m%d}"


def estimate_text(response) -> str:
    html = response.content.decode()
    start = html.index('class="planning-estimate-text"')
    return html[html.index(">", start) + 1 : html.index("</p>", start)]


def test_the_planning_shows_what_the_month_costs_so_far(parent, town):
    response = parent.get(PLANNING, {"enfant": town["lea"].pk, "debut": "2026-11-01"})

    assert response.status_code == 200
    assert estimate_text(response) == (
        "Estimation du mois : 6,70 € (2 × Repas classique à 3,35 €) — hors majorations éventuelles"
    )


def test_the_estimate_counts_the_ticks_saved_but_not_yet_validated(parent, town):
    meal_group = field("x", min(town["classique"], town["vege"], key=lambda u: u.pk), date(2026, 11, 26))
    parent.post(
        PLANNING,
        {
            "enfant": town["lea"].pk,
            "vue": "mois",
            "debut": "2026-11-01",
            "aller": "2026-11-01",
            meal_group: str(town["classique"].pk),
        },
    )

    response = parent.get(PLANNING, {"enfant": town["lea"].pk, "debut": "2026-11-01"})

    assert estimate_text(response) == (
        "Estimation du mois : 10,05 € (3 × Repas classique à 3,35 €) — hors majorations éventuelles"
    )


def test_the_inputs_say_which_unit_and_day_they_are_and_whether_booked(parent, town):
    response = parent.get(PLANNING, {"enfant": town["lea"].pk, "debut": "2026-11-01"})
    html = response.content.decode()
    assert (
        f'value="{town["classique"].pk}" data-unit="{town["classique"].pk}" data-day="2026-11-23" data-saved="1"'
        in html
    )
    assert (
        f'value="{town["vege"].pk}" data-unit="{town["vege"].pk}" data-day="2026-11-23" data-saved="0"'
        in html
    )
    assert f'data-url="{ESTIMATE}" data-child="{town["lea"].pk}" data-month="2026-11"' in html


def test_the_planning_page_queries_do_not_grow_with_the_bookings(client, town):
    client.force_login(town["martin_parent"].user, backend=BACKEND)
    client.get(PLANNING)  # the site settings are created on the first page
    with CaptureQueriesContext(connection) as few:
        client.get(PLANNING, {"enfant": town["lea"].pk, "debut": "2026-11-01"})
    for i in range(10):
        BookingFactory(child=town["lea"], unit=town["classique"], date=date(2026, 11, 2) + timedelta(days=i))
    with CaptureQueriesContext(connection) as many:
        client.get(PLANNING, {"enfant": town["lea"].pk, "debut": "2026-11-01"})
    assert len(many.captured_queries) == len(few.captured_queries)


# --- while ticking: the JSON estimate ---------------------------------------------------------------------------


def test_ticking_a_day_asks_the_estimate_with_that_day(parent, town, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        response = parent.get(
            ESTIMATE,
            {
                "enfant": town["lea"].pk,
                "mois": "2026-11",
                "ajout": [f"{town['classique'].pk}:2026-11-26", f"{town['classique'].pk}:2026-11-27"],
            },
        )

    assert response.status_code == 200
    assert response.json() == {
        "total": "13.40",
        "text": "Estimation du mois : 13,40 € (4 × Repas classique à 3,35 €) — hors majorations éventuelles",
    }


def test_switching_the_meal_type_and_unticking_a_day(parent, town):
    response = parent.get(
        ESTIMATE,
        {
            "enfant": town["lea"].pk,
            "mois": "2026-11",
            "ajout": f"{town['vege'].pk}:2026-11-23",
            "annulation": f"{town['classique'].pk}:2026-11-24",
        },
    )

    assert response.json()["text"] == (
        "Estimation du mois : 3,35 € (1 × Repas végétarien à 3,35 €) — hors majorations éventuelles"
    )


def test_days_of_another_month_do_not_count(parent, town):
    response = parent.get(
        ESTIMATE, {"enfant": town["lea"].pk, "mois": "2026-11", "ajout": f"{town['classique'].pk}:2026-12-01"}
    )
    assert response.json()["total"] == "6.70"


def test_a_month_with_nothing_booked(parent, town):
    response = parent.get(ESTIMATE, {"enfant": town["lea"].pk, "mois": "2026-12"})
    assert response.json() == {
        "total": "0.00",
        "text": "Estimation du mois : 0,00 € (aucun jour réservé pour l'instant).",
    }


def test_bad_input_gets_a_french_message(parent, town):
    bad_month = parent.get(ESTIMATE, {"enfant": town["lea"].pk, "mois": "novembre"})
    assert bad_month.status_code == 400
    assert bad_month.json() == {"mois": ["Indiquez le mois sous la forme AAAA-MM (ex. 2026-11)."]}
    bad_day = parent.get(ESTIMATE, {"enfant": town["lea"].pk, "mois": "2026-11", "ajout": "12:lundi"})
    assert bad_day.status_code == 400
    assert bad_day.json() == {"ajout": ["« 12:lundi » : attendu « prestation:AAAA-MM-JJ »."]}
    unknown = parent.get(
        ESTIMATE, {"enfant": town["lea"].pk, "mois": "2026-11", "ajout": "999999:2026-11-26"}
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"ajout": ["Prestation inconnue : 999999."]}


def test_another_familys_child_is_not_found(parent, town):
    response = parent.get(ESTIMATE, {"enfant": town["chloe"].pk, "mois": "2026-11"})
    assert response.status_code == 404
    assert response.json() == {"enfant": ["Cet enfant n'appartient pas à votre dossier."]}


# --- the enrolment form --------------------------------------------------------------------------------------


def enrolment_url(child, activity):
    return reverse("portal:enrolment_request", kwargs={"child_id": child.pk, "activity_id": activity.pk})


def test_the_enrolment_form_shows_the_familys_own_price(parent, town, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        response = parent.get(enrolment_url(town["lea"], town["canteen"]))

    html = response.content.decode()
    assert "Repas classique — 3,35 € (tarif selon votre QF, tranche QF 3 (601–900 €))" in html
    assert "Votre tarif par jour, calculé avec votre quotient familial en vigueur." in html


def test_without_a_valid_qf_the_form_says_the_top_bracket_applies(client, town):
    bernard = town["bernard_parent"].user
    client.force_login(bernard, backend=BACKEND)

    response = client.get(enrolment_url(town["chloe"], town["canteen"]))

    assert (
        "Repas classique — 4,85 € (sans quotient familial valide : tranche la plus haute "
        "(Tranche QF 5 (à partir de 1201 €)))"
    ) in response.content.decode()


def test_a_unit_without_tariff_keeps_its_base_price(parent, town):
    activity = ActivityFactory(name="Stage de théâtre")
    unit = UnitFactory(activity=activity, label="Journée théâtre", exclusive_group="", price=D("15.00"))

    response = parent.get(enrolment_url(town["lea"], activity))

    assert f"{unit.label} — 15,00 €" in response.content.decode()


def test_without_billing_registered_the_portal_shows_no_estimate_and_the_base_prices(town, monkeypatch):
    from families import pricing_hooks

    monkeypatch.setattr(pricing_hooks, "_month_estimate", None)
    monkeypatch.setattr(pricing_hooks, "_unit_prices", None)
    monkeypatch.setattr(pricing_hooks, "_todo", {})

    assert (
        pricing_hooks.month_estimate(family=town["martin"], child=town["lea"], month=date(2026, 11, 1))
        is None
    )
    assert (
        pricing_hooks.unit_prices(family=town["martin"], child=town["lea"], units=[], day=date(2026, 11, 1))
        == {}
    )
    assert pricing_hooks.todo_items(family=town["martin"], today=date(2026, 10, 1)) == []
