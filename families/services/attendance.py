"""Attendance (pointage): the roll call of a site, activity and day — present, absent, a child present without
reservation — and closing the day (clôture de l'appel), after which only agents correct it, with a reason."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Activity, Booking, Child, Enrolment, RollCall, School, Unit

from .calendar import french_date

# Agents (and administrators) correct a closed roll call; animateurs only take it.
CORRECT_PERMISSION = "families.change_rollcall"
TAKE_PERMISSION = "families.take_roll_call"
MARKABLE = (Booking.Attendance.PRESENT, Booking.Attendance.ABSENT, Booking.Attendance.EXCUSED)


def _today(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now())


def _check_can_take(by) -> None:
    if not (by.has_perm(TAKE_PERMISSION) or by.has_perm(CORRECT_PERMISSION)):
        raise PermissionDenied


def _check_not_future(day: date, now: datetime | None) -> None:
    if day > _today(now):
        raise ValidationError(
            _("On ne fait pas l'appel d'un jour à venir (%(day)s).") % {"day": french_date(day)}
        )


def rollcall_find(*, school: School | int, activity: Activity | int, day: date) -> RollCall | None:
    school_id = getattr(school, "pk", school)
    activity_id = getattr(activity, "pk", activity)
    return RollCall.objects.filter(school_id=school_id, activity_id=activity_id, date=day).first()


def _check_open_or_agent(*, school_id: int, activity_id: int, day: date, by, reason: str) -> str:
    """A closed day changes only by an agent who says why; returns the history reason to log."""
    rollcall = rollcall_find(school=school_id, activity=activity_id, day=day)
    if rollcall is None or not rollcall.is_closed:
        return _("Appel")
    if not by.has_perm(CORRECT_PERMISSION):
        raise ValidationError(
            _("L'appel du %(day)s est clôturé : seul un agent du service enfance peut encore le modifier.")
            % {"day": french_date(day)}
        )
    if not (reason or "").strip():
        raise ValidationError(
            {
                "reason": _("L'appel du %(day)s est clôturé : indiquez le motif de la correction.")
                % {"day": french_date(day)}
            }
        )
    return _("Correction après clôture : %(reason)s") % {"reason": reason.strip()}


@transaction.atomic
def attendance_mark(
    *, booking: Booking, attendance: str, by, reason: str = "", now: datetime | None = None
) -> Booking:
    """Pointer un enfant : present, absent or excused on a reserved day that has come; once the appel is clôturé
    only an agent changes it, with a reason kept in the booking's history."""
    _check_can_take(by)
    if attendance not in MARKABLE and attendance != Booking.Attendance.UNKNOWN:
        raise ValidationError({"attendance": _("Présence inconnue : %(value)s.") % {"value": attendance}})
    booking = Booking.objects.select_for_update().select_related("child", "unit").get(pk=booking.pk)
    if booking.state != Booking.State.RESERVED:
        raise ValidationError(
            _(
                "%(child)s n'a pas de réservation confirmée ce jour-là : ajoutez-le comme présent sans réservation."
            )
            % {"child": booking.child.first_name}
        )
    _check_not_future(booking.date, now)
    change_reason = _check_open_or_agent(
        school_id=booking.child.school_id,
        activity_id=booking.unit.activity_id,
        day=booking.date,
        by=by,
        reason=reason,
    )
    if booking.attendance == attendance:
        return booking
    booking.attendance = attendance
    booking.updated_by = by
    booking._history_user = by
    booking._change_reason = change_reason
    booking.save(update_fields=["attendance", "updated_by", "updated_at"])
    return booking


@transaction.atomic
def attendance_add_walk_in(
    *, child: Child, unit: Unit, day: date, by, reason: str = "", now: datetime | None = None
) -> Booking:
    """Un enfant présent sans réservation: the day is booked for him as present (walk_in, billed with the
    surcharge), whatever the capacity — he is there. He must be enrolled in the activity."""
    _check_can_take(by)
    _check_not_future(day, now)
    activity = unit.activity
    enrolled = Enrolment.objects.filter(
        child=child, activity=activity, status=Enrolment.Status.ACCEPTED, start_date__lte=day
    ).exclude(end_date__lt=day)
    if not enrolled.exists():
        raise ValidationError(
            _("%(child)s n'est pas inscrit(e) à « %(activity)s » : inscrivez-le d'abord.")
            % {"child": child.full_name, "activity": activity.name}
        )
    change_reason = _check_open_or_agent(
        school_id=child.school_id, activity_id=activity.pk, day=day, by=by, reason=reason
    )
    booking = (
        Booking.objects.select_for_update()
        .filter(child=child, unit=unit, date=day, state__in=Booking.ACTIVE)
        .first()
    )
    if booking is not None and booking.state == Booking.State.RESERVED:
        return attendance_mark(
            booking=booking, attendance=Booking.Attendance.PRESENT, by=by, reason=reason, now=now
        )
    if booking is None:
        booking = Booking(child=child, unit=unit, date=day, created_by=by)
    booking.state, booking.waiting_since = Booking.State.RESERVED, None
    booking.attendance, booking.walk_in, booking.updated_by = Booking.Attendance.PRESENT, True, by
    booking._history_user = by
    booking._change_reason = _("Présent sans réservation — %(reason)s") % {"reason": change_reason}
    booking.full_clean(exclude=["child", "unit"], validate_constraints=False)
    booking.save()
    return booking


@transaction.atomic
def rollcall_close(
    *, school: School, activity: Activity, day: date, by, now: datetime | None = None
) -> RollCall:
    """Clôturer l'appel: every reserved child is pointed; the day is locked for the animateurs."""
    _check_can_take(by)
    _check_not_future(day, now)
    rollcall, _created = RollCall.objects.select_for_update().get_or_create(
        school=school, activity=activity, date=day
    )
    if rollcall.is_closed:
        raise ValidationError(_("L'appel du %(day)s est déjà clôturé.") % {"day": french_date(day)})
    left = Booking.objects.filter(
        child__school=school,
        unit__activity=activity,
        date=day,
        state=Booking.State.RESERVED,
        attendance=Booking.Attendance.UNKNOWN,
    ).count()
    if left:
        raise ValidationError(
            _("Il reste %(n)s enfant(s) à pointer avant de clôturer l'appel.") % {"n": left}
        )
    rollcall.closed_at, rollcall.closed_by = now or timezone.now(), by
    rollcall._history_user = by
    rollcall.save()
    return rollcall


@transaction.atomic
def rollcall_reopen(*, rollcall: RollCall, by, reason: str) -> RollCall:
    """An agent reopens a clôturé appel (logged with the reason) so the animateurs can finish it."""
    if not by.has_perm(CORRECT_PERMISSION):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de la réouverture.")})
    rollcall.closed_at = rollcall.closed_by = None
    rollcall._history_user = by
    rollcall._change_reason = reason.strip()
    rollcall.save()
    return rollcall
