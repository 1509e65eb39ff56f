"""Messagerie: conversations between a family and the service enfance, with read state and email alerts."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Conversation, Family, Guardian, Message

from .emails import email_send
from .uploads import display_name, upload_check


@transaction.atomic
def message_send(*, conversation: Conversation, body: str, by, from_staff: bool, attachment=None) -> Message:
    """Add a message (with an optional checked attachment) and alert the other side by email."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Le message est vide.")})
    now = timezone.now()
    message = Message(conversation=conversation, author=by, from_staff=from_staff, body=body)
    if from_staff:
        message.read_by_staff_at = now
    else:
        message.read_by_family_at = now
    if attachment:
        mime, ext = upload_check(file=attachment)
        message.attachment_name = display_name(attachment.name)
        message.attachment_type = mime
        message.attachment.save(f"piece-jointe{ext}", attachment, save=False)
    message.save()
    updates = {"last_message_at": now}
    if not from_staff and conversation.status == Conversation.Status.CLOSED:
        updates["status"] = Conversation.Status.OPEN  # a family's reply reopens the thread
    Conversation.objects.filter(pk=conversation.pk).update(**updates)
    for key, value in updates.items():
        setattr(conversation, key, value)
    _alert(conversation=conversation, message=message)
    return message


@transaction.atomic
def conversation_start(
    *, family: Family, subject: str, body: str, by, from_staff: bool, attachment=None
) -> Conversation:
    """Open a conversation (from the family or from staff) with its first message."""
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Indiquez l'objet du message.")})
    conversation = Conversation.objects.create(
        family=family, subject=subject, created_by=by, assigned_to=by if from_staff else None,
    )
    message_send(conversation=conversation, body=body, by=by, from_staff=from_staff, attachment=attachment)
    return conversation


@transaction.atomic
def conversation_broadcast(*, families: Iterable[Family], subject: str, body: str, by) -> int:
    """Staff write to several families at once (e.g. every family of an activity): one conversation each."""
    count = 0
    for family in families:
        conversation_start(family=family, subject=subject, body=body, by=by, from_staff=True)
        count += 1
    return count


def conversation_mark_read(*, conversation: Conversation, by_staff: bool) -> int:
    """Mark the other side's messages as read for this side."""
    now = timezone.now()
    if by_staff:
        return conversation.messages.filter(from_staff=False, read_by_staff_at__isnull=True).update(
            read_by_staff_at=now)
    return conversation.messages.filter(from_staff=True, read_by_family_at__isnull=True).update(read_by_family_at=now)


@transaction.atomic
def conversation_set_status(*, conversation: Conversation, status: str, by) -> Conversation:
    conversation.status = status
    conversation.save(update_fields=["status"])
    return conversation


@transaction.atomic
def conversation_assign(*, conversation: Conversation, to, by) -> Conversation:
    """An agent takes a conversation in charge (« suivie par »), or hands it to a colleague; history keeps who did."""
    if to is not None and not to.is_staff:
        raise ValidationError(_("Une conversation ne peut être suivie que par un membre du service."))
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    locked.assigned_to = to
    locked._history_user = by
    locked.save(update_fields=["assigned_to"])
    conversation.assigned_to = to
    return locked


def _alert(*, conversation: Conversation, message: Message) -> None:
    if message.from_staff:
        emails = [g.user.email for g in Guardian.objects.filter(family_id=conversation.family_id, user__isnull=False,
                                                                 user__is_active=True).select_related("user")]
        email_send(to=emails, template="message_to_family", context={"conversation": conversation})
    else:
        to = conversation.assigned_to.email if conversation.assigned_to_id else settings.PORTAIL_CONTACT_EMAIL
        email_send(to=to, template="message_to_staff", context={"conversation": conversation,
                                                                "family": conversation.family})
