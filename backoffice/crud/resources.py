"""django-import-export resources generated from a `Crud` declaration.

Related rows are named by their natural key (a family by its code, a school by its name), never by database ids,
so a spreadsheet written by a person imports as it reads. Every error names the row and the column in French.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from copy import copy
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.fields import NOT_PROVIDED
from django.utils.translation import gettext as _
from import_export import fields, instance_loaders, resources, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from backoffice.sanitising import strip_control_characters_before_save

if TYPE_CHECKING:
    from .engine import Crud


# Control characters other than tab/newline break XLSX files (openpyxl refuses them) and mean nothing in a cell.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV and XLSX alike).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_LOOKUP_CHUNK = 500  # values per `IN (…)`: well under SQLite's variable limit


def _chunks(values: list, size: int = _LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def safe_cell(value):
    """A value staff can open safely: control characters dropped, text that a spreadsheet would run as a formula
    quoted with a leading apostrophe (the OWASP "CSV injection" advice). Numbers and dates are left as they are."""
    if not isinstance(value, str):
        return value
    value = _CONTROL_CHARS.sub("", value)
    if value.startswith(_FORMULA_PREFIXES) and not _is_plain_number(value):
        return "'" + value
    return value


def _is_plain_number(value: str) -> bool:
    # "-12.50" or "+33 6 12 34 56 78" are data, not formulae; "=1+1" or "-1+cmd|…" are not plain numbers.
    return bool(re.fullmatch(r"[+-]?[\d\s.,]+", value))


def unescape_cell(value):
    """The reverse of `safe_cell` for a file exported here and imported back: "'=x" reads as "=x"."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_PREFIXES):
        return value[1:]
    return value


class TextWidget(widgets.CharWidget):
    """Text columns: a cell escaped by our export (see `safe_cell`) imports back as it was typed."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(unescape_cell(value), row=row, **kwargs)


class FrenchBooleanWidget(widgets.BooleanWidget):
    """oui/non as staff type them; anything else is refused instead of silently read as « non »."""

    TRUE_WORDS = frozenset({"oui", "vrai", "1", "true", "x"})
    FALSE_WORDS = frozenset({"non", "faux", "0", "false", ""})

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        word = str(value).strip().lower()
        if word in self.TRUE_WORDS:
            return True
        if word in self.FALSE_WORDS:
            return False
        raise ValueError(
            _(
                "« %(value)s » n'est pas une réponse oui/non : écrivez oui, non, vrai, faux, 1, 0, x ou laissez vide."
            )
            % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        if not self.coerce_to_string or kwargs.get("force_native_type"):
            return value
        if value is None:
            return ""
        return _("oui") if value else _("non")


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Finds a related row by a human key, with a French error naming the value.

    `prefetch(keys)` loads every key of a file in a few queries before the rows are read, so a 40,000-row file
    costs a handful of lookups, not one per row. The map lives on the resource instance (fields are copied per
    instance), so it never outlives one import.
    """

    def __init__(self, model, field, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self._cache: dict[str, models.Model] = {}

    def prefetch(self, keys: Iterable) -> None:
        wanted = sorted({str(k).strip() for k in keys if k is not None and str(k).strip()} - set(self._cache))
        for chunk in _chunks(wanted):
            for obj in self.model._default_manager.filter(**{f"{self.field}__in": chunk}):
                self._cache[str(getattr(obj, self.field))] = obj

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        key = str(value).strip()
        if key not in self._cache:
            obj = self.model._default_manager.filter(**{self.field: key}).first()
            if obj is None:
                raise ValueError(
                    _("%(model)s inconnu(e) : « %(value)s ».")
                    % {"model": self.model._meta.verbose_name.capitalize(), "value": key}
                )
            self._cache[key] = obj
        return self._cache[key]


class NaturalKeysManyWidget(widgets.ManyToManyWidget):
    """Several related rows named by their key, separated by `|`; unknown keys are errors, not silently dropped.

    The related tables (allergens, class levels, schools) are small reference lists: loaded once per import."""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, separator="|", field=field, **kwargs)
        self._all: dict[str, models.Model] | None = None

    def _by_key(self) -> dict[str, models.Model]:
        if self._all is None:
            self._all = {str(getattr(o, self.field)): o for o in self.model._default_manager.all()}
        return self._all

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return self.model.objects.none()
        keys = [k.strip() for k in str(value).split(self.separator) if k.strip()]
        by_key = self._by_key()
        missing = sorted({k for k in keys if k not in by_key})
        if missing:
            raise ValueError(
                _("%(model)s inconnu(e)(s) : %(values)s.")
                % {"model": self.model._meta.verbose_name.capitalize(), "values": ", ".join(missing)}
            )
        return [by_key[k] for k in dict.fromkeys(keys)]


class IsoFirstDateWidget(widgets.DateWidget):
    """Dates as written by spreadsheets and by our exports (2018-04-12) without a `strptime` per cell;
    every other accepted format (12/04/2018…) still goes through the configured formats."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return super().clean(value, row=row, **kwargs)


def _is_plain(field) -> bool:
    return (
        type(field) is fields.Field
        and bool(field.attribute)
        and "__" not in field.attribute
        and not field.readonly
        and field.default is NOT_PROVIDED
        and field.saves_null_values
        and not isinstance(field.widget, widgets.ManyToManyWidget)
    )


def _related_values(relation: str, value):
    def dehydrate(instance) -> str:
        texts = (str(value(obj) or "").strip() for obj in getattr(instance, relation).all())
        return " / ".join(t for t in texts if t)

    return dehydrate


def _normalise(value):
    return value.pk if isinstance(value, models.Model) else value


class BulkInstanceLoader(instance_loaders.ModelInstanceLoader):
    """Finds the existing rows of a whole file in a few queries (by the import id columns), instead of one per row.

    Rows created earlier in the same file are remembered too, so a file naming the same record twice updates it
    instead of creating a duplicate (what row-by-row saving did)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        resource._crud_loader = self
        self.id_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        self.instances: dict[tuple, models.Model] = {}
        self._keys: dict[tuple, tuple | None] = {}  # raw cells -> cleaned key (each row is read twice)
        self._columns = [f.column_name for f in self.id_fields]
        self._attnames = [self._lookup_name(f) for f in self.id_fields]
        if not self.id_fields or dataset is None or not dataset.headers:
            return
        if any(f.column_name not in dataset.headers for f in self.id_fields):
            return
        keys = set()
        for data_row in dataset:
            key = self.key_of_row(dict(zip(dataset.headers, data_row, strict=False)))
            if key is not None:
                keys.add(key)
        if not keys:
            return
        first = self.id_fields[0]
        firsts = sorted({k[0] for k in keys}, key=str)
        for chunk in _chunks(firsts):
            for instance in self.get_queryset().filter(**{f"{self._lookup_name(first)}__in": chunk}):
                key = self.key_of_instance(instance)
                if key in keys:
                    self.instances[key] = instance

    def _lookup_name(self, field) -> str:
        try:
            model_field = self.resource._meta.model._meta.get_field(field.attribute)
        except FieldDoesNotExist:
            return field.attribute
        return model_field.attname if model_field.is_relation else field.attribute

    def key_of_row(self, row: dict) -> tuple | None:
        raw = tuple([row.get(column) for column in self._columns])
        if raw not in self._keys:
            self._keys[raw] = self._clean_key(row)
        return self._keys[raw]

    def _clean_key(self, row: dict) -> tuple | None:
        key = []
        for f in self.id_fields:
            try:
                value = _normalise(f.clean(row))
            except (ValueError, ValidationError, KeyError):
                return None
            if value is None or value == "":
                return None
            key.append(value)
        return tuple(key)

    def key_of_instance(self, instance) -> tuple:
        return tuple([getattr(instance, name) for name in self._attnames])

    def get_instance(self, row):
        key = self.key_of_row(row)
        return None if key is None else self.instances.get(key)

    def remember(self, instance) -> None:
        key = self.key_of_instance(instance)
        if all(v is not None and v != "" for v in key):
            self.instances[key] = instance


class CrudModelResource(resources.ModelResource):
    """Base of every generated resource: full model validation, French errors, all-or-nothing, bulk writes.

    Rows are validated one by one exactly as before (`full_clean`, French row/column errors), but written in
    batches: `bulk_create_with_history` / `bulk_update_with_history` keep one history row per object, related
    rows named by their key are looked up once per file, existing rows are found by the import id columns in a
    few queries. Many-to-many columns are set once their row has a primary key.
    """

    # oui/non booleans, ISO dates without strptime, text that undoes our export escaping.
    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "BooleanField": FrenchBooleanWidget,
        "NullBooleanField": FrenchBooleanWidget,
        "DateField": IsoFirstDateWidget,
        "CharField": TextWidget,
        "TextField": TextWidget,
    }

    # Export-only columns computed from a related set, e.g. the guardians' e-mails of a family:
    # `(column header, relation, function(related object) -> text)`. A resource mixin declares them; the relation
    # is prefetched for the whole export (no query per row) and the values are joined with « / ».
    export_related_columns: tuple = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for index, (label, relation, value) in enumerate(self.export_related_columns):
            field = fields.Field(
                column_name=str(label), readonly=True, dehydrate_method=_related_values(relation, value)
            )
            field.export_only = True
            self.fields[f"_export_{relation}_{index}"] = field

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        relations = sorted({relation for _label, relation, _value in self.export_related_columns})
        if relations and isinstance(queryset, models.QuerySet):
            queryset = queryset.prefetch_related(*relations)
        return queryset

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        # One bad row cancels the whole file: staff fix it and import again, never a half-imported town.
        self._pending_m2m: list[tuple[models.Model, dict, list]] = []
        self._crud_dry_run = dry_run
        # The field-by-field diff (a deep copy and an HTML diff per row) is only shown by the dry-run preview: a
        # real import skips it, and `skip_row` compares with a snapshot of the existing row instead.
        self._meta = copy(type(self)._meta)
        self._meta.skip_diff = not dry_run
        # Computed once per file: rebuilding the ordered field list costs more than a row's validation.
        self._import_fields_cache = None
        self._import_fields_cache = import_fields = self.get_import_fields()
        self._m2m_fields = [f for f in import_fields if isinstance(f.widget, widgets.ManyToManyWidget)]
        self._key_fields = [f for f in import_fields if isinstance(f.widget, NaturalKeyWidget)]
        # Plain columns (a model attribute, no default, no custom Field class) are set in one tight loop.
        self._plain_fields = [f for f in import_fields if _is_plain(f)]
        self._other_fields = [
            f
            for f in import_fields
            if not _is_plain(f) and not isinstance(f.widget, widgets.ManyToManyWidget)
        ]
        try:
            with _fewer_gc_passes():
                return super().import_data(
                    dataset,
                    dry_run=dry_run,
                    raise_errors=raise_errors,
                    use_transactions=use_transactions,
                    collect_failed_rows=collect_failed_rows,
                    rollback_on_validation_errors=rollback_on_validation_errors,
                    **kwargs,
                )
        finally:
            self._import_fields_cache = None

    def import_instance(self, instance, row, **kwargs):
        # Same as import-export's `import_instance` (field by field, every ValueError kept against its column),
        # without three calls per cell for the plain columns.
        if getattr(self, "_import_fields_cache", None) is None:
            return super().import_instance(instance, row, **kwargs)
        errors = {}
        for field in self._plain_fields:
            if field.column_name not in row:
                continue
            try:
                setattr(
                    instance, field.attribute, field.widget.clean(row[field.column_name], row=row, **kwargs)
                )
            except ValueError as exc:
                errors[field.attribute] = ValidationError(str(exc), code="invalid")
        for field in self._other_fields:
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as exc:
                errors[field.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def get_import_fields(self):
        cached = getattr(self, "_import_fields_cache", None)
        if cached is not None:
            return cached
        return [f for f in super().get_import_fields() if not getattr(f, "export_only", False)]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A row that creates a record is never "unchanged", even if every value equals a default.
        if getattr(instance, "_crud_import_new", False):
            return False
        if not self._meta.skip_diff:
            return super().skip_row(instance, original, row, import_validation_errors)
        if not self._meta.skip_unchanged or import_validation_errors:
            return False
        snapshot = getattr(instance, "_crud_snapshot", None)
        if snapshot is None:
            return False
        for f in self._import_fields_with(widgets.ManyToManyWidget):
            if f.column_name in row:
                wanted = sorted(o.pk for o in f.clean(row))
                if wanted != sorted(getattr(instance, f.attribute).values_list("pk", flat=True)):
                    return False
        return all(getattr(instance, name) == value for name, value in snapshot.items())

    # ---- headers: French on export, both French and field names on import -------------------------------------

    def _column_label(self, field) -> str:
        try:
            model_field = self._meta.model._meta.get_field(field.attribute or "")
        except Exception:
            return str(field.column_name)
        if field.column_name != field.attribute:
            return str(field.column_name)
        return str(model_field.verbose_name)[:1].upper() + str(model_field.verbose_name)[1:]

    def get_export_headers(self, selected_fields=None):
        return [self._column_label(f) for f in self.get_export_fields(selected_fields) if f]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if dataset.headers:
            # A file exported by the back-office has French headers (« Code famille »): read them as field names.
            by_label = {}
            for f in self.get_import_fields():
                by_label[_header_key(f.column_name)] = f.column_name
                by_label[_header_key(self._column_label(f))] = f.column_name
            dataset.headers = [
                by_label.get(_header_key(h), h) if h is not None else h for h in dataset.headers
            ]
        # Every related key of the file in a few queries, before the rows are read.
        for f in self.get_import_fields():
            if (
                isinstance(f.widget, NaturalKeyWidget)
                and dataset.headers
                and f.column_name in dataset.headers
            ):
                f.widget.prefetch(dataset.get_col(dataset.headers.index(f.column_name)))

    # ---- export: safe cells ---------------------------------------------------------------------------------

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [safe_cell(v) for v in super().export_resource(instance, selected_fields, **kwargs)]

    # ---- row by row: lookups, validation ----------------------------------------------------------------------

    def _import_fields_with(self, widget_class) -> list:
        cached = {NaturalKeyWidget: "_key_fields", widgets.ManyToManyWidget: "_m2m_fields"}.get(widget_class)
        if cached and hasattr(self, cached):
            return getattr(self, cached)
        return [f for f in self.get_import_fields() if isinstance(f.widget, widget_class)]

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        instance._crud_import_new = new
        if not new and self._meta.skip_diff:
            instance._crud_snapshot = {
                f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
            }
        return instance, new

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A related row named by its natural key was just loaded by the widget: `full_clean` would query it again
        # (one query per column and row). Empty values are still validated (required fields).
        errors = {} if import_validation_errors is None else dict(import_validation_errors)
        if self._meta.clean_model_instances:
            exclude = set(errors) | {
                f.attribute
                for f in self.get_import_fields()
                if isinstance(f.widget, NaturalKeyWidget)
                and getattr(instance, f"{f.attribute}_id", None) is not None
            }
            try:
                instance.full_clean(exclude=exclude, validate_unique=False)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            if validate_unique:
                errors = self._validate_unique(instance, exclude | set(errors), errors)
        if errors:
            raise ValidationError(errors)

    def _validate_unique(self, instance, exclude: set, errors: dict) -> dict:
        """Unique checks, except the one the import id columns already settled: the loader looked that key up
        (for the whole file at once), so a new row has no twin in the database and an updated row is itself."""
        id_attrs = {self.fields[name].attribute for name in self.get_import_id_fields()}
        unique_checks, date_checks = instance._get_unique_checks(exclude=exclude)
        unique_checks = [(cls, check) for cls, check in unique_checks if set(check) != id_attrs]
        found = {
            **instance._perform_unique_checks(unique_checks),
            **instance._perform_date_checks(date_checks),
        }
        if found:
            errors = ValidationError(found).update_error_dict(errors)
        return errors

    def get_instance(self, instance_loader, row):
        # A bad natural key in an id column is reported by `import_instance` against its column, not as a crash.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, models.ObjectDoesNotExist):
            return None

    def import_row(self, row, instance_loader, **kwargs):
        # Validate many-to-many keys up front: import-export saves them after the row and would lose the column.
        errors = {}
        for f in self._import_fields_with(widgets.ManyToManyWidget):
            if f.column_name in row:
                try:
                    f.widget.clean(row[f.column_name], row=row)
                except ValueError as exc:
                    errors[f.attribute] = str(exc)
        if errors:
            from import_export.results import RowResult

            result = RowResult()
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(errors)
            result.row_values = row
            result.number = kwargs.get("row_number")
            return result
        return super().import_row(row, instance_loader, **kwargs)

    # ---- writing in batches -----------------------------------------------------------------------------------

    def _needs_own_save(self, instance) -> bool:
        # A unique field left blank is filled by the model's `save()` (the family code follows the primary key):
        # such rows are saved one by one, as before.
        return any(
            f.unique and f.blank and not f.primary_key and getattr(instance, f.attname) in ("", None)
            for f in instance._meta.concrete_fields
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        # Bulk writes send no `pre_save`: strip control characters here as the signal does for every other save.
        strip_control_characters_before_save(sender=type(instance), instance=instance)
        if is_create and self._needs_own_save(instance):
            self.before_save_instance(instance, row, **kwargs)
            if self._is_using_transactions(kwargs) or not self._is_dry_run(kwargs):
                self.do_instance_save(instance, is_create)
            self.after_save_instance(instance, row, **kwargs)
            return
        if not is_create and instance.pk is None:
            # The same record twice in one file: the first row's object, still waiting for its batch.
            self.before_save_instance(instance, row, **kwargs)
            self.after_save_instance(instance, row, **kwargs)
            return
        super().save_instance(instance, is_create, row, **kwargs)
        if is_create and getattr(self, "_crud_loader", None) is not None:
            self._crud_loader.remember(instance)

    def save_m2m(self, instance, row, **kwargs):
        if not self._is_using_transactions(kwargs) and self._is_dry_run(kwargs):
            return
        m2m = list(self._import_fields_with(widgets.ManyToManyWidget))
        if getattr(instance, "_crud_import_new", False):
            # A row just created has no relations yet: an empty column has nothing to set.
            m2m = [f for f in m2m if f.column_name in row and str(row[f.column_name] or "").strip()]
        if not m2m:
            return
        if instance.pk is None:
            self._pending_m2m.append((instance, row, m2m))  # set once the batch has given it a primary key
        else:
            for f in m2m:
                self.import_field(f, instance, row, True)

    def _flush_m2m(self) -> None:
        pending, self._pending_m2m = self._pending_m2m, []
        for instance, row, m2m in pending:
            if instance.pk is not None:
                for f in m2m:
                    self.import_field(f, instance, row, True)

    def _has_history(self) -> bool:
        return hasattr(self._meta.model._meta, "simple_history_manager_attribute")

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and (using_transactions or not dry_run):
            model = self._meta.model
            try:
                if self._has_history():
                    bulk_create_with_history(self.create_instances, model, batch_size=batch_size)
                else:
                    model._default_manager.bulk_create(self.create_instances, batch_size=batch_size)
                self._flush_m2m()
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.create_instances.clear()
        self.create_instances.clear()

    def get_bulk_update_fields(self):
        model_fields = {f.name: f for f in self._meta.model._meta.concrete_fields}
        names = {
            model_fields[f.attribute].name
            for f in self.get_import_fields()
            if f.attribute in model_fields and not model_fields[f.attribute].primary_key
        }
        # `bulk_update` does not run `pre_save`: « modifié le » is set by hand (see `bulk_update`).
        names |= {name for name, f in model_fields.items() if getattr(f, "auto_now", False)}
        return sorted(names)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and (using_transactions or not dry_run):
            model = self._meta.model
            try:
                fields_ = self.get_bulk_update_fields()
                for instance in self.update_instances:
                    for f in instance._meta.concrete_fields:
                        if getattr(f, "auto_now", False):
                            setattr(instance, f.attname, f.pre_save(instance, add=False))
                if self._has_history():
                    bulk_update_with_history(self.update_instances, model, fields_, batch_size=batch_size)
                else:
                    model._default_manager.bulk_update(self.update_instances, fields_, batch_size=batch_size)
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.update_instances.clear()
        self.update_instances.clear()


@contextmanager
def _fewer_gc_passes(threshold: int = 50_000):
    """A file of 60,000 rows allocates millions of short-lived objects: with the default threshold (700) the cyclic
    garbage collector walks the growing batch again and again (a fifth of the import). Reference counting still
    frees everything as usual; the collector runs less often during the import and gets its setting back after."""
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], threshold), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _header_key(header) -> str:
    """« Code famille », "code famille ", "CODE_FAMILLE" all read alike."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def build_resource(crud: Crud) -> type[resources.ModelResource]:
    model = crud.model
    attrs: dict = {"__module__": model.__module__}
    for name, key in crud.natural_keys.items():
        f = model._meta.get_field(name)
        related = f.related_model
        if f.many_to_many:
            widget = NaturalKeysManyWidget(related, field=key)
        else:
            widget = NaturalKeyWidget(related, field=key)
        attrs[name] = fields.Field(attribute=name, column_name=name, widget=widget)

    field_names = list(crud.import_fields) if crud.import_fields else _default_import_fields(model)
    meta_attrs = {
        "model": model,
        "fields": field_names,
        "import_id_fields": tuple(crud.import_id_fields),
        "clean_model_instances": True,
        "skip_unchanged": True,
        "report_skipped": True,
        "use_transactions": True,
        # Rows are validated one by one but written in batches (see `CrudModelResource`).
        "use_bulk": True,
        "batch_size": 1000,
        "instance_loader_class": BulkInstanceLoader,
    }
    attrs["Meta"] = type("Meta", (), meta_attrs)
    return type(f"{crud.name}Resource", (*crud.resource_mixins, CrudModelResource), attrs)


def _default_import_fields(model: type[models.Model]) -> list[str]:
    names = []
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue
        if getattr(f, "related_model", None) is not None and f.related_model.__name__.startswith(
            "Historical"
        ):
            continue
        if f.concrete or f.many_to_many:
            names.append(f.name)
    return names
