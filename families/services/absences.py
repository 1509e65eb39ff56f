"""Declared absences (« Justifier une absence »): cancel what can still be cancelled, mark the rest absent, and
let staff turn absences with a certificat médical into absences justifiées (never billed)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Absence, Booking, Child, Enrolment, Guardian
from families.models.absence import ABSENCE_MAX_DAYS

from .bookings import Change, bookings_apply, bookings_mark_absent, bookings_set_attendance
from .calendar import french_date
from .deadlines import BookingAction, booking_deadline
from .emails import email_send
from .uploads import display_name, upload_check


def absence_check(*, child: Child, start: date | None, end: date | None, certificate=None) -> str:
    """Refuse a range that is reversed, longer than 93 days or outside every inscription acceptée, and a certificate
    that is not a PDF/JPEG/PNG/HEIC by content or over 10 Mo; returns the certificate's extension (or "")."""
    errors: dict[str, list[str]] = {}
    if start is not None and end is not None:
        if end < start:
            errors["end"] = [_("La fin de l'absence doit être le même jour que son début ou après.")]
        elif (end - start).days + 1 > ABSENCE_MAX_DAYS:
            errors["end"] = [
                _("Une absence dure %(max)d jours au plus : déclarez-la en plusieurs fois.")
                % {"max": ABSENCE_MAX_DAYS}
            ]
        elif not _enrolled_between(child=child, start=start, end=end):
            errors["start"] = [
                _("%(child)s n'a aucune inscription acceptée entre le %(start)s et le %(end)s.")
                % {"child": child.first_name, "start": french_date(start), "end": french_date(end)}
            ]
    extension = ""
    if certificate:
        try:
            _mime, extension = upload_check(file=certificate)
        except ValidationError as error:
            errors["certificate"] = error.messages
    if errors:
        raise ValidationError(errors)
    return extension


def _enrolled_between(*, child: Child, start: date, end: date) -> bool:
    return (
        Enrolment.objects.filter(child=child, status=Enrolment.Status.ACCEPTED, start_date__lte=end)
        .filter(Q(end_date__gte=start) | Q(end_date__isnull=True, activity__period_end__gte=start))
        .exists()
    )


@transaction.atomic
def absence_declare(
    *,
    child: Child,
    start: date,
    end: date,
    reason: str,
    certificate=None,
    by,
    now: datetime | None = None,
    comment: str = "",
) -> Absence:
    """Déclarer une absence: the days still within the délai d'annulation are cancelled (nothing billed), the
    others become « absent » — the same morning too — and wait for staff to accept the certificat médical."""
    now = now or timezone.now()
    extension = absence_check(child=child, start=start, end=end, certificate=certificate)
    if reason not in Absence.Reason.values:
        raise ValidationError({"reason": [_("Choisissez un motif d'absence.")]})
    bookings = list(
        Booking.objects.filter(child=child, date__range=(start, end), state__in=Booking.ACTIVE)
        .select_related("unit__activity")
        .order_by("date", "unit_id")
    )
    to_cancel, late = [], []
    for booking in bookings:
        deadline = booking_deadline(
            activity=booking.unit.activity, day=booking.date, action=BookingAction.CANCEL
        )
        if booking.state == Booking.State.WAITING or now < deadline:
            to_cancel.append(booking)
        else:
            late.append(booking)
    cancelled = 0
    if to_cancel:
        result = bookings_apply(
            child_changes=[
                Change(child=child, unit=b.unit, day=b.date, action=BookingAction.CANCEL) for b in to_cancel
            ],
            by=by,
            as_staff=False,
            now=now,
            all_or_nothing=False,
        )
        cancelled = len(result.cancelled)
        refused = {(r.change.unit.pk, r.change.day) for r in result.refused}
        late += [b for b in to_cancel if (b.unit_id, b.date) in refused and b.state == Booking.State.RESERVED]
    # A day already pointed « présent » by the animateur stays so: the parent cannot undo a roll call.
    late = [b for b in late if b.attendance in (Booking.Attendance.UNKNOWN, Booking.Attendance.ABSENT)]
    bookings_mark_absent(bookings=late, by=by, reason=_("Absence déclarée par la famille"))
    absence = Absence(
        child=child,
        start_date=start,
        end_date=end,
        reason=reason,
        comment=comment,
        created_by=by,
        cancelled_days=cancelled,
        absent_days=len(late),
    )
    if not late:
        absence.status = Absence.Status.CANCELLED
    elif certificate:
        absence.status = Absence.Status.PENDING
    else:
        absence.status = Absence.Status.UNJUSTIFIED
    if certificate:
        absence.certificate_name = display_name(certificate.name)
        absence.certificate_type = getattr(certificate, "content_type", "")[:40]
        absence.certificate.save(f"certificat{extension}", certificate, save=False)
    absence._history_user = by
    absence.save()
    if absence.status == Absence.Status.PENDING:
        email_send(
            to=settings.PORTAIL_CONTACT_EMAIL,
            template="staff_alert",
            context={
                "title": _("Nouvelle absence à justifier"),
                "body": _("%(child)s — famille %(code)s, du %(start)s au %(end)s")
                % {
                    "child": child.first_name,
                    "code": child.family.code,
                    "start": french_date(start),
                    "end": french_date(end),
                },
            },
        )
    return absence


def _absent_bookings(absence: Absence, attendance: str) -> list[Booking]:
    return list(
        Booking.objects.select_for_update().filter(
            child_id=absence.child_id,
            date__range=(absence.start_date, absence.end_date),
            state=Booking.State.RESERVED,
            attendance=attendance,
        )
    )


def _lock(absence: Absence) -> Absence:
    return Absence.objects.select_for_update().select_related("child").get(pk=absence.pk)


def _email_decision(absence: Absence) -> None:
    """The family's guardians read the decision on the justificatif (and the reason of a refusal), after commit."""
    emails = [
        g.user.email
        for g in Guardian.objects.filter(
            family_id=absence.child.family_id, user__isnull=False
        ).select_related("user")
    ]
    email_send(to=emails, template="absence_decided", context={"absence": absence, "child": absence.child})


@transaction.atomic
def absence_accept(*, absence: Absence, by, reason: str = "") -> Absence:
    """Accepter le justificatif: the absent days of the range become « absence justifiée », never billed."""
    absence = _lock(absence)
    if absence.status not in Absence.REVIEWABLE:
        raise ValidationError(
            _("Cette absence a déjà été traitée (%(status)s).") % {"status": absence.get_status_display()}
        )
    bookings_set_attendance(
        bookings=_absent_bookings(absence, Booking.Attendance.ABSENT),
        attendance=Booking.Attendance.EXCUSED,
        by=by,
        reason=_("Absence justifiée"),
    )
    absence.status, absence.reviewed_by, absence.reviewed_at = Absence.Status.ACCEPTED, by, timezone.now()
    absence.rejection_reason = ""
    absence._history_user = by
    absence.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"])
    _email_decision(absence)
    return absence


@transaction.atomic
def absence_reject(*, absence: Absence, by, reason: str) -> Absence:
    """Refuser le justificatif, with a reason the family reads: the days stay « absent » (billed)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Indiquez le motif du refus : la famille le lira.")]})
    absence = _lock(absence)
    if absence.status not in Absence.REVIEWABLE:
        raise ValidationError(
            _("Cette absence a déjà été traitée (%(status)s).") % {"status": absence.get_status_display()}
        )
    absence.status, absence.reviewed_by, absence.reviewed_at = Absence.Status.REJECTED, by, timezone.now()
    absence.rejection_reason = reason
    absence._history_user = by
    absence.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"])
    _email_decision(absence)
    return absence
