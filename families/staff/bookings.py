"""Staff acting on bookings: an agent reserves, cancels or corrects the attendance of any child at any time, never
bound by the délais — through `bookings_apply(as_staff=True)` and `attendance_mark`, logged with the agent in the
bookings' history."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from families.models import Booking, Child, Unit
from families.services import attendance
from families.services.bookings import Change, bookings_apply
from families.services.deadlines import BookingAction

from .common import admin_context, staff_view

PERMISSION = "families.change_booking"


class StaffBookingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_l("Unité"), queryset=Unit.objects.none())
    start = forms.DateField(label=_l("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_l("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_l("Vide : un jour."),
    )
    action = forms.ChoiceField(
        label=_l("Action"),
        choices=[(BookingAction.ADD, _l("Réserver")), (BookingAction.CANCEL, _l("Annuler"))],
    )

    def __init__(self, *args, child: Child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(activity__enrolments__child=child, is_active=True)
            .select_related("activity")
            .distinct()
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end") or data.get("start")
        if start and end:
            if end < start:
                self.add_error("end", _("La fin de la période doit suivre son début."))
            elif (end - start).days > 92:
                self.add_error("end", _("Choisissez une période de trois mois au plus."))
            data["end"] = end
        return data


@staff_view(PERMISSION)
def child_bookings(request, child_id: int):
    """The child's bookings around a month, a form to reserve or cancel days, attendance corrections."""
    child = get_object_or_404(Child.objects.select_related("family"), pk=child_id)
    form = StaffBookingForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day, changes = data["start"], []
        while day <= data["end"]:
            changes.append(Change(child=child, unit=data["unit"], day=day, action=data["action"]))
            day += timedelta(days=1)
        result = bookings_apply(child_changes=changes, by=request.user, as_staff=True, all_or_nothing=False)
        done = len(result.reserved) + len(result.waiting) + len(result.cancelled)
        messages.success(request, _("%(n)s jour(s) modifié(s).") % {"n": done})
        # Days the activity does not open are simply skipped in a range; other refusals are shown.
        for refusal in result.refused:
            if refusal.code != "closed" or data["start"] == data["end"]:
                messages.warning(request, refusal.message)
        return HttpResponseRedirect(request.path)
    today = timezone.localdate()
    bookings = (
        Booking.objects.filter(
            child=child, date__range=(today - timedelta(days=31), today + timedelta(days=62))
        )
        .select_related("unit__activity")
        .order_by("date", "unit__position", "pk")
    )
    return TemplateResponse(
        request,
        "backoffice/rollcall_child_bookings.html",
        admin_context(
            request,
            title=_("Réservations de %(child)s") % {"child": child},
            child=child,
            form=form,
            rows=[(b, b.state == Booking.State.RESERVED and b.date <= today) for b in bookings],
            today=today,
            marks=Booking.Attendance.choices,
        ),
    )


@require_POST
@staff_view(PERMISSION)
def child_attendance(request, child_id: int):
    """An agent corrects a past day's attendance (a reason is required once the appel is clôturé)."""
    booking = get_object_or_404(Booking, pk=request.POST.get("booking"), child_id=child_id)
    try:
        attendance.attendance_mark(
            booking=booking,
            attendance=request.POST.get("attendance", ""),
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Présence corrigée."))
    return HttpResponseRedirect(reverse("staff:child_bookings", args=[child_id]))
