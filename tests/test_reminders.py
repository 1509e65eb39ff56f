"""Rappels before the cut-offs: « il vous reste jusqu'à demain 10h pour réserver la semaine du … » to families who
booked nothing, a holiday period's closing date one week ahead, once per family and period, never to who opted out."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from families.models import ActivityKind, DeadlineKind, ReminderSent
from families.services.bookings import Change, bookings_apply
from families.services.reminders import reminders_send
from tests.factories import AcceptedEnrolmentFactory, ActivityFactory, UnitFactory
from tests.portal.conftest import BACKEND

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# The week of Monday 23 November closes Wednesday 18 November at 10:00 (3 jours ouvrés avant 10h).
TUESDAY_MORNING = datetime(2026, 11, 17, 8, tzinfo=PARIS)


@pytest.fixture
def town(small_town, monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())
    canteen = small_town["canteen"]
    for name in ("lea", "chloe"):
        child = small_town[name]
        child.health_form_confirmed_on = date(2026, 8, 28)
        child.save()
        AcceptedEnrolmentFactory(child=child, activity=canteen)
    # The Bernard family has booked Monday: no reminder for them.
    result = bookings_apply(
        child_changes=[
            Change(
                child=small_town["chloe"],
                unit=canteen.units.get(code="repas-classique"),
                day=date(2026, 11, 23),
            )
        ],
        by=small_town["bernard_parent"].user,
        as_staff=False,
        now=datetime(2026, 11, 10, 9, tzinfo=PARIS),
    )
    assert result.ok
    mail.outbox.clear()
    return small_town


def test_families_who_booked_nothing_are_reminded_the_day_before_the_deadline(town):
    assert reminders_send(now=TUESDAY_MORNING) == 1
    [email] = mail.outbox
    assert email.to == ["claire.martin@exemple.fr"]
    assert (
        "Il vous reste jusqu'à demain 10h00 pour réserver la semaine du lundi 23 novembre 2026" in email.body
    )
    assert "Léa" in email.body
    assert ReminderSent.objects.get().period == "2026-11-23"


def test_running_twice_sends_nothing_more(town):
    reminders_send(now=TUESDAY_MORNING)
    assert reminders_send(now=datetime(2026, 11, 17, 18, tzinfo=PARIS)) == 0
    assert len(mail.outbox) == 1


def test_no_reminder_before_the_eve_of_the_deadline(town):
    assert reminders_send(now=datetime(2026, 11, 16, 8, tzinfo=PARIS)) == 0
    assert mail.outbox == []


def test_a_parent_who_opted_out_in_mon_compte_gets_no_reminder(client, town):
    client.force_login(town["martin_parent"].user, backend=BACKEND)
    response = client.post(reverse("portal:reminders_preference"), {})
    assert response.status_code == 302
    town["martin_parent"].refresh_from_db()
    assert town["martin_parent"].reminders_opt_out is True
    assert reminders_send(now=TUESDAY_MORNING) == 0
    assert not ReminderSent.objects.exists()
    client.post(reverse("portal:reminders_preference"), {"reminders": "on"})
    town["martin_parent"].refresh_from_db()
    assert town["martin_parent"].reminders_opt_out is False


def test_the_holiday_closing_date_is_announced_one_week_ahead(town):
    holidays = ActivityFactory(
        name="Vacances de Noël",
        kind=ActivityKind.VACANCES,
        period_start=date(2026, 12, 21),
        period_end=date(2027, 1, 1),
        add_deadline_kind=DeadlineKind.FIXED,
        add_deadline_at=datetime(2026, 12, 10, 12, tzinfo=PARIS),
    )
    UnitFactory(activity=holidays, label="Journée", code="journee")
    AcceptedEnrolmentFactory(child=town["hugo"], activity=holidays)
    holiday = ReminderSent.objects.filter(kind=ReminderSent.Kind.HOLIDAY)
    reminders_send(
        now=datetime(2026, 12, 1, 9, tzinfo=PARIS)
    )  # nine days ahead: not yet (the canteen's week is)
    assert not holiday.exists()
    mail.outbox.clear()
    reminders_send(now=datetime(2026, 12, 4, 9, tzinfo=PARIS))
    assert holiday.get().family == town["martin"]
    [email] = [e for e in mail.outbox if "Vacances de Noël" in e.subject]
    assert "jusqu'au jeudi 10 décembre 2026 à 12h00" in email.body and "Hugo" in email.body
    reminders_send(now=datetime(2026, 12, 5, 9, tzinfo=PARIS))
    assert holiday.count() == 1


def test_the_cron_command_reports_what_it_sent(db):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "0 rappel(s) envoyé(s)."


def test_the_worker_task_sends_the_same_reminders(db):
    from families.services.reminders import send_reminders_task

    result = send_reminders_task.enqueue()
    assert result.return_value == 0
