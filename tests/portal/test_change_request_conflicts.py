"""Démarches never undo a newer change: approving an old démarche over a changed value is refused, and the same
démarche sent twice stays one démarche."""

from datetime import date

import pytest
from django.urls import reverse

from families.models import ChangeRequest
from families.services.change_requests import (
    ChangeRequestConflict,
    change_request_approve,
    child_add_request,
    coordinates_submit,
)

pytestmark = pytest.mark.django_db


def _move(family, address: str) -> ChangeRequest:
    [cr] = coordinates_submit(
        family=family, family_data={"address_line1": address}, guardians_data={}, by=None
    )
    return cr


def test_approving_an_older_demarche_after_a_newer_one_is_refused(small_town, agent):
    family = small_town["martin"]
    older = _move(family, "3 rue des Acacias")
    newer = _move(family, "12 rue des Lilas")
    change_request_approve(request=newer, by=agent)
    with pytest.raises(ChangeRequestConflict) as refused:
        change_request_approve(request=older, by=agent)
    assert "Le dossier a été modifié depuis cette démarche" in refused.value.messages[0]
    assert "« 12 rue des Lilas »" in refused.value.messages[0]
    family.refresh_from_db()
    older.refresh_from_db()
    assert family.address_line1 == "12 rue des Lilas"
    assert older.status == ChangeRequest.Status.PENDING


def test_a_guardian_value_changed_by_an_agent_blocks_the_old_demarche(small_town, agent):
    family, guardian = small_town["martin"], small_town["martin_parent"]
    [cr] = coordinates_submit(
        family=family, family_data={}, guardians_data={guardian.pk: {"employer": "Mairie"}}, by=None
    )
    guardian.employer = "Hôpital de Pontoise"
    guardian.save()
    with pytest.raises(ChangeRequestConflict):
        change_request_approve(request=cr, by=agent)
    guardian.refresh_from_db()
    assert guardian.employer == "Hôpital de Pontoise"


def test_a_value_already_set_as_asked_is_not_a_conflict(small_town, agent):
    family = small_town["martin"]
    cr = _move(family, "12 rue des Lilas")
    family.address_line1 = "12 rue des Lilas"
    family.save()
    change_request_approve(request=cr, by=agent)
    cr.refresh_from_db()
    assert cr.status == ChangeRequest.Status.APPROVED


def test_the_agent_sees_the_conflict_as_an_error_in_the_backoffice(agent_client, small_town, agent):
    family = small_town["martin"]
    older = _move(family, "3 rue des Acacias")
    change_request_approve(request=_move(family, "12 rue des Lilas"), by=agent)
    response = agent_client.post(
        reverse("admin:families_changerequest_changelist"),
        {"action": "approve", "_selected_action": [older.pk]},
        follow=True,
    )
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert "Le dossier a été modifié depuis cette démarche" in errors[0]
    older.refresh_from_db()
    assert older.status == ChangeRequest.Status.PENDING


def test_twenty_identical_submissions_make_one_pending_demarche(small_town):
    family = small_town["martin"]
    first = _move(family, "12 rue des Lilas")
    again = [_move(family, "12 rue des Lilas") for _ in range(19)]
    assert {cr.pk for cr in again} == {first.pk}
    assert ChangeRequest.objects.filter(family=family, status=ChangeRequest.Status.PENDING).count() == 1


def test_a_different_request_is_a_new_demarche(small_town):
    family = small_town["martin"]
    _move(family, "12 rue des Lilas")
    _move(family, "3 rue des Acacias")
    assert ChangeRequest.objects.filter(family=family, status=ChangeRequest.Status.PENDING).count() == 2


def test_declaring_the_same_child_twice_makes_one_demarche(small_town):
    family = small_town["martin"]
    data = {"first_name": "Inès", "last_name": "Martin", "sex": "f", "birth_date": date(2023, 5, 4)}
    first = child_add_request(family=family, data=data, by=None)
    second = child_add_request(family=family, data=data, by=None)
    assert second.pk == first.pk
    assert ChangeRequest.objects.filter(family=family, kind=ChangeRequest.Kind.NEW_CHILD).count() == 1
