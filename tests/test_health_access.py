"""Health data by need (RGPD art. 9): only agents, animateurs and administrators see a child's fiche sanitaire,
vaccinations and medical documents, on every surface of the back-office, the API and the exports.

Each role-matrix test records, for every role, what the page answered and whether health data was in it."""

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from backoffice import roles
from backoffice.admin import site
from backoffice.crud import registry
from families.models import Allergen, Child, Conversation, Vaccination
from families.services.documents import document_upload
from families.services.messaging import conversation_start
from tests.factories import StaffUserFactory
from tests.portal.conftest import PDF_BYTES, pdf_file

pytestmark = pytest.mark.django_db

ROLES = ("agent", "regisseur", "animateur", "communication", "town_admin")
HEALTH_MARKERS = ("Anapen", "Ventoline", "Vasseur")  # from the PAI, the health notes and the doctor
HEALTH_FIELDS = {
    "diet",
    "allergens",
    "allergies_other",
    "has_pai",
    "pai_details",
    "health_notes",
    "doctor_name",
    "doctor_phone",
}


@pytest.fixture
def lea(small_town):
    """Léa has a PAI for a peanut allergy, asthma, a doctor and her DTP vaccine."""
    lea = small_town["lea"]
    lea.diet = "vegetarien"
    lea.has_pai = True
    lea.pai_details = "Allergie sévère à l'arachide : stylo Anapen dans la trousse"
    lea.allergies_other = "Kiwi"
    lea.health_notes = "Asthme d'effort, Ventoline avant le sport"
    lea.doctor_name = "Dr Vasseur"
    lea.doctor_phone = "01 30 40 50 60"
    lea.save()
    lea.allergens.set([Allergen.objects.get(code="arachides")])
    Vaccination.objects.create(child=lea, vaccine="dtp", date=date(2017, 5, 2), notes="Rappel Vasseur")
    return lea


@pytest.fixture
def users(request):
    return {role: request.getfixturevalue(role) for role in ROLES}


def _shows_health(response) -> bool:
    return any(marker in response.content.decode() for marker in HEALTH_MARKERS)


def _matrix(client, users, fetch):
    """{role: (status, sees health data)} for `fetch(client) -> (status, sees)` run as each role."""
    result = {}
    for role, user in users.items():
        client.force_login(user)
        result[role] = fetch(client)
        client.logout()
    return result


# Who reads the fiche sanitaire: agents, animateurs, administrators. Communication has no back-office (302 to login).
EXPECTED_CHILD = {
    "agent": (200, True),
    "regisseur": (200, False),
    "animateur": (200, True),
    "communication": (302, False),
    "town_admin": (200, True),
}
EXPECTED_CHILD_API = {**EXPECTED_CHILD, "communication": (403, False)}


def test_child_admin_change_page_shows_the_fiche_sanitaire_only_to_health_roles(client, users, lea):
    url = reverse("admin:families_child_change", args=[lea.pk])

    def fetch(c):
        response = c.get(url)
        html = response.content.decode()
        sees = _shows_health(response) or "vaccinations-TOTAL_FORMS" in html or 'name="diet"' in html
        return response.status_code, sees

    assert _matrix(client, users, fetch) == EXPECTED_CHILD


def test_child_admin_changelist_has_health_columns_and_filters_only_for_health_roles(client, users, lea):
    url = reverse("admin:families_child_changelist")

    def fetch(c):
        response = c.get(url)
        html = response.content.decode()
        sees = any(
            s in html for s in ("column-has_pai", "column-diet", "has_pai__exact", "allergens__id__exact")
        )
        return response.status_code, sees

    assert _matrix(client, users, fetch) == EXPECTED_CHILD


def test_child_api_detail_has_health_fields_only_for_health_roles(client, users, lea):
    url = f"/api/v1/children/{lea.pk}/"

    def fetch(c):
        response = c.get(url)
        sees = response.status_code == 200 and bool(HEALTH_FIELDS & set(response.json()))
        return response.status_code, sees

    assert _matrix(client, users, fetch) == EXPECTED_CHILD_API


def test_child_api_list_has_health_fields_only_for_health_roles(client, users, lea):
    def fetch(c):
        response = c.get("/api/v1/children/", {"family__code": lea.family.code})
        sees = response.status_code == 200 and any(
            HEALTH_FIELDS & set(row) for row in response.json()["results"]
        )
        return response.status_code, sees

    assert _matrix(client, users, fetch) == EXPECTED_CHILD_API


def _export_csv(c) -> tuple[int, str]:
    """Post the export form of the children asking for every column, health ones included (a crafted request)."""
    admin = site._registry[Child]
    csv_index = [f().get_title() for f in admin.get_export_formats()].index("csv")
    resource = registry.get(Child).resource_class
    data = {"format": str(csv_index), "resource": "0"}
    for name in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{name}"] = "on"
    response = c.post(reverse("admin:families_child_export"), data)
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_children_csv_export_has_health_columns_only_for_health_roles(client, users, lea):
    def fetch(c):
        status, content = _export_csv(c)
        if status != 200:
            return status, False
        header = next(csv.reader(io.StringIO(content)))
        assert "Prénom" in header and "Léa" in content  # the export itself worked (French column headers)
        health_headers = {str(Child._meta.get_field(name).verbose_name) for name in HEALTH_FIELDS}
        return status, bool((HEALTH_FIELDS | health_headers) & set(header)) or "Anapen" in content

    assert _matrix(client, users, fetch) == {**EXPECTED_CHILD, "communication": (302, False)}


def test_medical_document_download_only_for_health_roles(client, users, lea):
    document = document_upload(
        family=lea.family, kind="pai", file=pdf_file("PAI Léa.pdf"), by=None, child=lea
    )
    url = reverse("admin:families_familydocument_file", args=[document.pk])

    def fetch(c):
        response = c.get(url)
        sees = response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
        return response.status_code, sees

    # Animateurs do not read family documents at all (no permission on the model).
    assert _matrix(client, users, fetch) == {
        "agent": (200, True),
        "regisseur": (403, False),
        "animateur": (403, False),
        "communication": (302, False),
        "town_admin": (200, True),
    }


def test_message_attachment_download_only_for_health_roles(client, users, small_town):
    conversation = conversation_start(
        family=small_town["martin"],
        subject="Absence de Léa",
        body="Certificat joint.",
        by=small_town["martin_parent"].user,
        from_staff=False,
        attachment=pdf_file("certificat.pdf"),
    )
    message = conversation.messages.get()
    url = reverse("admin:families_conversation_attachment", args=[conversation.pk, message.pk])

    def fetch(c):
        response = c.get(url)
        sees = response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
        return response.status_code, sees

    assert _matrix(client, users, fetch) == {
        "agent": (200, True),
        "regisseur": (403, False),
        "animateur": (403, False),
        "communication": (302, False),
        "town_admin": (200, True),
    }


# --- The details behind the matrix ---------------------------------------------------------------------------------


def test_roles_sync_gives_the_health_permission_to_agents_and_animateurs_only():
    holders = set(
        Group.objects.filter(
            permissions__codename="view_child_health", permissions__content_type__app_label="families"
        ).values_list("name", flat=True)
    )
    assert holders == {roles.AGENTS, roles.ANIMATEURS, roles.ADMINISTRATEURS}
    assert (
        str(Permission.objects.get(codename="view_child_health").name)
        == "Voir les données de santé des enfants"
    )


def test_regisseur_assigned_to_a_conversation_opens_its_attachment(client, regisseur, small_town):
    conversation = conversation_start(
        family=small_town["martin"],
        subject="Facture de mars",
        body="Justificatif.",
        by=small_town["martin_parent"].user,
        from_staff=False,
        attachment=pdf_file("virement.pdf"),
    )
    Conversation.objects.filter(pk=conversation.pk).update(assigned_to=regisseur)
    client.force_login(regisseur)
    response = client.get(
        reverse(
            "admin:families_conversation_attachment", args=[conversation.pk, conversation.messages.get().pk]
        )
    )
    assert response.status_code == 200


def test_regisseur_cannot_filter_children_by_a_health_field(client, regisseur, lea):
    client.force_login(regisseur)
    assert client.get(reverse("admin:families_child_changelist"), {"has_pai__exact": "1"}).status_code == 400
    assert (
        client.get(
            reverse("admin:families_child_changelist"), {"pai_details__icontains": "Anapen"}
        ).status_code
        == 400
    )
    response = client.get("/api/v1/children/", {"has_pai": "true"})
    assert response.status_code == 400
    assert "santé" in response.json()["has_pai"][0]
    assert client.get("/api/v1/children/", {"ordering": "-has_pai"}).status_code == 400


def test_agent_still_filters_children_by_pai(client, agent, lea):
    client.force_login(agent)
    assert client.get(reverse("admin:families_child_changelist"), {"has_pai__exact": "1"}).status_code == 200
    response = client.get("/api/v1/children/", {"has_pai": "true"})
    assert [row["first_name"] for row in response.json()["results"]] == ["Léa"]


def test_regisseur_does_not_see_vaccinations_in_admin_nor_api(client, regisseur, agent, lea):
    client.force_login(regisseur)
    assert client.get(reverse("admin:families_vaccination_changelist")).status_code == 403
    assert client.get("/api/v1/vaccinations/").status_code == 403
    assert (
        "vaccination" not in client.get(reverse("admin:app_list", args=["families"])).content.decode().lower()
    )
    client.force_login(agent)
    assert client.get(reverse("admin:families_vaccination_changelist")).status_code == 200
    assert client.get("/api/v1/vaccinations/").json()["count"] == 1


def test_child_inline_of_the_family_admin_hides_health_columns_from_regisseur(client, regisseur, agent, lea):
    url = reverse("admin:families_family_change", args=[lea.family.pk])
    client.force_login(regisseur)
    html = client.get(url).content.decode()
    assert "Léa" in html and "column-has_pai" not in html and "column-diet" not in html
    client.force_login(agent)
    html = client.get(url).content.decode()
    assert "column-has_pai" in html and "column-diet" in html and "children-0-has_pai" in html


def test_child_history_hides_health_changes_from_regisseur(client, regisseur, agent, lea):
    lea.pai_details = "Allergie sévère à l'arachide : deux stylos Anapen"
    lea.save()
    url = reverse("admin:families_child_history", args=[lea.pk])
    client.force_login(regisseur)
    response = client.get(url)
    assert response.status_code == 200 and "Anapen" not in response.content.decode()
    client.force_login(agent)
    assert "Anapen" in client.get(url).content.decode()


def test_medical_documents_are_not_listed_for_regisseur(client, regisseur, agent, lea):
    medical = document_upload(
        family=lea.family, kind="certificat_medical", file=pdf_file(), by=None, child=lea
    )
    caf = document_upload(family=lea.family, kind="attestation_caf", file=pdf_file(), by=None)
    client.force_login(regisseur)
    assert [d["id"] for d in client.get("/api/v1/family-documents/").json()["results"]] == [caf.pk]
    assert client.get(f"/api/v1/family-documents/{medical.pk}/").status_code == 404
    changelist = client.get(reverse("admin:families_familydocument_changelist")).content.decode()
    assert reverse("admin:families_familydocument_change", args=[caf.pk]) in changelist
    assert reverse("admin:families_familydocument_change", args=[medical.pk]) not in changelist
    assert client.get(reverse("admin:families_familydocument_file", args=[caf.pk])).status_code == 200
    client.force_login(agent)
    assert {d["id"] for d in client.get("/api/v1/family-documents/").json()["results"]} == {
        caf.pk,
        medical.pk,
    }


def test_api_refuses_health_writes_from_staff_without_the_permission(client, lea):
    clerk = StaffUserFactory()
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_child", "change_child"]))
    client.force_login(clerk)
    url = f"/api/v1/children/{lea.pk}/"
    response = client.patch(url, {"pai_details": "", "has_pai": False}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"pai_details", "has_pai"}
    response = client.patch(url, {"first_name": "Léonie"}, content_type="application/json")
    assert response.status_code == 200
    lea.refresh_from_db()
    assert (lea.first_name, lea.has_pai, lea.pai_details.endswith("trousse")) == ("Léonie", True, True)


def test_children_import_with_health_columns_is_refused_without_the_permission(regisseur, agent, lea):
    import tablib

    data = tablib.Dataset(
        headers=["family", "first_name", "last_name", "birth_date", "has_pai", "pai_details"]
    )
    data.append([lea.family.code, "Léa", "Martin", "2017-03-02", "0", ""])
    resource = registry.get(Child).resource_class
    result = resource.for_user(regisseur)().import_data(data, dry_run=True)
    assert result.has_errors()
    assert "données de santé" in str(result.base_errors[0].error)
    assert not resource.for_user(agent)().import_data(data, dry_run=True).has_errors()


def test_openapi_schema_still_documents_the_health_fields(client, regisseur):
    client.force_login(regisseur)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "pai_details" in schema["components"]["schemas"]["Child"]["properties"]


def test_guichet_without_the_health_permission_does_not_open_medical_files(client, lea):
    """A staff account allowed to serve families at the guichet but not to read health data (a custom role)."""
    from families.views.common import GUICHET_SESSION_KEY

    clerk = StaffUserFactory()
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_family", "change_family"]))
    medical = document_upload(family=lea.family, kind="pai", file=pdf_file(), by=None, child=lea)
    caf = document_upload(family=lea.family, kind="attestation_caf", file=pdf_file(), by=None)
    conversation = conversation_start(
        family=lea.family,
        subject="Certificat",
        body="Ci-joint.",
        by=None,
        from_staff=False,
        attachment=pdf_file("certificat.pdf"),
    )
    client.force_login(clerk)
    session = client.session
    session[GUICHET_SESSION_KEY] = lea.family.pk
    session.save()
    assert client.get(reverse("portal:document_download", args=[caf.pk])).status_code == 200
    assert client.get(reverse("portal:document_download", args=[medical.pk])).status_code == 404
    attachment = reverse("portal:attachment", args=[conversation.pk, conversation.messages.get().pk])
    assert client.get(attachment).status_code == 404
