"""Mes documents and Mes attestations: private files, served only to their family (and to authorised staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from families.forms import DocumentUploadForm
from families.health import MEDICAL_DOCUMENT_KINDS, can_view_health
from families.models import FamilyDocument
from families.selectors import family_documents
from families.services import documents as document_services

from .common import family_required


def private_file_response(*, file, filename: str, content_type: str, inline: bool = True) -> FileResponse:
    """Stream a private file; never cached by shared caches, never sniffed into another type."""
    try:
        handle = file.open("rb")
    except OSError as exc:  # the row outlived its file (restore, manual cleanup): a 404, not a crash
        raise Http404(_("Ce fichier n'est plus disponible.")) from exc
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A parent's file never runs script in our origin, whatever it contains.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@family_required
@require_http_methods(["GET", "POST"])
def documents(request):
    family = request.family
    form = DocumentUploadForm(request.POST or None, request.FILES or None, family=family)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_services.document_upload(family=family, kind=data["kind"], file=data["file"], by=request.user,
                                              child=data["child"], valid_until=data["valid_until"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Votre document est déposé. Le service enfance va le vérifier."))
            return redirect("portal:documents")
    docs = list(family_documents(family=family))
    return render(request, "portal/documents.html", {
        "form": form,
        "issued": [d for d in docs if d.status == FamilyDocument.Status.ISSUED],
        "uploaded": [d for d in docs if d.status != FamilyDocument.Status.ISSUED],
        "today": timezone.localdate(),
    })


@family_required
def document_download(request, document_id: int):
    document = get_object_or_404(FamilyDocument, pk=document_id, family=request.family)
    if request.guichet and document.kind in MEDICAL_DOCUMENT_KINDS and not can_view_health(request.user):
        raise Http404  # at the guichet, a medical document stays with staff who hold the health permission
    return private_file_response(file=document.file, filename=document.original_name or "document",
                                 content_type=document.content_type)


@family_required
@require_POST
def document_delete(request, document_id: int):
    document = get_object_or_404(FamilyDocument, pk=document_id, family=request.family)
    try:
        document_services.document_delete(document=document, family=request.family)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Le document est retiré."))
    return redirect("portal:documents")


@family_required
def attestations(request):
    return render(request, "portal/attestations.html", {})


@family_required
def family_sheet_pdf(request):
    from families.pdf import family_sheet

    content = family_sheet(family=request.family, today=timezone.localdate())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fiche-famille-{request.family.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
