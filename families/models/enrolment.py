"""Inscriptions: a child enrolled in an activity, from the request to the service's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import Activity
from .dossier import Child


class Enrolment(models.Model):
    """An inscription (requested → accepted / refused / waiting list); only accepted ones may book days."""

    class Status(models.TextChoices):
        REQUESTED = "demandee", _("Demandée")
        ACCEPTED = "acceptee", _("Acceptée")
        WAITING = "attente", _("Liste d'attente")
        REFUSED = "refusee", _("Refusée")
        CANCELLED = "annulee", _("Annulée")

    ACTIVE = (Status.REQUESTED, Status.ACCEPTED, Status.WAITING)

    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.PROTECT, related_name="enrolments"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    # The weekly planning (planning hebdomadaire) booked when the inscription is accepted.
    planning_units = models.ManyToManyField(
        "families.Unit", verbose_name=_("unités du planning"), blank=True, related_name="+"
    )
    planning_weekdays = models.JSONField(
        _("jours du planning"), default=list, blank=True, help_text=_("Jours de la semaine, 0 = lundi … 5 = samedi.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "activity"],
                condition=Q(status__in=["demandee", "acceptee", "attente"]),
                name="enrolment_one_active_per_child_and_activity",
                violation_error_message=_("Cet enfant a déjà une inscription en cours pour cette activité."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="enrolment_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.child} — {self.activity} ({self.get_status_display()})"
