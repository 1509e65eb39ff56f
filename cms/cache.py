"""Cache of public fragments, keyed by a version token that changes whenever published content changes.

The token lives in the database, not in the cache: every worker process (each with its own local-memory
cache) sees a publication at once, and a rolled-back transaction (a test) rolls the token back with the
content it described, so a fragment is never served for content that is not there.
"""

import uuid

from django.core.cache import cache

TIMEOUT = 60 * 60
# Header and footer links are on every page of the project (portal included), where a query per request
# for the token would cost every portal page: they use a version kept in the cache and a short lifetime.
LAYOUT_VERSION_KEY = "cms:layout-version"
LAYOUT_TIMEOUT = 5 * 60


def layout_cache_version() -> str:
    version = cache.get(LAYOUT_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(LAYOUT_VERSION_KEY, version, None)
    return version


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
    cache.set(LAYOUT_VERSION_KEY, uuid.uuid4().hex, None)
