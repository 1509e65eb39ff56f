"""What every portal page shares: the logged-in family (or the family an agent serves at the guichet)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from families.models import Family, GuichetAction
from families.selectors import family_for_user, family_unread_count

GUICHET_SESSION_KEY = "portal_guichet_family_id"


def resolve_family(request) -> tuple[Family | None, bool]:
    """(family, guichet): an agent with the right to change families may act for one (mode guichet)."""
    user = request.user
    family_id = request.session.get(GUICHET_SESSION_KEY)
    if family_id and user.is_staff and user.has_perm("families.change_family"):
        family = Family.objects.filter(pk=family_id).first()
        if family is not None:
            return family, True
    return family_for_user(user=user), False


def family_required(view):
    """Login required, and a family: without one, the account is sent to attach itself with its clé famille."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        family, guichet = resolve_family(request)
        if family is None:
            if "self" in settings.PORTAIL_SIGNUP_MODES and not request.user.is_staff:
                return redirect("portal:attach")
            return render(request, "portal/no_family.html", status=403)
        request.family = family
        request.guichet = guichet
        request.portal_unread = family_unread_count(family=family)
        response = view(request, *args, **kwargs)
        if guichet and request.method == "POST" and response.status_code in (200, 302):
            match = request.resolver_match
            GuichetAction.objects.create(
                family=family, agent=request.user, path=request.path[:250],
                action=f"{match.url_name if match else request.path} ({request.method})",
            )
        return response

    return wrapper
