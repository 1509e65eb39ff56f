"""/gestion/facturation/attestations-fiscales/: the régisseur issues a year's attestations fiscales in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.admin import site
from billing.models import TaxCertificate, TaxCertificateRun
from billing.services.tax_certificates import tax_certificate_run_start


def _require(request, codename: str):
    if not request.user.has_perm(f"billing.{codename}"):
        raise PermissionDenied


def tax_certificates(request):
    """The years issued so far (count, total) and the form to issue a year; the run then shows its progress."""
    _require(request, "view_taxcertificate")
    today = timezone.localdate()
    error = None
    year_value = str(today.year - 1)
    if request.method == "POST":
        _require(request, "add_taxcertificate")
        year_value = request.POST.get("year", "").strip()
        try:
            run = tax_certificate_run_start(year=year_value, by=request.user, today=today)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("La génération des attestations %(year)s est lancée.") % {"year": run.year}
            )
            return redirect("billing_staff:tax_run", pk=run.pk)
    years = (
        TaxCertificate.objects.values("year")
        .annotate(count=Count("pk"), families=Count("family", distinct=True), total=Sum("amount"))
        .order_by("-year")
    )
    runs = TaxCertificateRun.objects.select_related("created_by")[:10]
    return TemplateResponse(
        request,
        "billing/tax/staff_certificates.html",
        {
            **site.each_context(request),
            "title": _("Attestations fiscales"),
            "years": list(years),
            "runs": list(runs),
            "year_value": year_value,
            "error": error,
            "can_issue": request.user.has_perm("billing.add_taxcertificate"),
            "current_year": today.year,
        },
    )


def tax_run(request, pk):
    """One bulk issue: its progress bar while it runs, then how many certificates the year has."""
    _require(request, "view_taxcertificate")
    run = get_object_or_404(TaxCertificateRun.objects.select_related("created_by"), pk=pk)
    return TemplateResponse(
        request,
        "billing/tax/staff_run.html",
        {**site.each_context(request), "title": str(run), "run": run, "running": run.running},
    )


def tax_run_progress(request, pk):
    """Small JSON the progress bar polls (same shape as the invoice runs')."""
    _require(request, "view_taxcertificate")
    run = get_object_or_404(TaxCertificateRun, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "done": run.done_steps,
            "total": run.total_steps,
            "percent": run.progress_percent,
            "running": run.running,
            "certificates": run.certificates,
        }
    )


def tax_certificate_pdf(request, pk):
    _require(request, "view_taxcertificate")
    certificate = get_object_or_404(TaxCertificate.objects.select_related("family", "child"), pk=pk)
    if certificate.pdf:
        with certificate.pdf.open("rb") as handle:
            content = handle.read()
    else:
        from billing.pdf_tax import tax_certificate_pdf as render_pdf

        content = render_pdf(certificate=certificate, today=timezone.localdate())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="attestation-fiscale-{certificate.year}-{certificate.pk}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
