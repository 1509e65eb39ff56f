"""Staff and family files: a document issued to a family stays about that family, a missing file is a 404, and
animateurs open neither documents nor message attachments."""

import pytest
from django.urls import reverse

from families.models import Conversation, FamilyDocument, Message
from families.services.documents import document_upload

from .conftest import BACKEND, pdf_file

pytestmark = pytest.mark.django_db


def test_staff_cannot_issue_a_document_about_another_familys_child(agent_client, small_town):
    response = agent_client.post(
        reverse("admin:families_familydocument_add"),
        {
            "family": small_town["martin"].pk,
            "child": small_town["chloe"].pk,
            "kind": "attestation",
            "title": "Attestation",
            "file": pdf_file(),
        },
    )
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
