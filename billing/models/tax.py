"""Tax certificates (attestations fiscales de frais de garde) and the staff's bulk issue of a year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from billing.signals import payments_changed
from families.models.portal import private_storage


class TaxCertificate(models.Model):
    """What a payer paid in a calendar year for the care of one child under 6 (meals excluded): article 200
    quater B du CGI. One per family, payer, child and year; regenerated when a payment of that year changes."""

    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("famille"),
        on_delete=models.CASCADE,
        related_name="tax_certificates",
    )
    payer = models.ForeignKey(
        "families.Guardian",
        verbose_name=_("payeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tax_certificates",
    )
    payer_name = models.CharField(_("payeur"), max_length=200, blank=True)
    child = models.ForeignKey(
        "families.Child", verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="tax_certificates"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("montant payé (€)"), max_digits=10, decimal_places=2)
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to="tax_certificates/%Y/", blank=True, max_length=200
    )
    generated_at = models.DateTimeField(_("générée le"))

    class Meta:
        verbose_name = _("attestation fiscale")
        verbose_name_plural = _("attestations fiscales")
        ordering = ["-year", "family", "child", "payer_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "payer", "child", "year"],
                condition=Q(payer__isnull=False),
                name="tax_certificate_unique",
            ),
            models.UniqueConstraint(
                fields=["family", "child", "year"],
                condition=Q(payer__isnull=True),
                name="tax_certificate_unique_without_payer",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tax_certificate_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["family", "year"], name="tax_certificate_family_year")]

    def __str__(self):
        return _("Attestation %(year)s — %(child)s (%(payer)s)") % {
            "year": self.year,
            "child": self.child,
            "payer": self.payer_name,
        }


class TaxCertificateRun(models.Model):
    """The staff's bulk issue of a year's certificates, run in the background with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("Génération en cours")
        DONE = "done", _("Terminée")
        FAILED = "failed", _("Échec")

    year = models.PositiveSmallIntegerField(_("année"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_steps = models.PositiveIntegerField(_("familles à traiter"), default=0)
    done_steps = models.PositiveIntegerField(_("familles traitées"), default=0)
    certificates = models.PositiveIntegerField(_("attestations générées"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lancée le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("émission d'attestations fiscales")
        verbose_name_plural = _("émissions d'attestations fiscales")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Attestations fiscales %(year)s") % {"year": self.year}

    @property
    def running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int:
        if not self.total_steps:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.done_steps / self.total_steps))


# Connected here because the models module is always loaded: certificates follow the payments of their year.
@receiver(payments_changed, dispatch_uid="tax_certificates_follow_payments")
def _payments_changed(sender, family, years, **kwargs):
    from billing.tasks import regenerate_tax_certificates

    regenerate_tax_certificates.enqueue(family_id=family.pk, years=sorted(years))
