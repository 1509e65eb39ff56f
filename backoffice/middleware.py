"""NUL characters are taken out of query strings and form posts before any view sees them.

No field of ours holds one, SQLite stores it silently, and PostgreSQL refuses it with a ValueError (a 500) the
moment it reaches a query: `?search=%00` on the API, a login form, the public search. Removing it at the door
covers every surface at once, and the request goes on as if it had not been typed (the public search still
answers). Other control characters are stripped on save (backoffice.sanitising)."""

from __future__ import annotations

from django.http import QueryDict


class StripNulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if _has_nul(request.POST):
                request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _has_nul(query_dict: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists()
    )


def _without_nul(query_dict: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=query_dict.encoding)
    for key, values in query_dict.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned
