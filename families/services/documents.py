"""Pièces justificatives (FamilyDocument): parent uploads, staff review, documents issued by the town."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Child, Family, FamilyDocument, Guardian

from .emails import email_send
from .uploads import display_name, upload_check


@transaction.atomic
def document_upload(
    *, family: Family, kind: str, file, by, child: Child | None = None, valid_until: date | None = None,
    title: str = "",
) -> FamilyDocument:
    """A parent deposits a justificatif: checked by content and size, stored privately, awaiting review."""
    mime, ext = upload_check(file=file)
    if child is not None and child.family_id != family.pk:
        raise ValidationError(_("Cet enfant n'appartient pas à votre dossier."))
    document = FamilyDocument(
        family=family, child=child, kind=kind, title=title, valid_until=valid_until, uploaded_by=by,
        original_name=display_name(file.name), content_type=mime, size=file.size,
    )
    document.file.save(f"document{ext}", file, save=False)
    document.save()
    email_send(to=settings.PORTAIL_CONTACT_EMAIL, template="staff_alert", context={
        "title": _("Nouveau document à vérifier"),
        "body": _("%(kind)s — famille %(code)s") % {"kind": document.get_kind_display(), "code": family.code},
    })
    return document


@transaction.atomic
def document_issue(
    *, family: Family, kind: str, title: str, content: bytes, by, content_type: str = "application/pdf",
    filename: str = "document.pdf",
) -> FamilyDocument:
    """The town puts a document (invoice, attestation) in the family's space."""
    document = FamilyDocument(
        family=family, kind=kind, title=title, uploaded_by=by, original_name=display_name(filename),
        content_type=content_type, size=len(content), status=FamilyDocument.Status.ISSUED,
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


@transaction.atomic
def document_issue_upload(*, document: FamilyDocument, file, by) -> FamilyDocument:
    """Staff put a file of theirs (attestation, courrier) in a family's space: same checks as a parent's upload."""
    mime, ext = upload_check(file=file)
    document.check_child_in_family()
    document.status = FamilyDocument.Status.ISSUED
    document.uploaded_by = by
    document.original_name = display_name(file.name)
    document.content_type, document.size = mime, file.size
    document.file.save(f"document{ext}", file, save=False)
    document.save()
    return document


@transaction.atomic
def document_edit(*, document: FamilyDocument, by, kind: str, title: str, valid_until: date | None) -> FamilyDocument:
    """Staff correct what a document is (type, titre, validité); its file, family and review stay as they are."""
    doc = FamilyDocument.objects.select_for_update().get(pk=document.pk)
    doc.kind, doc.title, doc.valid_until = kind, title, valid_until
    edited = {"kind", "title", "valid_until"}
    doc.clean_fields(exclude=[f.name for f in FamilyDocument._meta.fields if f.name not in edited])
    doc._history_user = by
    doc.save(update_fields=["kind", "title", "valid_until"])
    return doc


def _decide(document: FamilyDocument, *, status: str, by, reason: str = "") -> FamilyDocument:
    doc = FamilyDocument.objects.select_for_update().select_related("family").get(pk=document.pk)
    if doc.status not in (FamilyDocument.Status.PENDING, FamilyDocument.Status.ACCEPTED,
                          FamilyDocument.Status.REJECTED):
        raise ValidationError(_("Un document émis par le service ne se vérifie pas."))
    doc.status = status
    doc.rejection_reason = reason
    doc.reviewed_by = by
    doc.reviewed_at = timezone.now()
    doc.save()
    emails = [g.user.email for g in Guardian.objects.filter(family_id=doc.family_id, user__isnull=False)
              .select_related("user")]
    email_send(to=emails, template="document_reviewed", context={"document": doc})
    return doc


@transaction.atomic
def document_accept(*, document: FamilyDocument, by) -> FamilyDocument:
    """Staff accept a justificatif."""
    return _decide(document, status=FamilyDocument.Status.ACCEPTED, by=by)


@transaction.atomic
def document_reject(*, document: FamilyDocument, by, reason: str) -> FamilyDocument:
    """Staff refuse a justificatif, always saying why (illisible, périmé…)."""
    if not reason.strip():
        raise ValidationError({"rejection_reason": _("Indiquez le motif du refus : la famille le lira.")})
    return _decide(document, status=FamilyDocument.Status.REJECTED, by=by, reason=reason.strip())


@transaction.atomic
def document_delete(*, document: FamilyDocument, family: Family) -> None:
    """A parent withdraws a document the service has not accepted yet."""
    if document.family_id != family.pk or document.status != FamilyDocument.Status.PENDING:
        raise ValidationError(_("Ce document ne peut plus être retiré."))
    document.file.delete(save=False)
    document.delete()
