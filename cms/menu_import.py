"""Import of a caterer's menu week from CSV or XLSX (django-import-export): preview first, then all or nothing.

One row per dish: date, restaurant (optional), composante, intitulé, végétarien, labels, allergènes.
Errors name the spreadsheet line and column in French; importing a week replaces the dishes it had.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from cms.models import Course, MenuDish, MenuLabel, MenuWeek, week_monday
from cms.models.menus import MENU_YEARS
from families.models import Allergen, School

COLUMNS = ["date", "restaurant", "composante", "intitulé", "végétarien", "labels", "allergènes"]
REQUIRED_COLUMNS = ["date", "composante", "intitulé"]
MAX_ROWS = 500


def _norm(value) -> str:
    """Lower case, no accents, single spaces: « Fruits à coque » == « fruits a coque »."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _split(value) -> list[str]:
    text = str(value or "").replace(";", ",").replace("|", ",")
    return [part.strip() for part in text.split(",") if part.strip()]


class FrenchDateWidget(widgets.Widget):
    FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            text = str(value or "").strip()
            if not text:
                raise ValueError(_("la date est obligatoire."))
            day = None
            for fmt in self.FORMATS:
                try:
                    day = datetime.datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    continue
            if day is None:
                raise ValueError(_("« %(value)s » n'est pas une date (attendu : JJ/MM/AAAA).") % {"value": text})
        if not MENU_YEARS[0] <= day.year <= MENU_YEARS[1]:
            raise ValueError(_("l'année %(year)s n'est pas plausible pour un menu.") % {"year": day.year})
        if day.weekday() > 4:
            raise ValueError(
                _("le %(date)s n'est pas un jour de semaine (lundi à vendredi).") % {"date": date_format(day, "l j F Y")}
            )
        return day

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class CourseWidget(widgets.Widget):
    ALIASES = {
        "entree": Course.ENTREE, "hors d oeuvre": Course.ENTREE,
        "plat": Course.PLAT, "plat principal": Course.PLAT, "plat protidique": Course.PLAT,
        "accompagnement": Course.ACCOMPAGNEMENT, "garniture": Course.ACCOMPAGNEMENT, "legume": Course.ACCOMPAGNEMENT,
        "laitage": Course.LAITAGE, "produit laitier": Course.LAITAGE, "fromage": Course.LAITAGE,
        "dessert": Course.DESSERT, "gouter": Course.GOUTER,
    }

    def clean(self, value, row=None, **kwargs):
        text = _norm(value)
        if not text:
            raise ValueError(_("la composante est manquante (entrée, plat, accompagnement, laitage ou dessert)."))
        if text not in self.ALIASES:
            raise ValueError(
                _("composante inconnue « %(value)s » (attendu : entrée, plat, accompagnement, laitage ou dessert).")
                % {"value": value}
            )
        return self.ALIASES[text]

    def render(self, value, obj=None, **kwargs):
        return Course(value).label if value else ""


class RequiredTextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").split())
        if not text:
            raise ValueError(_("l'intitulé du plat est manquant."))
        if len(text) > 200:
            raise ValueError(_("l'intitulé dépasse 200 caractères."))
        return text


class YesNoWidget(widgets.Widget):
    YES = {"oui", "o", "x", "1", "vrai", "true", "yes", "vegetarien", "vege"}
    NO = {"", "non", "n", "0", "faux", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        text = _norm(value)
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("« %(value)s » : répondez oui ou non.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("oui") if value else _("non")


class LookupListWidget(widgets.Widget):
    """A comma-separated list of codes or labels looked up in a small reference table (labels, allergènes)."""

    def __init__(self, model, unknown_message, attrs=("code", "label"), **kwargs):
        self.model = model
        self.unknown_message = unknown_message
        self.attrs = attrs
        self._index = None
        super().__init__(**kwargs)

    def index(self):
        if self._index is None:
            self._index = {}
            for obj in self.model.objects.all():
                for attr in self.attrs:
                    if getattr(obj, attr, ""):
                        self._index[_norm(getattr(obj, attr))] = obj
        return self._index

    def clean(self, value, row=None, **kwargs):
        found, unknown = [], []
        for part in _split(value):
            obj = self.index().get(_norm(part))
            if obj is None:
                unknown.append(part)
            elif obj not in found:
                found.append(obj)
        if unknown:
            raise ValueError(self.unknown_message % {"value": ", ".join(f"« {u} »" for u in unknown)})
        return found

    def render(self, value, obj=None, **kwargs):
        return ", ".join(str(getattr(o, "code", o)) for o in value.all()) if value is not None else ""


class MenuDishResource(resources.ModelResource):
    date = fields.Field(attribute="day", column_name="date", widget=FrenchDateWidget())
    restaurant = fields.Field(attribute=None, column_name="restaurant", readonly=True)
    course = fields.Field(attribute="course", column_name="composante", widget=CourseWidget())
    name = fields.Field(attribute="name", column_name="intitulé", widget=RequiredTextWidget())
    vegetarian = fields.Field(attribute="is_vegetarian_alternative", column_name="végétarien", widget=YesNoWidget())
    labels = fields.Field(
        attribute="labels", column_name="labels",
        widget=LookupListWidget(MenuLabel, "label inconnu %(value)s.", attrs=("code", "label", "short")),
    )
    allergens = fields.Field(
        attribute="allergens", column_name="allergènes",
        widget=LookupListWidget(Allergen, "allergène inconnu %(value)s (les 14 allergènes réglementaires seulement)."),
    )

    class Meta:
        model = MenuDish
        fields = ("date", "restaurant", "course", "name", "vegetarian", "labels", "allergens")
        export_order = fields
        import_id_fields = ()
        force_init_instance = True
        clean_model_instances = False
        skip_diff = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.weeks: dict[tuple, MenuWeek] = {}
        self.replaced = 0
        self._schools = None

    def dehydrate_restaurant(self, dish):
        return dish.week.restaurant.name if dish.week.restaurant_id else ""

    def _restaurant(self, value):
        text = _norm(value)
        if not text:
            return None
        if self._schools is None:
            self._schools = {_norm(s.name): s for s in School.objects.all()}
        school = self._schools.get(text)
        if school is None:
            raise ValueError(_("restaurant ou école inconnu(e) « %(value)s ».") % {"value": value})
        return school

    def _week(self, restaurant, day) -> MenuWeek:
        key = (restaurant.pk if restaurant else None, week_monday(day))
        if key not in self.weeks:
            week, _created = MenuWeek.objects.get_or_create(restaurant=restaurant, week_start=key[1])
            # Importing a week replaces it: the caterer's file is the truth.
            self.replaced += MenuDish.objects.filter(week=week).count()
            MenuDish.objects.filter(week=week).delete()
            self.weeks[key] = week
        return self.weeks[key]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.error_dict
        restaurant = None
        try:
            restaurant = self._restaurant(row.get("restaurant"))
        except ValueError as exc:
            errors["restaurant"] = [ValidationError(str(exc))]
        if "day" not in errors and "restaurant" not in errors and instance.day:
            instance.week = self._week(restaurant, instance.day)
        if errors:
            raise ValidationError(errors)


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    weeks: list[MenuWeek] = field(default_factory=list)
    replaced: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


ATTRIBUTE_COLUMNS = {"day": "date", "course": "composante", "name": "intitulé", "is_vegetarian_alternative": "végétarien",
                     "labels": "labels", "allergens": "allergènes", "restaurant": "restaurant", "week": "date"}


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """CSV (comma or semicolon, UTF-8 or Windows-1252) or XLSX, first sheet; headers normalised."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from import_export.formats.base_formats import XLSX

        dataset = XLSX().create_dataset(content)
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252")
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        dataset = tablib.Dataset()
        dataset.load(io.StringIO(text).read(), format="csv", delimiter=delimiter)
    else:
        raise ValueError(_("Format de fichier non pris en charge : utilisez un fichier CSV ou XLSX."))
    known = {_norm(c): c for c in COLUMNS}
    dataset.headers = [known.get(_norm(h), str(h or "").strip()) for h in (dataset.headers or [])]
    return dataset


def menu_week_import(*, content: bytes, filename: str, dry_run: bool, user=None) -> ImportReport:
    """Check (dry run) or import a menu file; any error rolls the whole file back."""
    report = ImportReport()
    try:
        dataset = read_dataset(content, filename)
    except Exception as exc:  # unreadable file: say so rather than a 500
        report.errors.append(_("Fichier illisible : %(error)s") % {"error": exc})
        return report
    missing = [c for c in REQUIRED_COLUMNS if c not in dataset.headers]
    if missing:
        report.errors.append(
            _("Colonnes manquantes : %(missing)s. Colonnes attendues : %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
        return report
    if not len(dataset):
        report.errors.append(_("Le fichier ne contient aucune ligne."))
        return report
    if len(dataset) > MAX_ROWS:
        report.errors.append(_("Le fichier dépasse %(max)s lignes.") % {"max": MAX_ROWS})
        return report
    resource = MenuDishResource()
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, raise_errors=False,
        user=user,
    )
    for invalid in result.invalid_rows:
        line = invalid.number + 1  # line 1 is the header row
        for attribute, messages in invalid.error_dict.items():
            column = ATTRIBUTE_COLUMNS.get(attribute, attribute)
            for message in messages:
                report.errors.append(
                    _("Ligne %(line)s, colonne « %(column)s » : %(message)s")
                    % {"line": line, "column": column, "message": message}
                )
    for number, row_errors in result.row_errors():
        for error in row_errors:
            report.errors.append(_("Ligne %(line)s : erreur inattendue (%(error)s)") % {"line": number + 1,
                                                                                         "error": error.error})
    if not report.errors:
        report.rows = [dict(zip(dataset.headers, row, strict=False)) for row in dataset]
        report.weeks = sorted(resource.weeks.values(), key=lambda w: w.week_start)
        report.replaced = resource.replaced
    return report


def menu_import_template_csv() -> str:
    lines = [
        ";".join(COLUMNS),
        "23/11/2026;;entrée;Carottes râpées vinaigrette;non;bio;moutarde",
        "23/11/2026;;plat;Sauté de dinde au curry;non;label-rouge;",
        "23/11/2026;;plat;Dahl de lentilles corail;oui;bio;",
        "23/11/2026;;accompagnement;Riz pilaf;non;;",
        "23/11/2026;;laitage;Yaourt nature;non;local;lait",
        "23/11/2026;;dessert;Pomme;non;local;",
    ]
    return "\n".join(lines) + "\n"
