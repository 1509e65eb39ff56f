"""Cache of public fragments: one version number, bumped whenever published content changes.

Fragments are keyed by this version, so a publication, a menu edit or an import makes every cached
fragment stale at once without knowing which pages showed it.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "cms:public-version"
TIMEOUT = 60 * 60


def public_cache_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return version


def public_cache_bump(**kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
