"""Requests carrying a NUL character are refused with a 400 before any view sees them.

No field of ours holds one, SQLite stores it silently, and PostgreSQL refuses it with a ValueError (a 500) the
moment it reaches a query: `?search=%00` on the API, a login form, a portal filter. Refusing it at the door covers
every surface at once. Other control characters are stripped on save (backoffice.sanitising)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(
                _("Requête refusée : elle contient un caractère nul (%00)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists()
    )
