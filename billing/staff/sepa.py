"""The régisseur's prélèvement screens under /gestion/facturation/prelevements/: the month's pain.008 (generate,
download, anomalies), rejects (one by one or the bank's return file) and the mandates to validate."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from backoffice.admin import site
from billing.models import DirectDebitBatch, DirectDebitItem, RejectReason, SepaMandate
from billing.services.invoicing import parse_period
from billing.services.sepa import (
    sepa_batch_create,
    sepa_batch_generate,
    sepa_batch_summary,
    sepa_mandate_activate,
    sepa_mandate_refuse,
    sepa_mandate_revoke,
    sepa_reject_record,
    sepa_returns_import,
)
from families.models import FamilyDocument
from families.models.portal import DocumentKind
from families.services.documents import document_issue_upload


def _require(request, codename: str):
    if not request.user.has_perm(f"billing.{codename}"):
        raise PermissionDenied


def _context(request, **extra):
    return {**site.each_context(request), **extra}


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


class BatchForm(forms.Form):
    period = forms.CharField(
        label=_l("Mois facturé à prélever"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_l("AAAA-MM"),
    )

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["period"]) from exc


class RejectForm(forms.Form):
    code = forms.ChoiceField(label=_l("Motif du rejet"), choices=RejectReason.choices)
    on = forms.DateField(
        label=_l("Rejeté le"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReturnsForm(forms.Form):
    file = forms.FileField(
        label=_l("Fichier de retour de la banque (CSV ou pain.002)"),
        help_text=_l("Colonnes : référence (n° de facture), RUM, montant, motif (AM04, MD06, AC04…)."),
    )
    on = forms.DateField(
        label=_l("Rejets du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def sepa_batches(request):
    """The month's prélèvement: generate it (one form), the recent batches with their files."""
    _require(request, "view_directdebitbatch")
    form = BatchForm(request.POST or None)
    if request.method == "POST":
        _require(request, "add_directdebitbatch")
        if form.is_valid():
            try:
                batch = sepa_batch_create(period=form.cleaned_data["period"], by=request.user)
            except ValidationError as exc:
                _error(request, exc)
            else:
                try:
                    sepa_batch_generate(batch=batch, by=request.user)
                except ValidationError as exc:
                    _error(request, exc)  # the batch stays « à générer »: fix the settings, generate it again
                else:
                    messages.success(request, _("Le fichier de prélèvement est généré."))
                return redirect("billing_staff:sepa_batch", pk=batch.pk)
    batches = DirectDebitBatch.objects.select_related("created_by")[:24]
    pending = SepaMandate.objects.filter(status=SepaMandate.Status.REQUESTED).count()
    return TemplateResponse(
        request,
        "billing/sepa/staff_batches.html",
        _context(request, title=_("Prélèvements SEPA"), form=form, batches=batches, pending_mandates=pending),
    )


def sepa_batch(request, pk):
    """One batch: total, anomalies, the debits (reject one), the bank's return file."""
    _require(request, "view_directdebitbatch")
    batch = get_object_or_404(DirectDebitBatch.objects.select_related("created_by"), pk=pk)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "billing/sepa/staff_batch.html",
        _context(
            request,
            title=str(batch),
            summary=sepa_batch_summary(batch=batch),
            batch=batch,
            can_reject=request.user.has_perm("billing.change_directdebititem"),
            can_generate=batch.status == DirectDebitBatch.Status.PENDING
            and request.user.has_perm("billing.add_directdebitbatch"),
            reject_form=RejectForm(initial={"on": today}),
            returns_form=ReturnsForm(initial={"on": today}),
            report=None,
        ),
    )


@require_POST
def sepa_batch_generate_view(request, pk):
    _require(request, "add_directdebitbatch")
    batch = get_object_or_404(DirectDebitBatch, pk=pk)
    try:
        sepa_batch_generate(batch=batch, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Le fichier de prélèvement est généré."))
    return redirect("billing_staff:sepa_batch", pk=batch.pk)


def sepa_batch_file(request, pk):
    """The pain.008 to upload to the bank (régisseur's download, never a public URL)."""
    _require(request, "view_directdebitbatch")
    batch = get_object_or_404(DirectDebitBatch, pk=pk)
    if not batch.file:
        raise Http404
    response = FileResponse(
        batch.file.open("rb"),
        as_attachment=True,
        filename=f"prelevement-{batch.period:%Y-%m}-{batch.pk}.xml",
        content_type="application/xml",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def sepa_item_reject(request, pk):
    _require(request, "change_directdebititem")
    item = get_object_or_404(DirectDebitItem, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le motif et la date du rejet."))
    else:
        try:
            sepa_reject_record(
                item=item, code=form.cleaned_data["code"], on=form.cleaned_data["on"], by=request.user
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _(
                    "Rejet enregistré : la facture %(number)s est de nouveau à payer et la famille est prévenue."
                )
                % {"number": item.end_to_end_id},
            )
    return redirect("billing_staff:sepa_batch", pk=item.batch_id)


def sepa_returns(request, pk):
    """Import the bank's return file from a batch screen: each row's outcome, errors by row."""
    _require(request, "change_directdebititem")
    batch = get_object_or_404(DirectDebitBatch, pk=pk)
    if request.method != "POST":
        return redirect("billing_staff:sepa_batch", pk=batch.pk)
    form = ReturnsForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            form.add_error("file", _("Le fichier dépasse 2 Mo."))
        else:
            report = sepa_returns_import(content=upload.read(), on=form.cleaned_data["on"], by=request.user)
    return TemplateResponse(
        request,
        "billing/sepa/staff_batch.html",
        _context(
            request,
            title=str(batch),
            summary=sepa_batch_summary(batch=batch),
            batch=batch,
            can_reject=True,
            can_generate=False,
            reject_form=RejectForm(initial={"on": timezone.localdate()}),
            returns_form=form,
            report=report,
        ),
    )


# --- Mandates -----------------------------------------------------------------------------------------------------


class ActivateForm(forms.Form):
    signed_on = forms.DateField(
        label=_l("Date de signature"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document = forms.ModelChoiceField(
        label=_l("Mandat signé (document de la famille)"),
        queryset=FamilyDocument.objects.none(),
        required=False,
    )
    file = forms.FileField(label=_l("…ou déposer le mandat signé (PDF, image)"), required=False)

    def __init__(self, *args, mandate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = FamilyDocument.objects.filter(
            family_id=mandate.family_id
        ).order_by("-uploaded_at")
        if mandate.signed_on:
            self.fields["signed_on"].initial = mandate.signed_on
        if mandate.document_id:
            self.fields["document"].initial = mandate.document_id


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_l("Motif (la famille le lira)"), widget=forms.Textarea(attrs={"rows": 2}))


def sepa_mandates(request):
    """Mandates, the ones to validate first."""
    _require(request, "view_sepamandate")
    status = request.GET.get("status", SepaMandate.Status.REQUESTED)
    queryset = SepaMandate.objects.select_related("family", "payer").order_by("-created_at", "-pk")
    if status in SepaMandate.Status.values:
        queryset = queryset.filter(status=status)
    return TemplateResponse(
        request,
        "billing/sepa/staff_mandates.html",
        _context(
            request,
            title=_("Mandats de prélèvement"),
            mandates=queryset[:200],
            status=status,
            statuses=SepaMandate.Status.choices,
        ),
    )


def sepa_mandate(request, pk):
    """One mandate with its full IBAN (the only screen that shows it): validate, refuse, revoke."""
    _require(request, "view_sepamandate")
    mandate = get_object_or_404(SepaMandate.objects.select_related("family", "payer", "document"), pk=pk)
    activate_form = ActivateForm(mandate=mandate)
    reason_form = ReasonForm()
    if request.method == "POST":
        _require(request, "change_sepamandate")
        action = request.POST.get("action")
        try:
            if action == "activate":
                activate_form = ActivateForm(request.POST, request.FILES, mandate=mandate)
                if activate_form.is_valid():
                    with transaction.atomic():  # a refused activation keeps no uploaded file
                        document = activate_form.cleaned_data["document"]
                        upload = activate_form.cleaned_data["file"]
                        if upload is not None:
                            document = document_issue_upload(
                                document=FamilyDocument(
                                    family=mandate.family,
                                    kind=DocumentKind.OTHER,
                                    title=_("Mandat de prélèvement SEPA signé %(rum)s")
                                    % {"rum": mandate.rum},
                                ),
                                file=upload,
                                by=request.user,
                            )
                        sepa_mandate_activate(
                            mandate=mandate,
                            signed_on=activate_form.cleaned_data["signed_on"],
                            document=document,
                            by=request.user,
                        )
                    messages.success(request, _("Le mandat %(rum)s est actif.") % {"rum": mandate.rum})
                    return redirect("billing_staff:sepa_mandate", pk=mandate.pk)
            elif action in ("refuse", "revoke"):
                reason_form = ReasonForm(request.POST)
                if reason_form.is_valid():
                    reason = reason_form.cleaned_data["reason"]
                    if action == "refuse":
                        sepa_mandate_refuse(mandate=mandate, reason=reason, by=request.user)
                        messages.success(request, _("Le mandat est refusé."))
                    else:
                        sepa_mandate_revoke(mandate=mandate, reason=reason, by=request.user)
                        messages.success(request, _("Le mandat est révoqué."))
                    return redirect("billing_staff:sepa_mandate", pk=mandate.pk)
        except ValidationError as exc:
            form = activate_form if action == "activate" else reason_form
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
    debits = mandate.debits.select_related("invoice", "batch").order_by("-collection_on")[:24]
    return TemplateResponse(
        request,
        "billing/sepa/staff_mandate.html",
        _context(
            request,
            title=_("Mandat %(rum)s") % {"rum": mandate.rum},
            mandate=mandate,
            iban_formatted=" ".join(mandate.iban[i : i + 4] for i in range(0, len(mandate.iban), 4)),
            activate_form=activate_form,
            reason_form=reason_form,
            can_change=request.user.has_perm("billing.change_sepamandate"),
            can_activate=mandate.status in (SepaMandate.Status.REQUESTED, SepaMandate.Status.SUSPENDED),
            can_refuse=mandate.status == SepaMandate.Status.REQUESTED,
            can_revoke=mandate.status
            in (SepaMandate.Status.REQUESTED, SepaMandate.Status.ACTIVE, SepaMandate.Status.SUSPENDED),
            debits=debits,
        ),
    )
