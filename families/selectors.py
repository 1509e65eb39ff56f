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
    """Messages from the service the family has not read yet (« Vous avez 3 messages non lus »)."""
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
    from django.utils.translation import ngettext

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
            "text": ngettext(
                "Vous avez %(count)s message non lu.", "Vous avez %(count)s messages non lus.", unread
            ) % {"count": unread},
            "url": reverse("portal:messages"), "action": _("Lire"),
        })
    from .pricing_hooks import todo_items

    todo += todo_items(family=family, today=today)  # billing's items (campagne QF) without importing billing
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


# --- Inscriptions (enrolment journey) ------------------------------------------------------------------------------


def _age_on(birth_date, day) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def activities_open_for(*, child: Child, kind: str | None = None, today) -> list:
    """Activities a family may enrol `child` in (« seules les activités en cours ou futures, correspondant à la tranche
    d'âge de votre enfant »): active, not over, inside their registration window, for the child's school, age (on the
    activity's first day, or today once it has begun) and class level. Units prefetched as `open_units`."""
    from django.db.models import Q

    from .models import Activity, Unit

    qs = (
        Activity.objects.filter(is_active=True, period_end__gte=today)
        .filter(Q(registration_opens__isnull=True) | Q(registration_opens__lte=today))
        .filter(Q(registration_closes__isnull=True) | Q(registration_closes__gte=today))
        .filter(Q(schools__isnull=True) | Q(schools=child.school_id))
        .select_related("min_level", "max_level")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.filter(is_active=True), to_attr="open_units")
        )
        .distinct()
        .order_by("period_start", "kind", "name")
    )
    if kind:
        qs = qs.filter(kind=kind)
    rank = child.class_level.rank if child.class_level_id else None
    activities = []
    for activity in qs:
        age = _age_on(child.birth_date, max(activity.period_start, today))
        if activity.min_age is not None and age < activity.min_age:
            continue
        if activity.max_age is not None and age > activity.max_age:
            continue
        if (activity.min_level or activity.max_level) and rank is None:
            continue
        if activity.min_level and rank < activity.min_level.rank:
            continue
        if activity.max_level and rank > activity.max_level.rank:
            continue
        activities.append(activity)
    return activities


def family_enrolments(*, family: Family):
    """Every inscription of the family's children (« Mes inscriptions »), newest request first."""
    from .models import Enrolment, Unit

    return (
        Enrolment.objects.filter(child__family=family)
        .select_related("child", "activity")
        .prefetch_related(Prefetch("planning_units", queryset=Unit.objects.order_by("position", "label")))
        .order_by("-activity__period_start", "child__birth_date", "activity__kind", "activity__name", "-pk")
    )


def family_renewable_enrolments(*, family: Family, today) -> list[tuple]:
    """This school year's accepted inscriptions that can be renewed next year: (enrolment, twin activity) pairs,
    those whose twin exists and has no inscription of the child in progress yet."""
    from .models import Activity, Enrolment
    from .services.enrolments import activity_next_year_twin
    from .services.health import school_year_start

    year = school_year_start(day=today)
    current = [
        e
        for e in family_enrolments(family=family).filter(
            status=Enrolment.Status.ACCEPTED, activity__is_active=True
        )
        if school_year_start(day=e.activity.period_start) == year
    ]
    if not current:
        return []
    candidates = list(
        Activity.objects.filter(
            is_active=True, period_start__gt=today, kind__in={e.activity.kind for e in current}
        )
        .prefetch_related("units")
        .order_by("period_start", "pk")
    )
    units_by_activity = {e.activity_id: e.activity for e in current}
    for activity in Activity.objects.filter(pk__in=units_by_activity).prefetch_related("units"):
        units_by_activity[activity.pk] = activity
    taken = set(
        Enrolment.objects.filter(
            child__family=family, status__in=Enrolment.ACTIVE, activity__in=candidates
        ).values_list("child_id", "activity_id")
    )
    pairs = []
    for enrolment in current:
        twin = activity_next_year_twin(
            activity=units_by_activity[enrolment.activity_id], candidates=candidates
        )
        if twin is not None and (enrolment.child_id, twin.pk) not in taken:
            pairs.append((enrolment, twin))
    return pairs
