"""SEPA direct debit (prélèvement automatique): the families' mandates and the monthly pain.008 batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.portal import private_storage


def mask_iban(iban: str) -> str:
    """« FR76 **** **** **** **** ***0 185 »: the country and check digits, the last four characters, nothing else."""
    compact = "".join(iban.split()).upper()
    if len(compact) <= 8:
        return compact
    masked = compact[:4] + "*" * (len(compact) - 8) + compact[-4:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def short_iban(iban: str) -> str:
    """« FR76 …0185 », as the pre-notification prints it."""
    compact = "".join(iban.split()).upper()
    return f"{compact[:4]} …{compact[-4:]}" if len(compact) > 8 else compact


class SepaMandate(models.Model):
    """A mandat de prélèvement SEPA (CORE, recurrent) signed by one payer of the family, identified by its RUM."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Demandé (en attente de validation)")
        ACTIVE = "active", _("Actif")
        SUSPENDED = "suspended", _("Suspendu")
        LAPSED = "lapsed", _("Caduc (36 mois sans prélèvement)")
        REVOKED = "revoked", _("Révoqué")
        REFUSED = "refused", _("Refusé")

    family = models.ForeignKey(
        "families.Family", verbose_name=_("famille"), on_delete=models.PROTECT, related_name="sepa_mandates"
    )
    payer = models.ForeignKey(
        "families.Guardian",
        verbose_name=_("payeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sepa_mandates",
    )
    rum = models.CharField(_("référence unique du mandat (RUM)"), max_length=35, unique=True)
    holder = models.CharField(_("titulaire du compte"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    document = models.ForeignKey(
        "families.FamilyDocument",
        verbose_name=_("mandat signé"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_debit_done = models.BooleanField(_("premier prélèvement effectué"), default=False)
    last_debit_on = models.DateField(_("dernier prélèvement le"), null=True, blank=True)
    reject_count = models.PositiveSmallIntegerField(_("rejets"), default=0)
    status_reason = models.TextField(_("motif (refus, révocation, suspension)"), blank=True)
    status_changed_on = models.DateField(_("état depuis le"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mandat de prélèvement SEPA")
        verbose_name_plural = _("mandats de prélèvement SEPA")
        ordering = ["-created_at", "-pk"]
        # No "active ⇒ signed" constraint on purpose: mandates taken over from the previous software may lack their
        # signature date; the batch leaves them out with an anomaly instead of refusing the whole import.
        indexes = [models.Index(fields=["family", "status"], name="sepa_mandate_family_status")]

    def __str__(self):
        return self.rum

    @property
    def iban_masked(self) -> str:
        return mask_iban(self.iban)

    iban_masked.fget.short_description = _("IBAN")

    @property
    def iban_short(self) -> str:
        return short_iban(self.iban)

    @property
    def awaiting_signature(self) -> bool:
        """Requested by the family: to print, sign and hand in before the service validates it."""
        return self.status == self.Status.REQUESTED

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class SequenceType(models.TextChoices):
    FIRST = "FRST", _("Premier prélèvement (FRST)")
    RECURRENT = "RCUR", _("Prélèvement récurrent (RCUR)")


class RejectReason(models.TextChoices):
    """The ISO 20022 reason codes of a returned direct debit (R-transaction), as the banks send them."""

    AC01 = "AC01", _("AC01 — Numéro de compte incorrect")
    AC04 = "AC04", _("AC04 — Compte clôturé")
    AC06 = "AC06", _("AC06 — Compte bloqué")
    AG01 = "AG01", _("AG01 — Prélèvement interdit sur ce compte")
    AG02 = "AG02", _("AG02 — Code opération incorrect")
    AM04 = "AM04", _("AM04 — Provision insuffisante")
    AM05 = "AM05", _("AM05 — Prélèvement en double")
    BE05 = "BE05", _("BE05 — Créancier inconnu")
    MD01 = "MD01", _("MD01 — Pas de mandat valide")
    MD02 = "MD02", _("MD02 — Données du mandat manquantes ou incorrectes")
    MD06 = "MD06", _("MD06 — Remboursement demandé par le débiteur")
    MD07 = "MD07", _("MD07 — Débiteur décédé")
    MS02 = "MS02", _("MS02 — Refus du débiteur")
    MS03 = "MS03", _("MS03 — Motif non communiqué par la banque")
    RC01 = "RC01", _("RC01 — BIC incorrect")
    RR01 = "RR01", _("RR01 — Identification du débiteur manquante")
    SL01 = "SL01", _("SL01 — Service spécifique de la banque du débiteur")
    FF01 = "FF01", _("FF01 — Fichier ou format invalide")


class DirectDebitBatch(models.Model):
    """The month's prélèvement: one pain.008 file for the issued invoices of the families with an active mandate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À générer")
        GENERATED = "generated", _("Fichier généré")

    period = models.DateField(_("mois facturé"), help_text=_("Le premier jour du mois."))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    message_id = models.CharField(_("identifiant du message"), max_length=35, blank=True)
    file = models.FileField(
        _("fichier pain.008"), storage=private_storage, upload_to="sepa/%Y/", blank=True, max_length=200
    )
    anomalies = models.JSONField(_("anomalies"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("généré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    generated_at = models.DateTimeField(_("généré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("prélèvement SEPA (lot)")
        verbose_name_plural = _("prélèvements SEPA (lots)")
        ordering = ["-period", "-created_at"]

    def __str__(self):
        from django.utils import formats

        return _("Prélèvement de %(month)s") % {"month": formats.date_format(self.period, "F Y")}


class DirectDebitItem(models.Model):
    """One invoice debited in a batch: its mandate, FRST or RCUR, collection date, and the payment it recorded."""

    class Status(models.TextChoices):
        DEBITED = "debited", _("Prélevé")
        REJECTED = "rejected", _("Rejeté")

    batch = models.ForeignKey(
        DirectDebitBatch, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="items"
    )
    invoice = models.ForeignKey(
        "billing.Invoice", verbose_name=_("facture"), on_delete=models.PROTECT, related_name="debits"
    )
    mandate = models.ForeignKey(
        SepaMandate, verbose_name=_("mandat"), on_delete=models.PROTECT, related_name="debits"
    )
    payment = models.OneToOneField(
        "billing.Payment",
        verbose_name=_("règlement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="debit",
    )
    amount = models.DecimalField(_("montant (€)"), max_digits=10, decimal_places=2)
    sequence = models.CharField(_("séquence"), max_length=4, choices=SequenceType.choices)
    collection_on = models.DateField(_("date de prélèvement"))
    end_to_end_id = models.CharField(_("référence de bout en bout"), max_length=35)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DEBITED)
    reject_code = models.CharField(
        _("motif du rejet"), max_length=4, choices=RejectReason.choices, blank=True
    )
    rejected_on = models.DateField(_("rejeté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("prélèvement d'une facture")
        verbose_name_plural = _("prélèvements des factures")
        ordering = ["batch", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="debit_item_amount_positive"),
            # An invoice is in at most one live debit: a second batch never takes it twice.
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(status="debited"), name="debit_item_one_live_per_invoice"
            ),
        ]

    def __str__(self):
        return f"{self.end_to_end_id} ({self.get_sequence_display()})"

    @property
    def is_debited(self) -> bool:
        return self.status == self.Status.DEBITED
