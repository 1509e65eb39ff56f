"""A fiche sanitaire is complete when a PAI is described and a médecin traitant named; the rule lives in the
health service, so the portal form and any other caller apply the same one."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from families.forms import ChildHealthForm
from families.services.health import child_health_form_confirm, health_form_missing

pytestmark = pytest.mark.django_db


def test_a_pai_without_details_and_no_doctor_are_both_missing():
    assert health_form_missing(has_pai=True, pai_details="  ", doctor_name="") == {
        "pai_details": "Précisez le PAI (allergie, traitement, protocole).",
        "doctor_name": "Indiquez le médecin traitant (ou « aucun »).",
    }
    assert health_form_missing(has_pai=False, pai_details="", doctor_name="aucun") == {}


def test_an_incomplete_fiche_cannot_be_confirmed_even_without_the_form(small_town):
    lea = small_town["lea"]
    lea.has_pai, lea.pai_details, lea.doctor_name = True, "", "Dr Lemoine"
    lea.save()
    with pytest.raises(ValidationError) as refused:
        child_health_form_confirm(child=lea, today=date(2026, 9, 2))
    assert refused.value.message_dict == {
        "pai_details": ["Précisez le PAI (allergie, traitement, protocole)."]
    }
    lea.refresh_from_db()
    assert lea.health_form_confirmed_on is None


def test_the_portal_form_shows_the_services_messages_on_their_fields(small_town):
    form = ChildHealthForm(
        {"diet": "classique", "has_pai": "on", "pai_details": "", "doctor_name": "", "confirm": "on"},
        instance=small_town["lea"],
    )
    assert not form.is_valid()
    assert form.errors["pai_details"] == ["Précisez le PAI (allergie, traitement, protocole)."]
    assert form.errors["doctor_name"] == ["Indiquez le médecin traitant (ou « aucun »)."]
