"""Messagerie: family ↔ service enfance, unread counts in the header, email alerts, shared inbox."""

import pytest
from django.core import mail
from django.urls import reverse

from families.models import Conversation, Message
from families.services.messaging import conversation_broadcast, conversation_start, message_send

from .conftest import exe_file, pdf_file


@pytest.mark.django_db
def test_parent_writes_with_attachment_and_staff_are_alerted(martin_client, small_town, settings):
    response = martin_client.post(
        reverse("portal:conversation_new"),
        {
            "subject": "Absence de Léa",
            "body": "Léa sera absente lundi.",
            "attachment": pdf_file("certificat.pdf"),
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    message = conversation.messages.get()
    assert message.attachment_name == "certificat.pdf" and not message.from_staff
    assert mail.outbox[-1].to == [settings.PORTAIL_CONTACT_EMAIL]
    detail = martin_client.get(response.url)
    assert "Léa sera absente lundi." in detail.content.decode()
    file = martin_client.get(reverse("portal:attachment", args=[conversation.pk, message.pk]))
    assert file.status_code == 200


@pytest.mark.django_db
def test_attachment_with_bad_content_is_refused_and_text_kept(martin_client):
    response = martin_client.post(
        reverse("portal:conversation_new"),
        {"subject": "Facture", "body": "Voici ma facture", "attachment": exe_file()},
    )
    body = response.content.decode()
    assert "Ce type de fichier n&#x27;est pas accepté" in body
    assert "Voici ma facture" in body and 'value="Facture"' in body
    assert not Conversation.objects.exists()


@pytest.mark.django_db
def test_staff_reply_shows_unread_count_until_read(martin_client, small_town, agent):
    conversation = conversation_start(
        family=small_town["martin"],
        subject="Question",
        body="Bonjour",
        by=small_town["martin_parent"].user,
        from_staff=False,
    )
    for text in ("Réponse 1", "Réponse 2", "Réponse 3"):
        message_send(conversation=conversation, body=text, by=agent, from_staff=True)
    assert mail.outbox[-1].to == ["claire.martin@exemple.fr"]
    home = martin_client.get(reverse("portal:home")).content.decode()
    assert "Vous avez 3 messages non lus" in home and "(s)" not in home
    martin_client.get(reverse("portal:conversation", args=[conversation.pk]))
    assert "non lu" not in martin_client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
def test_family_reply_reopens_a_closed_conversation(small_town, agent):
    conversation = conversation_start(
        family=small_town["martin"], subject="Info", body="Bonjour", by=agent, from_staff=True
    )
    conversation.status = Conversation.Status.CLOSED
    conversation.save()
    message_send(
        conversation=conversation, body="Merci", by=small_town["martin_parent"].user, from_staff=False
    )
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN


@pytest.mark.django_db
def test_staff_write_to_several_families(small_town, agent):
    n = conversation_broadcast(
        families=[small_town["martin"], small_town["bernard"]],
        subject="Sortie",
        body="Pensez aux casquettes",
        by=agent,
    )
    assert n == 2
    assert Conversation.objects.filter(subject="Sortie").count() == 2


@pytest.mark.django_db
def test_shared_inbox_reply_from_backoffice(agent_client, small_town):
    conversation = conversation_start(
        family=small_town["martin"],
        subject="Question",
        body="Bonjour",
        by=small_town["martin_parent"].user,
        from_staff=False,
    )
    changelist = agent_client.get(reverse("admin:families_conversation_changelist")).content.decode()
    assert "Question" in changelist
    url = reverse("admin:families_conversation_change", args=[conversation.pk])
    assert "Bonjour" in agent_client.get(url).content.decode()
    assert conversation.messages.get().read_by_staff_at is not None
    response = agent_client.post(
        url, {"subject": "Question", "status": "closed", "assigned_to": "", "reply": "Bien reçu, merci."}
    )
    assert response.status_code == 302
    reply = Message.objects.get(from_staff=True)
    assert reply.body == "Bien reçu, merci."
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED
    index = agent_client.get(reverse("admin:index")).content.decode()
    assert "Conversations avec messages non lus" in index
