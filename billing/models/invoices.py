"""Invoices (factures), their lines and the bookings they bill, credit notes (avoirs), runs and number counters."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.portal import private_storage


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=2, **kwargs)


class InvoiceRun(models.Model):
    """One batch run of the monthly invoicing (facturation du mois) for a set of activities, with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        PREPARING = "preparing", _("Préparation en cours")
        DRAFTED = "drafted", _("Brouillons prêts")
        ISSUING = "issuing", _("Émission en cours")
        ISSUED = "issued", _("Émise")
        FAILED = "failed", _("Échec")

    period = models.DateField(_("mois facturé"), help_text=_("Le premier jour du mois."))
    activities = models.ManyToManyField(
        "families.Activity", verbose_name=_("activités"), related_name="invoice_runs"
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_steps = models.PositiveIntegerField(_("étapes à traiter"), default=0)
    done_steps = models.PositiveIntegerField(_("étapes traitées"), default=0)
    anomalies = models.JSONField(_("anomalies"), default=list, blank=True)
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
    issued_at = models.DateTimeField(_("émise le"), null=True, blank=True)

    class Meta:
        verbose_name = _("facturation mensuelle")
        verbose_name_plural = _("facturations mensuelles")
        ordering = ["-period", "-created_at"]

    def __str__(self):
        return _("Facturation %(month)s") % {"month": self.period.strftime("%m/%Y")}

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def progress_percent(self) -> int:
        if not self.total_steps:
            return 100 if self.status in (self.Status.DRAFTED, self.Status.ISSUED) else 0
        return min(100, round(100 * self.done_steps / self.total_steps))


class Invoice(models.Model):
    """A family's invoice for a month: a draft until issued, then numbered (2026-000123) and never edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        ISSUED = "issued", _("Émise")
        CANCELLED = "cancelled", _("Annulée par avoir")

    run = models.ForeignKey(
        InvoiceRun,
        verbose_name=_("facturation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    family = models.ForeignKey(
        "families.Family", verbose_name=_("famille"), on_delete=models.PROTECT, related_name="invoices"
    )
    payer = models.ForeignKey(
        "families.Guardian",
        verbose_name=_("payeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    payer_name = models.CharField(_("payeur"), max_length=200, blank=True)
    payer_address = models.TextField(_("adresse du payeur"), blank=True)
    period = models.DateField(_("mois facturé"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("numéro"), max_length=20, null=True, blank=True, unique=True)
    issued_on = models.DateField(_("émise le"), null=True, blank=True)
    due_on = models.DateField(_("à payer avant le"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="invoices/%Y/", blank=True)
    paperless = models.BooleanField(_("dématérialisée"), default=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-period", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(issued_on__isnull=False)),
                name="invoice_issued_has_number",
            ),
        ]
        indexes = [models.Index(fields=["family", "status"], name="invoice_family_status")]

    def __str__(self):
        return self.number or _("Brouillon %(family)s %(month)s") % {
            "family": self.family.code,
            "month": self.period.strftime("%m/%Y"),
        }

    def lines_total(self) -> Decimal:
        """The sum of the lines (uses the prefetch cache when the caller prefetched them)."""
        return sum((line.amount for line in self.lines.all()), Decimal("0.00"))


class InvoiceLine(models.Model):
    """One line: a child, a unit, the days billed, quantity × unit price = amount, and the rule applied."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Prestation")
        CARRY = "carry", _("Report / régularisation")
        REVERSAL = "reversal", _("Régularisation (remboursement)")

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("facture"), on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices, default=Kind.CHARGE)
    child = models.ForeignKey(
        "families.Child",
        verbose_name=_("enfant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    child_name = models.CharField(_("enfant"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "families.Unit",
        verbose_name=_("unité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity_name = models.CharField(_("activité"), max_length=200, blank=True)
    label = models.CharField(_("libellé"), max_length=250)
    dates = models.CharField(_("jours"), max_length=500, blank=True)
    first_date = models.DateField(_("du"), null=True, blank=True)
    last_date = models.DateField(_("au"), null=True, blank=True)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2)
    unit_price = _money(_("prix unitaire (€)"))
    amount = _money(_("montant (€)"))
    # The catering part of the amount (Tariff.meal_part × quantity), left out of the attestation fiscale.
    meal_amount = _money(_("dont repas (€)"), default=Decimal("0.00"))
    rule = models.CharField(_("règle appliquée"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["invoice", "position", "pk"]

    def __str__(self):
        return f"{self.child_name} — {self.label}"


class BilledBooking(models.Model):
    """The link between a line and the booking it bills: a booking is billed at most once while its invoice stands."""

    class Share(models.IntegerChoices):
        WHOLE = 0, _("Totalité")
        PAYER_A = 1, _("Part du payeur A (garde alternée)")
        PAYER_B = 2, _("Part du payeur B (garde alternée)")

    line = models.ForeignKey(
        InvoiceLine, verbose_name=_("ligne"), on_delete=models.CASCADE, related_name="links"
    )
    booking = models.ForeignKey(
        "families.Booking",
        verbose_name=_("réservation"),
        on_delete=models.PROTECT,
        related_name="billed_links",
    )
    reversal = models.BooleanField(_("régularisation"), default=False)
    amount = _money(_("montant (€)"))
    # True once the invoice is issued, False again when a credit note cancels it: only active links count.
    active = models.BooleanField(_("facturé"), default=False)
    # Shared custody by percentage bills one booking on two lines (one per payer): each share is billed once.
    share = models.PositiveSmallIntegerField(_("part"), choices=Share.choices, default=Share.WHOLE)

    class Meta:
        verbose_name = _("réservation facturée")
        verbose_name_plural = _("réservations facturées")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "share"],
                condition=Q(active=True, reversal=False),
                name="billed_booking_once",
                violation_error_message=_("Cette réservation est déjà facturée."),
            ),
            models.UniqueConstraint(
                fields=["booking", "share"],
                condition=Q(active=True, reversal=True),
                name="billed_booking_reversed_once",
            ),
        ]


class CreditNote(models.Model):
    """An avoir (AV-2026-000012): corrects an issued invoice, never more than what remains of it."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("facture corrigée"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    number = models.CharField(_("numéro"), max_length=20, unique=True)
    amount = _money(_("montant (€)"))
    reason = models.CharField(_("motif"), max_length=300)
    issued_on = models.DateField(_("émis le"))
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="credit_notes/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("émis par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("avoir")
        verbose_name_plural = _("avoirs")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_note_amount_positive"),
        ]

    def __str__(self):
        return self.number


class NumberCounter(models.Model):
    """The last number given per series and year; locked with select_for_update so numbers have no gap."""

    class Series(models.TextChoices):
        INVOICE = "invoice", _("Factures")
        CREDIT_NOTE = "credit", _("Avoirs")
        RECEIPT = "receipt", _("Reçus de règlement")

    series = models.CharField(_("série"), max_length=10, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    last = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur de numéros")
        verbose_name_plural = _("compteurs de numéros")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="number_counter_unique")]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"
