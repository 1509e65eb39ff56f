"""« Justifier une absence » in the portal and the back-office: the parent's form (from the phone, the same
morning), the agenda of Mon accueil and of a child, the review queue and who may open a certificate."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Absence, Booking
from families.selectors_agenda import family_agenda
from families.services.absences import absence_declare
from tests.factories import BookingFactory
from tests.portal.conftest import BACKEND, exe_file, pdf_file
from tests.test_absences import MONDAY, SAME_MORNING, absence_town, booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(small_town, monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())
    return absence_town(small_town)


@pytest.fixture
def parent(client, town):
    client.force_login(town["parent"], backend=BACKEND)
    return client


def _post(client, town, **overrides):
    data = {
        "child": town["lea"].pk,
        "start": MONDAY.isoformat(),
        "end": MONDAY.isoformat(),
        "reason": "illness",
        "comment": "Fièvre",
    }
    data.update(overrides)
    return client.post(reverse("portal:absences"), data)


def test_parent_declares_an_illness_with_a_photo_of_the_certificate(parent, town):
    response = _post(parent, town, certificate=pdf_file("certif.pdf"))
    assert response.status_code == 302 and response.url == reverse("portal:absences")
    absence = Absence.objects.get()
    assert absence.status == Absence.Status.PENDING and absence.comment == "Fièvre"
    assert booking(town, MONDAY).attendance == Booking.Attendance.ABSENT
    page = parent.get(reverse("portal:absences")).content.decode()
    assert "Certificat à vérifier" in page
    download = parent.get(reverse("portal:absence_certificate", args=[absence.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": (MONDAY - timedelta(days=1)).isoformat()}, "même jour que son début"),
        ({"end": (MONDAY + timedelta(days=100)).isoformat()}, "93 jours au plus"),
        ({"start": "2027-07-10", "end": "2027-07-12"}, "aucune inscription acceptée"),
        ({"certificate": "exe"}, "PDF ou une photo"),
    ],
)
def test_bad_input_re_renders_the_form_with_a_french_message_and_keeps_the_values(
    parent, town, overrides, message
):
    if overrides.get("certificate") == "exe":
        overrides = {"certificate": exe_file("certificat.pdf")}
    response = _post(parent, town, **overrides)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Fièvre" in page  # nothing the parent typed is lost
    assert not Absence.objects.exists()


def test_a_parent_cannot_declare_for_or_open_the_certificate_of_another_family(parent, town, client):
    response = _post(parent, town, child=town["chloe"].pk)
    assert response.status_code == 400 and not Absence.objects.exists()
    absence = absence_declare(
        child=town["chloe"],
        start=MONDAY,
        end=MONDAY,
        reason="illness",
        certificate=pdf_file(),
        by=town["bernard_parent"].user,
        now=SAME_MORNING,
    )
    assert parent.get(reverse("portal:absence_certificate", args=[absence.pk])).status_code == 404
    assert parent.get(reverse("portal:child_agenda", args=[town["chloe"].pk])).status_code == 404


def test_mon_accueil_and_the_child_page_show_coming_reservations_and_past_attendance(parent, town):
    today = timezone.localdate()
    lea, unit = town["lea"], town["classique"]
    BookingFactory(child=lea, unit=unit, date=today + timedelta(days=1))
    BookingFactory(
        child=lea, unit=unit, date=today - timedelta(days=1), attendance=Booking.Attendance.EXCUSED
    )
    BookingFactory(
        child=lea, unit=unit, date=today - timedelta(days=2), attendance=Booking.Attendance.PRESENT
    )
    home = parent.get(reverse("portal:home")).content.decode()
    assert "Prochains jours réservés" in home
    assert "Absence justifiée" in home and "Présent" in home
    page = parent.get(reverse("portal:child_agenda", args=[lea.pk])).content.decode()
    assert "Agenda de Léa" in page and "Absence justifiée" in page


def test_the_agenda_keeps_ten_days_each_way_in_one_query(town, django_assert_num_queries):
    hugo, unit = town["hugo"], town["classique"]
    today = MONDAY
    for offset in range(0, 15):
        BookingFactory(child=hugo, unit=unit, date=today + timedelta(days=offset))
        BookingFactory(child=hugo, unit=unit, date=today - timedelta(days=offset + 1))
    with django_assert_num_queries(1):
        agenda = family_agenda(family=town["martin"], child=hugo, today=today)
    assert [line.day for line in agenda.coming] == [today + timedelta(days=i) for i in range(10)]
    assert [line.day for line in agenda.past] == [today - timedelta(days=i) for i in range(10, 0, -1)]


# --- back-office --------------------------------------------------------------------------------------------------


def _pending(town):
    return absence_declare(
        child=town["lea"],
        start=MONDAY,
        end=MONDAY,
        reason="illness",
        certificate=pdf_file(),
        by=town["parent"],
        now=SAME_MORNING,
    )


def test_the_dashboard_lists_absences_to_justify(client, agent, town):
    _pending(town)
    client.force_login(agent, backend=BACKEND)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Absences à justifier" in page


def test_only_staff_with_the_health_permission_open_the_certificate(client, agent, regisseur, town):
    absence = _pending(town)
    url = reverse("admin:families_absence_certificate", args=[absence.pk])
    client.force_login(regisseur, backend=BACKEND)
    assert client.get(url).status_code == 403
    client.force_login(agent, backend=BACKEND)
    assert client.get(url).status_code == 200


def test_the_review_screen_links_the_certificate(client, agent, town):
    absence = _pending(town)
    client.force_login(agent, backend=BACKEND)
    page = client.get(reverse("admin:families_absence_change", args=[absence.pk])).content.decode()
    assert reverse("admin:families_absence_certificate", args=[absence.pk]) in page
    assert "Certificat à vérifier" in page


def test_agent_accepts_absences_from_the_admin_list(client, agent, town):
    absence = _pending(town)
    client.force_login(agent, backend=BACKEND)
    response = client.post(
        reverse("admin:families_absence_changelist"), {"action": "accept", "_selected_action": [absence.pk]}
    )
    assert response.status_code == 302
    absence.refresh_from_db()
    assert absence.status == Absence.Status.ACCEPTED
    assert booking(town, MONDAY).attendance == Booking.Attendance.EXCUSED


def test_staff_api_rejects_with_a_reason(client, agent, town):
    absence = _pending(town)
    client.force_login(agent, backend=BACKEND)
    url = f"/api/v1/absences/{absence.pk}/reject/"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"reason": "Certificat illisible"}, content_type="application/json")
    assert response.status_code == 200
    absence.refresh_from_db()
    assert absence.status == Absence.Status.REJECTED
    assert client.post(url, {"reason": "encore"}, content_type="application/json").status_code == 409
