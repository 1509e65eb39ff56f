"""The fiche sanitaire must be completed and confirmed each school year before any reservation."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Vaccination
from families.services.health import (
    HealthFormRequired,
    child_assert_can_book,
    child_health_form_is_current,
    health_form_valid_since,
)


def test_confirmations_count_from_first_of_june_before_the_rentree():
    assert health_form_valid_since(day=date(2026, 11, 18)) == date(2026, 6, 1)
    assert health_form_valid_since(day=date(2027, 3, 1)) == date(2026, 6, 1)
    assert health_form_valid_since(day=date(2026, 7, 15)) == date(2025, 6, 1)  # summer holidays: last year's


@pytest.mark.django_db
def test_gate_refuses_booking_without_this_years_confirmation(small_town):
    lea = small_town["lea"]
    lea.health_form_confirmed_on = date(2026, 5, 20)
    with pytest.raises(HealthFormRequired) as exc:
        child_assert_can_book(child=lea, day=date(2026, 9, 7))
    assert "Léa" in exc.value.messages[0]
    assert exc.value.url == reverse("portal:child_health", kwargs={"child_id": lea.pk})
    lea.health_form_confirmed_on = date(2026, 6, 15)
    child_assert_can_book(child=lea, day=date(2026, 9, 7))
    assert child_health_form_is_current(child=lea, day=date(2027, 6, 30))
    assert not child_health_form_is_current(child=lea, day=date(2027, 9, 6))


@pytest.mark.django_db
def test_parent_completes_and_confirms_the_fiche_sanitaire(martin_client, small_town):
    lea = small_town["lea"]
    url = reverse("portal:child_health", kwargs={"child_id": lea.pk})
    assert "aucune réservation n'est possible" in martin_client.get(url).content.decode()
    home = martin_client.get(reverse("portal:home")).content.decode()
    assert "Fiche sanitaire de Léa à compléter" in home
    data = {
        "diet": "vegetarien",
        "allergens": [],
        "allergies_other": "Kiwi",
        "has_pai": "on",
        "pai_details": "",
        "health_notes": "",
        "doctor_name": "",
        "doctor_phone": "",
        "image_rights": "on",
        "vaccins-TOTAL_FORMS": "1",
        "vaccins-INITIAL_FORMS": "0",
        "vaccins-MIN_NUM_FORMS": "0",
        "vaccins-MAX_NUM_FORMS": "30",
        "vaccins-0-vaccine": "dtp",
        "vaccins-0-date": "2018-07-01",
    }
    response = martin_client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Précisez le PAI" in body and "Cochez cette case" in body and "médecin traitant" in body
    assert "Kiwi" in body  # nothing typed is lost
    data.update(
        {
            "pai_details": "Allergie au kiwi, trousse d'urgence",
            "doctor_name": "Dr Lefèvre",
            "doctor_phone": "01 30 40 50 60",
            "confirm": "on",
        }
    )
    response = martin_client.post(url, data)
    assert response.status_code == 302
    lea.refresh_from_db()
    assert lea.health_form_confirmed_on == timezone.localdate()
    assert lea.diet == "vegetarien" and lea.has_pai
    assert Vaccination.objects.filter(child=lea, vaccine="dtp").exists()
    assert "Fiche sanitaire de Léa" not in martin_client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
def test_gate_message_renders_with_a_link_to_the_form(small_town):
    from django.template.loader import render_to_string

    lea = small_town["lea"]
    try:
        child_assert_can_book(child=lea, day=date(2026, 9, 7))
    except HealthFormRequired as gate:
        html = render_to_string("portal/includes/health_gate.html", {"gate": gate})
    assert reverse("portal:child_health", kwargs={"child_id": lea.pk}) in html
    assert "Compléter la fiche sanitaire de Léa" in html
