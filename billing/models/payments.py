"""Payments (règlements) and how they are spread over invoices (affectations)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


class PaymentMeans(models.TextChoices):
    ONLINE = "online", _("Paiement en ligne (PayFiP)")
    DIRECT_DEBIT = "direct_debit", _("Prélèvement SEPA")
    CHEQUE = "cheque", _("Chèque")
    CASH = "cash", _("Espèces")
    CESU = "cesu", _("CESU")
    TRANSFER = "transfer", _("Virement")


# Recorded at the counter by staff (the others come from the payment provider or the SEPA batch).
COUNTER_MEANS = (PaymentMeans.CHEQUE, PaymentMeans.CASH, PaymentMeans.CESU, PaymentMeans.TRANSFER)


class Payment(models.Model):
    """Money received from a family (RC-2026-000042), spread over its invoices; what is not spread is a credit."""

    class Status(models.TextChoices):
        VALID = "valid", _("Encaissé")
        REJECTED = "rejected", _("Rejeté / impayé")

    number = models.CharField(_("numéro de reçu"), max_length=20, unique=True)
    family = models.ForeignKey(
        "families.Family", verbose_name=_("famille"), on_delete=models.PROTECT, related_name="payments"
    )
    payer = models.ForeignKey(
        "families.Guardian",
        verbose_name=_("payeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    payer_name = models.CharField(_("payeur"), max_length=200, blank=True)
    means = models.CharField(_("moyen de paiement"), max_length=12, choices=PaymentMeans.choices)
    amount = _money(_("montant (€)"))
    received_on = models.DateField(_("reçu le"))
    reference = models.CharField(
        _("référence"),
        max_length=100,
        blank=True,
        help_text=_("N° de chèque, de CESU, référence du virement…"),
    )
    bank = models.CharField(_("banque / émetteur"), max_length=100, blank=True)
    note = models.TextField(_("observation"), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.VALID)
    rejected_on = models.DateField(_("rejeté le"), null=True, blank=True)
    reject_reason = models.CharField(_("motif du rejet"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("règlement")
        verbose_name_plural = _("règlements")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["family", "status"], name="payment_family_status")]

    def __str__(self):
        return self.number


class PaymentAllocation(models.Model):
    """The part of a payment that settles one invoice."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("règlement"), on_delete=models.CASCADE, related_name="allocations"
    )
    invoice = models.ForeignKey(
        "billing.Invoice", verbose_name=_("facture"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = _money(_("montant affecté (€)"))
    created_at = models.DateTimeField(_("affecté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("affectation de règlement")
        verbose_name_plural = _("affectations de règlements")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_allocation_positive"),
            models.UniqueConstraint(fields=["payment", "invoice"], name="payment_allocation_unique"),
        ]

    def __str__(self):
        return f"{self.payment} → {self.invoice}"
