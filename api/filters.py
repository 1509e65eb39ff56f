"""FilterSet base for the generated staff API: bad filter values are 400 field errors, never a 500."""

import django_filters
from django.db import models
from django_filters.rest_framework import FilterSet

from families.validators import IdModelMultipleChoiceField


class IdModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """`?allergens=99999999999999999999` is « n'est pas une valeur correcte », not an OverflowError."""

    field_class = IdModelMultipleChoiceField


class CrudFilterSet(FilterSet):
    """Base of every generated FilterSet (`build_filterset` subclasses it instead of django-filter's FilterSet)."""

    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        **{
            field: {**FilterSet.FILTER_DEFAULTS[field], "filter_class": IdModelMultipleChoiceFilter}
            for field in (models.ManyToManyField, models.ManyToOneRel, models.ManyToManyRel)
        },
    }
