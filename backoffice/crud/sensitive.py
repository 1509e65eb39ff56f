"""Sensitive data (RGPD art. 9): fields, whole models or rows that only holders of one permission may see.

An app declares what is sensitive with `protect(model, permission=…, fields=… | rows=…)`; the mixins below make
every generic surface honour it: the admin (forms, lists, filters, search, inlines, history), the API (fields,
writes, filters, ordering, rows) and the import/export resources (columns). Without the permission the data is
absent, not read-only: a user does not learn it exists. The engine knows no domain model; the app names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.settings import api_settings


@dataclass(frozen=True)
class Protection:
    """What of a model is sensitive: some `fields`, the whole model (`fields=None`), or the rows where
    `rows[0]` is one of `rows[1]`."""

    permission: str
    fields: frozenset[str] | None = None
    rows: tuple[str, frozenset] | None = None


_protections: dict[type[models.Model], Protection] = {}


def protect(
    model: type[models.Model],
    *,
    permission: str,
    fields: Iterable[str] | None = None,
    rows: tuple[str, Iterable] | None = None,
) -> None:
    """Declare sensitive data of `model`: `fields`, or rows (`("kind", {...})`), or, with neither, the whole model."""
    _protections[model] = Protection(
        permission=permission,
        fields=frozenset(fields) if fields is not None else None,
        rows=(rows[0], frozenset(rows[1])) if rows is not None else None,
    )


def protection_for(model) -> Protection | None:
    return _protections.get(model)


def _allowed(protection: Protection, user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(protection.permission))


def model_hidden(model, user) -> bool:
    """True when the whole model is sensitive and `user` may not see it."""
    p = protection_for(model)
    return bool(p and p.fields is None and p.rows is None and not _allowed(p, user))


def hidden_fields(model, user) -> frozenset[str]:
    """The field names `user` may not see on `model` (empty when nothing is hidden from them)."""
    p = protection_for(model)
    if p is None or p.fields is None or _allowed(p, user):
        return frozenset()
    return p.fields


def visible_rows(queryset: models.QuerySet, user) -> models.QuerySet:
    """`queryset` without the rows `user` may not see."""
    p = protection_for(queryset.model)
    if p is None or p.rows is None or _allowed(p, user):
        return queryset
    field, values = p.rows
    return queryset.exclude(**{f"{field}__in": values})


def row_hidden(obj, user) -> bool:
    """True when `obj` is a sensitive row that `user` may not see."""
    p = protection_for(type(obj))
    if p is None or p.rows is None or _allowed(p, user):
        return False
    field, values = p.rows
    return getattr(obj, field) in values


def _base(name: str) -> str:
    """`has_pai__exact` → `has_pai`; `-diet` → `diet`; `^allergens__label` → `allergens`."""
    return name.lstrip("-^=@").split("__")[0]


def strip_field_specs(specs, hidden: frozenset[str]):
    """Admin `fields` without the hidden names; nested tuples (one line of the form) keep their shape."""
    out = []
    for spec in specs:
        if isinstance(spec, (list, tuple)):
            inner = [name for name in spec if name not in hidden]
            if inner:
                out.append(type(spec)(inner) if len(inner) > 1 else inner[0])
        elif spec not in hidden:
            out.append(spec)
    return out


def strip_fieldsets(fieldsets, hidden: frozenset[str]):
    """Admin fieldsets without the hidden fields; a section left empty disappears with its title."""
    out = []
    for title, options in fieldsets:
        fields = strip_field_specs(options.get("fields", ()), hidden)
        if fields:
            out.append((title, {**options, "fields": fields}))
    return out


# --- Admin ---------------------------------------------------------------------------------------------------------


class SensitiveAdminMixin:
    """Put first in `admin_mixins`: hides what `protect` declared, for this model and for its inlines."""

    def _hidden(self, request) -> frozenset[str]:
        return hidden_fields(self.model, request.user)

    def _denied(self, request, obj=None) -> bool:
        return model_hidden(self.model, request.user) or (obj is not None and row_hidden(obj, request.user))

    def has_view_permission(self, request, obj=None):
        return not self._denied(request, obj) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._denied(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._denied(request, obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        return not self._denied(request) and super().has_add_permission(request)

    def has_export_permission(self, request):
        return not self._denied(request) and super().has_export_permission(request)

    def has_import_permission(self, request):
        return not self._denied(request) and super().has_import_permission(request)

    def get_queryset(self, request):
        return visible_rows(super().get_queryset(request), request.user)

    def get_fields(self, request, obj=None):
        return strip_field_specs(super().get_fields(request, obj), self._hidden(request))

    def get_fieldsets(self, request, obj=None):
        return strip_fieldsets(super().get_fieldsets(request, obj), self._hidden(request))

    def get_readonly_fields(self, request, obj=None):
        hidden = self._hidden(request)
        return [name for name in super().get_readonly_fields(request, obj) if name not in hidden]

    def get_list_display(self, request):
        hidden = self._hidden(request)
        return [
            name
            for name in super().get_list_display(request)
            if not isinstance(name, str) or name not in hidden
        ]

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if links is None:
            return links
        kept = [name for name in links if name in list_display]
        return kept or list(list_display)[:1]

    def get_list_filter(self, request):
        hidden = self._hidden(request)
        kept = []
        for item in super().get_list_filter(request):
            name = item if isinstance(item, str) else item[0] if isinstance(item, (list, tuple)) else None
            if name is None or _base(name) not in hidden:
                kept.append(item)
        return kept

    def get_search_fields(self, request):
        hidden = self._hidden(request)
        return [name for name in super().get_search_fields(request) if _base(name) not in hidden]

    def lookup_allowed(self, lookup, value, request):
        # The changelist accepts any lookup on the model's own fields (`?has_pai=1`): close those on hidden ones.
        if _base(lookup) in self._hidden(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_inline_instances(self, request, obj=None):
        # Inline instances are made per request, so trimming their fields here never leaks to another user.
        kept = []
        for inline in super().get_inline_instances(request, obj):
            if model_hidden(inline.model, request.user):
                continue
            hidden = hidden_fields(inline.model, request.user)
            if hidden:
                if inline.fields is not None:
                    inline.fields = strip_field_specs(inline.fields, hidden)
                if inline.fieldsets is not None:
                    inline.fieldsets = strip_fieldsets(inline.fieldsets, hidden)
                inline.exclude = [*(inline.exclude or ()), *hidden]
                inline.readonly_fields = [n for n in inline.readonly_fields if n not in hidden]
            kept.append(inline)
        return kept

    def get_resource_classes(self, request):
        # The export form lists a resource's columns from its class: each user gets the class they may see.
        return [
            cls.for_user(request.user) if hasattr(cls, "for_user") else cls
            for cls in super().get_resource_classes(request)
        ]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # django-simple-history shows old → new values of every field: not those of hidden fields.
        hidden = self._hidden(request)
        if not hidden:
            return super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current
        return None


# --- API -----------------------------------------------------------------------------------------------------------


class SensitiveSerializerMixin:
    """Hidden fields are absent from responses; sending one is a 400 with a French field error."""

    def _sensitive_hidden(self) -> frozenset[str]:
        view = self.context.get("view")
        if getattr(view, "swagger_fake_view", False):
            return frozenset()  # the OpenAPI schema documents every field; it holds no data
        request = self.context.get("request")
        return hidden_fields(self.Meta.model, getattr(request, "user", None))

    def get_fields(self):
        fields = super().get_fields()
        for name in self._sensitive_hidden():
            fields.pop(name, None)
        return fields

    def to_internal_value(self, data):
        hidden = self._sensitive_hidden()
        sent = sorted(name for name in hidden if hasattr(data, "keys") and name in data)
        if sent:
            message = _("Vous n'avez pas le droit de modifier ce champ (données de santé).")
            raise exceptions.ValidationError({name: [message] for name in sent})
        return super().to_internal_value(data)


class SensitiveViewSetMixin:
    """A hidden model answers 403; hidden rows are 404; filtering or ordering on a hidden field is a 400."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        model = self.queryset.model
        if model_hidden(model, request.user):
            raise exceptions.PermissionDenied(_("Ces données de santé sont réservées au personnel habilité."))
        hidden = hidden_fields(model, request.user)
        if not hidden:
            return
        errors = {}
        message = _("Vous n'avez pas le droit de filtrer ou trier sur ce champ (données de santé).")
        for key in request.query_params:
            if _base(key) in hidden:
                errors[key] = [message]
        ordering_param = api_settings.ORDERING_PARAM
        for term in request.query_params.get(ordering_param, "").split(","):
            if term.strip() and _base(term.strip()) in hidden:
                errors[ordering_param] = [message]
        if errors:
            raise exceptions.ValidationError(errors)

    def get_queryset(self):
        return visible_rows(super().get_queryset(), self.request.user)


# --- Import / export -----------------------------------------------------------------------------------------------


class SensitiveResourceMixin:
    """`Resource.for_user(user)` is the resource without the columns `user` may not see, for export and import.

    The class itself (used by trusted code: commands, the demo seeder) keeps every column; the admin always asks
    `for_user` (see `SensitiveAdminMixin.get_resource_classes`)."""

    sensitive_hidden: frozenset[str] = frozenset()
    _for_user_cache: dict = {}

    @classmethod
    def for_user(cls, user):
        hidden = hidden_fields(cls._meta.model, user)
        if not hidden:
            return cls
        key = (cls, hidden)
        if key not in SensitiveResourceMixin._for_user_cache:
            SensitiveResourceMixin._for_user_cache[key] = type(
                cls.__name__, (cls,), {"__module__": cls.__module__, "sensitive_hidden": hidden}
            )
        return SensitiveResourceMixin._for_user_cache[key]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in self.sensitive_hidden:
            self.fields.pop(name, None)

    def get_export_order(self):
        return tuple(name for name in super().get_export_order() if name not in self.sensitive_hidden)

    def get_import_order(self):
        return tuple(name for name in super().get_import_order() if name not in self.sensitive_hidden)

    def before_import(self, dataset, **kwargs):
        sent = [h for h in (dataset.headers or ()) if h and str(h).strip() in self.sensitive_hidden]
        if sent:
            raise ValueError(
                _("Colonnes réservées au personnel habilité (données de santé) : %(columns)s.")
                % {"columns": ", ".join(sent)}
            )
        return super().before_import(dataset, **kwargs)
