"""Read-side queries of the families app: each returns a queryset with what its page needs, in bounded queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Child, Family, Guardian


def family_for_user(*, user) -> Family | None:
    """The family a portal account belongs to (through its responsable légal), or None."""
    if not user.is_authenticated:
        return None
    guardian = Guardian.objects.select_related("family").filter(user=user).first()
    return guardian.family if guardian else None


def family_children(*, family: Family, with_enrolments: bool = False) -> QuerySet[Child]:
    """The family's children; `with_enrolments` adds their current inscriptions as `child.current_enrolments`."""
    children = (
        Child.objects.filter(family=family)
        .select_related("school", "class_level")
        .prefetch_related("allergens")
        .order_by("birth_date")
    )
    if with_enrolments:
        from .models import Enrolment

        children = children.prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.filter(status__in=Enrolment.ACTIVE)
                .select_related("activity")
                .order_by("activity__kind", "activity__name"),
                to_attr="current_enrolments",
            )
        )
    return children


def family_with_dossier(*, family_id: int) -> Family:
    return (
        Family.objects.prefetch_related(
            Prefetch("guardians", queryset=Guardian.objects.order_by("last_name")),
            Prefetch("children", queryset=Child.objects.select_related("school", "class_level")),
            "contacts",
        ).get(pk=family_id)
    )


# --- Parent portal -------------------------------------------------------------------------------------------------


def family_unread_count(*, family: Family) -> int:
    """Messages from the service the family has not read yet (« Vous avez 3 message(s) non lu(s) »)."""
    from .models import Message

    return Message.objects.filter(conversation__family=family, from_staff=True, read_by_family_at__isnull=True).count()


def family_guardians(*, family: Family) -> QuerySet[Guardian]:
    return Guardian.objects.filter(family=family).select_related("user").order_by("pk")


def family_contacts(*, family: Family):
    from .models import Contact

    return Contact.objects.filter(family=family).prefetch_related("children").order_by("last_name", "first_name")


def family_change_requests(*, family: Family, limit: int | None = None):
    from .models import ChangeRequest

    qs = ChangeRequest.objects.filter(family=family).order_by("-created_at")
    return qs[:limit] if limit else qs


def family_documents(*, family: Family):
    from .models import FamilyDocument

    return FamilyDocument.objects.filter(family=family).select_related("child").order_by("-uploaded_at")


def family_conversations(*, family: Family):
    """Conversations with their message count and the family's unread count, newest first (one query)."""
    from django.db.models import Count, Q

    from .models import Conversation

    return (
        Conversation.objects.filter(family=family)
        .annotate(
            message_count=Count("messages"),
            unread=Count("messages", filter=Q(messages__from_staff=True, messages__read_by_family_at__isnull=True)),
        )
        .order_by("-last_message_at", "-pk")
    )


def conversation_messages(*, conversation):
    return conversation.messages.select_related("author").order_by("created_at", "pk")


def family_todo(*, family: Family, children, documents, unread: int, today) -> list[dict]:
    """What needs the family's attention on Mon accueil (fiches sanitaires, documents, messages)."""
    from django.urls import reverse
    from django.utils import formats
    from django.utils.translation import gettext as _

    from .models import FamilyDocument
    from .services.health import child_health_form_is_current

    todo = []
    for child in children:
        if not child_health_form_is_current(child=child, day=today):
            todo.append({
                "level": "warning",
                "text": _("Fiche sanitaire de %(name)s à compléter et confirmer pour cette année scolaire : "
                          "nécessaire avant toute réservation.") % {"name": child.first_name},
                "url": reverse("portal:child_health", kwargs={"child_id": child.pk}),
                "action": _("Compléter la fiche"),
            })
    seen = set()
    for document in documents:  # newest first: only the latest document of each kind matters
        if (document.kind, document.child_id) in seen:
            continue
        seen.add((document.kind, document.child_id))
        if document.status == FamilyDocument.Status.REJECTED:
            todo.append({
                "level": "error",
                "text": _("Document refusé : %(kind)s (%(reason)s).") % {
                    "kind": document.get_kind_display(), "reason": document.rejection_reason},
                "url": reverse("portal:documents"), "action": _("Déposer un nouveau document"),
            })
        elif document.valid_until and document.status != FamilyDocument.Status.ISSUED:
            if document.valid_until < today:
                text = _("Document expiré : %(kind)s.") % {"kind": document.get_kind_display()}
            elif (document.valid_until - today).days <= 30:
                text = _("%(kind)s : expire le %(date)s.") % {
                    "kind": document.get_kind_display(), "date": formats.date_format(document.valid_until, "l j F Y")}
            else:
                continue
            todo.append({"level": "warning", "text": text, "url": reverse("portal:documents"),
                         "action": _("Le renouveler")})
    if unread:
        todo.append({
            "level": "info",
            "text": _("Vous avez %(count)s message(s) non lu(s).") % {"count": unread},
            "url": reverse("portal:messages"), "action": _("Lire"),
        })
    return todo


def activity_families(*, activities) -> QuerySet[Family]:
    """Families with at least one child whose inscription to one of `activities` is accepted (familles inscrites)."""
    from .models import Enrolment

    return (
        Family.objects.filter(
            children__enrolments__activity__in=activities,
            children__enrolments__status=Enrolment.Status.ACCEPTED,
        )
        .distinct()
        .order_by("name")
    )
