"""A parent declares an absence: days before the délai d'annulation are cancelled, later ones become « absent »
and, with a certificat médical accepted by the service, « absence justifiée »."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from families.models import Absence, Booking
from families.services.absences import absence_accept, absence_declare, absence_reject
from families.services.bookings import Change, bookings_apply
from tests.factories import AcceptedEnrolmentFactory
from tests.portal.conftest import exe_file, pdf_file, png_file

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)  # délai d'annulation: 3 jours ouvrés avant 10h → mercredi 18 novembre 10h00
WEEK = [MONDAY + timedelta(days=i) for i in (0, 1, 3, 4)]
BEFORE_DEADLINE = datetime(2026, 11, 16, 9, tzinfo=PARIS)
SAME_MORNING = datetime(2026, 11, 23, 7, 45, tzinfo=PARIS)


def absence_town(small_town) -> dict:
    """Léa, Hugo and Chloé enrolled at the canteen; Léa has the week of Monday 23 November reserved."""
    canteen = small_town["canteen"]
    classique = canteen.units.get(code="repas-classique")
    for name in ("lea", "hugo", "chloe"):
        child = small_town[name]
        child.health_form_confirmed_on = date(2026, 8, 28)
        child.save()
        AcceptedEnrolmentFactory(child=child, activity=canteen)
    parent = small_town["martin_parent"].user
    result = bookings_apply(
        child_changes=[Change(child=small_town["lea"], unit=classique, day=d) for d in WEEK],
        by=parent,
        as_staff=False,
        now=BEFORE_DEADLINE,
    )
    assert result.ok
    return {**small_town, "classique": classique, "parent": parent}


@pytest.fixture
def town(small_town, monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())
    return absence_town(small_town)


def booking(town, day):
    return Booking.objects.filter(child=town["lea"], unit=town["classique"], date=day).latest("pk")


def declare(
    town, *, start=MONDAY, end=MONDAY, reason=Absence.Reason.ILLNESS, certificate=None, now=SAME_MORNING
):
    return absence_declare(
        child=town["lea"],
        start=start,
        end=end,
        reason=reason,
        certificate=certificate,
        by=town["parent"],
        now=now,
    )


def test_absence_declared_before_the_deadline_simply_cancels_the_days(town):
    absence = declare(town, end=WEEK[-1], reason=Absence.Reason.FAMILY, now=BEFORE_DEADLINE)
    assert absence.status == Absence.Status.CANCELLED
    assert absence.cancelled_days == 4 and absence.absent_days == 0
    assert {booking(town, d).state for d in WEEK} == {Booking.State.CANCELLED}


def test_same_morning_illness_marks_the_day_absent_awaiting_the_certificate(town):
    absence = declare(town, certificate=pdf_file("certificat.pdf"))
    assert absence.status == Absence.Status.PENDING
    assert absence.certificate_name == "certificat.pdf"
    monday = booking(town, MONDAY)
    assert monday.state == Booking.State.RESERVED
    assert monday.attendance == Booking.Attendance.ABSENT
    assert monday.history.first().history_user == town["parent"]


def test_a_range_straddling_the_deadline_cancels_what_it_can_and_marks_the_rest_absent(town):
    # Thursday 19 November: Monday 23 and Tuesday 24 are past their délai, Thursday 26 and Friday 27 are not.
    absence = declare(town, end=WEEK[-1], now=datetime(2026, 11, 19, 12, tzinfo=PARIS))
    assert (absence.absent_days, absence.cancelled_days) == (2, 2)
    assert absence.status == Absence.Status.UNJUSTIFIED
    assert booking(town, WEEK[1]).attendance == Booking.Attendance.ABSENT
    assert booking(town, WEEK[2]).state == Booking.State.CANCELLED


def test_staff_accepting_the_certificate_excuses_the_days(town, agent):
    absence = declare(town, certificate=png_file())
    absence_accept(absence=absence, by=agent)
    absence.refresh_from_db()
    assert absence.status == Absence.Status.ACCEPTED and absence.reviewed_by == agent
    assert booking(town, MONDAY).attendance == Booking.Attendance.EXCUSED


def test_staff_refusing_keeps_the_days_absent_with_the_reason(town, agent):
    absence = declare(town, certificate=pdf_file())
    absence_reject(absence=absence, by=agent, reason="Certificat illisible")
    absence.refresh_from_db()
    assert absence.status == Absence.Status.REJECTED
    assert absence.rejection_reason == "Certificat illisible"
    assert booking(town, MONDAY).attendance == Booking.Attendance.ABSENT


def test_the_family_is_told_when_the_certificate_is_accepted(town, agent):
    absence = declare(town, certificate=pdf_file())
    mail.outbox.clear()  # the alert to the service enfance
    absence_accept(absence=absence, by=agent)
    (message,) = mail.outbox
    assert message.to == [town["parent"].email]
    assert "Léa" in message.subject and "justificatif accepté" in message.subject
    assert "lundi 23 novembre 2026" in message.body and "ne sont pas facturés" in message.body


def test_the_family_reads_why_the_certificate_is_refused(town, agent):
    absence = declare(town, certificate=pdf_file())
    mail.outbox.clear()
    absence_reject(absence=absence, by=agent, reason="Certificat illisible")
    (message,) = mail.outbox
    assert message.to == [town["parent"].email]
    assert "justificatif refusé" in message.subject
    assert "Motif : Certificat illisible" in message.body
    assert "Certificat illisible" in message.alternatives[0][0]


def test_refusing_needs_a_reason_and_a_decision_is_taken_once(town, agent):
    absence = declare(town, certificate=pdf_file())
    with pytest.raises(ValidationError):
        absence_reject(absence=absence, by=agent, reason="  ")
    absence_accept(absence=absence, by=agent)
    with pytest.raises(ValidationError, match="déjà été traitée"):
        absence_reject(absence=absence, by=agent, reason="Trop tard")


def test_a_day_already_pointed_present_stays_present(town):
    monday = booking(town, MONDAY)
    monday.attendance = Booking.Attendance.PRESENT
    monday.save()
    absence = declare(town)
    assert absence.status == Absence.Status.CANCELLED and absence.absent_days == 0
    assert booking(town, MONDAY).attendance == Booking.Attendance.PRESENT


# --- bad input -----------------------------------------------------------------------------------------------------


def _errors(town, **kwargs) -> dict:
    with pytest.raises(ValidationError) as info:
        declare(town, **kwargs)
    assert not Absence.objects.exists()
    assert booking(town, MONDAY).attendance == Booking.Attendance.UNKNOWN
    return info.value.message_dict


def test_end_before_start_is_refused(town):
    assert "même jour que son début" in _errors(town, start=MONDAY, end=MONDAY - timedelta(days=1))["end"][0]


def test_a_range_over_93_days_is_refused(town):
    assert "93 jours au plus" in _errors(town, start=MONDAY, end=MONDAY + timedelta(days=93))["end"][0]


def test_a_range_outside_any_enrolment_is_refused(town):
    errors = _errors(town, start=date(2027, 7, 10), end=date(2027, 7, 20))
    assert "aucune inscription acceptée" in errors["start"][0]


def test_a_certificate_that_is_not_a_pdf_or_photo_is_refused(town):
    assert "PDF ou une photo" in _errors(town, certificate=exe_file("certificat.pdf"))["certificate"][0]


def test_a_certificate_over_10_mo_is_refused(town):
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 2**20), content_type="application/pdf")
    assert "10 Mo maximum" in _errors(town, certificate=big)["certificate"][0]
