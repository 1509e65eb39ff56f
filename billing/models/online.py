"""Online payment (paiement en ligne, PayFiP): one transaction per attempt, and the local simulator's bank records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentTransaction(models.Model):
    """One attempt to pay an invoice online; the amount is the invoice's balance when the attempt started.

    A transaction produces at most one `Payment` (the row is locked while a notification is processed, and the
    one-to-one link is the last guard): a replayed notification never credits twice.
    """

    class State(models.TextChoices):
        CREATED = "created", _("Créée")
        PENDING = "pending", _("En attente du paiement")
        PAID = "paid", _("Payée")
        REFUSED = "refused", _("Refusée")
        ABANDONED = "abandoned", _("Abandonnée")
        ERROR = "error", _("Erreur")

    invoice = models.ForeignKey(
        "billing.Invoice",
        verbose_name=_("facture"),
        on_delete=models.PROTECT,
        related_name="online_transactions",
    )
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("famille"),
        on_delete=models.PROTECT,
        related_name="online_transactions",
    )
    amount = models.DecimalField(_("montant (€)"), max_digits=10, decimal_places=2)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.CREATED)
    backend = models.CharField(_("service de paiement"), max_length=20)
    order_id = models.CharField(
        _("référence de la transaction"),
        max_length=30,
        unique=True,
        help_text=_("Notre référence (refdet PayFiP), lettres et chiffres."),
    )
    provider_reference = models.CharField(
        _("référence du service de paiement"), max_length=100, blank=True, help_text=_("idop PayFiP.")
    )
    bank_status = models.CharField(_("réponse du service de paiement"), max_length=200, blank=True)
    notifications = models.JSONField(
        _("notifications reçues"),
        default=list,
        blank=True,
        help_text=_("Chaque notification et retour reçus, tels quels, pour l'audit."),
    )
    payment = models.OneToOneField(
        "billing.Payment",
        verbose_name=_("règlement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_transaction",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("initiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("transaction de paiement en ligne")
        verbose_name_plural = _("transactions de paiement en ligne")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="online_transaction_amount_positive"),
            models.UniqueConstraint(
                fields=["backend", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="online_transaction_provider_reference_unique",
            ),
            # A paid transaction has recorded its payment (the value of State.PAID: Meta cannot see the enum).
            models.CheckConstraint(
                condition=~Q(state="paid") | Q(payment__isnull=False),
                name="online_transaction_paid_has_payment",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="online_tx_state_created")]

    def __str__(self):
        return self.order_id


class SimulatorOperation(models.Model):
    """The local payment simulator's own records (what PayFiP keeps on its side): dev and tests only."""

    class Result(models.TextChoices):
        NONE = "", _("En cours")
        PAID = "P", _("Payé")
        REFUSED = "R", _("Refusé")
        ABANDONED = "A", _("Abandonné")

    idop = models.CharField(max_length=40, unique=True)
    refdet = models.CharField(max_length=30)
    amount_cents = models.PositiveIntegerField()
    email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    notify_url = models.URLField(max_length=500)
    return_url = models.URLField(max_length=500)
    result = models.CharField(max_length=1, choices=Result.choices, blank=True, default=Result.NONE)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("opération du simulateur de paiement")
        verbose_name_plural = _("opérations du simulateur de paiement")

    def __str__(self):
        return self.idop
