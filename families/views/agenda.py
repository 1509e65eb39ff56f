"""The agenda of a child (its page in the portal) and the calendar subscription (abonnement iCal)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from families.models import Absence, CalendarFeed, Child, Guardian
from families.selectors_agenda import family_agenda
from families.services import ical, reminders

from .common import family_required


@family_required
def child_agenda(request, child_id: int):
    child = get_object_or_404(Child.objects.select_related("school"), pk=child_id, family=request.family)
    today = timezone.localdate()
    return render(
        request,
        "portal/agenda_child.html",
        {
            "child": child,
            "agenda": family_agenda(family=request.family, child=child, today=today),
            "absences": list(Absence.objects.filter(child=child).order_by("-start_date", "-pk")[:10]),
        },
    )


@require_GET
def calendar_feed(request, token: str):
    """The .ics a calendar application fetches: no login, the secret address is the key."""
    feed = CalendarFeed.objects.filter(token=token).select_related("family").first()
    if feed is None:
        raise Http404
    response = HttpResponse(
        ical.ical_build(family=feed.family, today=timezone.localdate()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="reservations.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@family_required
@require_POST
def calendar_feed_regenerate(request):
    ical.calendar_feed_regenerate(family=request.family)
    messages.success(request, _("Nouvelle adresse d'abonnement créée : l'ancienne ne fonctionne plus."))
    return redirect(_next_url(request))


@family_required
@require_POST
def calendar_feed_revoke(request):
    ical.calendar_feed_revoke(family=request.family)
    messages.success(request, _("L'abonnement au calendrier est supprimé."))
    return redirect("portal:account")


def _next_url(request) -> str:
    """Back to the page the button was on (planning or Mon compte), never to another site."""
    next_url = request.POST.get("next", "")
    if next_url.startswith("/portail/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        return next_url
    return reverse("portal:account")


@family_required
@require_POST
def reminders_preference(request):
    """Mon compte: receive the rappels de réservation, or not (the account's own guardian)."""
    guardian = Guardian.objects.filter(user=request.user, family=request.family).first()
    if guardian is None:
        raise Http404
    opt_out = request.POST.get("reminders") != "on"
    reminders.guardian_set_reminders(guardian=guardian, opt_out=opt_out, by=request.user)
    messages.success(
        request,
        _("Vous ne recevrez plus les rappels de réservation.")
        if opt_out
        else _("Vous recevrez les rappels avant la fin des délais de réservation."),
    )
    return redirect("portal:account")
