"""Relances: the reminder sent once for an unpaid invoice, 15 days after its due date."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class BillingReminder(models.Model):
    """One relance per invoice (unique), recorded when the email is queued, so the command can run any day."""

    invoice = models.OneToOneField(
        "billing.Invoice", verbose_name=_("facture"), on_delete=models.CASCADE, related_name="reminder"
    )
    sent_on = models.DateField(_("relancée le"))
    sent_to = models.CharField(_("envoyée à"), max_length=500, blank=True)
    amount_due = models.DecimalField(
        _("reste dû relancé (€)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("relance de facture")
        verbose_name_plural = _("relances de factures")
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.invoice} — {self.sent_on:%d/%m/%Y}"
