"""The activity catalogue: schools and class levels, activities (restauration, périscolaire…) and their units."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from families.validators import validate_phone, validate_postcode


class ClassLevel(models.Model):
    """A class level of French primary school (PS … CM2); `rank` orders them for level ranges."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    label = models.CharField(_("libellé"), max_length=60)
    rank = models.PositiveSmallIntegerField(_("rang"), unique=True)

    class Meta:
        verbose_name = _("niveau de classe")
        verbose_name_plural = _("niveaux de classe")
        ordering = ["rank"]

    def __str__(self):
        return self.code

    def natural_key(self):
        return (self.code,)


class School(models.Model):
    class Kind(models.TextChoices):
        MATERNELLE = "maternelle", _("École maternelle")
        ELEMENTAIRE = "elementaire", _("École élémentaire")
        PRIMAIRE = "primaire", _("École primaire")

    name = models.CharField(_("nom"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.PRIMAIRE)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True, validators=[validate_postcode])
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[validate_phone])
    levels = models.ManyToManyField(ClassLevel, verbose_name=_("niveaux"), blank=True, related_name="schools")
    history = HistoricalRecords(m2m_fields=[levels])

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActivityKind(models.TextChoices):
    RESTAURATION = "restauration", _("Restauration scolaire")
    PERISCOLAIRE = "periscolaire", _("Accueil périscolaire")
    MERCREDI = "mercredi", _("Mercredis")
    VACANCES = "vacances", _("Accueil de loisirs vacances")
    OTHER = "autre", _("Autre activité")


class DeadlineKind(models.TextChoices):
    """The one enum of deadline rules (délais), used for adding and for cancelling a reservation."""

    WORKING_DAYS = "working_days", _("jours ouvrés (lundi–vendredi hors jours fériés)")
    CALENDAR_DAYS = "calendar_days", _("jours calendaires")
    PREVIOUS_WEEK_DAY = "previous_week_day", _("jour de la semaine précédente")
    FIXED = "fixed", _("date limite fixe")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class Activity(models.Model):
    """An activity families enrol in, with its period, who may enrol, when, and the change deadline (délai)."""

    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type d'activité"), max_length=16, choices=ActivityKind.choices)
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True, validators=[MaxValueValidator(18)])
    max_age = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True, validators=[MaxValueValidator(18)])
    min_level = models.ForeignKey(
        ClassLevel, verbose_name=_("niveau minimum"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    max_level = models.ForeignKey(
        ClassLevel, verbose_name=_("niveau maximum"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schools = models.ManyToManyField(
        School, verbose_name=_("écoles"), blank=True, related_name="activities",
        help_text=_("Vide : ouverte aux enfants de toutes les écoles."),
    )
    registration_opens = models.DateField(_("ouverture des inscriptions"), null=True, blank=True)
    registration_closes = models.DateField(_("clôture des inscriptions"), null=True, blank=True)
    # The change deadlines as data, one to add a day and one to cancel it (towns often differ).
    add_deadline_kind = models.CharField(
        _("délai de réservation : type"), max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.WORKING_DAYS
    )
    add_deadline_days = models.PositiveSmallIntegerField(
        _("délai de réservation : nombre de jours"), default=3, validators=[MaxValueValidator(60)],
        help_text=_("Pour un délai en jours ouvrés ou calendaires."),
    )
    add_deadline_weekday = models.PositiveSmallIntegerField(
        _("délai de réservation : jour de la semaine précédente"), choices=Weekday.choices, null=True, blank=True,
        help_text=_("Pour « le mardi 12h pour la semaine suivante »."),
    )
    add_deadline_time = models.TimeField(_("délai de réservation : heure limite"), default=time(10, 0))
    add_deadline_at = models.DateTimeField(
        _("délai de réservation : date limite fixe"), null=True, blank=True,
        help_text=_("Pour une période de vacances : date et heure de clôture."),
    )
    cancel_deadline_kind = models.CharField(
        _("délai d'annulation : type"), max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.WORKING_DAYS
    )
    cancel_deadline_days = models.PositiveSmallIntegerField(
        _("délai d'annulation : nombre de jours"), default=3, validators=[MaxValueValidator(60)],
        help_text=_("Pour un délai en jours ouvrés ou calendaires."),
    )
    cancel_deadline_weekday = models.PositiveSmallIntegerField(
        _("délai d'annulation : jour de la semaine précédente"), choices=Weekday.choices, null=True, blank=True,
        help_text=_("Pour « le mardi 12h pour la semaine suivante »."),
    )
    cancel_deadline_time = models.TimeField(_("délai d'annulation : heure limite"), default=time(10, 0))
    cancel_deadline_at = models.DateTimeField(
        _("délai d'annulation : date limite fixe"), null=True, blank=True,
        help_text=_("Pour une période de vacances : date et heure de clôture."),
    )
    capacity = models.PositiveIntegerField(
        _("capacité par jour"), null=True, blank=True, help_text=_("Vide : pas de limite au niveau de l'activité.")
    )
    requires_validation = models.BooleanField(
        _("inscription soumise à validation"), default=True,
        help_text=_("Les demandes d'inscription attendent l'accord du service enfance."),
    )
    monday = models.BooleanField(_("lundi"), default=True)
    tuesday = models.BooleanField(_("mardi"), default=True)
    wednesday = models.BooleanField(_("mercredi"), default=False)
    thursday = models.BooleanField(_("jeudi"), default=True)
    friday = models.BooleanField(_("vendredi"), default=True)
    saturday = models.BooleanField(_("samedi"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[schools])

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["-period_start", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="activity_period_ordered"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="activity_ages_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def weekdays(self) -> tuple[int, ...]:
        """Days it runs, as Python weekday numbers (0 = lundi)."""
        flags = (self.monday, self.tuesday, self.wednesday, self.thursday, self.friday, self.saturday)
        return tuple(i for i, on in enumerate(flags) if on)

    @property
    def add_deadline_rule(self):
        """The rule until when a day can be reserved (délai de réservation)."""
        return self._deadline_rule("add")

    @property
    def cancel_deadline_rule(self):
        """The rule until when a reserved day can be cancelled (délai d'annulation)."""
        return self._deadline_rule("cancel")

    def _deadline_rule(self, prefix: str):
        from families.services.deadlines import DeadlineRule

        return DeadlineRule(
            kind=getattr(self, f"{prefix}_deadline_kind"),
            days=getattr(self, f"{prefix}_deadline_days"),
            at=getattr(self, f"{prefix}_deadline_time"),
            weekday=getattr(self, f"{prefix}_deadline_weekday"),
            closes_at=getattr(self, f"{prefix}_deadline_at"),
        )

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("La fin de la période doit suivre son début.")
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            errors["max_age"] = _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")
        if self.min_level_id and self.max_level_id and self.max_level.rank < self.min_level.rank:
            errors["max_level"] = _("Le niveau maximum doit suivre le niveau minimum.")
        if self.registration_opens and self.registration_closes and self.registration_closes < self.registration_opens:
            errors["registration_closes"] = _("La clôture des inscriptions doit suivre leur ouverture.")
        for prefix in ("add", "cancel"):
            kind = getattr(self, f"{prefix}_deadline_kind")
            if kind == DeadlineKind.PREVIOUS_WEEK_DAY and getattr(self, f"{prefix}_deadline_weekday") is None:
                errors[f"{prefix}_deadline_weekday"] = _("Choisissez le jour de la semaine précédente.")
            if kind == DeadlineKind.FIXED and getattr(self, f"{prefix}_deadline_at") is None:
                errors[f"{prefix}_deadline_at"] = _("Indiquez la date limite de réservation.")
        if errors:
            raise ValidationError(errors)


class Unit(models.Model):
    """A bookable unit of an activity (prestation): "Accueil 7h15-8h30", "Repas végétarien"…"""

    activity = models.ForeignKey(Activity, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="units")
    label = models.CharField(_("libellé"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, help_text=_("Court et unique dans l'activité, ex. repas-vege."))
    start_time = models.TimeField(_("heure de début"), null=True, blank=True)
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    exclusive_group = models.CharField(
        _("groupe exclusif"), max_length=40, blank=True,
        help_text=_("Les unités d'un même groupe s'excluent le même jour (ex. « repas » : classique ou végétarien)."),
    )
    capacity = models.PositiveIntegerField(
        _("places par jour"), null=True, blank=True, help_text=_("Vide : la capacité de l'activité s'applique.")
    )
    requires = models.ManyToManyField(
        "self", verbose_name=_("nécessite l'une de ces unités"), symmetrical=False, blank=True,
        related_name="required_by",
        help_text=_("Ex. l'accueil du soir nécessite un repas le même jour (l'une des unités choisies suffit)."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # The unit's base price, shown when a family enrols; billing's tariffs (QF) will refine it per family.
    price = models.DecimalField(
        _("prix de base (€)"), max_digits=7, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    history = HistoricalRecords(m2m_fields=[requires])

    class Meta:
        verbose_name = _("unité (prestation)")
        verbose_name_plural = _("unités (prestations)")
        ordering = ["activity", "position", "start_time", "label"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="unit_code_unique_per_activity"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="unit_times_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.activity} — {self.label}"

    @property
    def effective_capacity(self) -> int | None:
        return self.capacity if self.capacity is not None else self.activity.capacity

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("L'heure de fin doit suivre l'heure de début.")})

