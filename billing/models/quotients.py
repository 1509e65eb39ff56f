"""The quotient familial history of a family, set by staff only (CAF, MSA or computed with the CAF method)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FamilyQuotient(models.Model):
    class Source(models.TextChoices):
        CAF = "caf", _("CAF")
        MSA = "msa", _("MSA")
        COMPUTED = "computed", _("Calculé par le service enfance")

    family = models.ForeignKey(
        "families.Family", verbose_name=_("famille"), on_delete=models.CASCADE, related_name="quotients"
    )
    value = models.DecimalField(_("quotient familial (€)"), max_digits=9, decimal_places=2)
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.CAF)
    proof = models.ForeignKey(
        "families.FamilyDocument",
        verbose_name=_("justificatif"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quotient familial")
        verbose_name_plural = _("quotients familiaux")
        ordering = ["family", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="family_quotient_value_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="family_quotient_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.family} — QF {self.value} €"

    def clean(self):
        errors = {}
        if self.value is not None and self.value < 0:
            errors["value"] = _("Le quotient familial ne peut pas être négatif.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("La fin de validité doit suivre son début.")
        if self.proof_id and self.family_id and self.proof.family_id != self.family_id:
            errors["proof"] = _("Le justificatif doit appartenir à la même famille.")
        if errors:
            raise ValidationError(errors)
        if self.family_id and self.valid_from:
            # The rule of `family_quotient_set`, the one write path: an earlier QF ends the day before this one,
            # a later one is never overwritten. Forms and the API see the same refusal before saving.
            from billing.services.quotients import family_quotient_clash, family_quotient_clash_error

            clash = family_quotient_clash(
                family_id=self.family_id,
                valid_from=self.valid_from,
                valid_until=self.valid_until,
                exclude_pk=self.pk,
            )
            if clash is not None:
                raise family_quotient_clash_error(clash)


class QuotientCampaignReminder(models.Model):
    """The yearly QF campaign's reminder sent to a family (one per family and campaign year: the command is
    idempotent)."""

    family = models.ForeignKey(
        "families.Family", verbose_name=_("famille"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("campagne"))
    deadline = models.DateField(_("date limite"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    recipients = models.TextField(_("destinataires"), blank=True)

    class Meta:
        verbose_name = _("relance de la campagne QF")
        verbose_name_plural = _("relances de la campagne QF")
        ordering = ["-year", "family"]
        constraints = [
            models.UniqueConstraint(fields=["family", "year"], name="quotient_campaign_one_reminder_per_year")
        ]

    def __str__(self):
        return f"{self.family} — campagne {self.year}"
