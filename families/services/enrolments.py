"""Inscriptions (Enrolment): staff decide a request — acceptée, refusée or liste d'attente — and the family is told."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Enrolment, Guardian

from .emails import email_send

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
    """Staff accept an inscription (demandée or en liste d'attente): the child may then book days."""
    return _decide(enrolment=enrolment, status=S.ACCEPTED, by=by)


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


@transaction.atomic
def enrolment_request(*, child, activity, start_date, weekdays, units, by, today=None) -> Enrolment:
    """A family asks for an inscription: the activity must be open to the child (âge, niveau, école, période
    d'inscription), the fiche sanitaire confirmed, not already requested, and the activity not full. Without
    « inscription soumise à validation » it is accepted at once and its weekly planning reserved."""
    from families.models import Activity, Unit

    from .bookings import bookings_from_enrolment
    from .calendar import french_date
    from .health import child_health_form_is_current

    today = today or timezone.localdate()
    # The activity's row lock serialises requests on it: two families never take the last place together.
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    units = list(units)
    weekdays = sorted(set(weekdays or []))
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    name = {"activity": activity.name, "child": child.first_name}
    if not activity.is_active:
        refuse("activity", _("« %(activity)s » n'est plus proposée.") % name)
    if activity.registration_opens and today < activity.registration_opens:
        refuse(
            "activity",
            _("Les inscriptions à « %(activity)s » ouvrent le %(day)s.")
            % {**name, "day": french_date(activity.registration_opens)},
        )
    if activity.registration_closes and today > activity.registration_closes:
        refuse(
            "activity",
            _("Les inscriptions à « %(activity)s » sont closes depuis le %(day)s.")
            % {**name, "day": french_date(activity.registration_closes)},
        )
    start = activity.period_start
    age = (
        start.year
        - child.birth_date.year
        - ((start.month, start.day) < (child.birth_date.month, child.birth_date.day))
    )
    if (activity.min_age is not None and age < activity.min_age) or (
        activity.max_age is not None and age > activity.max_age
    ):
        refuse("activity", _("« %(activity)s » n'accueille pas les enfants de l'âge de %(child)s.") % name)
    rank = child.class_level.rank if child.class_level_id else None
    if (activity.min_level_id or activity.max_level_id) and (
        rank is None
        or (activity.min_level_id and rank < activity.min_level.rank)
        or (activity.max_level_id and rank > activity.max_level.rank)
    ):
        refuse("activity", _("« %(activity)s » n'est pas proposée au niveau de classe de %(child)s.") % name)
    school_ids = set(activity.schools.values_list("pk", flat=True))
    if school_ids and child.school_id not in school_ids:
        refuse("activity", _("« %(activity)s » n'est pas proposée à l'école de %(child)s.") % name)
    if not activity.period_start <= start_date <= activity.period_end:
        refuse(
            "start_date",
            _("Choisissez une date de début entre le %(first)s et le %(last)s.")
            % {"first": french_date(activity.period_start), "last": french_date(activity.period_end)},
        )
    foreign = [u for u in units if u.activity_id != activity.pk or not u.is_active]
    if foreign:
        refuse(
            "units",
            _("« %(unit)s » ne fait pas partie de « %(activity)s ».") % {**name, "unit": foreign[0].label},
        )
    closed = [d for d in weekdays if d not in activity.weekdays]
    if closed:
        refuse("weekdays", _("« %(activity)s » n'a pas lieu certains des jours choisis.") % name)
    if not child_health_form_is_current(child=child, day=max(start_date, today)):
        refuse(
            "child",
            _(
                "La fiche sanitaire de %(child)s doit être complétée et confirmée pour cette année scolaire avant "
                "toute inscription."
            )
            % name,
        )
    if Enrolment.objects.filter(child=child, activity=activity, status__in=Enrolment.ACTIVE).exists():
        refuse("activity", _("%(child)s a déjà une inscription en cours à « %(activity)s ».") % name)
    if activity.capacity is not None:
        taken = Enrolment.objects.filter(activity=activity, status=S.ACCEPTED).count()
        if taken >= activity.capacity:
            refuse(
                "activity", _("« %(activity)s » est complète : plus de place pour une inscription.") % name
            )
    if errors:
        raise ValidationError(errors)
    enrolment = Enrolment(
        child=child,
        activity=activity,
        start_date=start_date,
        planning_weekdays=weekdays,
        status=S.REQUESTED if activity.requires_validation else S.ACCEPTED,
    )
    if not activity.requires_validation:
        enrolment.decided_at = timezone.now()
    enrolment._change_reason = _("Demande d'inscription par la famille")
    enrolment.save()
    enrolment.planning_units.set(Unit.objects.filter(pk__in=[u.pk for u in units]))
    if enrolment.status == S.ACCEPTED:
        bookings_from_enrolment(enrolment=enrolment, by=by)
    return enrolment
