"""Issue 10 « Présences », in real Chromium: a parent justifies an absence with a certificate and reads « Absent
justifié » once an agent accepts it; an animateur calls the roll on a 360 px phone; an agent closes a strike day
and each family concerned gets one email.

"Now" is frozen in the whole process (the live server runs in a thread of this process)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from families.models import Absence, Booking, Closure, RollCall
from families.services.absences import absence_accept
from families.services.calendar import french_date
from tests.conftest import PASSWORD
from tests.factories import AcceptedEnrolmentFactory, BookingFactory
from tests.portal.conftest import PDF_BYTES

from .conftest import _close, _open_page, axe_violations, format_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)  # délai d'annulation: mercredi 18 novembre 10h00
STRIKE = date(2026, 11, 26)  # jeudi de grève


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        moment = datetime(2026, 11, 23, 7, 45, tzinfo=PARIS)  # lundi matin, délai d'annulation passé

        def move_to(self, moment):
            self.moment = moment

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.moment)
    return frozen


@pytest.fixture
def small_phone(browser, live_server):
    context, page = _open_page(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    _close(context, page)


@pytest.fixture
def canteen(small_town):
    """Léa, Hugo and Chloé at the canteen (fiches sanitaires confirmed); Léa and Chloé reserved on Monday 23."""
    activity = small_town["canteen"]
    units = {u.code: u for u in activity.units.all()}
    for name in ("lea", "hugo", "chloe"):
        child = small_town[name]
        child.health_form_confirmed_on = date(2026, 8, 28)
        child.save()
        AcceptedEnrolmentFactory(child=child, activity=activity)
    for name in ("lea", "chloe"):
        BookingFactory(child=small_town[name], unit=units["repas-classique"], date=MONDAY)
    return {**small_town, "classique": units["repas-classique"], "vege": units["repas-vege"]}


def _axe_clean(page, what: str):
    violations = axe_violations(page)
    assert not violations, f"{what} : {format_violations(violations)}"


def _parent_login(page, email: str):
    page.goto(f"{page.base_url}/portail/connexion/")
    page.get_by_label("Adresse e-mail ou nom d'utilisateur").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Mon accueil").wait_for()


def _staff_login(page, path: str, user):
    page.goto(f"{page.base_url}{path}")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"**{path.split('?')[0]}**")


def test_parent_justifies_an_absence_and_reads_absent_justifie_once_accepted(
    small_phone, canteen, agent, clock
):
    page = small_phone
    lea = canteen["lea"]
    _parent_login(page, "claire.martin@exemple.fr")

    page.get_by_role("link", name="Justifier une absence").click()
    page.get_by_role("heading", name="Justifier une absence", level=1).wait_for()
    page.get_by_label("Enfant").select_option(value=str(lea.pk))
    page.get_by_label("Absent(e) du").fill(MONDAY.isoformat())
    page.get_by_label("au (inclus)").fill(MONDAY.isoformat())
    page.get_by_role("combobox", name=re.compile("^Motif")).select_option(label="Maladie")
    page.get_by_label("Certificat médical").set_input_files(
        {"name": "certificat.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    _axe_clean(page, "formulaire d'absence (360 px)")
    page.get_by_role("button", name="Déclarer l'absence").click()
    page.get_by_text("Le service enfance va vérifier le certificat médical.").wait_for()
    declared = page.get_by_role("region", name="Mes absences déclarées").get_by_role("listitem")
    expect(declared).to_have_count(1)
    expect(declared).to_contain_text("Léa, le lundi 23 novembre 2026")
    expect(declared).to_contain_text("Certificat à vérifier")
    absence = Absence.objects.get(child=lea)
    assert absence.status == Absence.Status.PENDING and absence.certificate_name == "certificat.pdf"
    _axe_clean(page, "absence déclarée (360 px)")

    # The service enfance accepts the certificate; the family is told by email.
    clock.move_to(datetime(2026, 11, 23, 14, tzinfo=PARIS))
    mail.outbox.clear()
    absence_accept(absence=absence, by=agent)
    (told,) = [m for m in mail.outbox if m.to == ["claire.martin@exemple.fr"]]
    assert "justificatif accepté" in told.subject

    page.goto(f"{page.base_url}/portail/reservations/?enfant={lea.pk}&vue=semaine&debut={MONDAY}")
    page.get_by_role("heading", name=re.compile("^Léa")).wait_for()
    meal = page.get_by_role("radio", name=f"Repas classique — {french_date(MONDAY)} — Léa", exact=True)
    expect(meal).to_have_accessible_description(re.compile("^Absent justifié"))
    assert Booking.objects.get(child=lea, date=MONDAY).attendance == Booking.Attendance.EXCUSED


def test_animateur_calls_the_roll_adds_a_child_and_closes_the_day_on_a_small_phone(
    small_phone, canteen, animateur, clock
):
    page = small_phone
    clock.move_to(datetime(2026, 11, 23, 11, 45, tzinfo=PARIS))
    school, activity = canteen["school"], canteen["canteen"]
    _staff_login(page, f"/gestion/appel/?school={school.pk}&activity={activity.pk}&date={MONDAY}", animateur)
    expect(page.get_by_role("heading", level=1)).to_have_text("Appel")

    present = page.get_by_role("button", name="Présent : Léa Martin")
    present.tap()
    expect(present).to_have_attribute("aria-pressed", "true")
    absent = page.get_by_role("button", name="Absent : Chloé Bernard")
    absent.tap()
    expect(absent).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#rc-to-mark")).to_have_text("0")
    _axe_clean(page, "appel pointé (360 px)")

    # Hugo came without a reservation.
    page.get_by_label("Nom ou prénom").fill("Hugo")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name="Ajouter présent").click()
    page.get_by_text("Hugo MARTIN est ajouté(e) présent(e) sans réservation.").wait_for()
    hugo = Booking.objects.get(child=canteen["hugo"], date=MONDAY)
    assert hugo.walk_in and hugo.attendance == Booking.Attendance.PRESENT
    expect(page.get_by_role("button", name="Présent : Hugo Martin")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="Clôturer l'appel").click()
    page.get_by_text("L'appel est clôturé.").wait_for()
    expect(page.get_by_role("button", name="Présent : Léa Martin")).to_have_count(0)  # locked for animateurs
    assert RollCall.objects.get(school=school, activity=activity, date=MONDAY).closed_by == animateur
    attendance = dict(Booking.objects.filter(date=MONDAY).values_list("child__first_name", "attendance"))
    assert attendance == {"Léa": "present", "Chloé": "absent", "Hugo": "present"}
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"la page déborde ({width} px)"
    _axe_clean(page, "appel clôturé (360 px)")


def test_agent_cancels_a_strike_day_and_each_family_gets_one_email(page, canteen, agent, clock):
    clock.move_to(datetime(2026, 11, 16, 9, tzinfo=PARIS))
    for name in ("lea", "hugo", "chloe"):
        BookingFactory(child=canteen[name], unit=canteen["classique"], date=STRIKE)
    _staff_login(page, "/gestion/annulation-groupee/", agent)

    page.get_by_label("Du").fill(STRIKE.isoformat())
    page.get_by_label("Activité").select_option(label=str(canteen["canteen"]))
    page.get_by_label("Motif (lu par les familles)").fill("Grève du personnel de restauration")
    page.get_by_role("button", name="Voir les réservations concernées").click()
    page.get_by_text("3 réservation(s) de 2 famille(s) seront annulées.").wait_for()
    mail.outbox.clear()
    page.get_by_role("button", name="Confirmer la fermeture").click()
    page.get_by_text(
        "Fermeture enregistrée : 3 réservation(s) annulée(s), 2 famille(s) prévenue(s)."
    ).wait_for()

    assert set(Booking.objects.filter(date=STRIKE).values_list("state", flat=True)) == {Booking.State.CLOSURE}
    assert Closure.objects.get().reason == "Grève du personnel de restauration"
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["claire.martin@exemple.fr", "sophie.bernard@exemple.fr"]
