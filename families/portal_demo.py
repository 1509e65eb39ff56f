"""Demo content of the parent portal: démarches, documents, conversations and a known clé famille.

Called by `manage.py seed_demo` once families exist. Deterministic (dates follow `today`) and idempotent (every
item is looked up before it is created).
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import (
    Activity,
    ChangeRequest,
    Conversation,
    DocumentKind,
    Enrolment,
    Family,
    FamilyAccessKey,
    FamilyDocument,
    Guardian,
    Message,
)

PARENT_EMAIL = "parent@demo.portail-famille.fr"
# A clé famille anyone can try in the demo: « Créer mon espace », activate, then enter this key.
DEMO_FAMILY_KEY = "DEMO-2026-CLEF"
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _at(today: datetime.date, days_ago: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days_ago),
                                                         datetime.time(hour, 0)))


def _staff():
    User = get_user_model()
    return User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()


def _change_request(family, *, kind, payload, status, days_ago, today, reason="", by=None, staff=None):
    cr, created = ChangeRequest.objects.get_or_create(
        family=family, kind=kind, payload=payload,
        defaults={"status": status, "reason": reason, "created_by": by,
                  "decided_by": staff if status != ChangeRequest.Status.PENDING else None},
    )
    if created:
        decided = _at(today, days_ago - 1) if status != ChangeRequest.Status.PENDING else None
        ChangeRequest.objects.filter(pk=cr.pk).update(created_at=_at(today, days_ago), decided_at=decided)
    return cr


def _document(family, *, kind, status, days_ago, today, title="", valid_until=None, reason="", child=None,
              by=None, staff=None):
    existing = FamilyDocument.objects.filter(family=family, kind=kind, title=title).first()
    if existing:
        return existing
    doc = FamilyDocument(family=family, kind=kind, title=title, status=status, valid_until=valid_until,
                         rejection_reason=reason, child=child, uploaded_by=by, original_name=f"{kind}.pdf",
                         content_type="application/pdf", size=len(DEMO_PDF),
                         reviewed_by=staff if status in ("accepted", "rejected") else None)
    doc.file.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
    doc.save()
    FamilyDocument.objects.filter(pk=doc.pk).update(uploaded_at=_at(today, days_ago))
    return doc


def _conversation(family, *, subject, lines, today, days_ago, status="open", parent=None, staff=None, read=True):
    conversation = Conversation.objects.filter(family=family, subject=subject).first()
    if conversation:
        return conversation
    conversation = Conversation.objects.create(family=family, subject=subject, status=status, assigned_to=staff,
                                               created_by=parent)
    when = None
    for i, (from_staff, body) in enumerate(lines):
        when = _at(today, days_ago, 9) + datetime.timedelta(hours=3 * i)
        msg = Message.objects.create(conversation=conversation, from_staff=from_staff, body=body,
                                     author=staff if from_staff else parent,
                                     read_by_staff_at=when if (read or from_staff) else None,
                                     read_by_family_at=when if (read or not from_staff) else None)
        Message.objects.filter(pk=msg.pk).update(created_at=when)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=when)
    return conversation


@transaction.atomic
def _enrolments(children, *, today: datetime.date) -> None:
    """Schoolchildren eat at the canteen and use the périscolaire; the youngest waits for a mercredis place."""
    by_kind = {a.kind: a for a in Activity.objects.filter(kind__in=["restauration", "periscolaire", "mercredi"],
                                                            period_start__lte=today, period_end__gte=today)}
    plan = []
    for child in children:
        for kind in ("restauration", "periscolaire"):
            if kind in by_kind:
                plan.append((child, by_kind[kind], Enrolment.Status.ACCEPTED))
    if children and "mercredi" in by_kind:
        plan.append((children[-1], by_kind["mercredi"], Enrolment.Status.WAITING))
    for child, activity, status in plan:
        Enrolment.objects.get_or_create(child=child, activity=activity, defaults={
            "status": status, "start_date": activity.period_start})


def seed_portal_demo(*, today: datetime.date) -> None:
    """Give the demo parent's family a lived-in portal, and staff a few items in each queue."""
    staff = _staff()
    guardian = Guardian.objects.select_related("family", "user").filter(user__email__iexact=PARENT_EMAIL).first()
    families = list(Family.objects.order_by("pk")[:6])
    if guardian is not None:
        family, parent = guardian.family, guardian.user
        children = list(family.children.order_by("birth_date"))
        _enrolments(children, today=today)
        if children:  # the eldest's fiche is confirmed; the others still need it (Mon accueil shows why)
            eldest = children[0]
            if eldest.health_form_confirmed_on is None:
                eldest.health_form_confirmed_on = today - datetime.timedelta(days=60)
                eldest.save(update_fields=["health_form_confirmed_on"])
        _change_request(family, kind=ChangeRequest.Kind.COORDINATES, status=ChangeRequest.Status.APPROVED,
                        payload={"family": {}, "guardians": {str(guardian.pk): {"employer": "Mairie de Bessancourt"}}},
                        days_ago=40, today=today, by=parent, staff=staff)
        _change_request(family, kind=ChangeRequest.Kind.COORDINATES, status=ChangeRequest.Status.PENDING,
                        payload={"family": {}, "guardians": {str(guardian.pk): {"phone_work": "01 30 40 00 00"}}},
                        days_ago=2, today=today, by=parent)
        _document(family, kind=DocumentKind.CAF, status="accepted", days_ago=50, today=today, by=parent,
                  staff=staff, valid_until=datetime.date(today.year + 1, 1, 31))
        _document(family, kind=DocumentKind.INSURANCE, status="rejected", days_ago=20, today=today, by=parent,
                  staff=staff, reason="Attestation de l'année dernière : merci de déposer celle de cette année.",
                  valid_until=today - datetime.timedelta(days=30))
        _document(family, kind=DocumentKind.TAX_NOTICE, status="pending", days_ago=1, today=today, by=parent)
        _document(family, kind=DocumentKind.CERTIFICATE, status="issued", days_ago=10, today=today, staff=staff,
                  title=f"Attestation de présence — {today.year - 1}", by=staff)
        _conversation(family, subject="Sortie au parc : autorisation", today=today, days_ago=6, parent=parent,
                      staff=staff, read=False, lines=[
                          (True, "Bonjour, une sortie au parc est prévue mercredi. Merci de confirmer votre accord."),
                          (False, "Bonjour, c'est d'accord pour nous. Bonne journée."),
                          (True, "Merci ! N'oubliez pas la casquette et la gourde."),
                      ])
        _conversation(family, subject="Absence pour rendez-vous médical", today=today, days_ago=30, status="closed",
                      parent=parent, staff=staff, lines=[
                          (False, "Bonjour, notre enfant sera absent jeudi matin pour un rendez-vous médical."),
                          (True, "Bien noté, l'absence est justifiée. Bonne journée."),
                      ])
    # The staff queues: a pending démarche, a document to check and an unread message from other families.
    for i, family in enumerate(f for f in families if guardian is None or f.pk != guardian.family_id):
        if i >= 3:
            break
        _change_request(family, kind=ChangeRequest.Kind.COORDINATES, status=ChangeRequest.Status.PENDING,
                        payload={"family": {"address_line2": f"Bâtiment {chr(65 + i)}"}, "guardians": {}},
                        days_ago=i + 1, today=today)
        _document(family, kind=DocumentKind.ADDRESS_PROOF, status="pending", days_ago=i + 1, today=today)
        _conversation(family, subject="Question sur la facture", today=today, days_ago=i + 1, read=False, lines=[
            (False, "Bonjour, pourriez-vous m'expliquer la ligne « accueil du soir » de ma facture ?"),
        ])
    # A known clé famille on a family without a portal account, for the « Créer mon espace » flow.
    target = Family.objects.filter(guardians__user__isnull=True).exclude(guardians__user__isnull=False) \
        .order_by("pk").first()
    if target is not None:
        key_hash = hashlib.sha256(DEMO_FAMILY_KEY.replace("-", "").encode()).hexdigest()
        FamilyAccessKey.objects.get_or_create(key_hash=key_hash, defaults={"family": target, "hint": "CLEF"})
