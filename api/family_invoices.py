"""/api/v1/family/invoices/: the logged-in parent's issued invoices (session), scoped to their family."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView, RetrieveAPIView

from api.family.permissions import IsFamilyMember
from billing.models import Invoice, InvoiceLine
from billing.services.invoicing import family_invoices, invoice_balance, invoice_paid, invoice_status_label


def _money(**kwargs):
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, read_only=True, **kwargs
    )


class FamilyInvoiceLineSerializer(serializers.ModelSerializer):
    child = serializers.CharField(source="child_name", read_only=True)
    quantity = _money()
    unit_price = _money()
    amount = _money()

    class Meta:
        model = InvoiceLine
        fields = ["child", "label", "quantity", "unit_price", "amount", "rule"]


class FamilyInvoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    issued_on = serializers.DateField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    total = _money(help_text=_("Somme des lignes."))
    paid = serializers.SerializerMethodField()
    balance = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    lines = FamilyInvoiceLineSerializer(many=True, read_only=True)

    def _fmt(self, value) -> str:
        return f"{value:.2f}"

    def get_paid(self, invoice) -> str:
        return self._fmt(invoice_paid(invoice))

    def get_balance(self, invoice) -> str:
        return self._fmt(invoice_balance(invoice))

    def get_status(self, invoice) -> str:
        return invoice_status_label(invoice)

    def get_pdf(self, invoice) -> str:
        url = reverse("billing:invoice_pdf", args=[invoice.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class FamilyScopedMixin:
    # The same door as the rest of the family API: the portal session, the family resolved as the portal does.
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsFamilyMember]
    serializer_class = FamilyInvoiceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # OpenAPI generation: no request user
            return Invoice.objects.none()
        return family_invoices(family=self.request.family)


class FamilyInvoiceList(FamilyScopedMixin, ListAPIView):
    """The family's issued invoices, newest first, with their lines and the rule applied to each (a plain list,
    like the other family endpoints)."""

    pagination_class = None


class FamilyInvoiceDetail(FamilyScopedMixin, RetrieveAPIView):
    """One of the family's invoices (404 for any other)."""


urlpatterns = [
    path("", FamilyInvoiceList.as_view(), name="family-invoices"),
    path("<int:pk>/", FamilyInvoiceDetail.as_view(), name="family-invoice"),
]
