"""Family API: « Justifier une absence » — `GET`/`POST /api/v1/family/absences/` for the logged-in parent's family.

The same service as the portal form (`families.services.absences.absence_declare`); a child of another family is
a 404, bad input a 400 with field errors in French."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from families.models import Absence, Child
from families.services import absences as absence_services
from families.views.common import resolve_family


class IsFamilyParent(permissions.BasePermission):
    """A logged-in account with a family (a parent, or an agent at the guichet); the family is set on the request."""

    message = _("Ce compte n'est rattaché à aucun dossier famille.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        family, _guichet = resolve_family(request)
        request.family = family
        return family is not None


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
    start = serializers.DateField(help_text=_("Premier jour d'absence."))
    end = serializers.DateField(help_text=_("Dernier jour d'absence (inclus) ; 93 jours au plus."))
    reason = serializers.ChoiceField(choices=Absence.Reason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    certificate = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=_("Certificat médical : PDF, JPEG, PNG ou HEIC (vérifié sur le contenu), 10 Mo maximum."),
    )


class FamilyAbsenceList(generics.ListCreateAPIView):
    """The family's declared absences with their status, and the declaration of a new one."""

    permission_classes = [IsFamilyParent]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = FamilyAbsenceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # OpenAPI generation: no request family
            return Absence.objects.none()
        return (
            Absence.objects.filter(child__family=self.request.family)
            .select_related("child")
            .order_by("-start_date", "-pk")
        )

    @extend_schema(
        tags=["family"],
        operation_id="family_absences_list",
        summary="Mes absences déclarées",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["family"],
        operation_id="family_absences_create",
        summary="Déclarer une absence",
        description=(
            "Avant la date limite d'annulation, les jours réservés sont annulés ; après (le matin même compris), "
            "ils passent « absent » et, avec un certificat médical accepté par le service, « absence justifiée »."
        ),
        request={
            "multipart/form-data": FamilyAbsenceCreateSerializer,
            "application/json": FamilyAbsenceCreateSerializer,
        },
        responses={
            201: FamilyAbsenceSerializer,
            400: OpenApiResponse(description="Saisie invalide (erreurs par champ)."),
            404: OpenApiResponse(description="Enfant inconnu dans ce dossier."),
        },
    )
    def post(self, request, *args, **kwargs):
        incoming = FamilyAbsenceCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        child = Child.objects.filter(pk=data["child"], family=request.family).select_related("family").first()
        if child is None:
            raise Http404
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
        return Response(FamilyAbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)
