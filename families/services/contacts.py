"""Entourage (Contact): people allowed to pick children up or to call in an emergency, managed by the family."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from families.models import Child, Contact, Family


@transaction.atomic
def contact_save(*, family: Family, contact: Contact, children: list[Child]) -> Contact:
    """Create or update a contact of the family, for some of its children (none = all)."""
    if contact.pk and contact.family_id != family.pk:
        raise ValidationError(_("Ce contact n'appartient pas à votre dossier."))
    if any(child.family_id != family.pk for child in children):
        raise ValidationError(_("Cet enfant n'appartient pas à votre dossier."))
    contact.family = family
    contact.full_clean()
    contact.save()
    contact.children.set(children)
    return contact


@transaction.atomic
def contact_delete(*, family: Family, contact: Contact) -> None:
    if contact.family_id != family.pk:
        raise ValidationError(_("Ce contact n'appartient pas à votre dossier."))
    contact.delete()
