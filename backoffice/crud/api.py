"""DRF serializer, django-filter FilterSet and viewset generated from a `Crud` declaration."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import django_filters
from django.contrib.auth import get_permission_codename
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import FilterSet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings

from api.fields import SERIALIZER_FIELD_MAPPING

if TYPE_CHECKING:
    from .engine import Crud, CrudAction


class CrudModelSerializer(serializers.ModelSerializer):
    """Runs the model's own validation (`full_clean`), so rules written once hold for the API too."""

    # Dates 1900–2100, date-times 1970–2100, times as HH:MM, each with a schema that says so (api/fields.py).
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, **SERIALIZER_FIELD_MAPPING}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        m2m = {f.name for f in model._meta.many_to_many}
        for key, value in attrs.items():
            if key not in m2m:
                setattr(instance, key, value)
        writable = {name for name, f in self.fields.items() if not f.read_only}
        exclude = [f.name for f in model._meta.fields if f.name not in writable] + list(m2m)
        try:
            instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
        except DjangoValidationError as exc:
            detail = {}
            for key, messages in exc.message_dict.items():
                out_key = api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key
                detail[out_key] = messages
            raise serializers.ValidationError(detail) from exc
        return attrs


def build_serializer(crud: Crud) -> type[serializers.ModelSerializer]:
    model = crud.model
    attrs: dict = {"__module__": model.__module__}
    for name, key in crud.natural_keys.items():
        f = model._meta.get_field(name)
        attrs[name] = serializers.SlugRelatedField(
            slug_field=key,
            queryset=f.related_model._default_manager.all(),
            many=f.many_to_many,
            required=not (f.blank or f.null),
            allow_null=bool(getattr(f, "null", False)) and not f.many_to_many,
            help_text=str(f.verbose_name),
        )
    meta: dict = {"model": model, "read_only_fields": tuple(crud.api_read_only_fields)}
    if crud.api_exclude:
        meta["exclude"] = tuple(crud.api_exclude)
    else:
        meta["fields"] = crud.api_fields if crud.api_fields == "__all__" else tuple(crud.api_fields)
    attrs["Meta"] = type("Meta", (), meta)
    # Named like the schema component it becomes (`Child`): mixins and subclasses keep it as their base.
    return type(f"{crud.name}Serializer", (CrudModelSerializer,), attrs)


_RANGE_FIELDS = (models.DateField, models.DateTimeField, models.IntegerField, models.DecimalField)


def build_filterset(crud: Crud) -> type[FilterSet]:
    model = crud.model
    if crud.filterset_fields is not None:
        spec = dict(crud.filterset_fields)
    else:
        spec = {}
        for item in crud.list_filter:
            if not isinstance(item, str):
                continue
            f = model._meta.get_field(item.split("__")[0])
            if isinstance(f, _RANGE_FIELDS) and not f.choices:
                spec[item] = ["exact", "gte", "lte"]
            else:
                spec[item] = ["exact"]
        for name, key in crud.natural_keys.items():
            spec[f"{name}__{key}"] = ["exact"]
    attrs = {
        "__module__": model.__module__,
        "Meta": type("Meta", (), {"model": model, "fields": spec}),
    }
    filterset = type(f"{crud.name}FilterSetBase", (FilterSet,), attrs)
    # JSON and file fields cannot be filtered; django-filter would fail at import otherwise.
    assert all(isinstance(v, django_filters.Filter) for v in filterset.base_filters.values())
    return filterset


class CrudActionPermission(BasePermission):
    """A named action (accept, refuse…) is a change of the row: an active staff account with `change_<model>`."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        opts = view.get_queryset().model._meta
        return user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


class ActionInputSerializer(serializers.Serializer):
    """Body of a named action; a reason, when asked for, is required and not blank."""


def _action_serializer(crud: Crud, action: CrudAction) -> type[serializers.Serializer]:
    attrs: dict = {"__module__": crud.model.__module__}
    if action.reason:
        attrs["reason"] = serializers.CharField(
            label=_("Motif"), help_text=_("Motif de la décision, transmis à la famille."), allow_blank=False,
            trim_whitespace=True,
        )
    attrs.update({name: copy.deepcopy(f) for name, f in action.api_fields.items()})
    name = "".join(p.capitalize() for p in action.name.split("_"))
    return type(f"{crud.name}{name}Input", (ActionInputSerializer,), attrs)


def _api_action(crud: Crud, action: CrudAction):
    input_serializer = _action_serializer(crud, action)

    def run(self, request, pk=None):
        obj = self.get_object()
        data = input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            action.run(obj, by=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)

    run.__name__ = action.name
    run.__doc__ = action.description or str(action.label)
    routed = drf_action(detail=True, methods=["post"], url_path=action.name.replace("_", "-"),
                        permission_classes=[CrudActionPermission])(run)
    # After @action, which replaces the function's kwargs (where drf-spectacular keeps its schema).
    return extend_schema(
        summary=str(action.label),
        description=action.description or str(action.label),
        request=input_serializer if input_serializer._declared_fields else None,
        responses={
            200: crud.serializer_class,
            400: OpenApiResponse(description=_("Corps de requête invalide (motif manquant…).")),
            403: OpenApiResponse(description=_("Permission de modification requise.")),
            404: OpenApiResponse(description=_("Introuvable.")),
            409: OpenApiResponse(description=_("Transition impossible dans l'état actuel.")),
        },
    )(routed)


def build_viewset(crud: Crud) -> type[viewsets.GenericViewSet]:
    from .engine import CREATE, DELETE, UPDATE

    model = crud.model
    queryset = model._default_manager.all()
    select_related = list(crud.api_select_related) or [
        name for name in crud.natural_keys if not model._meta.get_field(name).many_to_many
    ]
    # Every many-to-many the serializer shows is read in one query per page, not one per row.
    prefetch = list(crud.api_prefetch_related) or [
        f.name for f in model._meta.many_to_many if f.name not in crud.api_exclude
        and (crud.api_fields == "__all__" or f.name in crud.api_fields)
    ]
    if select_related:
        queryset = queryset.select_related(*select_related)
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    if not queryset.query.order_by and not model._meta.ordering:
        queryset = queryset.order_by("pk")
    search = [s for s in crud.search_fields if not s.startswith(("=", "^", "@"))] or []
    # Only what the declaration allows is routed: anything else answers 405.
    bases: list[type] = [mixins.ListModelMixin, mixins.RetrieveModelMixin]
    allowed = [_("liste"), _("détail")]
    if CREATE in crud.writes:
        bases.append(mixins.CreateModelMixin)
        allowed.append(_("création"))
    if UPDATE in crud.writes:
        bases.append(mixins.UpdateModelMixin)
        allowed.append(_("modification"))
    if DELETE in crud.writes:
        bases.append(mixins.DestroyModelMixin)
        allowed.append(_("suppression"))
    allowed += [_("action « %(label)s »") % {"label": a.label} for a in crud.actions if a.api]
    attrs = {
        "__module__": model.__module__,
        "queryset": queryset,
        "serializer_class": crud.serializer_class,
        "filterset_class": crud.filterset_class,
        "search_fields": tuple(search),
        "ordering_fields": crud.api_ordering_fields,
        "__doc__": f"{str(model._meta.verbose_name_plural).capitalize()} : {', '.join(str(a) for a in allowed)}.",
    }
    for a in crud.actions:
        if a.api:
            attrs[a.name] = _api_action(crud, a)
    return type(f"{crud.name}ViewSetBase", (*bases, viewsets.GenericViewSet), attrs)
