"""Gérer mes réservations: the parent's planning (mois / quinzaine / semaine), the recap, Valider, the confirmation
and the modification avancée (weekly pattern over a date range).

The rules (deadlines, capacity, waiting list, exclusive units, closures) all come from `child_planning` and
`bookings_apply`; this module only turns their answers into ready-made labels and turns ticks into `Change`s.
Pending changes live in the session (never as bookings) until the parent clicks Valider.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from families import pricing_hooks
from families.models import Booking, Child, Enrolment, Guardian, Unit
from families.selectors_planning import PlanningCell, PlanningState, child_planning
from families.services.bookings import ApplyResult, Change, bookings_apply
from families.services.calendar import french_date, french_weekday
from families.services.deadlines import BookingAction, booking_deadline
from families.services.emails import email_send

from .common import family_required

PENDING_KEY = "portal_planning_pending"
RESULT_KEY = "portal_planning_result"
VIEWS = ("mois", "quinzaine", "semaine")
ADD, CANCEL = BookingAction.ADD, BookingAction.CANCEL

ATTENDANCE_LABELS = {
    Booking.Attendance.PRESENT: gettext_lazy("Présent"),
    Booking.Attendance.ABSENT: gettext_lazy("Absent"),
    Booking.Attendance.EXCUSED: gettext_lazy("Absent justifié"),
}


def _now() -> datetime:
    return timezone.now()


# --- pending changes in the session ---------------------------------------------------------------------------


def _pending_load(request) -> dict[tuple[int, int, date], str]:
    """(child id, unit id, day) → action of the family's not-yet-validated changes."""
    stored = request.session.get(PENDING_KEY) or {}
    if stored.get("family") != request.family.pk:
        return {}
    return {(c, u, date.fromisoformat(d)): a for c, u, d, a in stored.get("changes", [])}


def _pending_save(request, pending: dict[tuple[int, int, date], str]) -> None:
    request.session[PENDING_KEY] = {
        "family": request.family.pk,
        "changes": [[c, u, d.isoformat(), a] for (c, u, d), a in sorted(pending.items())],
    }


def _pending_changes(request, pending) -> list[Change]:
    """The pending changes as service `Change`s, only for this family's children (two queries)."""
    if not pending:
        return []
    children = {c.pk: c for c in Child.objects.filter(family=request.family, pk__in={k[0] for k in pending})}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={k[1] for k in pending}).select_related("activity")}
    return [
        Change(child=children[c], unit=units[u], day=d, action=a)
        for (c, u, d), a in sorted(pending.items())
        if c in children and u in units
    ]


# --- what the grid shows ---------------------------------------------------------------------------------------


@dataclass
class Option:
    """One unit of a day: a checkbox, or a radio button of an exclusive group (repas classique / végétarien)."""

    name: str
    value: str
    input_id: str
    label: str
    aria: str
    checked: bool
    editable: bool
    css: str = ""
    state_text: str = ""
    pending_text: str = ""
    is_none: bool = False
    # Ids of the state, pending and deadline texts a screen reader reads after the label.
    describedby: str = ""
    # The unit and whether it is booked in the database (not counting pending ticks): the month estimate's input.
    unit_id: int | None = None
    saved: bool = False


@dataclass
class Item:
    """A checkbox (one option) or an exclusive group (radios, plus « aucun »)."""

    options: list[Option]
    is_group: bool = False
    legend: str = ""
    editable: bool = False


@dataclass
class Day:
    day: date
    in_range: bool
    full: str
    items: list[Item] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    is_past: bool = False
    is_today: bool = False

    @property
    def deadline_id(self) -> str:
        return f"deadline_{self.day:%Y%m%d}"


def _period(view: str, start: date) -> tuple[date, date]:
    if view == "mois":
        first = start.replace(day=1)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    monday = start - timedelta(days=start.weekday())
    return monday, monday + timedelta(days=13 if view == "quinzaine" else 6)


def _neighbours(view: str, first: date) -> tuple[date, date]:
    if view == "mois":
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return previous, following
    step = timedelta(days=14 if view == "quinzaine" else 7)
    return first - step, first + step


def _period_title(view: str, first: date, last: date) -> str:
    if view == "mois":
        return french_date(first).split(" ", 2)[2].capitalize()  # « novembre 2026 »
    return _("du %(start)s au %(end)s") % {"start": french_date(first), "end": french_date(last)}


def _state(cell: PlanningCell, today: date) -> tuple[str, str]:
    """(css class, French text) of a cell as the service sees it."""
    booking = cell.booking
    if cell.state == PlanningState.CLOSED:
        return "state-closed", _("Fermé")
    if (
        booking is not None
        and booking.attendance in ATTENDANCE_LABELS
        and cell.state == PlanningState.RESERVED
    ):
        return f"state-{booking.attendance}", str(ATTENDANCE_LABELS[booking.attendance])
    if cell.state == PlanningState.RESERVED:
        text, css = _("Réservé"), "state-reserved"
    elif cell.state == PlanningState.WAITING:
        text, css = _("Liste d'attente (n° %(n)s)") % {"n": cell.waiting_position or "?"}, "state-waiting"
    elif cell.day < today:
        text, css = _("Non réservé"), "state-available"
    else:
        text, css = _("Libre"), "state-available"
    if not cell.editable and cell.day >= today:
        text, css = _("%(state)s, non modifiable") % {"state": text}, f"{css} state-locked"
    return css, text


def _is_on(cell: PlanningCell) -> bool:
    return cell.state in (PlanningState.RESERVED, PlanningState.WAITING)


def _deadline_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("modifiable jusqu'au %(date)s à %(time)s") % {
        "date": french_date(local.date()).rsplit(" ", 1)[0],
        "time": f"{local.hour}h{local.minute:02d}",
    }


def _field(prefix: str, unit_id: int, day: date) -> str:
    return f"{prefix}{unit_id}_{day:%Y%m%d}"


def _group_key(unit: Unit) -> tuple[int, str] | None:
    return (unit.activity_id, unit.exclusive_group) if unit.exclusive_group else None


def _build_days(*, child: Child, cells: list[PlanningCell], pending, first: date, last: date, today: date):
    """Days of the grid from Monday before `first` to Sunday after `last`, each with its items, in order."""
    by_day: dict[date, list[PlanningCell]] = {}
    for cell in cells:
        by_day.setdefault(cell.day, []).append(cell)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    days = []
    day = grid_start
    while day <= grid_end:
        in_range = first <= day <= last
        entry = Day(
            day=day, in_range=in_range, full=french_date(day), is_past=day < today, is_today=day == today
        )
        if in_range:
            _fill_day(entry, child, by_day.get(day, []), pending, today)
        days.append(entry)
        day += timedelta(days=1)
    return days


def _fill_day(entry: Day, child: Child, day_cells: list[PlanningCell], pending, today: date) -> None:
    groups: dict[tuple, list[PlanningCell]] = {}
    order: list = []
    for cell in day_cells:
        key = _group_key(cell.unit)
        if key is None:
            order.append(cell)
        else:
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(cell)
    # Until when each item can be changed: one line when the whole day shares it, else one line per deadline
    # naming its units ("Repas : modifiable jusqu'au…", "Accueil du soir : modifiable jusqu'au…").
    sentences: dict[str, list[str]] = {}
    for thing in order:
        if isinstance(thing, PlanningCell):
            entry.items.append(_checkbox(child, thing, pending, today))
            members, owner = [thing], thing.unit.label
        else:
            members = groups[thing]
            entry.items.append(_radios(child, members, pending, today))
            owner = members[0].unit.exclusive_group.capitalize()
        for cell in members:
            if cell.editable_until is not None:
                owners = sentences.setdefault(_deadline_text(cell.editable_until), [])
                if owner not in owners:
                    owners.append(owner)
    if len(sentences) == 1:
        entry.deadlines = list(sentences)
    else:
        entry.deadlines = [f"{', '.join(owners)} : {sentence}" for sentence, owners in sentences.items()]
    # Each input is described by its state in words and the day's deadline, so a screen reader says them too.
    for item in entry.items:
        for option in item.options:
            ids = [] if option.is_none else [f"{option.input_id}_state"]
            if option.pending_text:
                ids.append(f"{option.input_id}_pending")
            if entry.deadlines:
                ids.append(entry.deadline_id)
            option.describedby = " ".join(ids)


def _aria(label: str, day: date, child: Child) -> str:
    return f"{label} — {french_date(day)} — {child.first_name}"


def _checkbox(child, cell: PlanningCell, pending, today) -> Item:
    css, text = _state(cell, today)
    action = pending.get((child.pk, cell.unit.pk, cell.day))
    checked = _is_on(cell)
    pending_text = ""
    if action == ADD and not checked:
        checked, pending_text = True, _("Réservation à valider")
    elif action == CANCEL and checked:
        checked, pending_text = False, _("Annulation à valider")
    name = _field("c", cell.unit.pk, cell.day)
    option = Option(
        name=name,
        value="1",
        input_id=f"id_{name}",
        label=cell.unit.label,
        aria=_aria(cell.unit.label, cell.day, child),
        checked=checked,
        editable=cell.editable,
        css=f"{css} state-pending" if pending_text else css,
        state_text=text,
        pending_text=pending_text,
        unit_id=cell.unit.pk,
        saved=_is_on(cell),
    )
    return Item(options=[option], editable=option.editable)


def _radios(child, members: list[PlanningCell], pending, today) -> Item:
    """An exclusive group of a day (one meal type): a radio per unit and « aucun »."""
    name = _field("x", min(c.unit.pk for c in members), members[0].day)
    day = members[0].day
    editable = all(c.editable for c in members)
    current = next((c.unit.pk for c in members if _is_on(c)), None)
    wanted = current
    for cell in members:
        action = pending.get((child.pk, cell.unit.pk, day))
        if action == ADD:
            wanted = cell.unit.pk
        elif action == CANCEL and wanted == cell.unit.pk:
            wanted = None
    options = []
    for cell in members:
        css, text = _state(cell, today)
        pending_text = ""
        if wanted != current and cell.unit.pk == wanted:
            pending_text = _("Réservation à valider")
        elif wanted != current and cell.unit.pk == current:
            pending_text = _("Annulation à valider")
        options.append(
            Option(
                name=name,
                value=str(cell.unit.pk),
                input_id=f"id_{name}_{cell.unit.pk}",
                label=cell.unit.label,
                aria=_aria(cell.unit.label, day, child),
                checked=wanted == cell.unit.pk,
                editable=editable,
                css=f"{css} state-pending" if pending_text else css,
                state_text=text,
                pending_text=pending_text,
                unit_id=cell.unit.pk,
                saved=cell.unit.pk == current,
            )
        )
    none_label = _("Aucun")
    options.append(
        Option(
            name=name,
            value="0",
            input_id=f"id_{name}_0",
            label=none_label,
            aria=_aria(_("Aucun %(group)s") % {"group": members[0].unit.exclusive_group}, day, child),
            checked=wanted is None,
            editable=editable,
            is_none=True,
        )
    )
    legend = _aria(members[0].unit.exclusive_group.capitalize(), day, child)
    return Item(options=options, is_group=True, legend=legend, editable=editable)


def _wanted_changes(child: Child, cells: list[PlanningCell], data) -> dict[tuple[int, int, date], str]:
    """Ticks of the posted grid compared with the real state: the changes the parent asks for (editable cells)."""
    changes: dict[tuple[int, int, date], str] = {}
    groups: dict[tuple, list[PlanningCell]] = {}
    for cell in cells:
        if not cell.editable:
            continue
        key = _group_key(cell.unit)
        if key is not None:
            groups.setdefault((key, cell.day), []).append(cell)
            continue
        wanted = data.get(_field("c", cell.unit.pk, cell.day)) == "1"
        if wanted and not _is_on(cell):
            changes[(child.pk, cell.unit.pk, cell.day)] = ADD
        elif not wanted and _is_on(cell):
            changes[(child.pk, cell.unit.pk, cell.day)] = CANCEL
    for (_key, day), members in groups.items():
        name = _field("x", min(c.unit.pk for c in members), day)
        if name not in data:
            continue
        try:
            wanted = int(data.get(name) or 0)
        except ValueError:
            continue
        current = next((c.unit.pk for c in members if _is_on(c)), None)
        if wanted == current or (wanted and wanted not in {c.unit.pk for c in members}):
            continue
        if wanted:
            changes[(child.pk, wanted, day)] = ADD  # the service replaces the other meal type
        elif current:
            changes[(child.pk, current, day)] = CANCEL
    return changes


def _accepted_activities(family) -> dict[int, set[int]]:
    """Child id → activities with an accepted inscription (one query)."""
    found: dict[int, set[int]] = {}
    for child_id, activity_id in Enrolment.objects.filter(
        child__family=family, status=Enrolment.Status.ACCEPTED
    ).values_list("child_id", "activity_id"):
        found.setdefault(child_id, set()).add(activity_id)
    return found


def _for_sibling(changes, sibling: Child, activities: set[int], units: dict[int, Unit]):
    """The same ticks for a brother or sister enrolled in the same activities (« appliquer aussi à … »)."""
    copied: dict[tuple[int, int, date], str] = {}
    for (_child, unit_id, day), action in changes.items():
        unit = units[unit_id]
        if unit.activity_id not in activities:
            continue
        copied[(sibling.pk, unit_id, day)] = action
        if action == CANCEL and unit.exclusive_group:
            # « aucun repas »: whichever meal type the sibling has that day is cancelled.
            for other in units.values():
                if _group_key(other) == _group_key(unit):
                    copied[(sibling.pk, other.pk, day)] = CANCEL
    return copied


def _parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _planning_url(child_id: int, view: str, start: date) -> str:
    return f"{reverse('portal:planning')}?{urlencode({'enfant': child_id, 'vue': view, 'debut': start.isoformat()})}"


@family_required
@require_http_methods(["GET", "POST"])
def planning(request):
    """Gérer mes réservations: a child's days in a month, a fortnight or a week, ticked and sent to the recap."""
    family = request.family
    data = request.POST if request.method == "POST" else request.GET
    now = _now()
    today = timezone.localdate(now)
    children = list(Child.objects.filter(family=family).order_by("birth_date", "pk"))
    if not children:
        return render(request, "portal/planning.html", {"children": []})
    accepted = _accepted_activities(family)
    child = children[0]
    default = next((c for c in children if accepted.get(c.pk)), children[0])
    if data.get("enfant"):
        try:
            child = next(c for c in children if str(c.pk) == data["enfant"])
        except StopIteration:
            raise Http404(_("Cet enfant n'appartient pas à votre dossier.")) from None
    else:
        child = default
    view = data.get("vue") if data.get("vue") in VIEWS else "mois"
    first, last = _period(view, _parse_day(data.get("debut"), today))
    cells = child_planning(child=child, start=first, end=last, now=now, as_staff=bool(request.guichet))
    pending = _pending_load(request)

    mine = accepted.get(child.pk, set())
    siblings = [c for c in children if c.pk != child.pk and accepted.get(c.pk, set()) & mine]

    if request.method == "POST":
        wanted = _wanted_changes(child, cells, request.POST)
        editable = {(child.pk, c.unit.pk, c.day) for c in cells if c.editable}
        chosen = [s for s in siblings if request.POST.get(f"aussi_{s.pk}") == "1"]
        units = {c.unit.pk: c.unit for c in cells}
        for key in editable:
            pending.pop(key, None)
        pending.update(wanted)
        for sibling in chosen:
            pending.update(_for_sibling(wanted, sibling, accepted.get(sibling.pk, set()), units))
        _pending_save(request, pending)
        target = request.POST.get("aller")
        if target == "recap":
            return redirect("portal:planning_recap")
        if chosen and wanted:
            messages.success(
                request,
                _("Les mêmes changements sont préparés pour : %(names)s.")
                % {"names": ", ".join(s.first_name for s in chosen)},
            )
        start = _parse_day(target, first) if target else first
        return redirect(_planning_url(child.pk, view, start))

    days = _build_days(child=child, cells=cells, pending=pending, first=first, last=last, today=today)
    # The columns are the weekdays with something to book in the period (Monday to Friday when none).
    weekdays = sorted({d.day.weekday() for d in days if d.items}) or [0, 1, 2, 3, 4]
    weeks = [
        [d for d in days[i : i + 7] if d.day.weekday() in weekdays]
        for i in range(0, len(days), 7)
        if any(d.in_range and d.day.weekday() in weekdays for d in days[i : i + 7])
    ]
    previous, following = _neighbours(view, first)
    pending_count = len(pending)
    # What the month costs so far, the pending ticks included (billing answers through a hook).
    month_units = {c.unit.pk: c.unit for c in cells}
    estimate = (
        pricing_hooks.month_estimate(
            family=family,
            child=child,
            month=first.replace(day=1),
            changes=[
                (month_units[u], d, a)
                for (c, u, d), a in pending.items()
                if c == child.pk and u in month_units
            ],
        )
        if mine
        else None
    )
    try:
        estimate_url = reverse("billing:planning_estimate")
    except NoReverseMatch:
        estimate_url = ""
    return render(
        request,
        "portal/planning.html",
        {
            "children": children,
            "child": child,
            "accepted": bool(mine),
            "view": view,
            "views": [
                (v, label) for v, label in zip(VIEWS, (_("Mois"), _("Quinzaine"), _("Semaine")), strict=True)
            ],
            "first": first,
            "last": last,
            "title": _period_title(view, first, last),
            "weekday_names": [french_weekday(w) for w in weekdays],
            "weeks": weeks,
            "has_cells": bool(cells),
            "previous": previous,
            "following": following,
            "siblings": siblings,
            "pending_count": pending_count,
            "estimate": estimate,
            "estimate_url": estimate_url,
            "estimate_month": first.replace(day=1),
            "view_urls": {v: _planning_url(child.pk, v, first) for v in VIEWS},
            "child_urls": [(c, _planning_url(c.pk, view, first)) for c in children],
        },
    )


# --- recap, Valider and the confirmation ----------------------------------------------------------------------


def _lines(result: ApplyResult, children: dict[int, Child], units: dict[int, Unit]) -> dict[str, list[dict]]:
    """The result as plain, sorted French lines (for the recap, the confirmation page, the session and the email)."""

    def line(child, unit, day, **extra):
        return {
            "child": child.first_name,
            "unit": unit.label,
            "who": f"{child.first_name} — {unit.label}",
            "day": french_date(day),
            "sort": day.isoformat(),
            **extra,
        }

    lines = {
        "reserved": [line(children[b.child_id], units[b.unit_id], b.date) for b in result.reserved],
        "waiting": [
            line(children[b.child_id], units[b.unit_id], b.date, position=result.positions.get(b.pk))
            for b in result.waiting
        ],
        "cancelled": [line(children[b.child_id], units[b.unit_id], b.date) for b in result.cancelled],
        "refused": [
            line(
                r.change.child,
                r.change.unit,
                r.change.day,
                message=r.message,
                action=str(BookingAction(r.change.action).label),
            )
            for r in result.refused
        ],
    }
    # Grouped by child and unit (a whole year makes a long list), the refusals in date order.
    for key in ("reserved", "waiting", "cancelled"):
        lines[key].sort(key=lambda x: (x["child"], x["unit"], x["sort"]))
    lines["refused"].sort(key=lambda x: (x["child"], x["sort"], x["unit"]))
    return lines


def _apply(request, changes: list[Change], *, now, dry_run: bool):
    """Run the service; a dry run (for the recap) is rolled back so that nothing is saved before Valider."""
    children = {c.child.pk: c.child for c in changes}
    units = {c.unit.pk: c.unit for c in changes}
    with transaction.atomic():
        result = bookings_apply(
            child_changes=changes,
            by=request.user,
            as_staff=bool(request.guichet),
            now=now,
            all_or_nothing=False,
        )
        # Only this family's days (a freed place may promote another family's child).
        for name in ("reserved", "waiting", "cancelled"):
            setattr(result, name, [b for b in getattr(result, name) if b.child_id in children])
        # A meal type replaced by another is cancelled on a unit the parent did not tick: one query for those.
        missing = {b.unit_id for b in result.cancelled} - set(units)
        if missing:
            units.update({u.pk: u for u in Unit.objects.filter(pk__in=missing)})
        lines = _lines(result, children, units)
        if dry_run:
            transaction.set_rollback(True)
    return lines


def _recap_email(request, lines) -> None:
    """The booking recap (récapitulatif des réservations) to the family's guardians, sent after commit."""
    if not any(lines[k] for k in ("reserved", "waiting", "cancelled")):
        return
    recipients = list(
        Guardian.objects.filter(family=request.family).exclude(email="").values_list("email", flat=True)
    )
    email_send(to=recipients, template="bookings_recap", context={"family": request.family, **lines})


@family_required
@require_http_methods(["GET", "POST"])
def planning_recap(request):
    """Étape 2: what will be reserved, put on the waiting list, cancelled or refused; Valider saves it."""
    now = _now()
    pending = _pending_load(request)
    changes = _pending_changes(request, pending)
    if request.method == "POST" and request.POST.get("action") == "abandonner":
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Vos modifications en cours sont abandonnées ; rien n'a été enregistré."))
        return redirect("portal:planning")
    if request.method == "POST":
        if not changes:
            messages.info(request, _("Aucune modification à valider."))
            return redirect("portal:planning")
        lines = _apply(request, changes, now=now, dry_run=False)
        _recap_email(request, lines)
        request.session.pop(PENDING_KEY, None)
        # « Retour au planning » shows the month just changed, like « Modifier encore » on the recap.
        back = _planning_url(changes[0].child.pk, "mois", changes[0].day)
        request.session[RESULT_KEY] = {"family": request.family.pk, "lines": lines, "back": back}
        return redirect("portal:planning_done")
    lines = _apply(request, changes, now=now, dry_run=True) if changes else None
    back_child = changes[0].child.pk if changes else None
    return render(
        request,
        "portal/planning_recap.html",
        {
            "lines": lines,
            "back_url": _planning_url(back_child, "mois", changes[0].day)
            if changes
            else reverse("portal:planning"),
        },
    )


@family_required
def planning_done(request):
    """Étape 3: the confirmation, with what was refused at Valider and why."""
    stored = request.session.get(RESULT_KEY) or {}
    if stored.get("family") != request.family.pk:
        return redirect("portal:planning")
    return render(
        request,
        "portal/planning_done.html",
        {"lines": stored["lines"], "back_url": stored.get("back") or reverse("portal:planning")},
    )


# --- modification avancée -------------------------------------------------------------------------------------


class AdvancedForm(forms.Form):
    """Reserve or cancel by weekly pattern over a date range, for one or more children."""

    children = forms.MultipleChoiceField(label=gettext_lazy("Enfants"), widget=forms.CheckboxSelectMultiple)
    action = forms.ChoiceField(
        label=gettext_lazy("Je veux"),
        choices=[(ADD, gettext_lazy("Réserver")), (CANCEL, gettext_lazy("Annuler"))],
        initial=ADD,
        widget=forms.RadioSelect,
    )
    start = forms.DateField(
        label=gettext_lazy("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=gettext_lazy("Au"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Les jours"),
        coerce=int,
        choices=[(i, french_weekday(i).capitalize()) for i in range(6)],
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Les prestations"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, children, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units_by_pk = {u.pk: u for u in units}
        self.fields["children"].choices = [(str(c.pk), c.first_name) for c in children]
        self.fields["units"].choices = [(u.pk, f"{u.activity.name} — {u.label}") for u in units]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                self.add_error("end", _("La date de fin doit suivre la date de début."))
            elif (data["end"] - data["start"]).days > 400:
                self.add_error("end", _("Choisissez une période d'au plus une année scolaire."))
        if data.get("action") == ADD and data.get("units"):
            seen: dict = {}
            for pk in data["units"]:
                key = _group_key(self.units_by_pk[pk])
                if key is not None and key in seen:
                    self.add_error(
                        "units",
                        _("« %(a)s » et « %(b)s » s'excluent : choisissez-en une seule.")
                        % {"a": seen[key].label, "b": self.units_by_pk[pk].label},
                    )
                    break
                if key is not None:
                    seen[key] = self.units_by_pk[pk]
        return data


def _first_bookable_day(*, units: list[Unit], now: datetime, today: date) -> date:
    """The first day every activity can still be reserved (the service's deadline), to prefill « Du »."""
    activities = {u.activity_id: u.activity for u in units}.values()
    day = today
    for _i in range(60):
        if all(now < booking_deadline(activity=a, day=day, action=ADD) for a in activities):
            return day
        day += timedelta(days=1)
    return today


@family_required
@require_http_methods(["GET", "POST"])
def planning_advanced(request):
    """Modification avancée: a weekly pattern over a range becomes pending changes, then the recap."""
    family = request.family
    now = _now()
    today = timezone.localdate(now)
    accepted = _accepted_activities(family)
    children = [
        c for c in Child.objects.filter(family=family).order_by("birth_date", "pk") if accepted.get(c.pk)
    ]
    activity_ids = set().union(*accepted.values()) if accepted else set()
    units = list(
        Unit.objects.filter(activity_id__in=activity_ids, is_active=True)
        .select_related("activity")
        .order_by("activity__kind", "activity__name", "position", "pk")
    )
    ends = [u.activity.period_end for u in units]
    initial = {
        "start": _first_bookable_day(units=units, now=now, today=today),
        "end": max(ends) if ends else None,
        "weekdays": [0, 1, 3, 4],
        "action": ADD,
        "children": [request.GET["enfant"]] if request.GET.get("enfant") else [str(c.pk) for c in children],
    }
    form = AdvancedForm(request.POST or None, children=children, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pending = _pending_load(request)
        closed = 0
        by_pk = {c.pk: c for c in children}
        for child_id in data["children"]:
            child = by_pk[int(child_id)]
            for cell in child_planning(
                child=child, start=data["start"], end=data["end"], now=now, as_staff=bool(request.guichet)
            ):
                if cell.unit.pk not in data["units"] or cell.day.weekday() not in data["weekdays"]:
                    continue
                if cell.state == PlanningState.CLOSED:
                    closed += 1
                    continue
                if data["action"] == ADD and cell.state != PlanningState.RESERVED:
                    if cell.state != PlanningState.WAITING:
                        pending[(child.pk, cell.unit.pk, cell.day)] = ADD
                elif data["action"] == CANCEL and _is_on(cell):
                    pending[(child.pk, cell.unit.pk, cell.day)] = CANCEL
        _pending_save(request, pending)
        if closed:
            messages.info(request, _("%(n)s jour(s) fermé(s) ignoré(s).") % {"n": closed})
        return redirect("portal:planning_recap")
    return render(request, "portal/planning_advanced.html", {"form": form, "has_children": bool(children)})
