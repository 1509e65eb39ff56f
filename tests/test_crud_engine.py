"""The low-code CRUD engine: one declaration of a throwaway model yields admin, import/export, API and OpenAPI."""

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.contrib.admin import AdminSite
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from backoffice.admin import site
from backoffice.crud import Crud, CrudRegistry, declare, registry
from families.models import AccountRequest, ChangeRequest, Conversation, Enrolment, Family, FamilyDocument
from families.services.enrolments import enrolment_refuse
from tests.crud_app.models import Gadget

from .factories import FamilyFactory

pytestmark = pytest.mark.django_db


def test_one_declaration_builds_every_class():
    crud = registry.get(Gadget)
    assert crud.admin_class and crud.resource_class and crud.serializer_class
    assert crud.filterset_class and crud.viewset_class
    assert isinstance(site._registry[Gadget], crud.admin_class)


def test_admin_list_search_filters_and_history_appear(admin_client):
    family = FamilyFactory(name="DURAND")
    gadget = Gadget.objects.create(
        family=family, label="Tablette", bought_on=date(2026, 9, 1), price=Decimal("99.90")
    )
    url = reverse("gestion:crud_app_gadget_changelist")
    response = admin_client.get(url, {"q": "Tablette"})
    assert response.status_code == 200
    assert "Tablette" in response.content.decode()
    assert 'id="changelist-filter"' in response.content.decode()
    assert admin_client.get(reverse("gestion:crud_app_gadget_history", args=[gadget.pk])).status_code == 200
    assert admin_client.get(reverse("gestion:crud_app_gadget_import")).status_code == 200
    assert admin_client.get(reverse("gestion:crud_app_gadget_export")).status_code == 200


def test_resource_imports_with_natural_key_and_reports_unknown_key():
    family = FamilyFactory()
    resource = registry.get(Gadget).resource_class()
    data = tablib.Dataset(headers=["family", "label", "bought_on", "price"])
    data.append([family.code, "Console", "2026-10-01", "120.00"])
    data.append(["F-999999", "Vélo", "2026-10-02", "80.00"])
    result = resource.import_data(data, dry_run=True)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2
    assert "family" in invalid.error_dict
    assert "F-999999" in str(invalid.error_dict["family"])
    assert Gadget.objects.count() == 0


def test_api_crud_and_filters(admin_client):
    family = FamilyFactory()
    url = "/api/v1/gadgets/"
    created = admin_client.post(
        url,
        {"family": family.code, "label": "Lampe", "bought_on": "2026-11-02", "price": "15.50"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["family"] == family.code
    listing = admin_client.get(url, {"bought_on__gte": "2026-11-01"})
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert admin_client.get(url, {"bought_on__gte": "2026-12-01"}).json()["count"] == 0
    bad = admin_client.post(
        url, {"family": "F-000000", "label": "", "bought_on": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert {"family", "label", "bought_on", "price"} <= set(bad.json())


def test_openapi_describes_the_generated_endpoint(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/gadgets/" in schema["paths"]
    assert "/api/v1/gadgets/{id}/" in schema["paths"]
    assert "Gadget" in schema["components"]["schemas"]
    assert all(p.startswith("/api/") for p in schema["paths"])


def test_registering_twice_is_refused():
    with pytest.raises(ValueError):
        registry.register(Gadget, api_name="gadgets-bis")


# --- Generated bases: what a person writes wins over the generated default ------------------------------------------


class TightListMixin:
    list_per_page = 7
    readonly_fields = ("price",)


class NoSearchViewSetMixin:
    search_fields = ()


def test_a_mixin_attribute_wins_over_the_generated_default():
    crud = Crud(
        model=Gadget,
        api_name="gadgets-mixed",
        list_per_page=50,
        readonly_fields=("label",),
        search_fields=("label",),
        admin_mixins=[TightListMixin],
        viewset_mixins=[NoSearchViewSetMixin],
    ).build()
    assert crud.admin_base.list_per_page == 50
    assert crud.admin_class.list_per_page == 7
    assert crud.admin_class.readonly_fields == ("price",)
    assert issubclass(crud.admin_class, crud.admin_base)
    assert crud.viewset_class.search_fields == ()
    assert issubclass(crud.viewset_class, crud.viewset_base)


def test_a_hand_written_admin_subclasses_the_generated_base_and_is_registered():
    gadgets = declare(Gadget, api_name="gadgets-hand", list_display=("label", "price"))

    class GadgetAdmin(gadgets.admin_base):
        list_per_page = 12

    other_site, other_registry = AdminSite(name="autre"), CrudRegistry()
    crud = other_registry.register(gadgets, site=other_site, admin_class=GadgetAdmin)
    assert crud.admin_class is GadgetAdmin
    assert type(other_site._registry[Gadget]) is GadgetAdmin
    assert GadgetAdmin.list_display == ("label", "price")  # the generated default, inherited
    with pytest.raises(TypeError):
        CrudRegistry().register(
            declare(Gadget, api_name="gadgets-bad"),
            site=AdminSite(name="x"),
            admin_class=type("Loose", (), {}),
        )


def test_a_declaration_is_read_only_and_not_importable_by_default():
    crud = Crud(model=Gadget, api_name="gadgets-default").build()
    assert crud.resource_class is None
    assert not {"create", "update", "destroy"} & set(dir(crud.viewset_class))
    assert crud.admin_base.crud_writes == frozenset()


# --- Write paths of workflow models: read-only generic API, named actions calling services ---------------------------


@pytest.fixture
def agent_api(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def requested(small_town):
    return Enrolment.objects.create(
        child=small_town["lea"], activity=small_town["canteen"], start_date=date(2026, 9, 1)
    )


def test_agent_cannot_patch_an_enrolment_status_through_the_generic_api(agent_api, requested):
    response = agent_api.patch(
        f"/api/v1/enrolments/{requested.pk}/", {"status": "acceptee"}, content_type="application/json"
    )
    assert response.status_code == 405
    requested.refresh_from_db()
    assert requested.status == Enrolment.Status.REQUESTED and requested.decided_by is None


def test_agent_cannot_create_a_family_document_without_a_file(agent_api, small_town):
    response = agent_api.post(
        "/api/v1/family-documents/",
        {"family": small_town["martin"].pk, "kind": "pai"},
        content_type="application/json",
    )
    assert response.status_code == 405
    assert not FamilyDocument.objects.exists()


def test_agent_cannot_delete_a_change_request(agent_api, small_town):
    cr = ChangeRequest.objects.create(
        family=small_town["martin"],
        kind=ChangeRequest.Kind.COORDINATES,
        payload={"family": {"commune": "Taverny"}},
    )
    assert agent_api.delete(f"/api/v1/change-requests/{cr.pk}/").status_code == 405
    assert ChangeRequest.objects.filter(pk=cr.pk).exists()


def test_reference_data_keeps_full_crud(agent_api):
    created = agent_api.post(
        "/api/v1/allergens/",
        {"label": "Sésame", "code": "sesame-x", "rank": 99},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        agent_api.patch(
            f"/api/v1/allergens/{pk}/", {"label": "Graines de sésame"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert agent_api.delete(f"/api/v1/allergens/{pk}/").status_code == 204


def test_api_sorts_only_on_listed_columns(agent_api):
    FamilyFactory(name="AAA", notes="zzz")
    FamilyFactory(name="BBB", notes="aaa")
    names = [r["name"] for r in agent_api.get("/api/v1/families/", {"ordering": "notes"}).json()["results"]]
    assert names == ["AAA", "BBB"]  # `notes` is not a listed column: the default order stays
    names = [r["name"] for r in agent_api.get("/api/v1/families/", {"ordering": "-name"}).json()["results"]]
    assert names == ["BBB", "AAA"]
    assert registry.get(Family).viewset_class.ordering_fields == (
        "code",
        "name",
        "commune",
        "allocataire_regime",
        "paperless_invoices",
        "is_active",
    )


def test_agent_accepts_an_enrolment_and_the_family_is_told(
    agent_api, agent, requested, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_api.post(f"/api/v1/enrolments/{requested.pk}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "acceptee"
    requested.refresh_from_db()
    assert requested.status == Enrolment.Status.ACCEPTED
    assert requested.decided_by == agent and requested.decided_at is not None
    assert mail.outbox[-1].to == ["claire.martin@exemple.fr"]
    assert "acceptée" in mail.outbox[-1].subject


def test_refusing_an_enrolment_needs_a_reason(agent_api, requested):
    missing = agent_api.post(
        f"/api/v1/enrolments/{requested.pk}/refuse/", {}, content_type="application/json"
    )
    assert missing.status_code == 400
    assert "reason" in missing.json()
    refused = agent_api.post(
        f"/api/v1/enrolments/{requested.pk}/refuse/",
        {"reason": "Activité complète"},
        content_type="application/json",
    )
    assert refused.status_code == 200
    requested.refresh_from_db()
    assert requested.status == Enrolment.Status.REFUSED and requested.refusal_reason == "Activité complète"


def test_accepting_a_refused_enrolment_is_a_conflict_in_french(agent_api, requested, agent):
    enrolment_refuse(enrolment=requested, by=agent, reason="Dossier incomplet")
    response = agent_api.post(f"/api/v1/enrolments/{requested.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Impossible de passer une inscription « Refusée » à « Acceptée »."
    assert agent_api.post(f"/api/v1/enrolments/{requested.pk}/waitlist/").status_code == 409


def test_waitlisted_enrolment_can_still_be_accepted(agent_api, requested):
    assert agent_api.post(f"/api/v1/enrolments/{requested.pk}/waitlist/").json()["status"] == "attente"
    assert agent_api.post(f"/api/v1/enrolments/{requested.pk}/accept/").json()["status"] == "acceptee"


def test_a_role_without_change_permission_cannot_decide(client, regisseur, requested):
    client.force_login(regisseur)
    assert client.get(f"/api/v1/enrolments/{requested.pk}/").status_code == 200
    assert client.post(f"/api/v1/enrolments/{requested.pk}/accept/").status_code == 403
    requested.refresh_from_db()
    assert requested.status == Enrolment.Status.REQUESTED


def test_change_request_approve_and_refuse_routes(agent_api, small_town):
    martin = small_town["martin"]
    cr = ChangeRequest.objects.create(
        family=martin, kind=ChangeRequest.Kind.COORDINATES, payload={"family": {"commune": "Taverny"}}
    )
    assert agent_api.post(f"/api/v1/change-requests/{cr.pk}/approve/").status_code == 200
    martin.refresh_from_db()
    assert martin.commune == "Taverny"
    again = agent_api.post(
        f"/api/v1/change-requests/{cr.pk}/refuse/", {"reason": "Non"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["detail"] == "Cette démarche a déjà été traitée."


def test_family_document_accept_and_reject_routes(agent_api, agent, small_town):
    doc = FamilyDocument.objects.create(family=small_town["martin"], kind="pai", file="x.pdf")
    rejected = agent_api.post(
        f"/api/v1/family-documents/{doc.pk}/reject/", {"reason": "Illisible"}, content_type="application/json"
    )
    assert rejected.status_code == 200
    doc.refresh_from_db()
    assert doc.status == FamilyDocument.Status.REJECTED and doc.reviewed_by == agent
    issued = FamilyDocument.objects.create(
        family=small_town["martin"], kind="pai", file="y.pdf", status=FamilyDocument.Status.ISSUED
    )
    assert agent_api.post(f"/api/v1/family-documents/{issued.pk}/accept/").status_code == 409


def test_account_request_close_route(agent_api, agent):
    req = AccountRequest.objects.create(first_name="Marc", last_name="Petit", email="marc@exemple.fr")
    response = agent_api.post(
        f"/api/v1/account-requests/{req.pk}/close/", {"status": "rejected"}, content_type="application/json"
    )
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.status == AccountRequest.Status.REJECTED and req.handled_by == agent
    assert agent_api.post(f"/api/v1/account-requests/{req.pk}/close/").status_code == 409


def test_openapi_documents_the_named_actions(admin_client):
    paths = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    refuse = paths["/api/v1/enrolments/{id}/refuse/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(refuse["responses"])
    for route in (
        "enrolments/{id}/accept/",
        "enrolments/{id}/waitlist/",
        "change-requests/{id}/approve/",
        "change-requests/{id}/refuse/",
        "family-documents/{id}/accept/",
        "family-documents/{id}/reject/",
        "account-requests/{id}/close/",
    ):
        assert "post" in paths[f"/api/v1/{route}"]
    assert "patch" not in paths["/api/v1/enrolments/{id}/"]


# --- The same actions in the admin; workflow fields are not editable there ------------------------------------------


def test_admin_refuse_action_asks_for_a_reason_then_calls_the_service(client, agent, requested):
    client.force_login(agent)
    url = reverse("gestion:families_enrolment_changelist")
    form = client.post(url, {"action": "refuse", "_selected_action": [requested.pk]})
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    requested.refresh_from_db()
    assert requested.status == Enrolment.Status.REQUESTED
    client.post(
        url,
        {
            "action": "refuse",
            "_selected_action": [requested.pk],
            "crud_confirm": "1",
            "reason": "Activité complète",
        },
    )
    requested.refresh_from_db()
    assert requested.status == Enrolment.Status.REFUSED and requested.decided_by == agent


def test_admin_enrolment_is_read_only_and_not_deletable(client, agent, requested):
    client.force_login(agent)
    change = client.get(reverse("gestion:families_enrolment_change", args=[requested.pk]))
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()
    assert client.get(reverse("gestion:families_enrolment_delete", args=[requested.pk])).status_code == 403
    assert client.get(reverse("gestion:families_enrolment_add")).status_code == 403
    actions = client.get(reverse("gestion:families_enrolment_changelist")).context["action_form"]
    assert {"accept", "refuse", "waitlist"} <= {value for value, _label in actions.fields["action"].choices}


def test_assigning_a_conversation_to_me_is_kept_in_its_history(client, agent, small_town):
    conversation = Conversation.objects.create(family=small_town["martin"], subject="Cantine")
    client.force_login(agent)
    client.post(
        reverse("gestion:families_conversation_changelist"),
        {"action": "assign_to_me", "_selected_action": [conversation.pk]},
    )
    conversation.refresh_from_db()
    assert conversation.assigned_to == agent
    last = conversation.history.first()
    assert last.assigned_to_id == agent.pk and last.history_user == agent


def test_editing_a_document_in_the_admin_is_kept_in_its_history(client, agent, small_town):
    doc = FamilyDocument.objects.create(family=small_town["martin"], kind="pai", file="x.pdf")
    client.force_login(agent)
    response = client.post(
        reverse("gestion:families_familydocument_change", args=[doc.pk]),
        {"kind": "pai", "title": "PAI 2026", "valid_until": "", "decision": "", "rejection_reason": ""},
    )
    assert response.status_code == 302, response.content
    assert doc.history.first().title == "PAI 2026"
    assert doc.history.first().history_user == agent


def test_a_document_about_another_familys_child_is_refused_for_every_caller(small_town):
    doc = FamilyDocument(family=small_town["martin"], child=small_town["chloe"], kind="pai", file="x.pdf")
    with pytest.raises(ValidationError) as exc:
        doc.full_clean()
    assert exc.value.message_dict["child"] == ["Cet enfant n'appartient pas à cette famille."]


def test_admin_bulk_approve_of_change_requests_calls_the_service(client, agent, small_town):
    martin = small_town["martin"]
    cr = ChangeRequest.objects.create(
        family=martin, kind=ChangeRequest.Kind.COORDINATES, payload={"family": {"commune": "Taverny"}}
    )
    client.force_login(agent)
    client.post(
        reverse("gestion:families_changerequest_changelist"),
        {"action": "approve", "_selected_action": [cr.pk]},
    )
    cr.refresh_from_db()
    martin.refresh_from_db()
    assert cr.status == ChangeRequest.Status.APPROVED and cr.decided_by == agent
    assert martin.commune == "Taverny"


def test_a_role_without_change_permission_sees_no_decision_actions(client, regisseur, requested):
    client.force_login(regisseur)
    response = client.get(reverse("gestion:families_enrolment_changelist"))
    assert response.status_code == 200
    action_form = response.context["action_form"]
    choices = {value for value, _label in action_form.fields["action"].choices} if action_form else set()
    assert not {"accept", "refuse", "waitlist"} & choices


def test_the_refusal_email_gives_the_reason(agent, requested, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_refuse(enrolment=requested, by=agent, reason="Activité complète")
    email = mail.outbox[-1]
    assert email.to == ["claire.martin@exemple.fr"]
    assert "Motif : Activité complète" in email.body
    assert "Léa" in email.subject and "refusée" in email.subject
    assert email.alternatives and "Activité complète" in email.alternatives[0][0]
