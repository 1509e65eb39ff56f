"""Back-office index: what waits for the service enfance (démarches, documents, messages, account requests)."""

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from families.models import AccountRequest, ChangeRequest, Conversation, FamilyDocument

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_queues(context) -> list[dict]:
    user = context["request"].user
    queues = []
    if user.has_perm("families.view_changerequest"):
        queues.append({
            "label": _("Démarches à traiter"),
            "count": ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count(),
            "url": reverse("admin:families_changerequest_changelist") + "?status__exact=pending",
        })
    if user.has_perm("families.view_familydocument"):
        queues.append({
            "label": _("Documents à vérifier"),
            "count": FamilyDocument.objects.filter(status=FamilyDocument.Status.PENDING).count(),
            "url": reverse("admin:families_familydocument_changelist") + "?status__exact=pending",
        })
    if user.has_perm("families.view_conversation"):
        queues.append({
            "label": _("Conversations avec messages non lus"),
            "count": Conversation.objects.filter(
                Q(messages__from_staff=False, messages__read_by_staff_at__isnull=True)).distinct().count(),
            "url": reverse("admin:families_conversation_changelist") + "?status__exact=open",
        })
    if user.has_perm("families.view_accountrequest"):
        queues.append({
            "label": _("Demandes de compte"),
            "count": AccountRequest.objects.filter(status=AccountRequest.Status.PENDING).count(),
            "url": reverse("admin:families_accountrequest_changelist") + "?status__exact=pending",
        })
    return queues
