"""/api/v1/family/tax-certificates/?year=2026: the logged-in parent's attestations fiscales, scoped to their family."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView

from api.family.permissions import IsFamilyMember
from billing.models import TaxCertificate
from billing.services.tax_certificates import family_tax_certificates, tax_year_parse


class FamilyTaxCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    child = serializers.SerializerMethodField()
    payer = serializers.CharField(source="payer_name", read_only=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True, read_only=True)
    pdf = serializers.SerializerMethodField()

    def get_child(self, certificate) -> str:
        return certificate.child.full_name

    def get_pdf(self, certificate) -> str:
        url = reverse("billing:tax_certificate_pdf", args=[certificate.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema(
    parameters=[
        OpenApiParameter(
            "year",
            OpenApiTypes.INT,
            description="Année civile des paiements (AAAA) ; toutes les années sinon.",
        )
    ]
)
class FamilyTaxCertificateList(ListAPIView):
    """The family's attestations fiscales of the ended years (available from 1 January of the next year), one per
    child and payer, newest first (a plain list, like the other family endpoints)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsFamilyMember]
    serializer_class = FamilyTaxCertificateSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # OpenAPI generation: no request user
            return TaxCertificate.objects.none()
        today = timezone.localdate()
        year = self.request.query_params.get("year")
        if year is not None:
            try:
                year = tax_year_parse(year, today=today)
            except DjangoValidationError as exc:
                raise ValidationError(exc.message_dict) from exc
        return family_tax_certificates(family=self.request.family, year=year, today=today)


urlpatterns = [path("", FamilyTaxCertificateList.as_view(), name="family-tax-certificates")]
