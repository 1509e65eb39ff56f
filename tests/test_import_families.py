"""Bulk import of families and children: row and column named in French, all-or-nothing, natural keys."""

import io
from datetime import timedelta

import pytest
import tablib
from django.utils import timezone

from backoffice.crud import registry
from families.models import Child, Family

from .factories import FamilyFactory, SchoolFactory

pytestmark = pytest.mark.django_db

FAMILY_HEADERS = [
    "code",
    "name",
    "address_line1",
    "postcode",
    "commune",
    "allocataire_regime",
    "paperless_invoices",
]


def family_resource():
    return registry.get(Family).resource_class()


def child_resource():
    return registry.get(Child).resource_class()


def test_good_family_file_imports_and_reimport_changes_nothing():
    data = tablib.Dataset(headers=FAMILY_HEADERS)
    data.append(["F-100001", "DURAND Paul et Anne", "3 rue des Lilas", "95550", "Bessancourt", "caf", "1"])
    data.append(["F-100002", "NGUYEN Linh", "12 allée des Tilleuls", "95150", "Taverny", "msa", "0"])
    result = family_resource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Family.objects.get(code="F-100001").paperless_invoices is True
    again = family_resource().import_data(data, dry_run=False)
    assert again.totals["skip"] == 2
    assert Family.objects.count() == 2


def test_bad_postcode_names_row_and_column_and_nothing_is_written():
    data = tablib.Dataset(headers=FAMILY_HEADERS)
    data.append(["F-100001", "DURAND Paul", "3 rue des Lilas", "95550", "Bessancourt", "caf", "0"])
    data.append(["F-100002", "NGUYEN Linh", "12 allée des Tilleuls", "9515", "Taverny", "caf", "0"])
    result = family_resource().import_data(data, dry_run=False)
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert "postcode" in invalid.field_specific_errors
    assert "n'est pas un code postal français valide" in invalid.field_specific_errors["postcode"][0]
    assert Family.objects.count() == 0  # the good first row was rolled back too


def test_children_import_reports_unknown_family_future_birth_and_unknown_allergen():
    family = FamilyFactory(code="F-000777")
    SchoolFactory(name="École Jean Jaurès")
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = tablib.Dataset(
        headers=["family", "first_name", "last_name", "birth_date", "school", "class_level", "allergens"]
    )
    data.append([family.code, "Inès", "Durand", "2018-04-12", "École Jean Jaurès", "CE2", "gluten|lait"])
    data.append(["F-999999", "Tom", "Inconnu", "2019-01-01", "", "", ""])
    data.append([family.code, "Jade", "Durand", future, "", "", ""])
    data.append([family.code, "Noé", "Durand", "2020-02-02", "", "", "gluten|chocolat"])
    result = child_resource().import_data(data, dry_run=True)
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert set(errors) == {2, 3, 4}
    assert "Famille inconnu(e) : « F-999999 »." in errors[2]["family"][0]
    assert "est dans le futur" in errors[3]["birth_date"][0]
    assert "chocolat" in errors[4]["allergens"][0]
    assert Child.objects.count() == 0


def test_children_import_sets_natural_keys_and_allergens():
    family = FamilyFactory(code="F-000778")
    SchoolFactory(name="École Jean Jaurès")
    data = tablib.Dataset(
        headers=["family", "first_name", "last_name", "birth_date", "school", "class_level", "allergens"]
    )
    data.append([family.code, "Inès", "Durand", "2018-04-12", "École Jean Jaurès", "CE2", "gluten|lait"])
    result = child_resource().import_data(data, dry_run=False)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    child = Child.objects.get()
    assert (
        child.family == family
        and child.school.name == "École Jean Jaurès"
        and child.class_level.code == "CE2"
    )
    assert sorted(child.allergens.values_list("code", flat=True)) == ["gluten", "lait"]


def test_admin_import_preview_shows_french_errors_and_saves_nothing(admin_client):
    csv = (
        "code,name,address_line1,postcode,commune\n"
        "F-200001,LEROY Marc,1 rue Haute,95550,Bessancourt\n"
        "F-200002,ROUX Léa,2 rue Basse,ABCDE,Bessancourt\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "familles.csv"
    response = admin_client.post(
        "/gestion/families/family/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "n&#x27;est pas un code postal français valide" in page
        or "n'est pas un code postal français valide" in page
    )
    assert "postcode" in page
    assert Family.objects.count() == 0


def test_xlsx_import_works():
    data = tablib.Dataset(headers=FAMILY_HEADERS)
    data.append(["F-300001", "PETIT Jeanne", "5 place de la Mairie", "95550", "Bessancourt", "caf", "0"])
    xlsx = tablib.Dataset().load(data.export("xlsx"), format="xlsx")
    result = family_resource().import_data(xlsx, dry_run=False)
    assert not result.has_validation_errors()
    assert Family.objects.filter(code="F-300001").exists()
