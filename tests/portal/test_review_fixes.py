"""Back-office edges found in review: issued documents, missing files, read state, closed requests, counts."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families.models import AccountRequest, Conversation, FamilyDocument, Message
from families.services.accounts import account_request_close
from families.services.change_requests import coordinates_submit
from families.services.documents import document_upload

from .conftest import BACKEND, pdf_file

pytestmark = pytest.mark.django_db


def test_staff_cannot_issue_a_document_about_another_familys_child(agent_client, small_town):
    response = agent_client.post(reverse("admin:families_familydocument_add"), {
        "family": small_town["martin"].pk, "child": small_town["chloe"].pk, "kind": "attestation",
        "title": "Attestation", "file": pdf_file()})
    assert response.status_code == 200
    assert "Cet enfant n&#x27;appartient pas à cette famille." in response.content.decode()
    assert not FamilyDocument.objects.exists()


def test_a_document_whose_file_is_gone_is_a_404_not_a_500(client, agent, small_town):
    document = document_upload(family=small_town["martin"], kind="pai", file=pdf_file(), by=None)
    document.file.storage.delete(document.file.name)
    client.force_login(small_town["martin_parent"].user, backend=BACKEND)
    assert client.get(reverse("portal:document_download", args=[document.pk])).status_code == 404
    client.force_login(agent, backend=BACKEND)
    assert client.get(reverse("admin:families_familydocument_file", args=[document.pk])).status_code == 404


def test_animateur_cannot_open_family_documents_or_attachments(client, animateur, small_town):
    document = document_upload(family=small_town["martin"], kind="pai", file=pdf_file(), by=None)
    conversation = Conversation.objects.create(family=small_town["martin"], subject="PAI")
    message = Message.objects.create(conversation=conversation, body="Ci-joint", from_staff=False)
    client.force_login(animateur)
    assert client.get(reverse("admin:families_familydocument_file", args=[document.pk])).status_code == 403
    url = reverse("admin:families_conversation_attachment", args=[conversation.pk, message.pk])
    assert client.get(url).status_code == 403


def test_a_read_only_role_opening_a_conversation_leaves_it_unread(client, regisseur, agent, small_town):
    conversation = Conversation.objects.create(family=small_town["martin"], subject="Facture")
    Message.objects.create(conversation=conversation, body="Bonjour", from_staff=False)
    url = reverse("admin:families_conversation_change", args=[conversation.pk])
    client.force_login(regisseur)
    assert client.get(url).status_code == 200
    assert conversation.messages.filter(read_by_staff_at__isnull=True).count() == 1
    client.force_login(agent)
    client.get(url)
    assert conversation.messages.filter(read_by_staff_at__isnull=True).count() == 0


def test_a_closed_account_request_is_not_decided_again(agent_client, agent):
    req = AccountRequest.objects.create(first_name="Nadia", last_name="Benali", email="nadia@exemple.fr")
    account_request_close(request=req, by=agent, status=AccountRequest.Status.REJECTED)
    with pytest.raises(ValidationError):
        account_request_close(request=req, by=agent, status=AccountRequest.Status.DONE)
    agent_client.post(reverse("admin:families_accountrequest_changelist"),
                      {"action": "mark_done", "_selected_action": [req.pk]})
    req.refresh_from_db()
    assert req.status == AccountRequest.Status.REJECTED


def test_staff_close_and_reopen_conversations(agent_client, small_town):
    conversation = Conversation.objects.create(family=small_town["martin"], subject="Cantine")
    url = reverse("admin:families_conversation_changelist")
    agent_client.post(url, {"action": "close_selected", "_selected_action": [conversation.pk]})
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED
    agent_client.post(url, {"action": "reopen_selected", "_selected_action": [conversation.pk]})
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN


def test_admin_index_counts_each_queue(agent_client, small_town):
    coordinates_submit(family=small_town["martin"], family_data={"commune": "Taverny"}, guardians_data={}, by=None)
    AccountRequest.objects.create(first_name="A", last_name="B", email="a@b.fr")
    AccountRequest.objects.create(first_name="C", last_name="D", email="c@d.fr")
    page = agent_client.get(reverse("admin:index")).content.decode()
    counts = dict(re.findall(r'<a href="[^"]*">([^<]+)</a></th><td><strong>(\d+)</strong>', page))
    assert counts["Démarches à traiter"] == "1"
    assert counts["Demandes de compte"] == "2"
    assert counts["Documents à vérifier"] == "0"
