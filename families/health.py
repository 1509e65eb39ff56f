"""Health data (RGPD art. 9, CNIL NS-058): what it is, and who in the service enfance may see it.

The fiche sanitaire of a child, the vaccinations and the medical documents of a family are shown only to staff
who need them to look after the children: the holders of `families.view_child_health` (agents, animateurs,
administrators; see `backoffice.roles`). The back-office, the API and the exports honour it through
`backoffice.crud.sensitive`; the download views ask `can_view_health` and `can_download_attachment`.
"""

from __future__ import annotations

from backoffice.crud.sensitive import protect

from .models import Child, DocumentKind, FamilyDocument, Vaccination

HEALTH_PERMISSION = "families.view_child_health"

# The régime alimentaire is kept with them: the kitchen counts meals from bookings, billing never reads it, and a
# « sans porc » diet can reveal a religious belief (art. 9 too).
CHILD_HEALTH_FIELDS = (
    "diet",
    "allergens",
    "allergies_other",
    "has_pai",
    "pai_details",
    "health_notes",
    "doctor_name",
    "doctor_phone",
)

MEDICAL_DOCUMENT_KINDS = frozenset(
    {
        DocumentKind.MEDICAL_CERTIFICATE,
        DocumentKind.PAI,
        DocumentKind.VACCINATION_BOOK,
    }
)


def can_view_health(user) -> bool:
    """May this staff member see children's health data (fiche sanitaire, vaccins, documents médicaux)?"""
    return bool(user is not None and user.is_active and user.has_perm(HEALTH_PERMISSION))


def can_download_attachment(*, user, conversation) -> bool:
    """A messagerie attachment may be a certificat médical sent with a message, and nothing says which: staff
    open attachments only with the health permission, or when the conversation is assigned to them (the person
    the service chose to answer the family reads what the family sent)."""
    if can_view_health(user):
        return True
    return conversation.assigned_to_id is not None and conversation.assigned_to_id == getattr(
        user, "pk", None
    )


protect(Child, permission=HEALTH_PERMISSION, fields=CHILD_HEALTH_FIELDS)
protect(Vaccination, permission=HEALTH_PERMISSION)
protect(FamilyDocument, permission=HEALTH_PERMISSION, rows=("kind", MEDICAL_DOCUMENT_KINDS))
