"""Portal emails: French, HTML + text, signed with the town's name and contact, sent by a background task."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def town_context() -> dict:
    """The town's identity for emails and documents.

    What communication staff entered in the CMS site settings (Paramètres › Paramètres du site) wins; the
    PORTAIL_* Django settings fill whatever is left empty, so a town without a CMS still signs its emails.
    """
    values = {
        "town_name": settings.PORTAIL_TOWN_NAME,
        "service_name": settings.PORTAIL_SERVICE_NAME,
        "contact_email": settings.PORTAIL_CONTACT_EMAIL,
        "contact_phone": settings.PORTAIL_CONTACT_PHONE,
        "contact_address": settings.PORTAIL_CONTACT_ADDRESS,
        "portal_url": f"{settings.PORTAIL_BASE_URL}/portail/",
        "backoffice_url": f"{settings.PORTAIL_BASE_URL}/gestion/",
    }
    from wagtail.models import Site

    from cms.models.site_settings import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        town = SiteSettings.for_site(site)
        address = ", ".join(line.strip() for line in town.address.splitlines() if line.strip())
        for key, value in (
            ("town_name", town.town_name),
            ("service_name", town.service_name),
            ("contact_email", town.email),
            ("contact_phone", town.phone),
            ("contact_address", address),
        ):
            if value:
                values[key] = value
    return values


def email_send(*, to: list[str] | str, template: str, context: dict) -> None:
    """Render `templates/emails/<template>_subject.txt`, `.txt` and `.html`; enqueue the sending after commit."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not recipients:
        return
    ctx = {**town_context(), **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
    text = render_to_string(f"emails/{template}.txt", ctx)
    html = render_to_string(f"emails/{template}.html", ctx)
    from families.tasks import send_email

    _after_commit(lambda: send_email.enqueue(to=recipients, subject=subject, text=text, html=html))


def _after_commit(callback) -> None:
    # A rolled-back démarche sends no email; tests without transactions replace this hook.
    transaction.on_commit(callback)
