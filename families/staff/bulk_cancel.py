"""Annulation groupée: close a day or a range for a site, an activity or a unit, see what it cancels, confirm;
undo an upcoming fermeture. The rules are in `families.services.closures`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from families.models import Activity, Closure, School, Unit
from families.services import closures

from .common import admin_context, staff_view


class BulkCancelForm(forms.Form):
    start_date = forms.DateField(label=_l("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_l("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_l("Vide : un seul jour."),
    )
    school = forms.ModelChoiceField(
        label=_l("Site (école)"),
        queryset=School.objects.all(),
        required=False,
        empty_label=_l("Tous les sites"),
    )
    activity = forms.ModelChoiceField(
        label=_l("Activité"),
        queryset=Activity.objects.filter(is_active=True),
        required=False,
        empty_label=_l("Toutes les activités"),
    )
    unit = forms.ModelChoiceField(
        label=_l("Unité"),
        queryset=Unit.objects.select_related("activity"),
        required=False,
        empty_label=_l("Toutes les unités"),
    )
    reason = forms.CharField(label=_l("Motif (lu par les familles)"), max_length=200)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin de la fermeture doit suivre son début."))
        unit, activity = data.get("unit"), data.get("activity")
        if unit and activity and unit.activity_id != activity.pk:
            self.add_error("unit", _("Cette unité n'appartient pas à l'activité choisie."))
        return data

    def scope(self) -> dict:
        data = self.cleaned_data
        return {
            "start_date": data["start_date"],
            "end_date": data.get("end_date") or data["start_date"],
            "activity": data.get("activity"),
            "unit": data.get("unit"),
            "school": data.get("school"),
        }


@staff_view("families.add_closure")
def bulk_cancel(request):
    """GET: the form and the upcoming fermetures; POST: a preview, then (with `confirm`) the annulation."""
    form = BulkCancelForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        scope = form.scope()
        try:
            closures.closure_check_not_past(scope["start_date"], None)
        except ValidationError as error:
            form.add_error("start_date", error.message_dict["start_date"])
        else:
            if request.POST.get("confirm"):
                try:
                    result = closures.closure_apply(
                        **scope, reason=form.cleaned_data["reason"], by=request.user
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _(
                            "Fermeture enregistrée : %(n)s réservation(s) annulée(s), %(f)s famille(s) prévenue(s)."
                        )
                        % {"n": result.bookings, "f": result.families},
                    )
                    return HttpResponseRedirect(reverse("staff:bulk_cancel"))
            else:
                bookings = closures.closure_bookings(**scope)
                preview = bookings.aggregate(
                    bookings=Count("pk"), families=Count("child__family", distinct=True)
                )
    return TemplateResponse(
        request,
        "backoffice/bulk_cancel.html",
        admin_context(
            request,
            title=_("Annulation groupée et fermetures"),
            form=form,
            preview=preview,
            upcoming=closures.closures_upcoming(),
            can_revert=request.user.has_perm("families.delete_closure"),
        ),
    )


@require_POST
@staff_view("families.delete_closure")
def bulk_cancel_revert(request, pk: int):
    closure = get_object_or_404(Closure, pk=pk)
    try:
        result = closures.closure_revert(closure=closure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Fermeture annulée : %(n)s réservation(s) rétablie(s), %(f)s famille(s) prévenue(s).")
            % {"n": result.bookings, "f": result.families},
        )
    return HttpResponseRedirect(reverse("staff:bulk_cancel"))
