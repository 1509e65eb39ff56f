"""/api/: the generated staff API (one route per CRUD declaration) and its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from backoffice.crud import registry

from . import family_absences

router = DefaultRouter()
for crud in registry:
    if crud.viewset_class is not None:
        router.register(crud.api_name, crud.viewset_class, basename=crud.api_name)

urlpatterns = [
    path("v1/simulations/", include("api.simulations")),
    path("v1/family/", include("api.family.urls")),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("v1/family/absences/", family_absences.FamilyAbsenceList.as_view(), name="family-absences"),
]

# Staff roll call, counts and bulk cancellation (api/staff_attendance.py).
from api import staff_attendance  # noqa: E402

urlpatterns += [
    path("v1/staff/roll-call/", staff_attendance.RollCallView.as_view(), name="staff-roll-call"),
    path(
        "v1/staff/roll-call/mark/", staff_attendance.RollCallMarkView.as_view(), name="staff-roll-call-mark"
    ),
    path(
        "v1/staff/roll-call/walk-in/",
        staff_attendance.RollCallWalkInView.as_view(),
        name="staff-roll-call-walk-in",
    ),
    path("v1/staff/counts/", staff_attendance.CountsView.as_view(), name="staff-counts"),
    path("v1/staff/bulk-cancel/", staff_attendance.BulkCancelView.as_view(), name="staff-bulk-cancel"),
    path(
        "v1/staff/bulk-cancel/<int:pk>/revert/",
        staff_attendance.BulkCancelRevertView.as_view(),
        name="staff-bulk-cancel-revert",
    ),
]

urlpatterns += [path("v1/family/invoices/", include("api.family_invoices"))]

# Attestations fiscales of the family (api/family_tax_certificates.py).
urlpatterns += [path("v1/family/tax-certificates/", include("api.family_tax_certificates"))]

# Online payment and the family's payments (api/family_payments.py).
from api import family_payments  # noqa: E402

urlpatterns += [
    path(
        "v1/family/invoices/<int:pk>/pay/",
        family_payments.FamilyInvoicePay.as_view(),
        name="family-invoice-pay",
    ),
    path("v1/family/payments/", family_payments.FamilyPaymentList.as_view(), name="family-payments"),
]
