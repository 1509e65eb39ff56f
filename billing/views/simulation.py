"""The simulators (QF, tariffs, school sector) as GET forms: the portal page and the CMS SimulatorPage share them."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from billing.forms import QuotientSimulationForm, SchoolSectorForm, TariffSimulationForm
from billing.services.quotients import quotient_compute
from billing.services.sectors import school_sector_find
from billing.services.simulations import tariff_simulation

QUOTIENT, TARIFFS, SECTOR = "qf", "tarifs", "ecole"
SECTIONS = (QUOTIENT, TARIFFS, SECTOR)


def simulators_context(query, *, sections=SECTIONS, streets_url: str | None = None) -> dict:
    """Forms and results of the requested simulator; the other simulators show their empty form."""
    submitted = query.get("simulateur")
    context = {"sections": sections, "streets_url": streets_url or reverse("simulations-streets")}
    if QUOTIENT in sections:
        form = QuotientSimulationForm(query if submitted == QUOTIENT else None, prefix=QUOTIENT)
        context["quotient_form"] = form
        if form.is_bound and form.is_valid():
            parts, quotient = quotient_compute(**form.cleaned_data)
            context["quotient_result"] = {
                "parts": parts,
                "quotient": quotient,
                "children": form.cleaned_data["children"],
            }
    if TARIFFS in sections:
        form = TariffSimulationForm(query if submitted == TARIFFS else None, prefix=TARIFFS)
        context["tariff_form"] = form
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            context["tariff_result"] = {
                "quotient": data["quotient"],
                "resident": data["resident"],
                "children": data["children"],
                "activities": tariff_simulation(
                    quotient=data["quotient"],
                    resident=data["resident"],
                    children=data["children"],
                    day=timezone.localdate(),
                ),
            }
    if SECTOR in sections:
        form = SchoolSectorForm(query if submitted == SECTOR else None, prefix=SECTOR)
        context["sector_form"] = form
        if form.is_bound and form.is_valid():
            context["sector_answer"] = school_sector_find(address=form.cleaned_data["address"])
    return context


def simulation(request):
    """/portail/simulation/: open to everyone, signed in or not (the official QF is only set by staff). A signed-in
    parent keeps the portal's tabs (Mes factures…) on this page."""
    if request.user.is_authenticated:
        from families.selectors import family_unread_count
        from families.views.common import resolve_family

        family, guichet = resolve_family(request)
        if family is not None:
            request.family, request.guichet = family, guichet
            request.portal_unread = family_unread_count(family=family)
    return render(request, "billing/simulation.html", simulators_context(request.GET))
