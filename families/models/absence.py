"""Declared absences (absence déclarée, certificat médical), the reminders already sent and the iCal feed keys."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .dossier import Child, Family
from .portal import private_storage

# A certificate is health data: private storage, served only by views that check the family or the permission.
CERTIFICATE_UPLOAD_TO = "families/absences/%Y/%m/"
ABSENCE_MAX_DAYS = 93


class Absence(models.Model):
    """A parent's declaration that a child will miss (or missed) its booked days, with a reason and maybe a
    certificat médical; staff accept (absence justifiée, not billed) or reject it (absence stays billed)."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("Maladie")
        FAMILY = "family", _("Raison familiale")
        OTHER = "other", _("Autre motif")

    class Status(models.TextChoices):
        CANCELLED = "cancelled", _("Jours annulés")
        UNJUSTIFIED = "unjustified", _("Absence non justifiée")
        PENDING = "pending", _("Certificat à vérifier")
        ACCEPTED = "accepted", _("Absence justifiée")
        REJECTED = "rejected", _("Justificatif refusé")

    REVIEWABLE = (Status.PENDING, Status.UNJUSTIFIED)

    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="absences"
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices)
    comment = models.TextField(_("précisions"), blank=True)
    certificate = models.FileField(
        _("certificat médical"),
        storage=private_storage,
        upload_to=CERTIFICATE_UPLOAD_TO,
        max_length=200,
        blank=True,
    )
    certificate_name = models.CharField(_("nom du fichier"), max_length=120, blank=True)
    certificate_type = models.CharField(_("type du fichier"), max_length=40, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.UNJUSTIFIED)
    cancelled_days = models.PositiveSmallIntegerField(_("réservations annulées"), default=0)
    absent_days = models.PositiveSmallIntegerField(_("réservations en absence"), default=0)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(_("déclarée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déclarée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["certificate"])

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="absence_dates_ordered"),
        ]
        indexes = [models.Index(fields=["status"], name="absence_status")]

    def __str__(self):
        return f"{self.child} — {self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate)


class ReminderSent(models.Model):
    """One reminder email sent to a family for one period (rappel): sending twice the same is never done."""

    class Kind(models.TextChoices):
        WEEK = "week", _("Semaine à réserver")
        HOLIDAY = "holiday", _("Clôture des vacances")

    family = models.ForeignKey(Family, verbose_name=_("famille"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    period = models.CharField(_("période"), max_length=40)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(fields=["family", "kind", "period"], name="reminder_once_per_period"),
        ]

    def __str__(self):
        return f"{self.family} — {self.get_kind_display()} {self.period}"


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a family's calendar (abonnement iCal); regenerating it revokes the old one."""

    family = models.OneToOneField(
        Family, verbose_name=_("famille"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement calendrier")
        verbose_name_plural = _("abonnements calendrier")

    def __str__(self):
        return str(self.family)
