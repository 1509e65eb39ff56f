"""DRF serializer, django-filter FilterSet and viewset generated from a `Crud` declaration."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django_filters.rest_framework import FilterSet
from rest_framework import serializers, viewsets
from rest_framework.settings import api_settings

from api.fields import SERIALIZER_FIELD_MAPPING

if TYPE_CHECKING:
    from .engine import Crud


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
    return type(f"{crud.name}Serializer", (*crud.serializer_mixins, CrudModelSerializer), attrs)


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
    filterset = type(f"{crud.name}FilterSet", (FilterSet,), attrs)
    # JSON and file fields cannot be filtered; django-filter would fail at import otherwise.
    assert all(isinstance(v, django_filters.Filter) for v in filterset.base_filters.values())
    return filterset


def build_viewset(crud: Crud) -> type[viewsets.ModelViewSet]:
    model = crud.model
    queryset = model._default_manager.all()
    select_related = list(crud.api_select_related) or [
        name for name in crud.natural_keys if not model._meta.get_field(name).many_to_many
    ]
    prefetch = list(crud.api_prefetch_related) or [
        name for name in crud.natural_keys if model._meta.get_field(name).many_to_many
    ]
    if select_related:
        queryset = queryset.select_related(*select_related)
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    if not queryset.query.order_by and not model._meta.ordering:
        queryset = queryset.order_by("pk")
    search = [s for s in crud.search_fields if not s.startswith(("=", "^", "@"))] or []
    attrs = {
        "__module__": model.__module__,
        "queryset": queryset,
        "serializer_class": crud.serializer_class,
        "filterset_class": crud.filterset_class,
        "search_fields": tuple(search),
        "ordering_fields": "__all__",
        "__doc__": f"{str(model._meta.verbose_name_plural).capitalize()} : liste, détail, création, "
        f"modification et suppression.",
    }
    return type(f"{crud.name}ViewSet", (*crud.viewset_mixins, viewsets.ModelViewSet), attrs)
