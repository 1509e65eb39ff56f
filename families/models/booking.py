"""Reservations: bookings of a child on a unit and day (with waiting list and attendance) and closures."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import Activity, School, Unit
from .dossier import Child


class Closure(models.Model):
    """A fermeture (pont, grève, travaux, site fermé): no booking on these days, for the whole town or a scope.

    Every scope field is optional: none set closes everything; an activity, a unit or a school narrows it.
    """

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activité"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unité"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("école / site"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="closure_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.reason} ({self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin de la fermeture doit suivre son début.")})
        if self.unit_id and self.activity_id and self.unit.activity_id != self.activity_id:
            raise ValidationError({"unit": _("Cette unité n'appartient pas à l'activité choisie.")})

    def applies_to(self, *, unit: Unit, school_id: int | None, day) -> bool:
        """True when this closure covers `unit` on `day` for a child of school `school_id`."""
        return (
            self.start_date <= day <= self.end_date
            and (self.activity_id is None or self.activity_id == unit.activity_id)
            and (self.unit_id is None or self.unit_id == unit.pk)
            and (self.school_id is None or self.school_id == school_id)
        )


class Booking(models.Model):
    """A réservation of a child on a unit and a day: reserved, on the waiting list, cancelled or closed."""

    class State(models.TextChoices):
        RESERVED = "reserved", _("Réservé")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulé")
        CLOSURE = "closure", _("Annulé (fermeture)")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Non pointé")
        PRESENT = "present", _("Présent")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Absence justifiée")

    ACTIVE = (State.RESERVED, State.WAITING)

    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="bookings"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unité"), on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField(_("jour"))
    state = models.CharField(_("réservation"), max_length=10, choices=State.choices, default=State.RESERVED)
    # The waiting list is ordered by this moment (then id); the position is computed, never stored.
    waiting_since = models.DateTimeField(_("en liste d'attente depuis"), null=True, blank=True)
    attendance = models.CharField(
        _("présence"), max_length=8, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    # Present at the roll call without a reservation (billed with a surcharge, see DESIGN.md).
    walk_in = models.BooleanField(_("présent sans réservation"), default=False)
    # Reserved by the service enfance after the délai de réservation: billed with the tariff's late surcharge.
    late = models.BooleanField(_("réservation tardive"), default=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["date", "unit_id", "child_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "unit", "date"],
                condition=Q(state__in=["reserved", "waiting"]),
                name="booking_one_active_per_child_unit_day",
                violation_error_message=_("Cet enfant a déjà une réservation pour cette unité ce jour-là."),
            ),
            models.CheckConstraint(
                condition=~Q(state="waiting") | Q(waiting_since__isnull=False),
                name="booking_waiting_has_since",
            ),
        ]
        indexes = [models.Index(fields=["unit", "date", "state"], name="booking_unit_day_state")]

    def __str__(self):
        return f"{self.child} — {self.unit.label} — {self.date:%d/%m/%Y} ({self.get_state_display()})"
