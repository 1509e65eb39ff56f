"""Family API of payments: pay an invoice online (`POST /api/v1/family/invoices/<id>/pay/`) and the family's
payments (`GET /api/v1/family/payments/`). Scoped to the logged-in parent's family like `api/family_invoices.py`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api.family.permissions import IsFamilyMember
from billing.models import Payment
from billing.services.invoicing import family_invoices
from billing.services.online import (
    OnlinePaymentNotPossible,
    OnlinePaymentUnavailable,
    family_payments,
    online_payment_start,
)


def _amount(value) -> str:
    return f"{value:.2f}"


class FamilyPaymentAllocationSerializer(serializers.Serializer):
    invoice = serializers.CharField(
        source="invoice.number", read_only=True, help_text=_("Numéro de la facture.")
    )
    amount = serializers.SerializerMethodField()

    def get_amount(self, allocation) -> str:
        return _amount(allocation.amount)


class FamilyPaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, help_text=_("Numéro de reçu, par exemple RC-2026-000042."))
    received_on = serializers.DateField(read_only=True)
    means = serializers.CharField(
        read_only=True, help_text=_("online, direct_debit, cheque, cash, cesu, transfer")
    )
    amount = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=_("valid ou rejected"))
    allocations = FamilyPaymentAllocationSerializer(many=True, read_only=True)
    receipt = serializers.SerializerMethodField(help_text=_("Adresse du reçu PDF."))

    def get_amount(self, payment) -> str:
        return _amount(payment.amount)

    def get_receipt(self, payment) -> str:
        url = reverse("billing:payment_receipt", kwargs={"pk": payment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class FamilyPaymentList(ListAPIView):
    """The family's payments (règlements), newest first, with the invoices each one settles (a plain list)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsFamilyMember]
    serializer_class = FamilyPaymentSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        return family_payments(family=self.request.family)


class FamilyInvoicePay(APIView):
    """Start paying one of the family's invoices online (PayFiP): the amount is the invoice's balance."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsFamilyMember]

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "FamilyInvoicePayment",
                {"redirect_url": serializers.URLField(help_text=_("Où envoyer le navigateur (PayFiP)."))},
            ),
            404: OpenApiResponse(description=_("Facture inconnue ou d'une autre famille.")),
            409: OpenApiResponse(
                description=_("Facture déjà payée, ou reste à payer inférieur à 1 € (`detail`).")
            ),
            503: OpenApiResponse(description=_("Le service de paiement ne répond pas (`detail`).")),
        },
        description=_(
            "Crée une transaction de paiement en ligne pour le reste à payer de la facture (calculé par le "
            "serveur, jamais envoyé par le client) et répond 201 avec l'adresse du service de paiement."
        ),
    )
    def post(self, request, pk):
        from billing.views.online import online_urls

        invoice = get_object_or_404(family_invoices(family=request.family), pk=pk)
        try:
            _tx, redirect_url = online_payment_start(invoice=invoice, by=request.user, **online_urls(request))
        except OnlinePaymentNotPossible as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except OnlinePaymentUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"redirect_url": redirect_url}, status=status.HTTP_201_CREATED)
