"""Inscriptions (Enrolment): staff decide a request — acceptée, refusée or liste d'attente — and the family is told."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from families.models import Activity, Child, Enrolment, Guardian

from .calendar import french_date
from .emails import email_send
from .health import child_assert_can_book, health_form_valid_since

S = Enrolment.Status
# From each status, where a decision may lead: a request is decided once; a waiting one may still be decided.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REQUESTED: (S.ACCEPTED, S.REFUSED, S.WAITING),
    S.WAITING: (S.ACCEPTED, S.REFUSED),
}


def _decide(*, enrolment: Enrolment, status: str, by, reason: str = "") -> Enrolment:
    locked = Enrolment.objects.select_for_update().select_related("child", "activity").get(pk=enrolment.pk)
    if status not in TRANSITIONS.get(locked.status, ()):
        raise ValidationError(
            _("Impossible de passer une inscription « %(current)s » à « %(target)s ».")
            % {"current": locked.get_status_display(), "target": S(status).label},
            code="invalid_transition",
        )
    locked.status = status
    locked.refusal_reason = reason
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save()
    emails = [
        g.user.email
        for g in Guardian.objects.filter(
            family_id=locked.child.family_id, user__isnull=False, user__is_active=True
        ).select_related("user")
    ]
    email_send(to=emails, template="enrolment_decided", context={"enrolment": locked})
    return locked


@transaction.atomic
def enrolment_accept(*, enrolment: Enrolment, by) -> Enrolment:
    """Staff accept an inscription (demandée or en liste d'attente): the child may then book days, and its weekly
    planning is reserved at once (a full day goes to the day's liste d'attente: see `bookings_from_enrolment`).

    Not beyond the activity's capacity: when accepted inscriptions fill it, the request stays where it is and staff
    put it on the liste d'attente (or free a place first). `enrolment.booking_result` holds what was reserved."""
    from .bookings import bookings_from_enrolment

    activity = Activity.objects.select_for_update().get(pk=enrolment.activity_id)
    if activity_is_full(activity=activity, exclude_pk=enrolment.pk):
        raise ValidationError(
            _(
                "« %(activity)s » est complète (%(n)s places) : mettez la demande en liste d'attente ou libérez "
                "une place avant de l'accepter."
            )
            % {"activity": activity.name, "n": activity.capacity},
            code="activity_full",
        )
    accepted = _decide(enrolment=enrolment, status=S.ACCEPTED, by=by)
    accepted.booking_result = bookings_from_enrolment(enrolment=accepted, by=by)
    return accepted


@transaction.atomic
def enrolment_refuse(*, enrolment: Enrolment, by, reason: str) -> Enrolment:
    """Staff refuse an inscription, always saying why: the family reads the motif."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus : la famille le lira.")})
    return _decide(enrolment=enrolment, status=S.REFUSED, by=by, reason=reason.strip())


@transaction.atomic
def enrolment_waitlist(*, enrolment: Enrolment, by) -> Enrolment:
    """Staff put a requested inscription on the liste d'attente (activity full for now)."""
    return _decide(enrolment=enrolment, status=S.WAITING, by=by)


# --- The family's request, capacity, and the re-enrolment for next school year (issue 9 §2) ----------------------

# An activity full of accepted inscriptions takes new requests on its liste d'attente: the family keeps its place in
# line and staff decide when a place frees, instead of a refusal that would make the family come back and retry.
FULL_ACTIVITY_MESSAGE = _l(
    "« %(activity)s » est complète : votre demande est placée en liste d'attente. Le service enfance vous "
    "préviendra dès qu'une place se libère."
)


def activity_accepted_count(*, activity: Activity, exclude_pk: int | None = None) -> int:
    """How many inscriptions of the activity are accepted (they hold its places)."""
    qs = Enrolment.objects.filter(activity=activity, status=S.ACCEPTED)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


def activity_is_full(*, activity: Activity, exclude_pk: int | None = None) -> bool:
    """True when the activity's capacity is reached by accepted inscriptions (no capacity: never full)."""
    if activity.capacity is None:
        return False
    return activity_accepted_count(activity=activity, exclude_pk=exclude_pk) >= activity.capacity


def _check_planning(
    *, activity: Activity, start_date: date, weekdays, units, today: date
) -> tuple[list[int], list]:
    """The desired start date and weekly planning, checked against the activity; field name → French message."""
    errors: dict[str, str] = {}
    if start_date is None:
        errors["start_date"] = _("Indiquez la date d'entrée souhaitée.")
    elif not activity.period_start <= start_date <= activity.period_end:
        errors["start_date"] = _("La date d'entrée doit être comprise entre le %(start)s et le %(end)s.") % {
            "start": french_date(activity.period_start),
            "end": french_date(activity.period_end),
        }
    elif start_date < today:
        errors["start_date"] = _("La date d'entrée ne peut pas être passée.")
    try:
        days = sorted({int(d) for d in (weekdays or [])})
    except (TypeError, ValueError):
        days = [-1]  # not a weekday number: reported below like any day the activity does not run
    wrong_days = [d for d in days if d not in activity.weekdays]
    if wrong_days:
        errors["weekdays"] = _("« %(activity)s » n'a pas lieu ces jours-là.") % {"activity": activity.name}
    units = list(units or [])
    if any(u.activity_id != activity.pk or not u.is_active for u in units):
        errors["units"] = _("Choisissez parmi les prestations proposées par cette activité.")
    else:
        groups: dict[str, list] = {}
        for unit in units:
            if unit.exclusive_group:
                groups.setdefault(unit.exclusive_group, []).append(unit)
        for group in groups.values():
            if len(group) > 1:
                errors["units"] = _("Un seul choix parmi : %(labels)s.") % {
                    "labels": ", ".join(u.label for u in group)
                }
    if days and not units and "units" not in errors:
        errors["units"] = _("Choisissez au moins une prestation pour les jours cochés.")
    if units and not days and "weekdays" not in errors:
        errors["weekdays"] = _("Cochez au moins un jour pour les prestations choisies.")
    if errors:
        raise ValidationError(errors)
    return days, units


def enrolment_gate_day(*, start_date: date, today: date) -> date:
    """The day whose school year the fiche sanitaire must be confirmed for: the start's, once its confirmation window
    is open (1 June), else today's — a réinscription in March for September needs this year's form, not next."""
    return start_date if health_form_valid_since(day=start_date) <= today else today


@transaction.atomic
def enrolment_request(
    *,
    child: Child,
    activity: Activity,
    start_date: date,
    weekdays,
    units,
    by,
    as_staff: bool = False,
    today: date | None = None,
) -> Enrolment:
    """A family asks to enrol a child (demande d'inscription); staff decide it later.

    The activity must be open to the child (see `activities_open_for`), the fiche sanitaire confirmed for the school
    year of the start date, and no other inscription in progress for that activity. A full activity puts the request
    on the liste d'attente at once (`enrolment.full_message` says so). The weekly planning (`weekdays`, 0 = lundi,
    and `units`) is booked only on acceptance: « cette inscription ne vaut pas réservation ». `as_staff` (a staff
    import or re-enrolment) skips the registration window, age, school and fiche sanitaire conditions.
    """
    from families.selectors import activities_open_for

    today = today or timezone.localdate()
    # One request at a time per activity: the duplicate check and the capacity count below cannot race.
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not as_staff and activity not in activities_open_for(child=child, kind=activity.kind, today=today):
        raise ValidationError(
            {
                "activity": _("« %(activity)s » n'est pas ouverte aux inscriptions pour %(child)s.")
                % {"activity": activity.name, "child": child.first_name}
            },
            code="not_open",
        )
    days, units = _check_planning(
        activity=activity,
        start_date=start_date,
        weekdays=weekdays,
        units=units,
        today=today if not as_staff else activity.period_start,
    )
    if Enrolment.objects.filter(child=child, activity=activity, status__in=Enrolment.ACTIVE).exists():
        raise ValidationError(
            {
                "activity": _("%(child)s a déjà une inscription en cours pour « %(activity)s ».")
                % {"child": child.first_name, "activity": activity.name}
            },
            code="duplicate",
        )
    if not as_staff:
        child_assert_can_book(child=child, day=enrolment_gate_day(start_date=start_date, today=today))
    full = activity_is_full(activity=activity)
    enrolment = Enrolment(
        child=child,
        activity=activity,
        start_date=start_date,
        planning_weekdays=days,
        status=S.WAITING if full else S.REQUESTED,
    )
    enrolment._history_user = by
    enrolment.save()
    enrolment.planning_units.set(units)
    enrolment.full_message = str(FULL_ACTIVITY_MESSAGE % {"activity": activity.name}) if full else ""
    if not full and not as_staff and not activity.requires_validation:
        # « Inscription sans validation » : accepted at once, its weekly planning reserved (subject to capacity).
        from .bookings import bookings_from_enrolment

        enrolment.status = S.ACCEPTED
        enrolment.decided_at = timezone.now()
        enrolment._change_reason = _("Inscription sans validation : acceptée à la demande")
        enrolment.save(update_fields=["status", "decided_at"])
        enrolment.booking_result = bookings_from_enrolment(enrolment=enrolment, by=by)
    return enrolment


# --- Re-enrolment (réinscription) for next school year ------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _next_year_name(name: str) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + 1), name)


def activity_next_year_twin(*, activity: Activity, candidates=None) -> Activity | None:
    """This activity's twin for the next school year: same kind, a later period within a year, and the same name
    with its years moved on (« … 2026-2027 » → « … 2027-2028 ») or else the same prestations (unit codes)."""
    if candidates is None:
        candidates = list(
            Activity.objects.filter(
                kind=activity.kind,
                is_active=True,
                period_start__gt=activity.period_end,
                period_start__lte=activity.period_start + timedelta(days=400),
            )
            .prefetch_related("units")
            .order_by("period_start", "pk")
        )
    later = [
        a
        for a in candidates
        if a.kind == activity.kind
        and a.pk != activity.pk
        and activity.period_end < a.period_start <= activity.period_start + timedelta(days=400)
    ]
    wanted = _next_year_name(activity.name)
    for twin in later:
        if twin.name == wanted:
            return twin
    codes = {u.code for u in activity.units.all()}
    for twin in later:
        if codes and {u.code for u in twin.units.all()} == codes:
            return twin
    return None


@dataclass
class RenewResult:
    """What a réinscription did: the new requests, and the inscriptions not renewed with the French reason."""

    created: list[Enrolment] = field(default_factory=list)
    skipped: list[tuple[Enrolment, str]] = field(default_factory=list)


def enrolment_renew(
    *,
    enrolment: Enrolment,
    by,
    as_staff: bool = False,
    today: date | None = None,
    twin: Activity | None = None,
) -> Enrolment:
    """Re-enrol a child for next school year (réinscription): a new request on the activity's twin, from its first
    day, with the same weekly planning (units matched by code). Same rules as a family's request."""
    enrolment = Enrolment.objects.select_related("child", "activity").get(pk=enrolment.pk)  # its status now
    twin = twin or activity_next_year_twin(activity=enrolment.activity)
    if twin is None:
        raise ValidationError(
            _("« %(activity)s » n'a pas encore d'équivalent pour l'année scolaire suivante.")
            % {"activity": enrolment.activity.name},
            code="no_twin",
        )
    if enrolment.status != S.ACCEPTED:
        raise ValidationError(
            _("Seule une inscription acceptée peut être reconduite (celle-ci est « %(status)s »).")
            % {"status": enrolment.get_status_display()},
            code="not_accepted",
        )
    codes = {u.code for u in enrolment.planning_units.all()}
    units = [u for u in twin.units.all() if u.code in codes and u.is_active]
    weekdays = [d for d in enrolment.planning_weekdays if d in twin.weekdays] if units else []
    today = today or timezone.localdate()
    return enrolment_request(
        child=enrolment.child,
        activity=twin,
        start_date=max(twin.period_start, today),
        weekdays=weekdays,
        units=units,
        by=by,
        as_staff=as_staff,
        today=today,
    )


def enrolments_renew(*, enrolments, by, as_staff: bool = False, today: date | None = None) -> RenewResult:
    """Re-enrol several inscriptions in one step; each one is its own request, refusals are reported, not raised."""
    result = RenewResult()
    for enrolment in enrolments:
        try:
            with transaction.atomic():
                result.created.append(
                    enrolment_renew(enrolment=enrolment, by=by, as_staff=as_staff, today=today)
                )
        except ValidationError as exc:
            result.skipped.append((enrolment, " ".join(exc.messages)))
    return result
