"""The « Inscription » journey: a parent asks to enrol a child step by step, staff decide (one by one or in bulk),
the family reads the decision in « Mes inscriptions », and re-enrols for next school year in one step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Booking, Enrolment
from families.services.health import school_year_start
from tests.factories import ActivityFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def periscolaire(small_town):
    """A périscolaire starting next week, open to registrations, with two priced prestations; Léa's fiche confirmed."""
    today = timezone.localdate()
    activity = ActivityFactory(
        name="Accueil périscolaire",
        kind="periscolaire",
        period_start=today + timedelta(days=7),
        period_end=today + timedelta(days=180),
        registration_opens=today - timedelta(days=10),
    )
    UnitFactory(
        activity=activity,
        label="Accueil 7h15 à 8h30",
        code="matin",
        exclusive_group="",
        price=Decimal("3.40"),
    )
    UnitFactory(
        activity=activity,
        label="Accueil 16h30 à 19h00",
        code="soir",
        exclusive_group="",
        price=Decimal("6.50"),
    )
    small_town["lea"].health_form_confirmed_on = today
    small_town["lea"].save()
    return activity


def _form_url(child, activity):
    return reverse("portal:enrolment_request", kwargs={"child_id": child.pk, "activity_id": activity.pk})


def _planning(activity, **extra):
    return {
        "start_date": activity.period_start.isoformat(),
        "weekdays": ["0", "3"],
        "units": [u.pk for u in activity.units.all()],
        **extra,
    }


def test_parent_enrols_a_child_step_by_step(martin_client, small_town, periscolaire):
    lea = small_town["lea"]
    home = martin_client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:enrolments") in home  # linked from the navigation and Mon accueil
    listing = martin_client.get(reverse("portal:enrolments")).content.decode()
    assert reverse("portal:enrolment_start") in listing
    start = martin_client.get(reverse("portal:enrolment_start")).content.decode()
    assert '<label for="id_child">Enfant' in start and '<label for="id_kind">Type d&#x27;activité' in start
    choice = martin_client.get(reverse("portal:enrolment_start"), {"child": lea.pk, "kind": "periscolaire"})
    body = choice.content.decode()
    assert "<h3>Accueil périscolaire</h3>" in body and "Restauration scolaire 2026" not in body
    assert _form_url(lea, periscolaire) in body
    form = martin_client.get(_form_url(lea, periscolaire)).content.decode()
    assert "Attention : cette inscription ne vaut pas réservation." in form
    assert "Accueil 7h15 à 8h30 — 3,40 €" in form and "Accueil 16h30 à 19h00 — 6,50 €" in form
    assert '<label for="id_start_date">Date d&#x27;entrée souhaitée' in form
    assert "Lundi" in form and "Mercredi" not in form  # only the days the activity runs
    response = martin_client.post(_form_url(lea, periscolaire), _planning(periscolaire))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:enrolments")
    enrolment = Enrolment.objects.get(child=lea, activity=periscolaire)
    assert enrolment.status == Enrolment.Status.REQUESTED
    assert enrolment.planning_weekdays == [0, 3]
    assert {u.code for u in enrolment.planning_units.all()} == {"matin", "soir"}
    assert not Booking.objects.exists()
    page = martin_client.get(reverse("portal:enrolments")).content.decode()
    assert "Accueil périscolaire" in page and "Demandée" in page and "lundi, jeudi" in page


def test_wrong_input_re_renders_the_form_in_french(martin_client, small_town, periscolaire):
    url = _form_url(small_town["lea"], periscolaire)
    response = martin_client.post(
        url, _planning(periscolaire, start_date="pas une date", weekdays=["0"], units=[])
    )
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()
    late = (periscolaire.period_end + timedelta(days=5)).isoformat()
    response = martin_client.post(url, _planning(periscolaire, start_date=late, units=[]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "La date d&#x27;entrée doit être comprise entre" in body
    assert "Choisissez au moins une prestation pour les jours cochés." in body
    assert not Enrolment.objects.exists()


def test_an_activity_not_open_to_the_child_is_refused(martin_client, small_town, periscolaire):
    periscolaire.registration_closes = timezone.localdate() - timedelta(days=1)
    periscolaire.save()
    lea = small_town["lea"]
    listing = martin_client.get(reverse("portal:enrolment_start"), {"child": lea.pk, "kind": "periscolaire"})
    assert _form_url(lea, periscolaire) not in listing.content.decode()
    response = martin_client.post(_form_url(lea, periscolaire), _planning(periscolaire))
    assert response.status_code == 200
    assert (
        "« Accueil périscolaire » n&#x27;est pas ouverte aux inscriptions pour Léa."
        in response.content.decode()
    )
    assert not Enrolment.objects.exists()


def test_the_fiche_sanitaire_gate_applies(martin_client, small_town, periscolaire):
    hugo = small_town["hugo"]  # fiche sanitaire never confirmed
    url = _form_url(hugo, periscolaire)
    gate_link = reverse("portal:child_health", kwargs={"child_id": hugo.pk})
    assert gate_link in martin_client.get(url).content.decode()
    response = martin_client.post(url, _planning(periscolaire))
    assert response.status_code == 200
    assert "La fiche sanitaire de Hugo doit être complétée" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_second_request_for_the_same_activity_is_refused_in_french(martin_client, small_town, periscolaire):
    url = _form_url(small_town["lea"], periscolaire)
    assert martin_client.post(url, _planning(periscolaire)).status_code == 302
    response = martin_client.post(url, _planning(periscolaire))
    assert response.status_code == 200
    assert "Léa a déjà une inscription en cours pour « Accueil périscolaire »." in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_another_familys_child_is_not_found(martin_client, small_town, periscolaire):
    url = _form_url(small_town["chloe"], periscolaire)
    assert martin_client.get(url).status_code == 404
    assert martin_client.post(url, _planning(periscolaire)).status_code == 404
    assert not Enrolment.objects.exists()


def _requested(child, activity):
    enrolment = Enrolment.objects.create(
        child=child, activity=activity, start_date=activity.period_start, planning_weekdays=[0, 1, 3, 4]
    )
    enrolment.planning_units.set([activity.units.get(code="matin")])
    return enrolment


def test_staff_accept_in_bulk_and_the_weekly_planning_is_reserved(agent_client, small_town, periscolaire):
    lea, chloe = _requested(small_town["lea"], periscolaire), _requested(small_town["chloe"], periscolaire)
    response = agent_client.post(
        reverse("admin:families_enrolment_changelist"),
        {"action": "accept", "_selected_action": [lea.pk, chloe.pk]},
    )
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("status", flat=True)) == {Enrolment.Status.ACCEPTED}
    reserved = Booking.objects.filter(state=Booking.State.RESERVED, unit__code="matin")
    assert {b.child_id for b in reserved} == {small_town["lea"].pk, small_town["chloe"].pk}
    assert {b.date.weekday() for b in reserved} <= {0, 1, 3, 4}
    assert all(b.date >= periscolaire.period_start for b in reserved)


def test_a_refusal_asks_a_motif_and_the_parent_reads_it(agent_client, client, small_town, periscolaire):
    enrolment = _requested(small_town["lea"], periscolaire)
    url = reverse("admin:families_enrolment_changelist")
    form = agent_client.post(url, {"action": "refuse", "_selected_action": [enrolment.pk]})
    assert form.status_code == 200
    assert "Motif (la famille le lira)" in form.content.decode()
    response = agent_client.post(
        url,
        {
            "action": "refuse",
            "_selected_action": [enrolment.pk],
            "crud_confirm": "1",
            "reason": "Plus de place le matin, proposez le soir.",
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.REFUSED
    client.force_login(small_town["martin_parent"].user, backend="backoffice.auth.EmailBackend")
    page = client.get(reverse("portal:enrolments")).content.decode()
    assert "Refusée" in page
    assert "Motif du refus :</strong> Plus de place le matin, proposez le soir." in page


def test_parent_re_enrols_for_next_school_year_in_one_step(martin_client, small_town):
    today = timezone.localdate()
    year = school_year_start(day=today)
    this_year = ActivityFactory(
        name=f"Mercredis {year}-{year + 1}",
        kind="mercredi",
        period_start=today.replace(year=year, month=9, day=1),
        period_end=today.replace(year=year + 1, month=7, day=3),
        wednesday=True,
    )
    UnitFactory(activity=this_year, label="Journée", code="journee", exclusive_group="")
    next_year = ActivityFactory(
        name=f"Mercredis {year + 1}-{year + 2}",
        kind="mercredi",
        period_start=this_year.period_start.replace(year=year + 1),
        period_end=this_year.period_end.replace(year=year + 2),
        wednesday=True,
    )
    UnitFactory(activity=next_year, label="Journée", code="journee", exclusive_group="")
    lea = small_town["lea"]
    lea.health_form_confirmed_on = today
    lea.save()
    current = Enrolment.objects.create(
        child=lea,
        activity=this_year,
        status=Enrolment.Status.ACCEPTED,
        start_date=this_year.period_start,
        planning_weekdays=[2],
    )
    current.planning_units.set(this_year.units.all())
    label = f"Réinscrire pour {year + 1}-{year + 2}"
    assert label in martin_client.get(reverse("portal:enrolments")).content.decode()
    page = martin_client.get(reverse("portal:enrolment_renew")).content.decode()
    assert f"Léa : Mercredis {year}-{year + 1} → Mercredis {year + 1}-{year + 2}" in page
    response = martin_client.post(reverse("portal:enrolment_renew"), {"enrolments": [current.pk]})
    assert response.status_code == 302
    renewed = Enrolment.objects.get(activity=next_year)
    assert renewed.child == lea and renewed.status == Enrolment.Status.REQUESTED
    assert renewed.start_date == next_year.period_start and renewed.planning_weekdays == [2]
    assert (
        label not in martin_client.get(reverse("portal:enrolments")).content.decode()
    )  # nothing left to renew


def test_staff_re_enrol_in_bulk_from_the_back_office(agent_client, small_town):
    canteen = small_town["canteen"]  # Restauration scolaire 2026-2027
    twin = ActivityFactory(
        name="Restauration scolaire 2027-2028",
        period_start=canteen.period_start.replace(year=2027),
        period_end=canteen.period_end.replace(year=2028),
    )
    UnitFactory(activity=twin, label="Repas classique", code="repas-classique")
    accepted = [
        Enrolment.objects.create(
            child=small_town[name],
            activity=canteen,
            status=Enrolment.Status.ACCEPTED,
            start_date=canteen.period_start,
        )
        for name in ("lea", "chloe")
    ]
    response = agent_client.post(
        reverse("admin:families_enrolment_changelist"),
        {"action": "renew", "_selected_action": [e.pk for e in accepted]},
    )
    assert response.status_code == 302
    renewed = Enrolment.objects.filter(activity=twin)
    assert {e.child_id for e in renewed} == {small_town["lea"].pk, small_town["chloe"].pk}
    assert {e.status for e in renewed} == {Enrolment.Status.REQUESTED}
