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


def family_children(*, family: Family) -> QuerySet[Child]:
    return (
        Child.objects.filter(family=family)
        .select_related("school", "class_level")
        .prefetch_related("allergens")
        .order_by("birth_date")
    )


def family_with_dossier(*, family_id: int) -> Family:
    return (
        Family.objects.prefetch_related(
            Prefetch("guardians", queryset=Guardian.objects.order_by("last_name")),
            Prefetch("children", queryset=Child.objects.select_related("school", "class_level")),
            "contacts",
        ).get(pk=family_id)
    )
