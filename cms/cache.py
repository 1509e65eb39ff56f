"""Cache of public fragments, keyed by a version token that changes whenever published content changes.

The token lives in the database, not in the cache: every worker process (each with its own local-memory
cache) sees a publication at once, and a rolled-back transaction (a test) rolls the token back with the
content it described, so a fragment is never served for content that is not there.
"""

import uuid

TIMEOUT = 60 * 60


def public_cache_version(request=None) -> str:
    """The current token; read once per request."""
    if request is not None and hasattr(request, "_cms_cache_version"):
        return request._cms_cache_version
    from cms.models import PublicContentVersion

    token = PublicContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        token = PublicContentVersion.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})[0].token
    if request is not None:
        request._cms_cache_version = token
    return token


def public_cache_bump(**kwargs) -> None:
    """Make every cached public fragment stale (signal receiver: publication, menu edit, import…)."""
    from cms.models import PublicContentVersion

    PublicContentVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
