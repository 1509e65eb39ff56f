"""Who may call the family API: a parent account of a family, or an agent serving a family at the guichet."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from families.views.common import resolve_family


class IsFamilyMember(BasePermission):
    """Sets `request.family` (and `request.guichet`) the way the portal resolves them; staff without a family
    at the guichet are refused (403)."""

    message = _("Cette API est réservée aux familles : ce compte n'est rattaché à aucun dossier famille.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        family, guichet = resolve_family(request)
        if family is None:
            return False
        request.family, request.guichet = family, guichet
        return True
