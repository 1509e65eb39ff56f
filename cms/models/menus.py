"""Canteen menus: a week per restaurant (or for every school), its dishes with EGalim labels and allergens."""

import datetime

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Course(models.TextChoices):
    """The components of a school meal, in serving order."""

    ENTREE = "entree", _("Entrée")
    PLAT = "plat", _("Plat")
    ACCOMPAGNEMENT = "accompagnement", _("Accompagnement")
    LAITAGE = "laitage", _("Produit laitier")
    DESSERT = "dessert", _("Dessert")
    GOUTER = "gouter", _("Goûter")


COURSE_ORDER = {value: rank for rank, value in enumerate(Course.values)}


class MenuLabel(models.Model):
    """A quality label counted by the EGalim law (bio, label rouge, AOP…) or a local mark (fait maison, local)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("libellé"), max_length=80)
    short = models.CharField(_("abréviation"), max_length=12, blank=True)
    egalim = models.BooleanField(_("compté par la loi EGalim"), default=False)
    rank = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("label de qualité")
        verbose_name_plural = _("labels de qualité")
        ordering = ["rank", "label"]

    def __str__(self):
        return self.label


# Menus exist for these years only: a date outside is a typo (01/01/0001) and would overflow week arithmetic.
MENU_YEARS = (2000, 2100)


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


class MenuWeekForm(WagtailAdminModelForm):
    """Every dish of the week must fall between its Monday and Friday."""

    def clean(self):
        cleaned = super().clean()
        week_start = cleaned.get("week_start")
        formset = self.formsets.get("dishes")
        if week_start and formset is not None:
            for form in formset.forms:
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                day = form.cleaned_data.get("day")
                if day and day.weekday() <= 4 and week_monday(day) != week_start:
                    form.add_error("day", _("Ce jour n'appartient pas à la semaine du menu."))
        return cleaned


class MenuWeek(ClusterableModel):
    """The menu of one week (lundi to vendredi) for one restaurant, or for every school when none is chosen."""

    restaurant = models.ForeignKey(
        # PROTECT, not SET_NULL: a school's menu turned into the common menu would collide with the real common
        # menu of that week (and show a school's dishes to every family); not CASCADE: published menus are history.
        "families.School",
        verbose_name=_("école / restaurant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="menu_weeks",
        help_text=_("Vide : menu commun à tous les restaurants scolaires."),
    )
    week_start = models.DateField(_("semaine du (lundi)"), db_index=True)
    note = models.TextField(
        _("informations"),
        blank=True,
        help_text=_("Ex. repas à thème, origine des viandes, produits locaux."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = MenuWeekForm
    panels = [
        MultiFieldPanel(
            [FieldPanel("week_start"), FieldPanel("restaurant"), FieldPanel("note")], heading=_("Semaine")
        ),
        InlinePanel("dishes", heading=_("Plats"), label=_("plat")),
    ]

    class Meta:
        verbose_name = _("menu de la semaine")
        verbose_name_plural = _("menus de la cantine")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "week_start"], name="menuweek_one_per_restaurant"),
            models.UniqueConstraint(
                fields=["week_start"],
                condition=Q(restaurant__isnull=True),
                name="menuweek_one_common_per_week",
            ),
        ]

    def __str__(self):
        label = _("Semaine du %(date)s") % {"date": date_format(self.week_start, "j F Y")}
        if self.restaurant_id:
            return f"{label} — {self.restaurant}"
        return str(label)

    @property
    def week_end(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=4)

    def clean(self):
        if self.week_start and self.week_start.weekday() != 0:
            raise ValidationError({"week_start": _("Une semaine de menus commence un lundi.")})

    def days(self) -> list[dict]:
        """Dishes grouped by day then course, using prefetched dishes (no query per day)."""
        by_day: dict[datetime.date, list] = {}
        for dish in sorted(
            self.dishes.all(), key=lambda d: (d.day, COURSE_ORDER.get(d.course, 99), d.sort_order or 0)
        ):
            by_day.setdefault(dish.day, []).append(dish)
        days = []
        for offset in range(5):
            day = self.week_start + datetime.timedelta(days=offset)
            dishes = by_day.get(day, [])
            courses: list[dict] = []
            for dish in dishes:
                if not courses or courses[-1]["course"] != dish.course:
                    courses.append({"course": dish.course, "label": dish.get_course_display(), "dishes": []})
                courses[-1]["dishes"].append(dish)
            days.append({"date": day, "courses": courses, "closed": not dishes})
        return days


class MenuDish(Orderable, ClusterableModel):
    """One dish of a day; the vegetarian alternative of a course is a dish of the same course marked végétarien."""

    week = ParentalKey(MenuWeek, on_delete=models.CASCADE, related_name="dishes")
    day = models.DateField(_("jour"))
    course = models.CharField(_("composante"), max_length=16, choices=Course.choices)
    name = models.CharField(_("intitulé"), max_length=200)
    is_vegetarian_alternative = models.BooleanField(
        _("alternative végétarienne"),
        default=False,
        help_text=_("Proposée à la place du plat du jour aux enfants inscrits au repas végétarien."),
    )
    labels = ParentalManyToManyField(MenuLabel, verbose_name=_("labels"), blank=True)
    allergens = ParentalManyToManyField("families.Allergen", verbose_name=_("allergènes"), blank=True)

    panels = [
        FieldPanel("day"),
        FieldPanel("course"),
        FieldPanel("name"),
        FieldPanel("is_vegetarian_alternative"),
        FieldPanel("labels", widget=forms.CheckboxSelectMultiple),
        FieldPanel("allergens", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("plat")
        verbose_name_plural = _("plats")

    def __str__(self):
        return self.name

    def _week_or_none(self):
        # In the admin the week may be unsaved yet: the inline form gives the dish its (unsaved) parent.
        try:
            return self.week
        except ObjectDoesNotExist:
            return None

    def clean(self):
        errors = {}
        if self.day:
            if self.day.weekday() > 4:
                errors["day"] = _("Le %(date)s n'est pas un jour de semaine (lundi à vendredi).") % {
                    "date": date_format(self.day, "l j F Y")
                }
            elif (
                (week := self._week_or_none()) is not None
                and week.week_start
                and (week_monday(self.day) != week.week_start)
            ):
                errors["day"] = _("Ce jour n'appartient pas à la semaine du menu.")
        if errors:
            raise ValidationError(errors)
