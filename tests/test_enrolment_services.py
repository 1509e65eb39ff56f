"""Inscriptions as services: a family's request, the staff decision with its reservations, capacity, réinscription."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from families.models import Booking, ClassLevel, Enrolment
from families.selectors import activities_open_for
from families.services.enrolments import (
    activity_next_year_twin,
    enrolment_accept,
    enrolment_renew,
    enrolment_request,
    enrolments_renew,
)
from families.services.health import HealthFormRequired
from tests.factories import ActivityFactory, SchoolFactory, UnitFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)
MONDAY = date(2026, 11, 23)


@pytest.fixture
def town(small_town):
    """The small town, with Léa's and Chloé's fiches sanitaires confirmed this school year."""
    for name in ("lea", "chloe"):
        small_town[name].health_form_confirmed_on = date(2026, 9, 1)
        small_town[name].save()
    return small_town


def _request(town, **overrides):
    canteen = town["canteen"]
    data = {
        "child": town["lea"],
        "activity": canteen,
        "start_date": MONDAY,
        "weekdays": [0, 1],
        "units": [canteen.units.get(code="repas-classique")],
        "by": town["martin_parent"].user,
        "today": TODAY,
    }
    return enrolment_request(**{**data, **overrides})


def test_a_request_keeps_the_weekly_planning_and_books_nothing(town):
    enrolment = _request(town)
    assert enrolment.status == Enrolment.Status.REQUESTED
    assert enrolment.planning_weekdays == [0, 1]
    assert [u.code for u in enrolment.planning_units.all()] == ["repas-classique"]
    assert not Booking.objects.exists()  # « cette inscription ne vaut pas réservation »


def test_only_activities_open_to_the_child_are_offered(town):
    lea = town["lea"]  # born 2 March 2017, CE1, École Jean Jaurès
    other_school = ActivityFactory(name="Périscolaire Pasteur", kind="periscolaire")
    other_school.schools.add(SchoolFactory(name="École Pasteur"))
    ActivityFactory(name="Mini-club 3-6 ans", kind="vacances", min_age=3, max_age=6)
    ActivityFactory(name="Stage CM1-CM2", kind="vacances", min_level=ClassLevel.objects.get(code="CM1"))
    ActivityFactory(
        name="Vacances d'été 2026",
        kind="vacances",
        period_start=date(2026, 7, 6),
        period_end=date(2026, 8, 28),
    )
    ActivityFactory(
        name="Noël 2026",
        kind="vacances",
        period_start=date(2026, 12, 21),
        period_end=date(2027, 1, 1),
        registration_opens=date(2026, 11, 1),
        registration_closes=date(2026, 12, 4),
    )
    ActivityFactory(
        name="Hiver 2027",
        kind="vacances",
        period_start=date(2027, 2, 15),
        period_end=date(2027, 2, 26),
        registration_opens=date(2027, 1, 4),
    )
    names = [a.name for a in activities_open_for(child=lea, today=TODAY)]
    assert names == ["Restauration scolaire 2026-2027", "Noël 2026"]
    assert [a.name for a in activities_open_for(child=lea, kind="vacances", today=TODAY)] == ["Noël 2026"]
    with pytest.raises(ValidationError, match="n'est pas ouverte aux inscriptions pour Léa"):
        _request(town, activity=other_school, weekdays=[], units=[], start_date=other_school.period_start)


def test_request_needs_a_confirmed_fiche_sanitaire(town):
    hugo = town["hugo"]
    with pytest.raises(HealthFormRequired, match="fiche sanitaire de Hugo"):
        _request(town, child=hugo)
    assert not Enrolment.objects.exists()


def test_second_request_for_the_same_activity_is_refused_in_french(town):
    _request(town)
    with pytest.raises(
        ValidationError, match="Léa a déjà une inscription en cours pour « Restauration scolaire"
    ):
        _request(town)


def test_planning_is_checked_against_the_activity(town):
    canteen = town["canteen"]
    with pytest.raises(ValidationError) as exc:
        _request(town, start_date=date(2027, 8, 2), weekdays=[2], units=list(canteen.units.all()))
    errors = exc.value.message_dict
    assert errors["start_date"] == [
        "La date d'entrée doit être comprise entre le mardi 1er septembre 2026 et le samedi 3 juillet 2027."
    ]
    assert errors["weekdays"] == ["« Restauration scolaire 2026-2027 » n'a pas lieu ces jours-là."]
    assert errors["units"] == ["Un seul choix parmi : Repas classique, Repas végétarien."]


def test_staff_acceptance_reserves_the_weekly_planning(town, agent):
    enrolment = _request(town, start_date=date(2026, 12, 14))
    accepted = enrolment_accept(enrolment=enrolment, by=agent)
    assert accepted.status == Enrolment.Status.ACCEPTED
    days = sorted(
        Booking.objects.filter(child=town["lea"], state=Booking.State.RESERVED).values_list("date", flat=True)
    )
    assert days[0] >= date(2026, 12, 14)
    assert {d.weekday() for d in days} == {0, 1}


def test_a_full_activity_takes_requests_on_its_waiting_list(town, agent):
    canteen = town["canteen"]
    canteen.capacity = 1
    canteen.save()
    Enrolment.objects.create(
        child=town["chloe"],
        activity=canteen,
        status=Enrolment.Status.ACCEPTED,
        start_date=canteen.period_start,
    )
    enrolment = _request(town)
    assert enrolment.status == Enrolment.Status.WAITING
    assert "est complète : votre demande est placée en liste d'attente" in enrolment.full_message
    with pytest.raises(ValidationError, match="est complète \\(1 places\\)"):
        enrolment_accept(enrolment=enrolment, by=agent)
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.WAITING


def _next_year(town, name="Restauration scolaire 2027-2028", **kwargs):
    twin = ActivityFactory(name=name, period_start=date(2027, 9, 1), period_end=date(2028, 7, 1), **kwargs)
    UnitFactory(activity=twin, label="Repas classique", code="repas-classique", price=Decimal("3.90"))
    UnitFactory(activity=twin, label="Repas végétarien", code="repas-vege")
    return twin


def test_next_year_twin_is_the_same_activity_one_year_later(town):
    canteen = town["canteen"]
    assert activity_next_year_twin(activity=canteen) is None
    ActivityFactory(
        name="Mercredis 2027-2028",
        kind="mercredi",
        period_start=date(2027, 9, 1),
        period_end=date(2028, 7, 1),
    )
    twin = _next_year(town)
    assert activity_next_year_twin(activity=canteen) == twin


def test_reenrolment_requests_next_year_with_the_same_planning(town, agent):
    enrolment = _request(town)
    enrolment_accept(enrolment=enrolment, by=agent)
    twin = _next_year(town)
    renewed = enrolment_renew(enrolment=enrolment, by=agent, as_staff=True, today=TODAY)
    assert renewed.activity == twin
    assert renewed.status == Enrolment.Status.REQUESTED
    assert renewed.start_date == date(2027, 9, 1)
    assert renewed.planning_weekdays == [0, 1]
    assert [u.code for u in renewed.planning_units.all()] == ["repas-classique"]
    again = enrolments_renew(enrolments=[enrolment], by=agent, as_staff=True, today=TODAY)
    assert again.created == []
    assert "déjà une inscription en cours" in again.skipped[0][1]


def test_parent_reenrolment_respects_the_registration_window(town, agent):
    enrolment = _request(town)
    enrolment_accept(enrolment=enrolment, by=agent)
    _next_year(town, registration_opens=TODAY + timedelta(days=30))
    result = enrolments_renew(enrolments=[enrolment], by=town["martin_parent"].user, today=TODAY)
    assert result.created == []
    assert "n'est pas ouverte aux inscriptions pour Léa" in result.skipped[0][1]


IMPORT_HEADERS = [
    "family",
    "child_first_name",
    "child_birth_date",
    "activity",
    "activity_period_start",
    "status",
    "start_date",
    "planning_weekdays",
    "planning_units",
    "refusal_reason",
]


def _enrolment_resource():
    from backoffice.crud import registry

    return registry.get(Enrolment).resource_class()


def test_import_creates_requests_and_decides_through_the_service(town, agent):
    import tablib

    canteen, martin, bernard = town["canteen"], town["martin"].code, town["bernard"].code
    data = tablib.Dataset(headers=IMPORT_HEADERS)
    data.append(
        [
            martin,
            "Léa",
            "2017-03-02",
            canteen.name,
            "2026-09-01",
            "acceptee",
            "2026-12-14",
            "[0, 1]",
            "repas-classique",
            "",
        ]
    )
    data.append([martin, "hugo", "2020-09-21", canteen.name, "2026-09-01", "", "2026-12-14", "", "", ""])
    data.append(
        [
            bernard,
            "Chloé",
            "2016-11-30",
            canteen.name,
            "2026-09-01",
            "Refusée",
            "2026-12-14",
            "",
            "",
            "Dossier incomplet",
        ]
    )
    result = _enrolment_resource().import_data(data, dry_run=False, user=agent)
    assert not result.has_errors() and not result.has_validation_errors()
    lea = Enrolment.objects.get(child=town["lea"])
    assert lea.status == Enrolment.Status.ACCEPTED and lea.decided_by == agent
    assert Booking.objects.filter(child=town["lea"], state=Booking.State.RESERVED).exists()  # planning booked
    assert Enrolment.objects.get(child=town["hugo"]).status == Enrolment.Status.REQUESTED
    chloe = Enrolment.objects.get(child=town["chloe"])
    assert chloe.status == Enrolment.Status.REFUSED and chloe.refusal_reason == "Dossier incomplet"
    exported = _enrolment_resource().export()
    assert exported.dict[0]["family"] in (martin, bernard)
    assert {row["child_first_name"] for row in exported.dict} == {"Léa", "Hugo", "Chloé"}


def test_import_never_edits_an_inscription_and_names_bad_rows(town, agent):
    import tablib

    canteen, martin = town["canteen"], town["martin"].code
    Enrolment.objects.create(child=town["lea"], activity=canteen, start_date=canteen.period_start)
    data = tablib.Dataset(headers=IMPORT_HEADERS)
    data.append(
        [martin, "Léa", "2017-03-02", canteen.name, "2026-09-01", "acceptee", "2026-12-14", "", "", ""]
    )
    data.append(
        [martin, "Hugo", "2020-09-21", canteen.name, "2026-09-01", "refusee", "2026-12-14", "", "", ""]
    )
    data.append([martin, "Zoé", "2019-01-01", canteen.name, "2026-09-01", "", "2026-12-14", "", "", ""])
    result = _enrolment_resource().import_data(data, dry_run=False, user=agent)
    assert result.has_validation_errors()
    errors = {
        row.number: " ".join(" ".join(m) for m in row.error_dict.values()) for row in result.invalid_rows
    }
    assert "déjà une inscription en cours" in errors[1]
    assert "Indiquez le motif du refus" in errors[2]
    assert "Enfant inconnu : Zoé" in errors[3]
    assert Enrolment.objects.get().status == Enrolment.Status.REQUESTED  # untouched, nothing else written
