"""The low-code CRUD engine: one declaration of a throwaway model yields admin, import/export, API and OpenAPI."""

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from backoffice.admin import site
from backoffice.crud import registry
from tests.crud_app.models import Gadget

from .factories import FamilyFactory

pytestmark = pytest.mark.django_db


def test_one_declaration_builds_every_class():
    crud = registry.get(Gadget)
    assert crud.admin_class and crud.resource_class and crud.serializer_class
    assert crud.filterset_class and crud.viewset_class
    assert isinstance(site._registry[Gadget], crud.admin_class)


def test_admin_list_search_filters_and_history_appear(admin_client):
    family = FamilyFactory(name="DURAND")
    gadget = Gadget.objects.create(family=family, label="Tablette", bought_on=date(2026, 9, 1), price=Decimal("99.90"))
    url = reverse("gestion:crud_app_gadget_changelist")
    response = admin_client.get(url, {"q": "Tablette"})
    assert response.status_code == 200
    assert "Tablette" in response.content.decode()
    assert 'id="changelist-filter"' in response.content.decode()
    assert admin_client.get(reverse("gestion:crud_app_gadget_history", args=[gadget.pk])).status_code == 200
    assert admin_client.get(reverse("gestion:crud_app_gadget_import")).status_code == 200
    assert admin_client.get(reverse("gestion:crud_app_gadget_export")).status_code == 200


def test_resource_imports_with_natural_key_and_reports_unknown_key():
    family = FamilyFactory()
    resource = registry.get(Gadget).resource_class()
    data = tablib.Dataset(headers=["family", "label", "bought_on", "price"])
    data.append([family.code, "Console", "2026-10-01", "120.00"])
    data.append(["F-999999", "Vélo", "2026-10-02", "80.00"])
    result = resource.import_data(data, dry_run=True)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2
    assert "family" in invalid.error_dict
    assert "F-999999" in str(invalid.error_dict["family"])
    assert Gadget.objects.count() == 0


def test_api_crud_and_filters(admin_client):
    family = FamilyFactory()
    url = "/api/v1/gadgets/"
    created = admin_client.post(
        url, {"family": family.code, "label": "Lampe", "bought_on": "2026-11-02", "price": "15.50"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["family"] == family.code
    listing = admin_client.get(url, {"bought_on__gte": "2026-11-01"})
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert admin_client.get(url, {"bought_on__gte": "2026-12-01"}).json()["count"] == 0
    bad = admin_client.post(url, {"family": "F-000000", "label": "", "bought_on": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert {"family", "label", "bought_on", "price"} <= set(bad.json())


def test_openapi_describes_the_generated_endpoint(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/gadgets/" in schema["paths"]
    assert "/api/v1/gadgets/{id}/" in schema["paths"]
    assert "Gadget" in schema["components"]["schemas"]
    assert all(p.startswith("/api/") for p in schema["paths"])


def test_registering_twice_is_refused():
    with pytest.raises(ValueError):
        registry.register(Gadget, api_name="gadgets-bis")
