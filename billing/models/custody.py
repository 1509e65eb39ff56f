"""Shared custody (garde alternée): a child's days billed to two payers, by percentage, alternate weeks or activity."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CustodyMode(models.TextChoices):
    PERCENTAGE = "percentage", _("Pourcentage (ex. 60 / 40)")
    ALTERNATE_WEEKS = "alternate_weeks", _("Semaines alternées")
    PER_ACTIVITY = "per_activity", _("Par activité")


class WeekBasis(models.TextChoices):
    """Which weeks payer A pays in alternate weeks; the others go to payer B."""

    ISO_EVEN = "iso_even", _("Semaines ISO paires pour le payeur A")
    ISO_ODD = "iso_odd", _("Semaines ISO impaires pour le payeur A")
    # ISO parity repeats at a year with 53 weeks (week 53 then week 1 are both odd): a reference Monday never does.
    REFERENCE = "reference", _("Une semaine sur deux à partir d'un lundi de référence (payeur A)")


class CustodySplit(models.Model):
    """How a child's days are shared between two payers (responsables légaux of its family) over a validity range.

    Written only through `billing.services.custody.custody_split_set`.
    """

    child = models.ForeignKey(
        "families.Child", verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="custody_splits"
    )
    payer_a = models.ForeignKey(
        "families.Guardian", verbose_name=_("payeur A"), on_delete=models.PROTECT, related_name="+"
    )
    payer_b = models.ForeignKey(
        "families.Guardian", verbose_name=_("payeur B"), on_delete=models.PROTECT, related_name="+"
    )
    payer_a_address = models.TextField(
        _("adresse de facturation du payeur A"),
        blank=True,
        help_text=_("Vide : l'adresse du dossier famille."),
    )
    payer_b_address = models.TextField(
        _("adresse de facturation du payeur B"),
        blank=True,
        help_text=_("Vide : l'adresse du dossier famille."),
    )
    mode = models.CharField(_("répartition"), max_length=16, choices=CustodyMode.choices)
    percent_a = models.PositiveSmallIntegerField(
        _("part du payeur A (%)"),
        null=True,
        blank=True,
        help_text=_("Répartition en pourcentage : le payeur B paie le reste."),
    )
    week_basis = models.CharField(
        _("semaines du payeur A"), max_length=10, choices=WeekBasis.choices, blank=True
    )
    reference_monday = models.DateField(
        _("lundi de référence"),
        null=True,
        blank=True,
        help_text=_("Semaines alternées à partir d'un lundi : cette semaine-là est au payeur A."),
    )
    payer_b_activities = models.ManyToManyField(
        "families.Activity",
        verbose_name=_("activités payées par le payeur B"),
        blank=True,
        related_name="+",
        help_text=_("Répartition par activité : les autres activités sont payées par le payeur A."),
    )
    valid_from = models.DateField(_("du"))
    valid_until = models.DateField(_("au"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)

    class Meta:
        verbose_name = _("garde alternée (deux payeurs)")
        verbose_name_plural = _("gardes alternées (deux payeurs)")
        ordering = ["child", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_a__isnull=True) | Q(percent_a__gte=1, percent_a__lte=99),
                name="custody_split_percent_range",
                violation_error_message=_("La part du payeur A est comprise entre 1 et 99 %."),
            ),
            models.CheckConstraint(
                condition=~Q(payer_a=F("payer_b")),
                name="custody_split_two_payers",
                violation_error_message=_("Les deux payeurs doivent être différents."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="custody_split_dates_ordered",
                violation_error_message=_("La date de fin précède la date de début."),
            ),
        ]
        indexes = [models.Index(fields=["child", "valid_from"], name="custody_split_child_from")]

    def __str__(self):
        return _("%(child)s : %(mode)s") % {"child": self.child, "mode": self.get_mode_display()}

    def in_force(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
