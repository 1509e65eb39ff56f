"""/api/: the generated staff API (one route per CRUD declaration) and its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from backoffice.crud import registry

router = DefaultRouter()
for crud in registry:
    if crud.viewset_class is not None:
        router.register(crud.api_name, crud.viewset_class, basename=crud.api_name)

urlpatterns = [
    path("v1/simulations/", include("api.simulations")),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

urlpatterns += [path("v1/family/invoices/", include("api.family_invoices"))]
