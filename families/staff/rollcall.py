"""L'appel (pointage) on a phone: pick the site, activity and day, tap present or absent, add a child present
without reservation, close the day. Works as plain form posts; with JS a tap posts without reloading."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from families.health import can_view_health
from families.models import Activity, Booking, Child, School, Unit
from families.selectors_staff import rollcall_sheet, rollcalls_pending, walk_in_candidates
from families.services import attendance

from .common import admin_context, staff_view

PERMISSIONS = (attendance.TAKE_PERMISSION, attendance.CORRECT_PERMISSION)


class RollCallChoiceForm(forms.Form):
    school = forms.ModelChoiceField(label=_l("Site (école)"), queryset=School.objects.all())
    activity = forms.ModelChoiceField(label=_l("Activité"), queryset=Activity.objects.filter(is_active=True))
    date = forms.DateField(label=_l("Jour"), widget=forms.DateInput(attrs={"type": "date"}))


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _sheet_url(school_id, activity_id, day: date) -> str:
    query = urlencode({"school": school_id, "activity": activity_id, "date": day.isoformat()})
    return f"{reverse('staff:rollcall')}?{query}"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@staff_view(*PERMISSIONS)
def rollcall(request):
    """The choice of site/activity/day, then the sheet of the expected children grouped by unit."""
    data = request.GET if "school" in request.GET else None
    form = RollCallChoiceForm(data, initial={"date": timezone.localdate()})
    sheet = candidates = None
    query = request.GET.get("q", "").strip()
    if form.is_valid():
        school, activity, day = (form.cleaned_data[k] for k in ("school", "activity", "date"))
        sheet = rollcall_sheet(
            school=school, activity=activity, day=day, with_health=can_view_health(request.user)
        )
        if query:
            candidates = list(walk_in_candidates(school=school, activity=activity, day=day, query=query))
    return TemplateResponse(
        request,
        "backoffice/rollcall.html",
        admin_context(
            request,
            title=_("Appel"),
            form=form,
            sheet=sheet,
            query=query,
            candidates=candidates,
            units=list(sheet.activity.units.filter(is_active=True)) if sheet else [],
            can_correct=request.user.has_perm(attendance.CORRECT_PERMISSION),
            marks=[
                (Booking.Attendance.PRESENT, _("Présent")),
                (Booking.Attendance.ABSENT, _("Absent")),
            ],
        ),
    )


@require_POST
@staff_view(*PERMISSIONS)
def rollcall_mark(request):
    booking = get_object_or_404(
        Booking.objects.select_related("child", "unit"), pk=request.POST.get("booking")
    )
    back = _sheet_url(booking.child.school_id, booking.unit.activity_id, booking.date)
    try:
        attendance.attendance_mark(
            booking=booking,
            attendance=request.POST.get("attendance", ""),
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": _error_text(error)}, status=400)
        messages.error(request, _error_text(error))
        return HttpResponseRedirect(back)
    booking.refresh_from_db(fields=["attendance"])
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "booking": booking.pk,
                "attendance": booking.attendance,
                "label": booking.get_attendance_display(),
            }
        )
    return HttpResponseRedirect(back + f"#enfant-{booking.pk}")


@require_POST
@staff_view(*PERMISSIONS)
def rollcall_walk_in(request):
    child = get_object_or_404(Child, pk=request.POST.get("child"))
    unit = get_object_or_404(Unit.objects.select_related("activity"), pk=request.POST.get("unit"))
    try:
        day = date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, _("Jour invalide."))
        return HttpResponseRedirect(reverse("staff:rollcall"))
    back = _sheet_url(child.school_id, unit.activity_id, day)
    try:
        attendance.attendance_add_walk_in(
            child=child, unit=unit, day=day, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("%(child)s est ajouté(e) présent(e) sans réservation.") % {"child": child}
        )
    return HttpResponseRedirect(back)


@require_POST
@staff_view(*PERMISSIONS)
def rollcall_close(request):
    form = RollCallChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le site, l'activité et le jour."))
        return HttpResponseRedirect(reverse("staff:rollcall"))
    school, activity, day = (form.cleaned_data[k] for k in ("school", "activity", "date"))
    try:
        attendance.rollcall_close(school=school, activity=activity, day=day, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("L'appel est clôturé."))
    return HttpResponseRedirect(_sheet_url(school.pk, activity.pk, day))


@staff_view(attendance.CORRECT_PERMISSION)
def rollcalls_open(request):
    """The days whose appel is not clôturé (dashboard queue « Appels non clôturés »)."""
    rows = [
        {**row, "url": _sheet_url(row["child__school_id"], row["unit__activity_id"], row["date"])}
        for row in rollcalls_pending()[:200]
    ]
    return TemplateResponse(
        request,
        "backoffice/rollcall_pending.html",
        admin_context(request, title=_("Appels non clôturés"), rows=rows),
    )
