"""Inscriptions (Enrolment): staff decide a request — acceptée, refusée or liste d'attente — and the family is told."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Enrolment, Guardian

from .emails import email_send

S = Enrolment.Status
# From each status, where a decision may lead: a request is decided once; a waiting one may still be decided.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REQUESTED: (S.ACCEPTED, S.REFUSED, S.WAITING),
    S.WAITING: (S.ACCEPTED, S.REFUSED),
}


def _decide(*, enrolment: Enrolment, status: str, by, reason: str = "") -> Enrolment:
    locked = Enrolment.objects.select_for_update().select_related("child", "activity").get(pk=enrolment.pk)
    if status not in TRANSITIONS.get(locked.status, ()):
        raise ValidationError(
            _("Impossible de passer une inscription « %(current)s » à « %(target)s ».")
            % {"current": locked.get_status_display(), "target": S(status).label},
            code="invalid_transition",
        )
    locked.status = status
    locked.refusal_reason = reason
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save()
    emails = [
        g.user.email
        for g in Guardian.objects.filter(
            family_id=locked.child.family_id, user__isnull=False, user__is_active=True
        ).select_related("user")
    ]
    email_send(to=emails, template="enrolment_decided", context={"enrolment": locked})
    return locked


@transaction.atomic
def enrolment_accept(*, enrolment: Enrolment, by) -> Enrolment:
    """Staff accept an inscription (demandée or en liste d'attente): the child may then book days."""
    return _decide(enrolment=enrolment, status=S.ACCEPTED, by=by)


@transaction.atomic
def enrolment_refuse(*, enrolment: Enrolment, by, reason: str) -> Enrolment:
    """Staff refuse an inscription, always saying why: the family reads the motif."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus : la famille le lira.")})
    return _decide(enrolment=enrolment, status=S.REFUSED, by=by, reason=reason.strip())


@transaction.atomic
def enrolment_waitlist(*, enrolment: Enrolment, by) -> Enrolment:
    """Staff put a requested inscription on the liste d'attente (activity full for now)."""
    return _decide(enrolment=enrolment, status=S.WAITING, by=by)
