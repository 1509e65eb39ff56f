"""Tariffs of the units (tarifs): flat, QF brackets or taux d'effort, and which attendance situations are billed."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TariffMode(models.TextChoices):
    FLAT = "flat", _("Prix unique")
    BRACKETS = "brackets", _("Tranches de quotient familial")
    EFFORT = "effort", _("Taux d'effort")


class EffortBase(models.TextChoices):
    QUOTIENT = "quotient", _("Quotient familial")
    INCOME = "income", _("Revenus mensuels")


class SurchargeKind(models.TextChoices):
    NONE = "none", _("Aucune")
    AMOUNT = "amount", _("Montant (€)")
    PERCENT = "percent", _("Pourcentage (%)")


class BillingSituation(models.TextChoices):
    """What happened to a reserved (or not) day: the billing side decides from it whether the day is billed."""

    RESERVED_PRESENT = "reserved_present", _("Réservé et présent")
    RESERVED_ABSENT_UNJUSTIFIED = "reserved_absent_unjustified", _("Réservé, absence non justifiée")
    PRESENT_UNRESERVED = "present_unreserved", _("Présent sans réservation")
    ABSENT_JUSTIFIED = "absent_justified", _("Absence justifiée")
    CANCELLED_IN_TIME = "cancelled_in_time", _("Annulé avant la date limite")
    CLOSURE = "closure", _("Fermeture")


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=2, **kwargs)


def _rate(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=8, decimal_places=4, null=True, blank=True, **kwargs)


class Tariff(models.Model):
    """The price of one unit over a validity period; at most one tariff per unit on any day."""

    unit = models.ForeignKey(
        "families.Unit",
        verbose_name=_("unité (prestation)"),
        on_delete=models.CASCADE,
        related_name="tariffs",
    )
    mode = models.CharField(
        _("mode de calcul"), max_length=10, choices=TariffMode.choices, default=TariffMode.FLAT
    )
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    price = _money(_("prix unique (€)"), null=True, blank=True)
    # Taux d'effort (CAF PSU scale): a rate per number of dependent children, applied to the QF or monthly income.
    effort_base = models.CharField(
        _("assiette du taux d'effort"), max_length=10, choices=EffortBase.choices, default=EffortBase.QUOTIENT
    )
    effort_rate_1 = _rate(_("taux d'effort, 1 enfant (%)"))
    effort_rate_2 = _rate(_("taux d'effort, 2 enfants (%)"))
    effort_rate_3 = _rate(_("taux d'effort, 3 enfants (%)"))
    effort_rate_4 = _rate(_("taux d'effort, 4 enfants et plus (%)"))
    effort_floor = _money(_("prix plancher (€)"), null=True, blank=True)
    effort_ceiling = _money(_("prix plafond (€)"), null=True, blank=True)
    non_resident_price = _money(
        _("prix non-résident (€)"),
        null=True,
        blank=True,
        help_text=_("Remplace le prix calculé pour les familles extérieures."),
    )
    non_resident_coefficient = models.DecimalField(
        _("coefficient non-résident"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Ex. 1,20 pour +20 %. Renseignez soit le prix, soit le coefficient."),
    )
    sibling_reduction_percent = models.DecimalField(
        _("réduction fratrie (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Appliquée à partir du deuxième enfant de la famille."),
    )
    unreserved_surcharge_kind = models.CharField(
        _("majoration présence sans réservation"),
        max_length=10,
        choices=SurchargeKind.choices,
        default=SurchargeKind.NONE,
    )
    unreserved_surcharge_value = _money(_("valeur de la majoration sans réservation"), default=Decimal("0"))
    late_surcharge_kind = models.CharField(
        _("majoration réservation tardive"),
        max_length=10,
        choices=SurchargeKind.choices,
        default=SurchargeKind.NONE,
    )
    late_surcharge_value = _money(_("valeur de la majoration tardive"), default=Decimal("0"))
    # The catering inside a unit (the lunch of a holiday-centre day): never childcare for the attestation fiscale.
    meal_part = _money(
        _("dont repas (€ par unité)"),
        default=Decimal("0"),
        blank=True,  # forms and imports written before this field leave it out: 0 €
        help_text=_("Part repas comprise dans le prix, exclue de l'attestation fiscale de frais de garde."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["unit", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="tariff_dates_ordered",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(price__isnull=True) | Q(price__gte=0))
                    & (Q(effort_floor__isnull=True) | Q(effort_floor__gte=0))
                    & (Q(effort_ceiling__isnull=True) | Q(effort_ceiling__gte=0))
                    & (Q(non_resident_price__isnull=True) | Q(non_resident_price__gte=0))
                    & (Q(non_resident_coefficient__isnull=True) | Q(non_resident_coefficient__gt=0))
                    & Q(unreserved_surcharge_value__gte=0)
                    & Q(late_surcharge_value__gte=0)
                ),
                name="tariff_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(effort_rate_1__isnull=True) | Q(effort_rate_1__gte=0))
                    & (Q(effort_rate_2__isnull=True) | Q(effort_rate_2__gte=0))
                    & (Q(effort_rate_3__isnull=True) | Q(effort_rate_3__gte=0))
                    & (Q(effort_rate_4__isnull=True) | Q(effort_rate_4__gte=0))
                ),
                name="tariff_effort_rates_not_negative",
            ),
            models.CheckConstraint(condition=Q(meal_part__gte=0), name="tariff_meal_part_not_negative"),
            models.CheckConstraint(
                condition=Q(sibling_reduction_percent__gte=0) & Q(sibling_reduction_percent__lte=100),
                name="tariff_sibling_reduction_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(non_resident_price__isnull=True) | Q(non_resident_coefficient__isnull=True),
                name="tariff_non_resident_price_or_coefficient",
            ),
            models.CheckConstraint(
                condition=Q(effort_floor__isnull=True)
                | Q(effort_ceiling__isnull=True)
                | Q(effort_ceiling__gte=F("effort_floor")),
                name="tariff_effort_floor_below_ceiling",
            ),
            models.CheckConstraint(
                condition=~Q(mode=TariffMode.FLAT) | Q(price__isnull=False), name="tariff_flat_has_price"
            ),
            models.CheckConstraint(
                condition=~Q(mode=TariffMode.EFFORT)
                | (Q(effort_rate_1__isnull=False) & Q(effort_ceiling__isnull=False)),
                name="tariff_effort_has_rate_and_ceiling",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_mode_display()} ({self.valid_from:%d/%m/%Y})"

    def effort_rate_for(self, children: int) -> Decimal | None:
        """The CAF PSU way: the rate falls with the number of dependent children; missing rates fall back."""
        rates = [self.effort_rate_1, self.effort_rate_2, self.effort_rate_3, self.effort_rate_4]
        index = min(max(children, 1), 4) - 1
        for rate in reversed(rates[: index + 1]):
            if rate is not None:
                return rate
        return None

    def overlapping(self):
        others = Tariff.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
        if self.valid_until is not None:
            others = others.filter(valid_from__lte=self.valid_until)
        return others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))

    def clean(self):
        if self.meal_part is None:
            self.meal_part = Decimal("0")
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        for name in (
            "price",
            "effort_floor",
            "effort_ceiling",
            "non_resident_price",
            "unreserved_surcharge_value",
            "late_surcharge_value",
            "meal_part",
            "effort_rate_1",
            "effort_rate_2",
            "effort_rate_3",
            "effort_rate_4",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                add(name, _("Un prix ou un taux ne peut pas être négatif."))
        if self.non_resident_coefficient is not None and self.non_resident_coefficient <= 0:
            add("non_resident_coefficient", _("Le coefficient non-résident doit être positif."))
        if self.non_resident_price is not None and self.non_resident_coefficient is not None:
            add(
                "non_resident_coefficient",
                _("Renseignez soit un prix non-résident, soit un coefficient, pas les deux."),
            )
        if self.sibling_reduction_percent is not None and not 0 <= self.sibling_reduction_percent <= 100:
            add("sibling_reduction_percent", _("La réduction fratrie doit être comprise entre 0 et 100 %."))
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            add("valid_until", _("La fin de validité doit suivre son début."))
        if self.mode == TariffMode.FLAT and self.price is None:
            add("price", _("Un tarif à prix unique doit indiquer son prix."))
        if self.mode == TariffMode.FLAT and self.price is not None and (self.meal_part or 0) > self.price:
            add("meal_part", _("La part repas ne peut pas dépasser le prix de l'unité."))
        if self.mode == TariffMode.EFFORT and self.effort_rate_1 is None:
            add(
                "effort_rate_1", _("Un tarif au taux d'effort doit indiquer au moins le taux pour un enfant.")
            )
        if self.mode == TariffMode.EFFORT and self.effort_ceiling is None:
            add(
                "effort_ceiling",
                _("Un tarif au taux d'effort doit indiquer un plafond (payé sans quotient familial)."),
            )
        if (
            self.effort_floor is not None
            and self.effort_ceiling is not None
            and self.effort_ceiling < self.effort_floor
        ):
            add("effort_ceiling", _("Le plafond doit être supérieur ou égal au plancher."))
        for kind, value in (
            ("unreserved_surcharge", self.unreserved_surcharge_value),
            ("late_surcharge", self.late_surcharge_value),
        ):
            if getattr(self, f"{kind}_kind") == SurchargeKind.PERCENT and value is not None and value > 1000:
                add(f"{kind}_value", _("Une majoration en pourcentage ne peut pas dépasser 1000 %."))
        if self.unit_id and self.valid_from and not errors.get("valid_until"):
            clash = self.overlapping().first()
            if clash is not None:
                add(
                    "valid_from",
                    _("Un autre tarif de cette unité couvre déjà cette période (à partir du %(date)s).")
                    % {"date": clash.valid_from.strftime("%d/%m/%Y")},
                )
        if errors:
            raise ValidationError(errors)


class TariffBracket(models.Model):
    """A QF bracket (tranche) of a tariff: families whose QF lies between qf_min and qf_max pay `price`."""

    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tarif"), on_delete=models.CASCADE, related_name="brackets"
    )
    qf_min = _money(_("QF minimum (€)"))
    qf_max = _money(_("QF maximum (€)"), null=True, blank=True, help_text=_("Vide pour la dernière tranche."))
    price = _money(_("prix (€)"))

    class Meta:
        verbose_name = _("tranche de quotient familial")
        verbose_name_plural = _("tranches de quotient familial")
        ordering = ["tariff", "qf_min"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "qf_min"], name="tariff_bracket_min_unique"),
            models.CheckConstraint(
                condition=Q(qf_min__gte=0) & Q(price__gte=0), name="tariff_bracket_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(qf_max__isnull=True) | Q(qf_max__gte=F("qf_min")),
                name="tariff_bracket_bounds_ordered",
            ),
        ]

    def __str__(self):
        upper = f"{self.qf_max}" if self.qf_max is not None else "…"
        return f"{self.qf_min}–{upper} € : {self.price} €"

    def clean(self):
        errors = {}
        if self.price is not None and self.price < 0:
            errors["price"] = _("Un prix ne peut pas être négatif.")
        if self.qf_min is not None and self.qf_min < 0:
            errors["qf_min"] = _("Le QF minimum ne peut pas être négatif.")
        if self.qf_min is not None and self.qf_max is not None and self.qf_max < self.qf_min:
            errors["qf_max"] = _("Le QF maximum doit être supérieur ou égal au minimum.")
        if errors:
            raise ValidationError(errors)
        if self.tariff_id and self.qf_min is not None and not getattr(self, "checked_with_siblings", False):
            # Checked against the tariff's other saved brackets: the API and the import add them one by one.
            from billing.services.tariffs import brackets_check_overlap

            brackets_check_overlap(
                brackets=[b for b in self.tariff.brackets.all() if b.pk != self.pk], new=self
            )


class ActivityBillingRule(models.Model):
    """Which attendance situations of an activity are billed; without a rule, the defaults of the town apply."""

    activity = models.OneToOneField(
        "families.Activity", verbose_name=_("activité"), on_delete=models.CASCADE, related_name="billing_rule"
    )
    bill_reserved_present = models.BooleanField(_("facturer réservé et présent"), default=True)
    bill_reserved_absent_unjustified = models.BooleanField(
        _("facturer l'absence non justifiée"), default=True
    )
    bill_present_unreserved = models.BooleanField(_("facturer la présence sans réservation"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règle de facturation")
        verbose_name_plural = _("règles de facturation")

    def __str__(self):
        return str(self.activity)
