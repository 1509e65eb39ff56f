"""Annulation groupée: an agent closes a day for a site (grève); the bookings become « fermeture », each family gets
one email, the fermeture is in the opening calendar, and it can be undone while the day has not come."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from families.models import Booking, Closure, ClosureBooking
from families.services.bookings import Change, bookings_apply
from families.services.closures import closure_apply, closure_revert
from tests.factories import AcceptedEnrolmentFactory, BookingFactory, SchoolFactory

from .conftest import login, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def strike(small_town):
    """Léa and Hugo (same family) and Chloé reserved at the canteen next week; a child of another school too."""
    day = timezone.localdate() + timedelta(days=7)
    canteen = small_town["canteen"]
    units = {u.code: u for u in canteen.units.all()}
    bookings = {
        name: BookingFactory(child=small_town[name], unit=units["repas-classique"], date=day)
        for name in ("lea", "hugo", "chloe")
    }
    other = BookingFactory(
        child__school=SchoolFactory(name="École maternelle Les Tilleuls"),
        unit=units["repas-classique"],
        date=day,
    )
    return {
        **small_town,
        "day": day,
        "bookings": bookings,
        "other": other,
        "classique": units["repas-classique"],
    }


def test_a_strike_cancels_the_site_bookings_as_closure_and_emails_each_family_once(strike, agent):
    result = closure_apply(
        start_date=strike["day"],
        reason="Grève des agents de restauration",
        by=agent,
        school=strike["school"],
        activity=strike["canteen"],
    )
    assert (result.bookings, result.families) == (3, 2)
    for booking in strike["bookings"].values():
        booking = reload(booking)
        assert booking.state == Booking.State.CLOSURE
        assert booking.history.first().history_user == agent
    assert reload(strike["other"]).state == Booking.State.RESERVED  # another school
    assert len(mail.outbox) == 2
    martin = next(m for m in mail.outbox if "claire.martin@exemple.fr" in m.to)
    assert "Grève des agents de restauration" in martin.subject
    assert "Léa" in martin.body and "Hugo" in martin.body and "pas facturées" in martin.body
    closure = Closure.objects.get()
    assert (closure.school, closure.activity, closure.created_by) == (
        strike["school"],
        strike["canteen"],
        agent,
    )


def test_a_parent_cannot_book_a_closed_day_again(strike, agent):
    closure_apply(start_date=strike["day"], reason="Grève", by=agent, school=strike["school"])
    AcceptedEnrolmentFactory(child=strike["lea"], activity=strike["canteen"])
    result = bookings_apply(
        child_changes=[Change(child=strike["lea"], unit=strike["classique"], day=strike["day"])],
        by=agent,
        as_staff=True,
    )
    assert [r.code for r in result.refused] == ["closed"]


def test_a_bulk_cancellation_on_a_past_day_is_refused_in_french(small_town, agent):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="est passé : on n'annule pas un jour passé"):
        closure_apply(start_date=yesterday, reason="Grève", by=agent)
    assert not Closure.objects.exists()


def test_undoing_the_fermeture_restores_the_bookings_and_tells_the_families(strike, agent):
    waiting = BookingFactory(
        child=strike["lea"],
        unit=strike["canteen"].units.get(code="repas-vege"),
        date=strike["day"],
        state=Booking.State.WAITING,
        waiting_since=timezone.now(),
    )
    result = closure_apply(start_date=strike["day"], reason="Grève", by=agent, school=strike["school"])
    mail.outbox.clear()
    closure_revert(closure=result.closure, by=agent)
    assert all(reload(b).state == Booking.State.RESERVED for b in strike["bookings"].values())
    assert reload(waiting).state == Booking.State.WAITING and reload(waiting).waiting_since is not None
    assert not Closure.objects.exists() and not ClosureBooking.objects.exists()
    assert len(mail.outbox) == 2 and "rétablies" in mail.outbox[0].subject


def test_a_fermeture_that_has_started_cannot_be_undone(strike, agent):
    closure = Closure.objects.create(
        start_date=date(2026, 11, 20), end_date=date(2026, 11, 20), reason="Grève"
    )
    with pytest.raises(ValidationError, match="a commencé"):
        closure_revert(closure=closure, by=agent)


def test_the_screen_previews_then_confirms(client, agent, strike):
    login(client, agent)
    data = {
        "start_date": strike["day"].isoformat(),
        "school": strike["school"].pk,
        "reason": "Sortie scolaire",
    }
    page = client.post(reverse("staff:bulk_cancel"), data).content.decode()
    assert "3 réservation(s) de 2 famille(s) seront annulées" in page
    assert Booking.objects.filter(state=Booking.State.CLOSURE).count() == 0
    response = client.post(reverse("staff:bulk_cancel"), {**data, "confirm": "1"})
    assert response.status_code == 302
    assert Booking.objects.filter(state=Booking.State.CLOSURE).count() == 3
    closure = Closure.objects.get()
    page = client.get(reverse("staff:bulk_cancel")).content.decode()
    assert "Sortie scolaire" in page
    client.post(reverse("staff:bulk_cancel_revert", args=[closure.pk]))
    assert Booking.objects.filter(state=Booking.State.CLOSURE).count() == 0


def test_the_screen_refuses_a_past_day_in_french(client, agent, small_town):
    login(client, agent)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("staff:bulk_cancel"), {"start_date": yesterday.isoformat(), "reason": "Grève", "confirm": "1"}
    )
    assert response.status_code == 200
    assert "on n&#x27;annule pas un jour passé" in response.content.decode()
    assert not Closure.objects.exists()


def test_animateur_cannot_cancel_in_bulk(client, animateur):
    assert login(client, animateur).get(reverse("staff:bulk_cancel")).status_code == 403
