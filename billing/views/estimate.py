"""The planning's month estimate as JSON (/portail/factures/estimation/): the page ticks days before saving them and
asks what the month would cost with those ticks (never saved here)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing.services.invoicing import parse_period
from billing.services.portal_pricing import planning_month_estimate
from families.models import Child, Unit
from families.views.common import family_required

MAX_CHANGES = 400
ACTIONS = {"ajout": "add", "annulation": "cancel"}


def _changes(request) -> tuple[list[tuple], dict[str, list[str]]]:
    wanted: list[tuple[str, int, date]] = []
    errors: dict[str, list[str]] = {}
    for param, action in ACTIONS.items():
        for value in request.GET.getlist(param):
            try:
                unit_id, day = value.split(":", 1)
                wanted.append((action, int(unit_id), date.fromisoformat(day)))
            except ValueError:
                errors.setdefault(param, []).append(
                    _("« %(value)s » : attendu « prestation:AAAA-MM-JJ ».") % {"value": value[:40]}
                )
    if len(wanted) > MAX_CHANGES:
        errors.setdefault("ajout", []).append(
            _("Trop de jours à la fois (%(max)s au plus).") % {"max": MAX_CHANGES}
        )
    if errors:
        return [], errors
    units = Unit.objects.select_related("activity").in_bulk({unit_id for _a, unit_id, _d in wanted})
    unknown = sorted({unit_id for _a, unit_id, _d in wanted if unit_id not in units})
    if unknown:
        errors["ajout"] = [_("Prestation inconnue : %(ids)s.") % {"ids": ", ".join(map(str, unknown))}]
        return [], errors
    return [(units[unit_id], day, action) for action, unit_id, day in wanted], errors


@family_required
@require_GET
def planning_estimate(request):
    """{"total": "24.12", "text": "Estimation du mois : 24,12 € (…) — hors majorations éventuelles"}."""
    try:
        child = Child.objects.get(family=request.family, pk=int(request.GET.get("enfant", "")))
    except (ValueError, Child.DoesNotExist):
        return JsonResponse({"enfant": [_("Cet enfant n'appartient pas à votre dossier.")]}, status=404)
    try:
        month = parse_period(request.GET.get("mois", ""))
    except ValidationError:
        return JsonResponse(
            {"mois": [_("Indiquez le mois sous la forme AAAA-MM (ex. 2026-11).")]}, status=400
        )
    changes, errors = _changes(request)
    if errors:
        return JsonResponse(errors, status=400)
    estimate = planning_month_estimate(family=request.family, child=child, month=month, changes=changes)
    return JsonResponse({"total": f"{estimate.total:.2f}", "text": estimate.text})
