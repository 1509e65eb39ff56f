"""Builds admin, import/export resource, serializer, filterset and viewset *base* classes from one declaration.

The generated attributes live in the base classes (`ChildAdminBase`, `ChildSerializerBase`…); mixins and
hand-written subclasses sit above them in the MRO, so what a person wrote always wins over the generated default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .api import build_filterset, build_serializer, build_viewset
from .resources import build_resource

CREATE, UPDATE, DELETE = "create", "update", "delete"
#: Reference data (schools, families, children…): the generic API and admin may create, update and delete.
FULL_CRUD = frozenset({CREATE, UPDATE, DELETE})
#: Workflow and money models: read-only in the generic surfaces; changes go through named actions.
READ_ONLY = frozenset()


@dataclass(frozen=True, kw_only=True)
class CrudAction:
    """A named transition (`accept`, `refuse`…) that calls its service; admin bulk action and API route at once.

    `run(obj, by=user, **data)` calls the service; `reason=True` asks for a non-empty « motif » (admin form, API
    field `reason`); `api_fields` adds optional API body fields (DRF fields) passed to `run` by name. A
    `ValidationError` from the service is a refused transition: 409 in the API, an error message in the admin.
    """

    name: str
    label: str
    run: Callable[..., Any]
    reason: bool = False
    api_fields: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    admin: bool = True  # a Django admin bulk action
    api: bool = True  # a `POST /api/v1/<api_name>/{id}/<name>/` route


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_l("Motif (la famille le lira)"), widget=forms.Textarea(attrs={"rows": 4}))


class CrudAdminBase:
    """Behaviour shared by every generated admin base: writes allowed by the declaration, named actions."""

    crud_writes: Collection[str] = READ_ONLY
    crud_actions: Sequence[CrudAction] = ()

    def has_add_permission(self, request, *args, **kwargs):
        return CREATE in self.crud_writes and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return UPDATE in self.crud_writes and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return DELETE in self.crud_writes and super().has_delete_permission(request, obj)

    def model_permission(self, request, action: str) -> bool:
        """The user's own model permission (`add`, `change`…), whatever the declaration lets the generic form do."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")

    def has_workflow_permission(self, request, obj=None):
        """Named actions and hand-written decision screens need the model's `change_` permission."""
        return self.model_permission(request, "change")

    def _get_base_actions(self):
        actions = super()._get_base_actions()
        names = {name for _func, name, _desc in actions}
        for action in self.crud_actions:
            if action.admin and action.name not in names:
                actions.append((_admin_action(action), action.name, action.label))
        return actions

    def run_crud_action(self, request, queryset, action: CrudAction):
        data = {}
        if action.reason:
            form = ReasonForm(request.POST if "crud_confirm" in request.POST else None)
            if not form.is_valid():
                return TemplateResponse(request, "backoffice/crud_action.html", {
                    **self.admin_site.each_context(request), "title": action.label, "form": form,
                    "selected": queryset, "action_name": action.name, "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                })
            data["reason"] = form.cleaned_data["reason"]
        done = 0
        for obj in queryset:
            try:
                action.run(obj, by=request.user, **data)
            except ValidationError as exc:
                messages.error(request, f"{obj} : {' '.join(exc.messages)}")
            else:
                done += 1
        if done:
            messages.success(request, _("%(action)s : %(n)s élément(s) traité(s).") % {"action": action.label,
                                                                                      "n": done})
        return None


def _admin_action(action: CrudAction):
    def run(modeladmin, request, queryset):
        return modeladmin.run_crud_action(request, queryset, action)

    run.__name__ = action.name
    return admin.action(description=action.label, permissions=["workflow"])(run)


@dataclass(kw_only=True)
class Crud:
    """What staff need to manage one model. Only `model` and `api_name` are required.

    Safe by default: read-only (`writes=READ_ONLY`), not importable, ordering only on listed columns. Reference
    data declares `writes=FULL_CRUD` (and `importable=True`); workflow models declare named `actions`.
    """

    model: type[models.Model]
    api_name: str
    # What the generic surfaces (API and admin) may write, and the named transitions that call services
    writes: Collection[str] = READ_ONLY
    actions: Sequence[CrudAction] = ()
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
    importable: bool = False
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
    #: Columns the API may sort on (`?ordering=`); default: the `list_display` entries that are real columns.
    ordering_fields: Sequence[str] | None = None
    api_select_related: Sequence[str] = ()
    api_prefetch_related: Sequence[str] = ()
    serializer_mixins: Sequence[type] = ()
    viewset_mixins: Sequence[type] = ()
    # Hand-written subclasses of the generated bases (`class ChildAdmin(crud.admin_base)`), registered instead
    admin_class: type | None = None
    serializer_class: type | None = None
    viewset_class: type | None = None
    # Generated bases, filled in by `build()`
    resource_base: type | None = field(default=None, init=False)
    admin_base: type | None = field(default=None, init=False)
    serializer_base: type | None = field(default=None, init=False)
    filterset_base: type | None = field(default=None, init=False)
    viewset_base: type | None = field(default=None, init=False)
    # Classes in use (base + mixins, or the hand-written subclass)
    resource_class: type | None = field(default=None, init=False)
    filterset_class: type | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        return self.model.__name__

    @property
    def api_ordering_fields(self) -> tuple[str, ...]:
        if self.ordering_fields is not None:
            return tuple(self.ordering_fields)
        columns = {f.name for f in self.model._meta.concrete_fields}
        return tuple(name for name in self.list_display if isinstance(name, str) and name in columns)

    def build(self) -> Crud:
        self.writes = frozenset(self.writes)
        unknown = self.writes - FULL_CRUD
        if unknown:
            raise ValueError(f"{self.name} : écritures inconnues {sorted(unknown)} (create, update, delete).")
        if self.importable:
            # The base carries the generated fields and Meta; the resource mixins go above it.
            self.resource_base = build_resource(dataclasses.replace(self, resource_mixins=()))
            self.resource_class = _compose(f"{self.name}Resource", self.resource_mixins, self.resource_base)
        self.admin_base = self._build_admin_base()
        self.admin_class = _chosen(self.admin_class, self.admin_mixins, self.admin_base, f"{self.name}Admin")
        if self.api:
            _name_enums(self.model)
            self.serializer_base = build_serializer(self)
            self.serializer_class = _chosen(self.serializer_class, self.serializer_mixins, self.serializer_base,
                                            f"{self.name}Serializer")
            self.filterset_base = build_filterset(self)
            self.filterset_class = self.filterset_base
            self.viewset_base = build_viewset(self)
            self.viewset_class = _chosen(self.viewset_class, self.viewset_mixins, self.viewset_base,
                                         f"{self.name}ViewSet")
        else:
            self.serializer_class = self.viewset_class = None
        return self

    def use(self, *, admin_class: type | None = None, serializer_class: type | None = None,
            viewset_class: type | None = None) -> Crud:
        """Put hand-written subclasses of the generated bases in place of the generated classes."""
        if admin_class is not None:
            self.admin_class = _chosen(admin_class, (), self.admin_base, "")
        if serializer_class is not None:
            self.serializer_class = _chosen(serializer_class, (), self.serializer_base, "")
            self.viewset_base.serializer_class = self.serializer_class
        if viewset_class is not None:
            self.viewset_class = _chosen(viewset_class, (), self.viewset_base, "")
        return self

    def _build_admin_base(self) -> type:
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
        attrs["crud_writes"] = self.writes
        attrs["crud_actions"] = tuple(self.actions)
        bases: tuple[type, ...] = (CrudAdminBase,)
        if self.importable:
            attrs["resource_classes"] = [self.resource_class]
            bases += (ImportExportModelAdmin,)
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            bases += (SimpleHistoryAdmin,)
        else:
            bases += (admin.ModelAdmin,)
        return type(f"{self.name}AdminBase", bases, attrs)


def _compose(name: str, mixins: Sequence[type], base: type) -> type:
    """Mixins above the generated base: their attributes and methods win, `super()` reaches the generated ones."""
    if not mixins:
        return base
    return type(name, (*mixins, base), {"__module__": base.__module__})


def _chosen(hand_written: type | None, mixins: Sequence[type], base: type, name: str) -> type:
    if hand_written is None:
        return _compose(name, mixins, base)
    if not issubclass(hand_written, base):
        raise TypeError(f"{hand_written.__name__} doit hériter de la classe générée {base.__name__}.")
    return hand_written


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

    def register(self, model: type[models.Model] | Crud, *, site: admin.AdminSite | None = None, **options) -> Crud:
        from backoffice.admin import site as default_site

        if isinstance(model, Crud):
            crud = model.use(**options)
        else:
            crud = Crud(model=model, **options).build()
        if crud.model in self._items:
            raise ValueError(f"{crud.name} est déjà déclaré dans le moteur CRUD.")
        (site or default_site).register(crud.model, crud.admin_class)
        self._items[crud.model] = crud
        return crud

    def __iter__(self):
        return iter(self._items.values())

    def __contains__(self, model) -> bool:
        return model in self._items

    def get(self, model: type[models.Model]) -> Crud:
        return self._items[model]


registry = CrudRegistry()


def register(model: type[models.Model] | Crud, **options) -> Crud:
    """Declare a model to the back-office: admin, import/export, API and OpenAPI in one call.

    Also takes a `declare()`d `Crud` with hand-written subclasses of its bases: `admin_class=`, `serializer_class=`,
    `viewset_class=`."""
    return registry.register(model, **options)


def declare(model: type[models.Model], **options) -> Crud:
    """Build the generated bases without registering them, so hand-written classes can subclass them:

        children = declare(Child, api_name="children", ...)
        class ChildAdmin(children.admin_base): ...
        register(children, admin_class=ChildAdmin)
    """
    return Crud(model=model, **options).build()


def inline(model: type[models.Model], *, stacked: bool = False, **attrs) -> type:
    """A ready-made admin inline for `inlines=[...]` (tabular unless `stacked`)."""
    base = admin.StackedInline if stacked else admin.TabularInline
    attrs.setdefault("extra", 0)
    attrs.setdefault("show_change_link", True)
    return type(f"{model.__name__}Inline", (base,), {"model": model, **attrs})
