"""Démarches: coordonnées changes and new children wait for staff, who approve (applied, with history) or refuse."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import ChangeRequest, Child
from families.services.change_requests import (
    change_request_approve,
    change_request_refuse,
    child_add_request,
    coordinates_submit,
)


def _coordinates_post(family, guardian, **changes):
    data = {f: getattr(family, f) for f in ("address_line1", "address_line2", "postcode", "commune")}
    for f in ("email", "phone_mobile", "phone_home", "phone_work", "employer", "profession"):
        data[f"g{guardian.pk}_{f}"] = getattr(guardian, f)
    data.update(changes)
    return data


@pytest.mark.django_db
def test_address_change_becomes_a_pending_demarche(martin_client, small_town):
    family, guardian = small_town["martin"], small_town["martin_parent"]
    old_address = family.address_line1
    response = martin_client.post(
        reverse("portal:coordinates"),
        _coordinates_post(
            family,
            guardian,
            address_line1="12 rue des Lilas",
            **{f"g{guardian.pk}_phone_mobile": "07 01 02 03 04"},
        ),
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.address_line1 == old_address
    cr = ChangeRequest.objects.get(family=family)
    assert cr.status == ChangeRequest.Status.PENDING
    assert cr.payload == {
        "family": {"address_line1": "12 rue des Lilas"},
        "guardians": {str(guardian.pk): {"phone_mobile": "07 01 02 03 04"}},
    }
    assert "en attente" in martin_client.get(reverse("portal:dossier")).content.decode()


@pytest.mark.django_db
def test_invalid_coordinates_re_render_with_french_errors_and_typed_values(martin_client, small_town):
    family, guardian = small_town["martin"], small_town["martin_parent"]
    response = martin_client.post(
        reverse("portal:coordinates"),
        _coordinates_post(family, guardian, postcode="ABCDE", address_line1="12 rue des Lilas"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "code postal français valide" in body
    assert 'value="12 rue des Lilas"' in body
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db
def test_approval_applies_the_change_and_keeps_history(small_town, agent):
    family, guardian = small_town["martin"], small_town["martin_parent"]
    old = family.address_line1
    [cr] = coordinates_submit(
        family=family,
        family_data={"address_line1": "12 rue des Lilas"},
        guardians_data={guardian.pk: {"employer": "Mairie"}},
        by=guardian.user,
    )
    mail.outbox.clear()
    change_request_approve(request=cr, by=agent)
    family.refresh_from_db()
    guardian.refresh_from_db()
    cr.refresh_from_db()
    assert family.address_line1 == "12 rue des Lilas" and guardian.employer == "Mairie"
    assert cr.status == ChangeRequest.Status.APPROVED and cr.decided_by == agent
    assert cr.previous["family"]["address_line1"] == old
    assert family.history.first().history_change_reason == f"Démarche n° {cr.pk}"
    assert mail.outbox and mail.outbox[0].to == [guardian.user.email]
    with pytest.raises(ValidationError):
        change_request_approve(request=cr, by=agent)


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_changes_nothing(small_town, agent):
    family, guardian = small_town["martin"], small_town["martin_parent"]
    [cr] = coordinates_submit(
        family=family, family_data={"commune": "Taverny"}, guardians_data={}, by=guardian.user
    )
    with pytest.raises(ValidationError):
        change_request_refuse(request=cr, by=agent, reason="  ")
    change_request_refuse(request=cr, by=agent, reason="Justificatif de domicile manquant")
    family.refresh_from_db()
    cr.refresh_from_db()
    assert family.commune == "Bessancourt"
    assert cr.status == ChangeRequest.Status.REFUSED and cr.reason == "Justificatif de domicile manquant"
    assert "Justificatif de domicile manquant" in mail.outbox[-1].body


@pytest.mark.django_db
def test_town_setting_lets_phones_apply_immediately(small_town, settings):
    settings.PORTAIL_IMMEDIATE_FIELDS = ["phones"]
    family, guardian = small_town["martin"], small_town["martin_parent"]
    created = coordinates_submit(
        family=family,
        family_data={"commune": "Méry-sur-Oise"},
        guardians_data={guardian.pk: {"phone_mobile": "07 01 02 03 04"}},
        by=guardian.user,
    )
    assert [cr.status for cr in created] == [ChangeRequest.Status.APPLIED, ChangeRequest.Status.PENDING]
    guardian.refresh_from_db()
    family.refresh_from_db()
    assert guardian.phone_mobile == "07 01 02 03 04"
    assert family.commune == "Bessancourt"


@pytest.mark.django_db
def test_guardian_of_another_family_cannot_be_changed(small_town):
    with pytest.raises(ValidationError):
        coordinates_submit(
            family=small_town["martin"],
            family_data={},
            guardians_data={small_town["bernard_parent"].pk: {"employer": "X"}},
            by=None,
        )


@pytest.mark.django_db
def test_new_child_is_a_demarche_added_on_approval(martin_client, small_town, agent):
    response = martin_client.post(
        reverse("portal:child_add"),
        {
            "first_name": "Zoé",
            "last_name": "Martin",
            "sex": "f",
            "birth_date": "2023-04-02",
            "school": small_town["school"].pk,
        },
    )
    assert response.status_code == 302
    cr = ChangeRequest.objects.get(kind=ChangeRequest.Kind.NEW_CHILD)
    assert not Child.objects.filter(first_name="Zoé").exists()
    change_request_approve(request=cr, by=agent)
    zoe = Child.objects.get(first_name="Zoé")
    assert zoe.family == small_town["martin"] and zoe.birth_date == date(2023, 4, 2)


@pytest.mark.django_db
def test_new_child_request_service_accepts_model_instances(small_town):
    cr = child_add_request(
        family=small_town["martin"],
        data={
            "first_name": "Noé",
            "last_name": "Martin",
            "birth_date": date(2022, 1, 1),
            "school": small_town["school"],
        },
        by=None,
    )
    assert cr.payload["school"] == small_town["school"].pk and cr.payload["birth_date"] == "2022-01-01"


@pytest.mark.django_db
def test_staff_decide_in_the_backoffice_with_a_reason(agent_client, small_town):
    family = small_town["martin"]
    [cr] = coordinates_submit(family=family, family_data={"commune": "Taverny"}, guardians_data={}, by=None)
    url = reverse("admin:families_changerequest_change", args=[cr.pk])
    page = agent_client.get(url).content.decode()
    assert "Taverny" in page
    response = agent_client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200 and "Indiquez le motif du refus" in response.content.decode()
    response = agent_client.post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.commune == "Taverny"
