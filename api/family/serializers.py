"""The family API's contract: request and response shapes, documented in the OpenAPI schema."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import DateField, DateTimeField, SaneDatesSerializerMixin
from families.models import Child, Enrolment

MAX_PLANNING_DAYS = 93
MAX_CHANGES = 500


class DayState(models.TextChoices):
    """The state of a day × unit as the family API names it (réservation, then présence once pointed)."""

    AVAILABLE = "available", _("Disponible")
    RESERVED = "reserved", _("Réservé")
    WAITING = "waiting", _("Liste d'attente")
    CLOSED = "closed", _("Fermé")
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Absence justifiée")


class ChangeAction(models.TextChoices):
    RESERVE = "reserve", _("réserver")
    CANCEL = "cancel", _("annuler")


class ChangeState(models.TextChoices):
    """What a day became after a change: reserved, on the waiting list, or free again."""

    RESERVED = "reserved", _("Réservé")
    WAITING = "waiting", _("Liste d'attente")
    AVAILABLE = "available", _("Disponible")


# Stable OpenAPI enum names: the contract has several `state` fields with different value sets.
_overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
_overrides.setdefault("FamilyPlanningDayStateEnum", "api.family.serializers.DayState")
_overrides.setdefault("FamilyPlanningChangeActionEnum", "api.family.serializers.ChangeAction")
_overrides.setdefault("FamilyPlanningChangeStateEnum", "api.family.serializers.ChangeState")


DATE_ERRORS = {
    "invalid": _("Date invalide : utilisez le format AAAA-MM-JJ, par exemple 2027-01-04."),
    "required": _("Indiquez une date (AAAA-MM-JJ)."),
    "null": _("Indiquez une date (AAAA-MM-JJ)."),
}


def iso_date(**kwargs) -> DateField:
    """A date given as AAAA-MM-JJ between 1900 and 2100, with a French message for anything else."""
    return DateField(input_formats=["iso-8601"], error_messages=DATE_ERRORS, **kwargs)


def object_id(**kwargs) -> serializers.IntegerField:
    """An id: a positive integer the database can hold (a huge number is a 400, not a database error)."""
    return serializers.IntegerField(min_value=1, max_value=2**31 - 1, **kwargs)


# --- children --------------------------------------------------------------------------------------------------


class FamilyChildSerializer(SaneDatesSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "first_name", "last_name", "birth_date"]


# --- planning ---------------------------------------------------------------------------------------------------


class FamilyPlanningQuerySerializer(serializers.Serializer):
    child = object_id(help_text=_("Identifiant de l'enfant."))
    start = iso_date(help_text=_("Premier jour (AAAA-MM-JJ)."))
    end = iso_date(
        help_text=_("Dernier jour inclus (AAAA-MM-JJ), au plus 93 jours après start."),
    )

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("La date de fin doit suivre la date de début.")})
        if (attrs["end"] - attrs["start"]) + timedelta(days=1) > timedelta(days=MAX_PLANNING_DAYS):
            raise serializers.ValidationError(
                {"end": _("Demandez au plus %(days)d jours à la fois.") % {"days": MAX_PLANNING_DAYS}}
            )
        return attrs


class FamilyPlanningUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("Identifiant de l'unité (prestation)."))
    code = serializers.CharField()
    label = serializers.CharField()
    activity = serializers.IntegerField(help_text=_("Identifiant de l'activité."))
    state = serializers.ChoiceField(choices=DayState.choices)
    waiting_position = serializers.IntegerField(
        allow_null=True, help_text=_("Place dans la liste d'attente (1 = prochaine promue), sinon null.")
    )
    editable_until = DateTimeField(
        allow_null=True,
        help_text=_(
            "Jusqu'à quand le changement possible maintenant (réserver, ou annuler si réservé) est permis "
            "(heure de Paris) ; null quand il ne l'est plus."
        ),
    )


class FamilyPlanningDaySerializer(serializers.Serializer):
    date = DateField()
    units = FamilyPlanningUnitSerializer(many=True)


class FamilyPlanningSerializer(serializers.Serializer):
    days = FamilyPlanningDaySerializer(many=True)


class FamilyPlanningChangeSerializer(serializers.Serializer):
    date = iso_date()
    unit = object_id()
    action = serializers.ChoiceField(
        choices=ChangeAction.choices,
        error_messages={"invalid_choice": _("Action inconnue : « {input} » (reserve ou cancel).")},
    )


class FamilyPlanningChangesSerializer(serializers.Serializer):
    child = object_id()
    changes = FamilyPlanningChangeSerializer(many=True, allow_empty=False, max_length=MAX_CHANGES)

    def validate_changes(self, changes):
        seen = set()
        for change in changes:
            key = (change["date"], change["unit"])
            if key in seen:
                raise serializers.ValidationError(
                    _(
                        "Le %(date)s apparaît deux fois pour l'unité %(unit)d : un seul changement par jour et unité."
                    )
                    % {"date": change["date"].strftime("%d/%m/%Y"), "unit": change["unit"]}
                )
            seen.add(key)
        return changes


class FamilyPlanningChangeResultSerializer(serializers.Serializer):
    date = DateField()
    unit = serializers.IntegerField()
    action = serializers.ChoiceField(choices=ChangeAction.choices)
    state = serializers.ChoiceField(choices=ChangeState.choices)
    waiting_position = serializers.IntegerField(allow_null=True)


class FamilyPlanningChangesResultSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    changes = FamilyPlanningChangeResultSerializer(many=True)


class FamilyPlanningRefusalSerializer(serializers.Serializer):
    date = DateField()
    unit = serializers.IntegerField()
    message = serializers.CharField(help_text=_("Pourquoi ce changement est refusé, en français."))


class FamilyPlanningRefusalsSerializer(serializers.Serializer):
    errors = FamilyPlanningRefusalSerializer(many=True)


# --- enrolments -------------------------------------------------------------------------------------------------


class FamilyEnrolmentSerializer(SaneDatesSerializerMixin, serializers.ModelSerializer):
    activity_name = serializers.CharField(source="activity.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    weekdays = serializers.ListField(
        source="planning_weekdays", child=serializers.IntegerField(), help_text=_("0 = lundi … 5 = samedi.")
    )
    units = serializers.PrimaryKeyRelatedField(source="planning_units", many=True, read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "child",
            "activity",
            "activity_name",
            "status",
            "status_label",
            "start_date",
            "end_date",
            "weekdays",
            "units",
            "requested_at",
            "refusal_reason",
        ]
        read_only_fields = fields


class FamilyEnrolmentRequestSerializer(serializers.Serializer):
    child = object_id()
    activity = object_id()
    start_date = iso_date()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=5),
        max_length=6,
        default=list,
        help_text=_("Jours du planning hebdomadaire, 0 = lundi … 5 = samedi."),
    )
    units = serializers.ListField(
        child=object_id(),
        max_length=50,
        default=list,
        help_text=_("Unités du planning hebdomadaire (prestations de l'activité)."),
    )
