"""School sectors (carte scolaire): which school serves which numbers of which street."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SchoolSector(models.Model):
    class Parity(models.TextChoices):
        ALL = "all", _("Tous les numéros")
        ODD = "odd", _("Numéros impairs")
        EVEN = "even", _("Numéros pairs")

    street_name = models.CharField(_("voie"), max_length=150, help_text=_("Ex. Rue Jean Jaurès"))
    street_key = models.CharField(_("clé de recherche"), max_length=150, editable=False, db_index=True)
    number_from = models.PositiveIntegerField(
        _("du numéro"), null=True, blank=True, help_text=_("Vide : depuis le début.")
    )
    number_to = models.PositiveIntegerField(
        _("au numéro"), null=True, blank=True, help_text=_("Vide : jusqu'au bout.")
    )
    parity = models.CharField(_("côté"), max_length=4, choices=Parity.choices, default=Parity.ALL)
    school = models.ForeignKey(
        "families.School", verbose_name=_("école"), on_delete=models.PROTECT, related_name="sectors"
    )
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("secteur scolaire")
        verbose_name_plural = _("secteurs scolaires")
        ordering = ["street_key", "number_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_from__isnull=True)
                | Q(number_to__isnull=True)
                | Q(number_to__gte=F("number_from")),
                name="school_sector_numbers_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.street_name} ({self.numbers_label}) — {self.school}"

    def save(self, *args, **kwargs):
        from billing.services.sectors import street_normalize

        self.street_key = street_normalize(self.street_name)
        super().save(*args, **kwargs)

    @property
    def numbers_label(self) -> str:
        start = self.number_from if self.number_from is not None else 1
        side = "" if self.parity == self.Parity.ALL else f", {self.get_parity_display().lower()}"
        if self.number_to is None:
            return _("à partir du n° %(start)s%(side)s") % {"start": start, "side": side}
        return _("n° %(start)s à %(end)s%(side)s") % {"start": start, "end": self.number_to, "side": side}

    def covers(self, number: int) -> bool:
        if self.number_from is not None and number < self.number_from:
            return False
        if self.number_to is not None and number > self.number_to:
            return False
        if self.parity == self.Parity.ODD:
            return number % 2 == 1
        if self.parity == self.Parity.EVEN:
            return number % 2 == 0
        return True

    @property
    def is_whole_street(self) -> bool:
        return self.number_from is None and self.number_to is None and self.parity == self.Parity.ALL

    def clean(self):
        # Imports write in bulk (no `save()`): the search key is computed here too, whatever the path.
        from billing.services.sectors import street_normalize

        self.street_key = street_normalize(self.street_name or "")
        from billing.services.sectors import street_normalize

        if self.number_from is not None and self.number_to is not None and self.number_to < self.number_from:
            raise ValidationError(
                {"number_to": _("Le dernier numéro doit être supérieur ou égal au premier.")}
            )
        if self.street_name and not street_normalize(self.street_name):
            raise ValidationError({"street_name": _("Indiquez le nom de la voie.")})
