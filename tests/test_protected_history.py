"""What was recorded stays recorded: deleting a family, a child, a school or the guichet journal never erases history.

Families, children and inscriptions are PROTECTed (a family leaving the town is archived with « dossier actif »);
what only describes the dossier today (responsables légaux, entourage, vaccinations, clés famille) still goes
with it, so a family created by mistake can be deleted while it has nothing else."""

from datetime import date

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from cms.models import MenuWeek
from families.models import (
    Child,
    Contact,
    Enrolment,
    Family,
    FamilyAccessKey,
    FamilyDocument,
    Guardian,
    GuichetAction,
)

from .factories import ContactFactory, FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db


def _enrol(child, activity) -> Enrolment:
    return Enrolment.objects.create(
        child=child, activity=activity, start_date=date(2026, 9, 1), status=Enrolment.Status.ACCEPTED
    )


def test_deleting_a_family_with_children_is_a_409_and_keeps_everything(client, agent, small_town):
    martin = small_town["martin"]
    client.force_login(agent)
    response = client.delete(f"/api/v1/families/{martin.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Suppression impossible : des données en dépendent (enfants)."
    assert Family.objects.filter(pk=martin.pk).exists()
    assert Child.objects.filter(family=martin).count() == 2
    assert Guardian.objects.filter(family=martin).count() == 1


def test_deleting_a_child_with_an_inscription_is_a_409(client, agent, small_town):
    lea = small_town["lea"]
    _enrol(lea, small_town["canteen"])
    client.force_login(agent)
    response = client.delete(f"/api/v1/children/{lea.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Suppression impossible : des données en dépendent (inscriptions)."
    assert Enrolment.objects.filter(child=lea).count() == 1


def test_agent_deleting_a_family_in_the_backoffice_sees_what_protects_it(client, agent, small_town):
    martin = small_town["martin"]
    client.force_login(agent)
    url = reverse("admin:families_family_delete", args=[martin.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Impossible de supprimer famille" in html
    assert "suppression des objets liés et protégés suivants" in html
    assert "Léa MARTIN" in html and "Hugo MARTIN" in html
    refused = client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    assert Family.objects.filter(pk=martin.pk).exists()


def test_a_family_created_by_mistake_is_deleted_with_its_guardians_contacts_and_keys(client, agent):
    family = FamilyFactory(name="DOUBLON Test")
    GuardianFactory(family=family)
    ContactFactory(family=family)
    FamilyAccessKey.objects.create(family=family, key_hash="x" * 64, hint="ABCD")
    client.force_login(agent)
    assert client.delete(f"/api/v1/families/{family.pk}/").status_code == 204
    assert not Guardian.objects.filter(family_id=family.pk).exists()
    assert not Contact.objects.filter(family_id=family.pk).exists()
    assert not FamilyAccessKey.objects.filter(family_id=family.pk).exists()


def test_a_family_with_documents_or_demarches_is_not_deleted(small_town):
    bernard = small_town["bernard"]
    bernard.children.all().delete()
    FamilyDocument.objects.create(family=bernard, kind="avis_imposition", file="documents/x.pdf")
    with pytest.raises(ProtectedError):
        bernard.delete()
    FamilyDocument.objects.filter(family=bernard).update(family=small_town["martin"])
    bernard.change_requests.create(kind="coordinates", payload={"family": {"commune": "Frépillon"}})
    with pytest.raises(ProtectedError):
        bernard.delete()


def test_the_guichet_journal_cannot_be_deleted_by_anyone(client, agent, town_admin, small_town):
    martin = small_town["martin"]
    entry = GuichetAction.objects.create(family=martin, agent=agent, action="Réservation du 3 décembre")
    with pytest.raises(ProtectedError):
        entry.delete()
    with pytest.raises(ProtectedError):
        GuichetAction.objects.all().delete()
    with pytest.raises(ProtectedError):
        agent.delete()
    martin.children.all().delete()
    with pytest.raises(ProtectedError):
        martin.delete()
    assert not agent.has_perm("families.delete_guichetaction")
    client.force_login(town_admin)
    assert client.get(reverse("admin:families_guichetaction_delete", args=[entry.pk])).status_code == 403
    changelist = client.post(
        reverse("admin:families_guichetaction_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert changelist.status_code == 200
    assert GuichetAction.objects.filter(pk=entry.pk).exists()


def test_deleting_a_school_with_menus_is_refused(small_town):
    school = small_town["school"]
    Child.objects.filter(school=school).update(school=None)
    MenuWeek.objects.create(restaurant=school, week_start=date(2026, 11, 30))
    with pytest.raises(ProtectedError):
        school.delete()
    assert MenuWeek.objects.filter(restaurant=school).count() == 1
