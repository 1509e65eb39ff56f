"""Mes attestations (/portail/attestations-fiscales/): the family's attestations fiscales de frais de garde."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from billing.services.tax_certificates import family_tax_certificates, tax_certificates_available_until
from billing.views.invoices import _pdf_response
from families.views.common import family_required


@family_required
def tax_certificate_list(request):
    """Each ended year's certificates, one per child and payer; the current year's come on 1 January."""
    today = timezone.localdate()
    certificates = list(family_tax_certificates(family=request.family, today=today))
    years = [
        {"year": year, "certificates": list(group)}
        for year, group in groupby(certificates, key=lambda certificate: certificate.year)
    ]
    return render(
        request,
        "billing/tax/certificate_list.html",
        {
            "years": years,
            "current_year": today.year,
            "next_january": today.replace(year=today.year + 1, month=1, day=1),
            "last_year": tax_certificates_available_until(today=today),
        },
    )


@family_required
def tax_certificate_pdf(request, pk):
    # Another family's certificate, or one of a year not ended yet, is simply not found.
    certificate = (
        family_tax_certificates(family=request.family).filter(pk=pk).select_related("family").first()
    )
    if certificate is None:
        raise Http404
    if certificate.pdf:
        with certificate.pdf.open("rb") as handle:
            content = handle.read()
    else:
        from billing.pdf_tax import tax_certificate_pdf as render_pdf

        content = render_pdf(certificate=certificate, today=timezone.localdate())
    name = f"attestation-fiscale-{certificate.year}-{certificate.child.first_name}.pdf"
    return _pdf_response(content, name.encode("ascii", "ignore").decode())
