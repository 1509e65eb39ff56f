"""Portal emails: French, HTML + text, signed with the town's name and contact, sent by a background task."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from backoffice.town import town_identity


def town_context() -> dict:
    """The town's identity for emails and documents (see `backoffice.town`), plus the portal's addresses."""
    return {
        **town_identity(),
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
