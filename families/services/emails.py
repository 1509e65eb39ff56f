"""Portal emails: French, HTML + text, signed with the town's name and contact, sent by a background task."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def town_context() -> dict:
    return {
        "town_name": settings.PORTAIL_TOWN_NAME,
        "service_name": settings.PORTAIL_SERVICE_NAME,
        "contact_email": settings.PORTAIL_CONTACT_EMAIL,
        "contact_phone": settings.PORTAIL_CONTACT_PHONE,
        "contact_address": settings.PORTAIL_CONTACT_ADDRESS,
        "portal_url": f"{settings.PORTAIL_BASE_URL}/portail/",
        "backoffice_url": f"{settings.PORTAIL_BASE_URL}/gestion/",
    }


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
