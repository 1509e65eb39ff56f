"""Inscriptions in the parent portal: « Mes inscriptions », the demande d'inscription in steps (type d'activité and
child → the activities open to that child → date d'entrée, weekly planning and prestations), and the réinscription
for next school year. Plain GET/POST forms: the journey works without JavaScript."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from families import pricing_hooks
from families.forms import DATE_WIDGET
from families.models import Activity, ActivityKind, Child, Unit, Weekday
from families.selectors import (
    activities_open_for,
    family_children,
    family_enrolments,
    family_renewable_enrolments,
)
from families.services import enrolments as enrolment_services
from families.services.health import HealthFormRequired, child_assert_can_book, school_year_start

from .common import family_required

WARNING = _l("Attention : cette inscription ne vaut pas réservation.")


def _next_school_year(today) -> str:
    start = school_year_start(day=today) + 1
    return f"{start}-{start + 1}"


class EnrolmentStartForm(forms.Form):
    """Step 1: who, and which kind of activity."""

    child = forms.ModelChoiceField(label=_l("Enfant"), queryset=Child.objects.none(), empty_label=None)
    kind = forms.ChoiceField(
        label=_l("Type d'activité"),
        required=False,
        choices=[("", _l("Tous les types d'activité")), *ActivityKind.choices],
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = family_children(family=family)
        self.fields["child"].label_from_instance = lambda child: child.first_name


class UnitChoiceField(forms.ModelMultipleChoiceField):
    # The family's own price per unit (billing's tariff through `pricing_hooks`), else the unit's base price.
    prices: dict[int, str] = {}

    def label_from_instance(self, unit: Unit) -> str:
        if unit.pk in self.prices:
            return self.prices[unit.pk]
        return _("%(label)s — %(price)s €") % {
            "label": unit.label,
            "price": formats.number_format(unit.price, 2),
        }


class EnrolmentRequestForm(forms.Form):
    """Step 3: desired start date and the weekly planning (days × prestations), with each prestation's price."""

    start_date = forms.DateField(label=_l("Date d'entrée souhaitée"), widget=DATE_WIDGET)
    weekdays = forms.TypedMultipleChoiceField(
        label=_l("Planning hebdomadaire"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_l("Les jours où votre enfant viendra chaque semaine (facultatif)."),
    )
    units = UnitChoiceField(
        label=_l("Prestations"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_l("Tarif de base par jour ; le service enfance applique votre tarif (quotient familial)."),
    )

    def __init__(self, *args, activity: Activity, family=None, child=None, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekdays"].choices = [(d, Weekday(d).label.capitalize()) for d in activity.weekdays]
        self.fields["units"].queryset = Unit.objects.filter(activity=activity, is_active=True).order_by(
            "position", "start_time", "label"
        )
        if family is not None and child is not None and day is not None:
            units = self.fields["units"]
            units.prices = pricing_hooks.unit_prices(
                family=family, child=child, units=units.queryset.select_related("activity"), day=day
            )
            if units.prices:
                units.help_text = _l("Votre tarif par jour, calculé avec votre quotient familial en vigueur.")


def _service_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@family_required
def enrolments(request):
    """« Mes inscriptions »: every inscription of the family's children, its status and the refusal motif."""
    today = timezone.localdate()
    rows = list(family_enrolments(family=request.family))
    for enrolment in rows:
        enrolment.weekday_labels = ", ".join(str(Weekday(d).label) for d in enrolment.planning_weekdays)
    return render(
        request,
        "portal/enrolment_list.html",
        {
            "enrolments": rows,
            "renewable": bool(family_renewable_enrolments(family=request.family, today=today)),
            "next_year": _next_school_year(today),
            "warning": WARNING,
        },
    )


@family_required
def enrolment_start(request):
    """Steps 1–2: choose the child and the type d'activité, then the activities open to that child."""
    today = timezone.localdate()
    form = EnrolmentStartForm(request.GET if "child" in request.GET else None, family=request.family)
    activities = None
    if form.is_bound and form.is_valid():
        activities = activities_open_for(
            child=form.cleaned_data["child"], kind=form.cleaned_data["kind"] or None, today=today
        )
    return render(
        request,
        "portal/enrolment_start.html",
        {
            "form": form,
            "activities": activities,
            "child": form.cleaned_data["child"] if activities is not None else None,
        },
    )


@family_required
@require_http_methods(["GET", "POST"])
def enrolment_request(request, child_id: int, activity_id: int):
    """Step 3: date d'entrée, planning hebdomadaire and prestations, then the demande goes to the service."""
    child = get_object_or_404(Child, pk=child_id, family=request.family)
    activity = get_object_or_404(Activity, pk=activity_id, is_active=True)
    today = timezone.localdate()
    is_open = activity in activities_open_for(child=child, kind=activity.kind, today=today)
    gate = None
    try:
        day = max(activity.period_start, today)
        child_assert_can_book(
            child=child, day=enrolment_services.enrolment_gate_day(start_date=day, today=today)
        )
    except HealthFormRequired as exc:
        gate = exc
    form = EnrolmentRequestForm(
        request.POST if request.method == "POST" else None,
        activity=activity,
        initial={"start_date": max(activity.period_start, today)},
        family=request.family,
        child=child,
        day=max(activity.period_start, today),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = enrolment_services.enrolment_request(
                child=child,
                activity=activity,
                start_date=form.cleaned_data["start_date"],
                weekdays=form.cleaned_data["weekdays"],
                units=list(form.cleaned_data["units"]),
                by=request.user,
            )
        except HealthFormRequired as exc:
            gate = exc
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            if enrolment.full_message:
                messages.warning(request, enrolment.full_message)
            else:
                messages.success(
                    request,
                    _(
                        "Votre demande d'inscription de %(child)s à « %(activity)s » est "
                        "transmise au service enfance. %(warning)s"
                    )
                    % {"child": child.first_name, "activity": activity.name, "warning": WARNING},
                )
            return redirect("portal:enrolments")
    return render(
        request,
        "portal/enrolment_form.html",
        {
            "form": form,
            "child": child,
            "activity": activity,
            "is_open": is_open,
            "gate": gate,
            "warning": WARNING,
        },
        status=200,
    )


@family_required
@require_http_methods(["GET", "POST"])
def enrolment_renew(request):
    """« Réinscrire pour 2027-2028 »: this year's inscriptions whose activity has a twin next year, in one step."""
    today = timezone.localdate()
    pairs = family_renewable_enrolments(family=request.family, today=today)
    by_id = {str(enrolment.pk): enrolment for enrolment, _twin in pairs}
    error = ""
    if request.method == "POST":
        chosen = [by_id[pk] for pk in request.POST.getlist("enrolments") if pk in by_id]
        if not chosen:
            error = _("Cochez au moins une inscription à reconduire.")
        else:
            result = enrolment_services.enrolments_renew(enrolments=chosen, by=request.user, today=today)
            for enrolment in result.created:
                messages.success(
                    request,
                    _("Demande de réinscription de %(child)s à « %(activity)s » transmise.")
                    % {"child": enrolment.child.first_name, "activity": enrolment.activity.name},
                )
            for enrolment, reason in result.skipped:
                messages.error(
                    request,
                    _("%(child)s — « %(activity)s » : %(reason)s")
                    % {
                        "child": enrolment.child.first_name,
                        "activity": enrolment.activity.name,
                        "reason": reason,
                    },
                )
            return redirect("portal:enrolments")
    return render(
        request,
        "portal/enrolment_renew.html",
        {
            "pairs": pairs,
            "next_year": _next_school_year(today),
            "error": error,
            "warning": WARNING,
        },
    )
