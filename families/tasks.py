"""Background work of the families app, run through Django's tasks API (a worker in production)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, text: str, html: str) -> int:
    """Send one already-rendered email (HTML + plain text): the request only renders it, a worker sends it."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()
