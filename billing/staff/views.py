"""The régisseur's invoicing screens under /gestion/facturation/: launch a run, follow it, preview, issue, print."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from backoffice.admin import site
from billing.models import Invoice, InvoiceRun
from billing.services.invoicing import (
    invoice_run_create,
    invoice_run_preview,
    invoice_run_start_issue,
    month_bounds,
    parse_period,
)
from families.models import Activity

RUNNING = (InvoiceRun.Status.PENDING, InvoiceRun.Status.PREPARING, InvoiceRun.Status.ISSUING)


class RunForm(forms.Form):
    period = forms.CharField(
        label=_l("Mois à facturer"), widget=forms.DateInput(attrs={"type": "month"}), help_text=_l("AAAA-MM")
    )
    activities = forms.ModelMultipleChoiceField(
        label=_l("Activités"), queryset=Activity.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = Activity.objects.filter(is_active=True).order_by("name")

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["period"]) from exc


def _require(request, codename: str):
    if not request.user.has_perm(f"billing.{codename}"):
        raise PermissionDenied


def _context(request, **extra):
    return {**site.each_context(request), **extra}


def runs(request):
    """List of runs and the form to launch one (a background task prepares the drafts)."""
    _require(request, "view_invoicerun")
    form = RunForm(request.POST or None)
    if request.method == "POST":
        _require(request, "add_invoicerun")
        if form.is_valid():
            run = invoice_run_create(
                period=form.cleaned_data["period"],
                activities=form.cleaned_data["activities"],
                by=request.user,
            )
            messages.success(request, _("La facturation est lancée : les brouillons se préparent."))
            return redirect("billing_staff:run", pk=run.pk)
    recent = InvoiceRun.objects.select_related("created_by").prefetch_related("activities")[:24]
    return TemplateResponse(
        request, "billing/staff/runs.html", _context(request, title=_("Facturation"), form=form, runs=recent)
    )


def run_detail(request, pk):
    """The run's progress, then its preview: totals, anomalies, draft or issued invoices, the print list."""
    _require(request, "view_invoicerun")
    run = get_object_or_404(InvoiceRun.objects.prefetch_related("activities"), pk=pk)
    preview = invoice_run_preview(run=run) if run.status not in RUNNING else None
    start, end = month_bounds(run.period)
    return TemplateResponse(
        request,
        "billing/staff/run_detail.html",
        _context(
            request,
            title=str(run),
            run=run,
            preview=preview,
            running=run.status in RUNNING,
            can_issue=run.status == InvoiceRun.Status.DRAFTED
            and request.user.has_perm("billing.change_invoicerun"),
            open_roll_call=any(a.get("kind") == "open_roll_call" for a in run.anomalies),
            start=start,
            end=end,
        ),
    )


def run_progress(request, pk):
    """Small JSON the progress bar polls."""
    _require(request, "view_invoicerun")
    run = get_object_or_404(InvoiceRun, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "done": run.done_steps,
            "total": run.total_steps,
            "percent": run.progress_percent,
            "running": run.status in RUNNING,
        }
    )


@require_POST
def run_issue(request, pk):
    _require(request, "change_invoicerun")
    run = get_object_or_404(InvoiceRun, pk=pk)
    try:
        invoice_run_start_issue(run=run, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("L'émission des factures est lancée."))
    return redirect("billing_staff:run", pk=run.pk)


def print_list(request, pk):
    """The invoices to print and post (families without the facture dématérialisée)."""
    _require(request, "view_invoicerun")
    run = get_object_or_404(InvoiceRun, pk=pk)
    preview = invoice_run_preview(run=run)
    return TemplateResponse(
        request,
        "billing/staff/print_list.html",
        _context(request, title=_("Factures à imprimer"), run=run, invoices=preview.print_list),
    )


def invoice_pdf(request, pk):
    _require(request, "view_invoice")
    invoice = get_object_or_404(Invoice.objects.select_related("family"), pk=pk)
    if invoice.pdf:
        with invoice.pdf.open("rb") as handle:
            content = handle.read()
    else:
        from billing.pdf import invoice_pdf as render_pdf

        content = render_pdf(invoice=invoice)
    response = HttpResponse(content, content_type="application/pdf")
    name = invoice.number or f"brouillon-{invoice.pk}"
    response["Content-Disposition"] = f'inline; filename="facture-{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
