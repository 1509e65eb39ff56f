"""Builds admin, import/export resource, serializer, filterset and viewset classes from one declaration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.db import models
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .api import build_filterset, build_serializer, build_viewset
from .resources import build_resource


@dataclass(kw_only=True)
class Crud:
    """What staff need to manage one model. Only `model` and `api_name` are required."""

    model: type[models.Model]
    api_name: str
    # Admin list and form
    list_display: Sequence[str] = ("__str__",)
    list_display_links: Sequence[str] | None = None
    list_filter: Sequence[Any] = ()
    search_fields: Sequence[str] = ()
    date_hierarchy: str | None = None
    autocomplete_fields: Sequence[str] = ()
    list_select_related: Sequence[str] = ()
    readonly_fields: Sequence[str] = ()
    filter_horizontal: Sequence[str] = ()
    fieldsets: Sequence[Any] | None = None
    inlines: Sequence[type] = ()
    ordering: Sequence[str] | None = None
    list_per_page: int = 50
    admin_mixins: Sequence[type] = ()
    admin_attrs: dict[str, Any] = field(default_factory=dict)
    # Import / export
    importable: bool = True
    natural_keys: dict[str, str] = field(default_factory=dict)
    import_id_fields: Sequence[str] = ("id",)
    import_fields: Sequence[str] | None = None
    resource_mixins: Sequence[type] = ()
    # API
    api: bool = True
    api_fields: Sequence[str] | str = "__all__"
    api_read_only_fields: Sequence[str] = ()
    api_exclude: Sequence[str] = ()
    filterset_fields: dict[str, Sequence[str]] | None = None
    api_select_related: Sequence[str] = ()
    api_prefetch_related: Sequence[str] = ()
    serializer_mixins: Sequence[type] = ()
    viewset_mixins: Sequence[type] = ()
    # Generated classes, filled in by `build()`
    resource_class: type | None = field(default=None, init=False)
    admin_class: type | None = field(default=None, init=False)
    serializer_class: type | None = field(default=None, init=False)
    filterset_class: type | None = field(default=None, init=False)
    viewset_class: type | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        return self.model.__name__

    def build(self) -> Crud:
        if self.importable:
            self.resource_class = build_resource(self)
        self.admin_class = self._build_admin()
        if self.api:
            _name_enums(self.model)
            self.serializer_class = build_serializer(self)
            self.filterset_class = build_filterset(self)
            self.viewset_class = build_viewset(self)
        return self

    def _build_admin(self) -> type:
        select_related = list(self.list_select_related) or [
            name
            for name in self.list_display
            if isinstance(name, str) and _is_forward_relation(self.model, name)
        ]
        attrs: dict[str, Any] = {
            "__module__": self.model.__module__,
            "list_display": tuple(self.list_display),
            "list_filter": tuple(self.list_filter),
            "search_fields": tuple(self.search_fields),
            "date_hierarchy": self.date_hierarchy,
            "autocomplete_fields": tuple(self.autocomplete_fields),
            "list_select_related": tuple(select_related),
            "readonly_fields": tuple(self.readonly_fields),
            "filter_horizontal": tuple(self.filter_horizontal),
            "inlines": tuple(self.inlines),
            "list_per_page": self.list_per_page,
            # A full COUNT(*) of a 20,000-row table on every page is wasted work; the filtered count is enough.
            "show_full_result_count": False,
            **self.admin_attrs,
        }
        if self.list_display_links is not None:
            attrs["list_display_links"] = tuple(self.list_display_links)
        if self.fieldsets is not None:
            attrs["fieldsets"] = self.fieldsets
        if self.ordering is not None:
            attrs["ordering"] = tuple(self.ordering)
        bases: tuple[type, ...] = (*self.admin_mixins,)
        if self.importable:
            attrs["resource_classes"] = [self.resource_class]
            bases += (ImportExportModelAdmin,)
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            bases += (SimpleHistoryAdmin,)
        else:
            bases += (admin.ModelAdmin,)
        return type(f"{self.name}Admin", bases, attrs)


def _name_enums(model: type[models.Model]) -> None:
    """Give each choice set a stable OpenAPI enum name (`ChildDietEnum`), so two `status` fields never collide."""
    from django.conf import settings

    overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
    seen = {_choices_key(c) for c in overrides.values() if not isinstance(c, str)}
    for f in model._meta.concrete_fields:
        if not f.choices:
            continue
        key = _choices_key(f.choices)
        if key in seen:
            continue
        seen.add(key)
        overrides[f"{model.__name__}{''.join(p.capitalize() for p in f.name.split('_'))}Enum"] = list(f.choices)


def _choices_key(choices) -> tuple:
    return tuple(sorted((str(value), str(label)) for value, label in choices if value not in ("", None)))


def _is_forward_relation(model: type[models.Model], name: str) -> bool:
    try:
        f = model._meta.get_field(name)
    except Exception:
        return False
    return bool(f.is_relation and (f.many_to_one or f.one_to_one) and not f.auto_created)


class CrudRegistry:
    """Every declaration, in registration order; the admin site and the API router read it."""

    def __init__(self):
        self._items: dict[type[models.Model], Crud] = {}

    def register(self, model: type[models.Model], *, site: admin.AdminSite | None = None, **options) -> Crud:
        from backoffice.admin import site as default_site

        if model in self._items:
            raise ValueError(f"{model.__name__} est déjà déclaré dans le moteur CRUD.")
        crud = Crud(model=model, **options).build()
        (site or default_site).register(model, crud.admin_class)
        self._items[model] = crud
        return crud

    def __iter__(self):
        return iter(self._items.values())

    def __contains__(self, model) -> bool:
        return model in self._items

    def get(self, model: type[models.Model]) -> Crud:
        return self._items[model]


registry = CrudRegistry()


def register(model: type[models.Model], **options) -> Crud:
    """Declare a model to the back-office: admin, import/export, API and OpenAPI in one call."""
    return registry.register(model, **options)


def inline(model: type[models.Model], *, stacked: bool = False, **attrs) -> type:
    """A ready-made admin inline for `inlines=[...]` (tabular unless `stacked`)."""
    base = admin.StackedInline if stacked else admin.TabularInline
    attrs.setdefault("extra", 0)
    attrs.setdefault("show_change_link", True)
    return type(f"{model.__name__}Inline", (base,), {"model": model, **attrs})
