"""django-import-export resources generated from a `Crud` declaration.

Related rows are named by their natural key (a family by its code, a school by its name), never by database ids,
so a spreadsheet written by a person imports as it reads. Every error names the row and the column in French.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

if TYPE_CHECKING:
    from .engine import Crud


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Finds a related row by a human key, with a French error naming the value; cached for big files."""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self._cache: dict[str, models.Model] = {}

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
    """Several related rows named by their key, separated by `|`; unknown keys are errors, not silently dropped."""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, separator="|", field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return self.model.objects.none()
        keys = [k.strip() for k in str(value).split(self.separator) if k.strip()]
        found = self.model._default_manager.filter(**{f"{self.field}__in": keys})
        missing = sorted(set(keys) - {str(getattr(o, self.field)) for o in found})
        if missing:
            raise ValueError(
                _("%(model)s inconnu(e)(s) : %(values)s.")
                % {"model": self.model._meta.verbose_name.capitalize(), "values": ", ".join(missing)}
            )
        return found


class CrudModelResource(resources.ModelResource):
    """Base of every generated resource: full model validation, French errors for m2m columns, all-or-nothing."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=True, **kwargs):
        # One bad row cancels the whole file: staff fix it and import again, never a half-imported town.
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        instance._crud_import_new = new
        return instance, new

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A related row named by its natural key was just loaded by the widget: `full_clean` would query it again
        # (one query per column and row). Empty values are still validated (required fields).
        errors = {} if import_validation_errors is None else dict(import_validation_errors)
        if self._meta.clean_model_instances:
            exclude = set(errors) | {
                f.attribute
                for f in self.get_import_fields()
                if isinstance(f.widget, NaturalKeyWidget) and getattr(instance, f"{f.attribute}_id", None) is not None
            }
            try:
                instance.full_clean(exclude=exclude, validate_unique=validate_unique)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        # A row just created has no relations yet: an empty column has nothing to set (saves 3 queries a row).
        if getattr(instance, "_crud_import_new", False):
            row = {
                k: v
                for k, v in row.items()
                if not any(
                    f.column_name == k and isinstance(f.widget, widgets.ManyToManyWidget) and (v is None or str(v).strip() == "")
                    for f in self.get_import_fields()
                )
            }
        return super().save_m2m(instance, row, **kwargs)

    def get_instance(self, instance_loader, row):
        # A bad natural key in an id column is reported by `import_instance` against its column, not as a crash.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, models.ObjectDoesNotExist):
            return None

    def import_row(self, row, instance_loader, **kwargs):
        # Validate many-to-many keys up front: import-export saves them after the row and would lose the column.
        errors = {}
        for f in self.get_import_fields():
            if isinstance(f.widget, widgets.ManyToManyWidget) and f.column_name in row:
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
    }
    attrs["Meta"] = type("Meta", (), meta_attrs)
    return type(f"{crud.name}Resource", (*crud.resource_mixins, CrudModelResource), attrs)


def _default_import_fields(model: type[models.Model]) -> list[str]:
    names = []
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue
        if getattr(f, "related_model", None) is not None and f.related_model.__name__.startswith("Historical"):
            continue
        if f.concrete or f.many_to_many:
            names.append(f.name)
    return names
