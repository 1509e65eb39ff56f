"""Gérer mes réservations: a parent ticks days in the planning, checks the recap, clicks Valider, gets an email."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import Booking, Closure
from families.services.bookings import Change, bookings_apply
from tests.factories import (
    AcceptedEnrolmentFactory,
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    UnitFactory,
)

from .conftest import BACKEND

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 16, 9, tzinfo=PARIS)  # lundi 16 novembre 2026, 9h
MONDAY = date(2026, 11, 23)  # 3 jours ouvrés avant 10h → mercredi 18 novembre 10h00
URL = reverse("portal:planning")
RECAP = reverse("portal:planning_recap")
DONE = reverse("portal:planning_done")
ADVANCED = reverse("portal:planning_advanced")


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def town(small_town):
    """Léa and Hugo (Martin) and Chloé (Bernard) at the canteen, fiches sanitaires confirmed."""
    canteen = small_town["canteen"]
    units = {u.code: u for u in canteen.units.all()}
    for name in ("lea", "hugo", "chloe"):
        child = small_town[name]
        child.health_form_confirmed_on = date(2026, 8, 28)
        child.save()
        AcceptedEnrolmentFactory(child=child, activity=canteen)
    return {**small_town, "classique": units["repas-classique"], "vege": units["repas-vege"]}


@pytest.fixture
def evening(town):
    """A périscolaire evening (no exclusive group) for Léa only."""
    peri = ActivityFactory(name="Accueil périscolaire 2026-2027", kind="periscolaire")
    unit = UnitFactory(activity=peri, label="Accueil du soir", code="soir", exclusive_group="")
    AcceptedEnrolmentFactory(child=town["lea"], activity=peri)
    return unit


def field(prefix, unit, day):
    return f"{prefix}{unit.pk}_{day:%Y%m%d}"


def meal(town, day):
    """The radio group of the day's meal type."""
    return field("x", min(town["classique"], town["vege"], key=lambda u: u.pk), day)


def grid_post(client, child, data, start=date(2026, 11, 1), view="mois", go="recap"):
    return client.post(
        URL, {"enfant": child.pk, "vue": view, "debut": start.isoformat(), "aller": go, **data}
    )


def active(child, unit, day):
    return Booking.objects.filter(child=child, unit=unit, date=day, state__in=Booking.ACTIVE).first()


# --- the grid --------------------------------------------------------------------------------------------------


def test_month_view_lists_each_open_day_with_labelled_inputs_and_deadlines(martin_client, town):
    response = martin_client.get(URL, {"enfant": town["lea"].pk, "debut": "2026-11-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Léa — Novembre 2026" in html
    assert 'aria-label="Repas classique — lundi 23 novembre 2026 — Léa"' in html
    assert 'aria-label="Repas végétarien — lundi 23 novembre 2026 — Léa"' in html
    assert 'aria-label="Aucun repas — lundi 23 novembre 2026 — Léa"' in html
    assert "modifiable jusqu&#x27;au mercredi 18 novembre à 10h00" in html
    # Wednesday is not a canteen day: no input that day.
    assert "mercredi 25 novembre 2026 — Léa" not in html
    assert html.count('type="radio"') == 3 * 17  # lundis, mardis, jeudis, vendredis of November


def test_each_state_is_written_in_words(martin_client, town, animateur):
    lea, classique = town["lea"], town["classique"]
    BookingFactory(child=lea, unit=classique, date=date(2026, 11, 9), attendance=Booking.Attendance.PRESENT)
    BookingFactory(child=lea, unit=classique, date=date(2026, 11, 10), attendance=Booking.Attendance.ABSENT)
    BookingFactory(child=lea, unit=classique, date=date(2026, 11, 12), attendance=Booking.Attendance.EXCUSED)
    BookingFactory(child=lea, unit=classique, date=date(2026, 11, 17))  # reserved, deadline passed
    BookingFactory(child=lea, unit=classique, date=MONDAY)
    classique.capacity = 1
    classique.save()
    BookingFactory(child=town["chloe"], unit=classique, date=date(2026, 11, 24))
    bookings_apply(
        child_changes=[Change(child=lea, unit=classique, day=date(2026, 11, 24))],
        by=town["martin_parent"].user,
        as_staff=False,
        now=NOW,
    )
    Closure.objects.create(start_date=date(2026, 11, 26), end_date=date(2026, 11, 26), reason="Grève")
    html = martin_client.get(URL, {"enfant": lea.pk, "debut": "2026-11-01"}).content.decode()
    assert "Présent" in html
    assert "Absent</span>" in html
    assert "Absent justifié" in html
    assert "Réservé, non modifiable" in html
    assert "Liste d&#x27;attente (n° 1)" in html
    assert "Libre" in html
    assert "Fermé" in html
    assert "Réservé</span>" in html


def test_another_familys_child_is_not_found(martin_client, town):
    assert martin_client.get(URL, {"enfant": town["chloe"].pk}).status_code == 404
    response = grid_post(martin_client, town["chloe"], {meal(town, MONDAY): town["classique"].pk})
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_fortnight_and_week_views(martin_client, town):
    html = martin_client.get(
        URL, {"enfant": town["lea"].pk, "vue": "semaine", "debut": "2026-11-25"}
    ).content.decode()
    assert "du lundi 23 novembre 2026 au dimanche 29 novembre 2026" in html
    assert html.count('type="radio"') == 3 * 4
    html = martin_client.get(
        URL, {"enfant": town["lea"].pk, "vue": "quinzaine", "debut": "2026-11-23"}
    ).content.decode()
    assert html.count('type="radio"') == 3 * 8


def test_a_bad_start_date_shows_the_current_month(martin_client, town):
    response = martin_client.get(URL, {"enfant": town["lea"].pk, "debut": "2026-13-45", "vue": "année"})
    assert response.status_code == 200
    assert "Léa — Novembre 2026" in response.content.decode()


def test_the_month_view_query_count_does_not_grow(client, town, django_assert_max_num_queries):
    family = town["martin"]
    for first in ("Anna", "Basile"):
        child = ChildFactory(family=family, first_name=first, birth_date=date(2018, 1, 10))
        AcceptedEnrolmentFactory(child=child, activity=town["canteen"])
    lea = town["lea"]
    for i in range(10):
        BookingFactory(child=lea, unit=town["classique"], date=date(2026, 11, 2) + timedelta(days=i))
    client.force_login(town["martin_parent"].user, backend=BACKEND)
    client.get(URL)  # the site settings are created on the first page
    with CaptureQueriesContext(connection) as month:
        client.get(URL, {"enfant": lea.pk, "debut": "2026-11-01"})
    with CaptureQueriesContext(connection) as week:
        client.get(URL, {"enfant": lea.pk, "debut": "2026-11-02", "vue": "semaine"})
    assert len(month.captured_queries) == len(week.captured_queries)
    with django_assert_max_num_queries(25):
        client.get(URL, {"enfant": lea.pk, "debut": "2026-11-01"})


# --- ticks, recap, Valider --------------------------------------------------------------------------------------


def test_ticks_go_to_the_recap_and_nothing_is_saved_before_valider(martin_client, town, evening):
    lea = town["lea"]
    response = grid_post(
        martin_client,
        lea,
        {
            meal(town, MONDAY): town["classique"].pk,
            field("c", evening, MONDAY): "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == RECAP
    assert not Booking.objects.exists()
    recap = martin_client.get(RECAP).content.decode()
    assert "Seront réservés" in recap
    assert "Léa — Repas classique — lundi 23 novembre 2026" in recap
    assert "Léa — Accueil du soir — lundi 23 novembre 2026" in recap
    assert not Booking.objects.exists()
    # The pending ticks show in the grid until validated.
    grid = martin_client.get(URL, {"enfant": lea.pk, "debut": "2026-11-01"}).content.decode()
    assert "Réservation à valider" in grid
    assert "2 modifications en cours" in grid

    done = martin_client.post(RECAP, {"action": "valider"})
    assert done.status_code == 302 and done["Location"] == DONE
    assert active(lea, town["classique"], MONDAY).state == Booking.State.RESERVED
    assert active(lea, evening, MONDAY).created_by == town["martin_parent"].user
    page = martin_client.get(DONE).content.decode()
    assert "Vos réservations sont enregistrées" in page
    assert "Léa — Repas classique — lundi 23 novembre 2026" in page


def test_recap_email_is_sent_after_valider(martin_client, town):
    grid_post(martin_client, town["lea"], {meal(town, MONDAY): town["vege"].pk})
    assert mail.outbox == []
    martin_client.post(RECAP, {"action": "valider"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.martin@exemple.fr"]
    assert message.subject.startswith("Récapitulatif de vos réservations")
    assert "Léa — Repas végétarien — lundi 23 novembre 2026" in message.body
    assert "Léa — Repas végétarien" in message.alternatives[0][0]


def test_unticking_cancels_and_switching_meal_replaces(martin_client, town, evening):
    lea = town["lea"]
    BookingFactory(child=lea, unit=town["classique"], date=MONDAY)
    BookingFactory(child=lea, unit=evening, date=MONDAY)
    tuesday = MONDAY + timedelta(days=1)
    BookingFactory(child=lea, unit=town["classique"], date=tuesday)
    # The grid posts every day as it is shown: Monday switched to végétarien, evening unticked, Tuesday "aucun".
    grid_post(martin_client, lea, {meal(town, MONDAY): town["vege"].pk, meal(town, tuesday): "0"})
    recap = martin_client.get(RECAP).content.decode()
    assert "Léa — Repas végétarien — lundi 23 novembre 2026" in recap
    assert "Léa — Repas classique — lundi 23 novembre 2026" in recap.split("Seront annulés")[1]
    assert "Léa — Accueil du soir — lundi 23 novembre 2026" in recap.split("Seront annulés")[1]
    assert "Léa — Repas classique — mardi 24 novembre 2026" in recap.split("Seront annulés")[1]
    martin_client.post(RECAP, {"action": "valider"})
    assert active(lea, town["vege"], MONDAY) is not None
    assert active(lea, town["classique"], MONDAY) is None
    assert active(lea, evening, MONDAY) is None
    assert active(lea, town["classique"], tuesday) is None


def test_the_recap_says_what_goes_to_the_waiting_list(martin_client, town):
    classique = town["classique"]
    classique.capacity = 1
    classique.save()
    BookingFactory(child=town["chloe"], unit=classique, date=MONDAY)
    grid_post(martin_client, town["lea"], {meal(town, MONDAY): classique.pk})
    recap = martin_client.get(RECAP).content.decode()
    assert "Iront en liste d'attente" in recap
    assert "liste d'attente n° 1" in recap
    martin_client.post(RECAP, {"action": "valider"})
    assert active(town["lea"], classique, MONDAY).state == Booking.State.WAITING


def test_a_change_refused_at_valider_shows_its_reason_and_the_others_are_saved(
    martin_client, town, monkeypatch
):
    lea = town["lea"]
    later = date(2026, 11, 30)
    grid_post(
        martin_client,
        lea,
        {meal(town, MONDAY): town["classique"].pk, meal(town, later): town["classique"].pk},
    )
    # The parent comes back after Monday's deadline (mercredi 18 novembre 10h00) to click Valider.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 18, 11, tzinfo=PARIS))
    martin_client.post(RECAP, {"action": "valider"})
    page = martin_client.get(DONE).content.decode()
    assert "Refusés" in page
    assert (
        "Le délai pour réserver le lundi 23 novembre 2026 est dépassé (jusqu&#x27;au mercredi 18 novembre 2026 "
        "à 10h00)." in page
    )
    assert active(lea, town["classique"], MONDAY) is None
    assert active(lea, town["classique"], later).state == Booking.State.RESERVED


def test_ticks_are_kept_across_months_until_valider(martin_client, town):
    lea = town["lea"]
    response = grid_post(martin_client, lea, {meal(town, MONDAY): town["classique"].pk}, go="2026-12-01")
    assert response.status_code == 302
    assert "debut=2026-12-01" in response["Location"]
    december = date(2026, 12, 7)
    grid_post(martin_client, lea, {meal(town, december): town["classique"].pk}, start=date(2026, 12, 1))
    martin_client.post(RECAP, {"action": "valider"})
    assert active(lea, town["classique"], MONDAY) is not None
    assert active(lea, town["classique"], december) is not None


def test_abandon_clears_the_pending_changes(martin_client, town):
    grid_post(martin_client, town["lea"], {meal(town, MONDAY): town["classique"].pk})
    martin_client.post(RECAP, {"action": "abandonner"})
    assert "Vous n'avez aucune modification en cours" in martin_client.get(RECAP).content.decode()
    assert not Booking.objects.exists()


def test_apply_to_a_sibling(martin_client, town):
    lea, hugo = town["lea"], town["hugo"]
    html = martin_client.get(URL, {"enfant": lea.pk, "debut": "2026-11-01"}).content.decode()
    assert f'name="aussi_{hugo.pk}"' in html
    assert "Chloé" not in html
    grid_post(martin_client, lea, {meal(town, MONDAY): town["vege"].pk, f"aussi_{hugo.pk}": "1"})
    martin_client.post(RECAP, {"action": "valider"})
    assert active(lea, town["vege"], MONDAY) is not None
    assert active(hugo, town["vege"], MONDAY) is not None


def test_submitting_a_month_for_three_children_is_bounded(client, town, django_assert_max_num_queries):
    family = town["martin"]
    third = ChildFactory(
        family=family,
        first_name="Anna",
        birth_date=date(2018, 1, 10),
        health_form_confirmed_on=date(2026, 8, 28),
    )
    AcceptedEnrolmentFactory(child=third, activity=town["canteen"])
    client.force_login(town["martin_parent"].user, backend=BACKEND)
    days = [date(2026, 11, 23) + timedelta(days=i) for i in range(40)]
    data = {meal(town, d): town["classique"].pk for d in days if d.weekday() in (0, 1, 3, 4)}
    data.update({f"aussi_{town['hugo'].pk}": "1", f"aussi_{third.pk}": "1"})
    client.post(
        URL, {"enfant": town["lea"].pk, "vue": "mois", "debut": "2026-12-01", "aller": "recap", **data}
    )
    client.post(
        URL, {"enfant": town["lea"].pk, "vue": "mois", "debut": "2026-11-01", "aller": "recap", **data}
    )
    with django_assert_max_num_queries(40):
        client.post(RECAP, {"action": "valider"})
    # 23 November to 18 December, lundis, mardis, jeudis, vendredis (then the Christmas holidays).
    assert Booking.objects.filter(state=Booking.State.RESERVED).count() == 3 * 16


def test_the_grid_works_as_a_plain_form_post_without_javascript(martin_client, town, evening):
    """Only the ticked inputs are sent (what a browser without JavaScript posts); unsent editable days are unticked."""
    lea = town["lea"]
    BookingFactory(child=lea, unit=evening, date=MONDAY + timedelta(days=1))
    response = martin_client.post(
        URL,
        {
            "enfant": lea.pk,
            "vue": "semaine",
            "debut": "2026-11-23",
            "aller": "recap",
            field("c", evening, MONDAY): "1",
        },
    )
    assert response.status_code == 302
    martin_client.post(RECAP, {"action": "valider"})
    assert active(lea, evening, MONDAY) is not None
    assert active(lea, evening, MONDAY + timedelta(days=1)) is None


def test_a_locked_day_cannot_be_changed_through_the_form(martin_client, town):
    lea = town["lea"]
    tuesday = date(2026, 11, 17)  # deadline passed (jeudi 12 novembre)
    BookingFactory(child=lea, unit=town["classique"], date=tuesday)
    grid_post(martin_client, lea, {meal(town, tuesday): "0"})
    martin_client.post(RECAP, {"action": "valider"})
    assert active(lea, town["classique"], tuesday) is not None


# --- modification avancée ---------------------------------------------------------------------------------------


def test_modification_avancee_reserves_a_weekly_pattern_and_reports_refusals(martin_client, town, evening):
    lea = town["lea"]
    classique = town["classique"]
    classique.capacity = 1
    classique.save()
    BookingFactory(child=town["chloe"], unit=classique, date=date(2026, 12, 3))
    Closure.objects.create(start_date=date(2026, 12, 4), end_date=date(2026, 12, 4), reason="Grève")
    page = martin_client.get(ADVANCED)
    assert page.status_code == 200
    response = martin_client.post(
        ADVANCED,
        {
            "children": [lea.pk],
            "action": "add",
            "start": "2026-11-16",
            "end": "2026-12-04",
            "weekdays": [0, 1, 3, 4],
            "units": [classique.pk, evening.pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == RECAP
    assert not Booking.objects.filter(child=lea).exists()
    recap = martin_client.get(RECAP).content.decode()
    refused = recap.split("Ne pourront pas être pris en compte")[1]
    assert "Le délai pour réserver le lundi 16 novembre 2026 est dépassé" in refused
    assert "Le délai pour réserver le jeudi 19 novembre 2026" not in refused
    assert "liste d'attente n° 1" in recap
    martin_client.post(RECAP, {"action": "valider"})
    done = martin_client.get(DONE).content.decode()
    assert "Le délai pour réserver le mardi 17 novembre 2026 est dépassé" in done
    assert active(lea, classique, date(2026, 11, 19)).state == Booking.State.RESERVED
    assert active(lea, evening, date(2026, 11, 19)).state == Booking.State.RESERVED
    assert active(lea, classique, date(2026, 12, 3)).state == Booking.State.WAITING
    assert active(lea, classique, date(2026, 12, 4)) is None  # closed: skipped
    assert active(lea, classique, date(2026, 11, 25)) is None  # Wednesday: not a canteen day
    reserved = Booking.objects.filter(child=lea, unit=classique, state=Booking.State.RESERVED).count()
    assert reserved == 8  # 19, 20, 23, 24, 26, 27, 30 novembre, 1er décembre


def test_modification_avancee_asks_for_one_meal_type(martin_client, town):
    response = martin_client.post(
        ADVANCED,
        {
            "children": [town["lea"].pk],
            "action": "add",
            "start": "2026-11-23",
            "end": "2026-12-18",
            "weekdays": [0, 1],
            "units": [town["classique"].pk, town["vege"].pk],
        },
    )
    assert response.status_code == 200
    assert "« Repas classique » et « Repas végétarien » s&#x27;excluent : choisissez-en une seule." in (
        response.content.decode()
    )


def test_modification_avancee_cancels_a_weekly_pattern(martin_client, town):
    lea = town["lea"]
    for day in (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 30)):
        BookingFactory(child=lea, unit=town["classique"], date=day)
    martin_client.post(
        ADVANCED,
        {
            "children": [lea.pk],
            "action": "cancel",
            "start": "2026-11-23",
            "end": "2026-12-18",
            "weekdays": [0],
            "units": [town["classique"].pk, town["vege"].pk],
        },
    )
    recap = martin_client.get(RECAP).content.decode().split("Seront annulés")[1]
    assert "Léa — Repas classique — lundi 23 novembre 2026" in recap
    assert "Léa — Repas classique — lundi 30 novembre 2026" in recap
    assert "mardi 24 novembre" not in recap
    martin_client.post(RECAP, {"action": "valider"})
    assert active(lea, town["classique"], date(2026, 11, 24)) is not None
    assert active(lea, town["classique"], date(2026, 11, 30)) is None


def test_a_child_without_a_confirmed_health_form_gets_the_reason(martin_client, town):
    lea = town["lea"]
    lea.health_form_confirmed_on = None
    lea.save()
    grid_post(martin_client, lea, {meal(town, MONDAY): town["classique"].pk})
    recap = martin_client.get(RECAP).content.decode()
    assert "Ne pourront pas être pris en compte" in recap
    assert "fiche sanitaire" in recap.split("Ne pourront pas être pris en compte")[1]


def test_the_portal_navigation_links_to_the_planning(martin_client, town):
    html = martin_client.get(reverse("portal:home")).content.decode()
    assert f'href="{URL}"' in html and "Mes réservations" in html


def test_modification_avancee_starts_on_the_first_day_still_bookable(martin_client, town):
    # Lundi 16 novembre 9h: 3 jours ouvrés avant 10h, the first day still open is jeudi 19 novembre.
    html = martin_client.get(ADVANCED).content.decode()
    assert 'name="start" value="2026-11-19"' in html
    assert 'name="end" value="2027-07-03"' in html


# --- mode guichet -----------------------------------------------------------------------------------------------


def test_an_agent_at_the_guichet_reserves_a_day_past_its_deadline_and_is_named_in_the_history(
    client, agent, town
):
    from families.views.common import GUICHET_SESSION_KEY

    lea = town["lea"]
    tuesday = date(2026, 11, 17)  # deadline passed for the family (jeudi 12 novembre)
    client.force_login(agent, backend=BACKEND)
    session = client.session
    session[GUICHET_SESSION_KEY] = town["martin"].pk
    session.save()

    page = client.get(
        URL, {"enfant": lea.pk, "vue": "semaine", "debut": tuesday.isoformat()}
    ).content.decode()
    assert "non modifiable" not in page and " disabled" not in page  # the agent is never bound by deadlines

    grid_post(client, lea, {meal(town, tuesday): str(town["classique"].pk)}, start=tuesday, view="semaine")
    recap = client.get(RECAP).content.decode()
    assert "dépassé" not in recap
    client.post(RECAP, {"action": "valider"})

    booking = active(lea, town["classique"], tuesday)
    assert booking.state == Booking.State.RESERVED
    entry = booking.history.latest()
    assert entry.history_user == agent
    assert entry.history_change_reason == "Modification par le service enfance"


def test_a_parent_still_sees_a_day_past_its_deadline_locked(martin_client, town):
    tuesday = date(2026, 11, 17)
    page = martin_client.get(
        URL, {"enfant": town["lea"].pk, "vue": "semaine", "debut": tuesday.isoformat()}
    ).content.decode()
    assert "non modifiable" in page and " disabled" in page
