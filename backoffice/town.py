"""The town's identity (commune, service enfance, contacts, logo): one neutral accessor for every app.

The domain (emails, PDFs, login page) and the public site read it here; neither knows where it is edited. The
PORTAIL_* Django settings give every deployment its defaults; an app that lets staff edit the identity (the CMS site
settings, Paramètres › Paramètres du site) registers a *source* in its `AppConfig.ready()`, and the non-empty values
of the sources win over the defaults.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

# A source returns the fields it knows (same keys as `town_identity()`); empty values are ignored.
Source = Callable[[], dict[str, str]]

FIELDS = ("town_name", "service_name", "contact_email", "contact_phone", "contact_address", "logo_url")

_sources: list[Source] = []


def register_source(source: Source) -> Source:
    """Let `source` override the defaults (later registrations win); usable as a decorator. Idempotent."""
    if source not in _sources:
        _sources.append(source)
    return source


def unregister_source(source: Source) -> None:
    if source in _sources:
        _sources.remove(source)


def town_identity() -> dict[str, str]:
    """Name, service, contacts and logo of the town: the edited values, the PORTAIL_* settings for the rest."""
    values = {
        "town_name": settings.PORTAIL_TOWN_NAME,
        "service_name": settings.PORTAIL_SERVICE_NAME,
        "contact_email": settings.PORTAIL_CONTACT_EMAIL,
        "contact_phone": settings.PORTAIL_CONTACT_PHONE,
        "contact_address": settings.PORTAIL_CONTACT_ADDRESS,
        "logo_url": "",
    }
    for source in _sources:
        for key, value in source().items():
            if key in values and value:
                values[key] = value
    return values
