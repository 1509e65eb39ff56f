"""Issue 9 « Done when », in real Chromium on a phone and a computer: the parent enrols a child, reserves a month of
meals, changes a meal type and applies it to the sibling, is refused after the deadline with the reason shown,
lands on a waiting list and is promoted when the service enfance cancels another family's booking.

"Now" is frozen at mercredi 2 décembre 2026, 9h (Paris) in the whole process, live server included; the
restauration and the périscolaire take changes until 3 jours ouvrés avant 10h."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from families.models import ActivityKind, Booking, Enrolment
from families.services.bookings import Change, bookings_apply
from families.services.calendar import french_date
from families.services.deadlines import BookingAction
from tests.factories import (
    AcceptedEnrolmentFactory,
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    SchoolFactory,
    StaffUserFactory,
    UnitFactory,
    UserFactory,
)

from .conftest import axe_violations, format_violations

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 2, 9, tzinfo=PARIS)  # mercredi 2 décembre 2026, 9h
PASSWORD = "motdepasse-solide-2026"  # the factories' password
CONFIRMED = date(2026, 8, 28)  # fiches sanitaires confirmed for 2026-2027
LOCKED = date(2026, 12, 3)  # jeudi: its délai (lundi 30 novembre 10h) is over
LATE = date(2026, 12, 7)  # lundi: reservable until mercredi 2 décembre 10h, one hour from "now"
FULL_DAY = date(2027, 1, 11)  # lundi: the only place at the accueil du soir is Chloé's
SWITCHED = date(2027, 1, 4)  # lundi: Léa's classique becomes végétarien, for Hugo too
# Restauration in January 2027 (after the vacances de Noël, zone C): lundis, mardis, jeudis, vendredis.
JANUARY = [date(2027, 1, d) for d in range(4, 30) if date(2027, 1, d).weekday() in (0, 1, 3, 4)]


@pytest.fixture
def clock(monkeypatch):
    """The frozen "now"; `clock.move_to(moment)` moves it (the live server runs in a thread of this process)."""

    class Clock:
        moment = NOW

        def move_to(self, moment):
            self.moment = moment

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.moment)
    return frozen


def _town():
    """The Martin family (Léa and Hugo, both at the restauration and the périscolaire), the Bernard family's
    Chloé holding the only evening place of lundi 11 janvier, and the mercredis open for enrolment."""
    school = SchoolFactory(name="École élémentaire Jean Jaurès")
    martin = FamilyFactory(name="MARTIN Claire et Julien")
    claire = GuardianFactory(
        family=martin,
        first_name="Claire",
        last_name="Martin",
        email="claire.martin@exemple.fr",
        user=UserFactory(email="claire.martin@exemple.fr", first_name="Claire", last_name="Martin"),
    )
    lea = ChildFactory(
        family=martin,
        first_name="Léa",
        birth_date=date(2017, 3, 2),
        school=school,
        health_form_confirmed_on=CONFIRMED,
    )
    hugo = ChildFactory(
        family=martin,
        first_name="Hugo",
        birth_date=date(2019, 9, 21),
        school=school,
        health_form_confirmed_on=CONFIRMED,
    )
    bernard = FamilyFactory(name="BERNARD Sophie")
    GuardianFactory(family=bernard, first_name="Sophie", email="sophie.bernard@exemple.fr")
    chloe = ChildFactory(
        family=bernard,
        first_name="Chloé",
        birth_date=date(2016, 11, 30),
        school=school,
        health_form_confirmed_on=CONFIRMED,
    )
    canteen = ActivityFactory(name="Restauration scolaire 2026-2027", kind=ActivityKind.RESTAURATION)
    classique = UnitFactory(
        activity=canteen, label="Repas classique", code="repas-classique", exclusive_group="repas", position=1
    )
    vege = UnitFactory(
        activity=canteen, label="Repas végétarien", code="repas-vege", exclusive_group="repas", position=2
    )
    peri = ActivityFactory(name="Accueil périscolaire 2026-2027", kind=ActivityKind.PERISCOLAIRE)
    evening = UnitFactory(
        activity=peri, label="Accueil du soir", code="soir", exclusive_group="", capacity=1, position=1
    )
    for child in (lea, hugo):
        AcceptedEnrolmentFactory(child=child, activity=canteen)
        AcceptedEnrolmentFactory(child=child, activity=peri)
    AcceptedEnrolmentFactory(child=chloe, activity=peri)
    taken = BookingFactory(child=chloe, unit=evening, date=FULL_DAY)
    mercredis = ActivityFactory(
        name="Mercredis loisirs 2026-2027",
        kind=ActivityKind.MERCREDI,
        period_start=date(2026, 9, 2),
        monday=False,
        tuesday=False,
        wednesday=True,
        thursday=False,
        friday=False,
        requires_validation=True,
    )
    UnitFactory(
        activity=mercredis, label="Journée", code="journee", exclusive_group="", price=Decimal("12.00")
    )
    return {
        "claire": claire,
        "lea": lea,
        "hugo": hugo,
        "chloe": chloe,
        "classique": classique,
        "vege": vege,
        "evening": evening,
        "taken": taken,
        "mercredis": mercredis,
    }


# --- what a screen reader user would reach -------------------------------------------------------------------


def _aria(unit: str, day: date, child: str) -> str:
    return f"{unit} — {french_date(day)} — {child}"


def _says(control, pattern: str):
    """What a screen reader reads after the input's name: its state in words and the day's deadline."""
    expect(control).to_have_accessible_description(re.compile(pattern))


def _axe_clean(page, what: str):
    violations = axe_violations(page)
    assert not violations, f"{what} : {format_violations(violations)}"


def _menu(page, name: str):
    """A link of the portal's navigation, behind the « Menu » button on a phone."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name=name).click()


def _child(page, name: str):
    page.get_by_role("navigation", name="Choisir l’enfant").get_by_role("link", name=name).click()


def _to_recap(page):
    page.get_by_role("button", name="Étape 2 : voir le récapitulatif").click()
    page.get_by_role("heading", name="Récapitulatif de mes réservations").wait_for()


def _valider(page):
    page.get_by_role("button", name="Valider", exact=True).click()
    page.get_by_role("heading", name="Votre demande est prise en compte").wait_for()


def _next_period(page, title: str):
    page.get_by_role("button", name=re.compile("Période suivante")).click()
    page.get_by_role("heading", name=title).wait_for()


def _section(page, title: str):
    return page.get_by_role("region", name=re.compile(re.escape(title)))


# --- the journey ------------------------------------------------------------------------------------------------


def _journey(page, clock):
    town = _town()
    lea, hugo = town["lea"], town["hugo"]
    base = page.base_url

    # Connexion.
    page.goto(f"{base}/portail/connexion/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill("claire.martin@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mon accueil").wait_for()

    # Inscription: Léa aux mercredis, then « Mes inscriptions ».
    _menu(page, "Mes inscriptions")
    page.get_by_role("heading", name="Mes inscriptions", exact=True).wait_for()
    page.get_by_role("link", name="Nouvelle inscription").click()
    page.get_by_label("Enfant").select_option(label="Léa")
    page.get_by_label("Type d'activité").select_option(label="Mercredis")
    page.get_by_role("button", name="Voir les activités").click()
    page.get_by_role("heading", name="Activités ouvertes pour Léa").wait_for()
    _axe_clean(page, "choix de l'activité")
    page.get_by_role("link", name="Choisir « Mercredis loisirs 2026-2027 »").click()
    page.get_by_role("heading", name="Saisie d'une demande d'inscription").wait_for()
    page.get_by_label("Mercredi").check()
    page.get_by_label("Journée — 12,00 €").check()
    _axe_clean(page, "demande d'inscription")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.get_by_role("heading", name="Mes inscriptions", exact=True).wait_for()
    page.get_by_text(
        "Votre demande d'inscription de Léa à « Mercredis loisirs 2026-2027 » est transmise"
    ).wait_for()
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Léa — Mercredis loisirs 2026-2027")
    )
    assert "Demandée" in card.inner_text()
    assert Enrolment.objects.get(child=lea, activity=town["mercredis"]).status == Enrolment.Status.REQUESTED
    _axe_clean(page, "mes inscriptions")

    # Planning: December first (the current month), where past deadlines show « non modifiable ».
    _menu(page, "Mes réservations")
    page.get_by_role("heading", name="Léa — Décembre 2026").wait_for()
    locked = page.get_by_role("radio", name=_aria("Repas classique", LOCKED, "Léa"), exact=True)
    assert locked.is_disabled()
    _says(locked, "^Libre, non modifiable$")
    _axe_clean(page, "planning (décembre)")

    # A month of meals: every school day of January, classique.
    _next_period(page, "Léa — Janvier 2027")
    for day in JANUARY:
        page.get_by_role("radio", name=_aria("Repas classique", day, "Léa"), exact=True).check()
    _axe_clean(page, "planning (janvier coché)")
    _to_recap(page)
    reserved = _section(page, "Seront réservés")
    assert (
        f"Léa — Repas classique — {len(JANUARY)} jours, du lundi 4 janvier 2027 au vendredi 29 janvier 2027"
        in reserved.inner_text()
    )
    assert not Booking.objects.filter(child=lea).exists()  # nothing saved before Valider
    _axe_clean(page, "récapitulatif")
    _valider(page)
    page.get_by_text("Vos réservations sont enregistrées").wait_for()
    _axe_clean(page, "confirmation")
    assert Booking.objects.filter(
        child=lea, unit=town["classique"], state=Booking.State.RESERVED
    ).count() == len(JANUARY)
    recap = mail.outbox[-1]
    assert recap.to == ["claire.martin@exemple.fr"]
    assert recap.subject.startswith("Récapitulatif de vos réservations")
    assert "Léa — Repas classique — lundi 4 janvier 2027" in recap.body

    # Lundi 4 janvier becomes végétarien, « appliquer aussi à » Hugo.
    page.get_by_role("link", name="Retour au planning").click()  # back to the month just reserved
    page.get_by_role("heading", name="Léa — Janvier 2027").wait_for()
    classique = page.get_by_role("radio", name=_aria("Repas classique", SWITCHED, "Léa"), exact=True)
    _says(classique, "^Réservé modifiable jusqu'au mardi 29 décembre à 10h00$")
    page.get_by_role("radio", name=_aria("Repas végétarien", SWITCHED, "Léa"), exact=True).check()
    page.get_by_role("group", name="Appliquer aussi à").get_by_label(
        "les mêmes changements pour Hugo"
    ).check()
    _to_recap(page)
    reserved = _section(page, "Seront réservés").inner_text()
    assert "Léa — Repas végétarien — lundi 4 janvier 2027" in reserved
    assert "Hugo — Repas végétarien — lundi 4 janvier 2027" in reserved
    assert "Léa — Repas classique — lundi 4 janvier 2027" in _section(page, "Seront annulés").inner_text()
    _valider(page)
    assert Booking.objects.get(child=hugo, date=SWITCHED, state=Booking.State.RESERVED).unit == town["vege"]
    page.get_by_role("link", name="Retour au planning").click()
    page.get_by_role("heading", name="Léa — Janvier 2027").wait_for()
    _says(page.get_by_role("radio", name=_aria("Repas végétarien", SWITCHED, "Léa"), exact=True), "^Réservé ")
    _child(page, "Hugo")
    page.get_by_role("heading", name="Hugo — Janvier 2027").wait_for()
    hugo_vege = page.get_by_role("radio", name=_aria("Repas végétarien", SWITCHED, "Hugo"), exact=True)
    assert hugo_vege.is_checked()
    _says(hugo_vege, "^Réservé ")

    # The full evening of lundi 11 janvier: Léa goes on the waiting list.
    _child(page, "Léa")
    page.get_by_role("heading", name="Léa — Janvier 2027").wait_for()
    evening = _aria("Accueil du soir", FULL_DAY, "Léa")
    page.get_by_role("checkbox", name=evening, exact=True).check()
    _to_recap(page)
    waiting = _section(page, "Iront en liste d'attente").inner_text()
    assert "Léa — Accueil du soir — lundi 11 janvier 2027 — liste d'attente n° 1" in waiting
    _valider(page)
    assert "liste d'attente n° 1" in _section(page, "En liste d'attente").inner_text()
    page.get_by_role("link", name="Retour au planning").click()
    page.get_by_role("heading", name="Léa — Janvier 2027").wait_for()
    _says(page.get_by_role("checkbox", name=evening, exact=True), r"^Liste d'attente \(n° 1\) ")

    # Lundi 7 décembre ticked at 9h, Valider clicked at 10h30: refused, with the reason.
    page.get_by_role("button", name=re.compile("Période précédente")).click()
    page.get_by_role("heading", name="Léa — Décembre 2026").wait_for()
    page.get_by_role("radio", name=_aria("Repas classique", LATE, "Léa"), exact=True).check()
    _to_recap(page)
    assert "Léa — Repas classique — lundi 7 décembre 2026" in _section(page, "Seront réservés").inner_text()
    clock.move_to(NOW + timedelta(hours=1, minutes=30))
    _valider(page)
    refused = _section(page, "Refusés").inner_text()
    assert (
        "Le délai pour réserver le lundi 7 décembre 2026 est dépassé (jusqu'au mercredi 2 décembre 2026 à 10h00)."
        in refused
    )
    assert not Booking.objects.filter(child=lea, date=LATE).exists()
    _axe_clean(page, "confirmation avec refus")

    # The service enfance cancels Chloé's evening: Léa's place is confirmed, and Claire is told by email.
    sent = len(mail.outbox)
    bookings_apply(
        child_changes=[
            Change(child=town["chloe"], unit=town["evening"], day=FULL_DAY, action=BookingAction.CANCEL)
        ],
        by=StaffUserFactory(email="agent.enfance@mairie.exemple.fr"),
        as_staff=True,
    )
    page.goto(f"{base}/portail/reservations/?enfant={lea.pk}&debut=2027-01-01")
    page.get_by_role("heading", name="Léa — Janvier 2027").wait_for()
    _says(page.get_by_role("checkbox", name=evening, exact=True), "^Réservé modifiable jusqu'au")
    promoted = [m for m in mail.outbox[sent:] if m.to == ["claire.martin@exemple.fr"]]
    assert len(promoted) == 1
    assert "Place libérée : Léa" in promoted[0].subject
    assert "« Accueil du soir » le lundi 11 janvier 2027" in promoted[0].body
    _axe_clean(page, "planning (janvier, après promotion)")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_parent_enrols_reserves_switches_meal_for_both_children_and_is_promoted_from_the_waiting_list(
    page, clock
):
    _journey(page, clock)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_same_reservations_journey_on_a_phone(phone_page, clock):
    _journey(phone_page, clock)
