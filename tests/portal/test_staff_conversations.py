"""Staff handle the messagerie in the back-office: reading marks messages read only for roles that answer, and
conversations are closed and reopened."""

import pytest
from django.urls import reverse

from families.models import Conversation, Message

pytestmark = pytest.mark.django_db


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


def test_staff_close_and_reopen_conversations(agent_client, small_town):
    conversation = Conversation.objects.create(family=small_town["martin"], subject="Cantine")
    url = reverse("admin:families_conversation_changelist")
    agent_client.post(url, {"action": "close_selected", "_selected_action": [conversation.pk]})
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED
    agent_client.post(url, {"action": "reopen_selected", "_selected_action": [conversation.pk]})
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN
