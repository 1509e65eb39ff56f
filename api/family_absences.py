"""Family API: « Justifier une absence » — `GET`/`POST /api/v1/family/absences/` for the logged-in parent's family.

The same service as the portal form (`families.services.absences.absence_declare`) and the same family resolution
as the rest of the family API (`api.family`); a child of another family is a 404, bad input a 400 with field
errors in French."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.family.serializers import iso_date
from api.family.views import TAGS, FamilyAPIView
from families.models import Absence
from families.services import absences as absence_services


class FamilyAbsenceSerializer(serializers.ModelSerializer):
    child_first_name = serializers.CharField(source="child.first_name", read_only=True)
    start = serializers.DateField(source="start_date", read_only=True)
    end = serializers.DateField(source="end_date", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    has_certificate = serializers.BooleanField(read_only=True)

    class Meta:
        model = Absence
        fields = [
            "id",
            "child",
            "child_first_name",
            "start",
            "end",
            "reason",
            "comment",
            "status",
            "status_label",
            "rejection_reason",
            "cancelled_days",
            "absent_days",
            "has_certificate",
            "created_at",
        ]
        read_only_fields = fields


class FamilyAbsenceCreateSerializer(serializers.Serializer):
    child = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=_("Identifiant de l'enfant (de votre dossier).")
    )
    start = iso_date(help_text=_("Premier jour d'absence."))
    end = iso_date(help_text=_("Dernier jour d'absence (inclus) ; 93 jours au plus."))
    reason = serializers.ChoiceField(choices=Absence.Reason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    certificate = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=_("Certificat médical : PDF, JPEG, PNG ou HEIC (vérifié sur le contenu), 10 Mo maximum."),
    )


class FamilyAbsenceList(FamilyAPIView):
    """The family's declared absences with their status, and the declaration of a new one."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS,
        operation_id="family_absences_list",
        summary=_("Les absences déclarées des enfants"),
        responses={200: FamilyAbsenceSerializer(many=True)},
    )
    def get(self, request):
        absences = (
            Absence.objects.filter(child__family=request.family)
            .select_related("child")
            .order_by("-start_date", "-pk")
        )
        return Response(FamilyAbsenceSerializer(absences, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="family_absences_create",
        summary=_("Déclarer une absence"),
        description=_(
            "Avant la date limite d'annulation, les jours réservés sont annulés ; après (le matin même compris), "
            "ils passent « absent » et, avec un certificat médical accepté par le service, « absence justifiée » "
            "(jamais facturée). Erreurs : 400 {champ: [messages en français]}."
        ),
        request={
            "multipart/form-data": FamilyAbsenceCreateSerializer,
            "application/json": FamilyAbsenceCreateSerializer,
        },
        responses={
            201: FamilyAbsenceSerializer,
            400: OpenApiResponse(description=_("Saisie invalide : {champ: [messages]}.")),
            404: OpenApiResponse(description=_("Enfant inconnu de la famille.")),
        },
    )
    def post(self, request):
        incoming = FamilyAbsenceCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        child = self.family_child(data["child"])
        try:
            absence = absence_services.absence_declare(
                child=child,
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
                certificate=data.get("certificate"),
                comment=data.get("comment", ""),
                by=request.user,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        self.log_guichet("family-absences (POST)")
        return Response(FamilyAbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)
