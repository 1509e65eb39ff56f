"""Messagerie: the family's conversations with the service enfance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.forms import ConversationForm, MessageForm
from families.health import can_download_attachment
from families.models import Conversation, Message
from families.selectors import conversation_messages, family_conversations, family_unread_count
from families.services import messaging

from .common import family_required
from .documents import private_file_response


@family_required
def conversations(request):
    return render(request, "portal/messages.html", {
        "conversations": list(family_conversations(family=request.family)[:200]),
    })


@family_required
@require_http_methods(["GET", "POST"])
def conversation_new(request):
    form = ConversationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = messaging.conversation_start(
                family=request.family, subject=data["subject"], body=data["body"], by=request.user,
                from_staff=False, attachment=data.get("attachment"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre message est envoyé au service enfance."))
            return redirect("portal:conversation", conversation_id=conversation.pk)
    return render(request, "portal/conversation_new.html", {"form": form})


@family_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request, conversation_id: int):
    conversation = get_object_or_404(Conversation, pk=conversation_id, family=request.family)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            messaging.message_send(conversation=conversation, body=form.cleaned_data["body"], by=request.user,
                                   from_staff=False, attachment=form.cleaned_data.get("attachment"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre message est envoyé."))
            return redirect("portal:conversation", conversation_id=conversation.pk)
    if request.method == "GET" and not request.guichet:
        if messaging.conversation_mark_read(conversation=conversation, by_staff=False):
            request.portal_unread = family_unread_count(family=request.family)
    thread = list(conversation_messages(conversation=conversation))
    for message in thread:
        message.author_label = _message_author_label(message)
    return render(request, "portal/conversation.html", {"conversation": conversation, "thread": thread, "form": form})


def _message_author_label(message: Message) -> str:
    """Who wrote a family message; an account deleted since (author NULL) reads « Compte supprimé »."""
    if message.author is None:
        return _("Compte supprimé")
    return message.author.get_full_name() or message.author.email


@family_required
def attachment_download(request, conversation_id: int, message_id: int):
    message = get_object_or_404(Message, pk=message_id, conversation_id=conversation_id,
                                conversation__family=request.family)
    if not message.attachment:
        raise Http404
    if request.guichet and not can_download_attachment(user=request.user, conversation=message.conversation):
        raise Http404  # at the guichet, the same rule as in the back-office (families.health)
    return private_file_response(file=message.attachment, filename=message.attachment_name or "piece-jointe",
                                 content_type=message.attachment_type)
