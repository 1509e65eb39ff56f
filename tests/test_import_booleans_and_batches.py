"""Imports read French booleans strictly and write in batches without losing validation, history or m2m columns."""

import io
import re

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backoffice.crud import registry
from families.models import Child, ClassLevel, Family, School

from .factories import FamilyFactory, SchoolFactory

pytestmark = pytest.mark.django_db

HEADERS = ["code", "name", "address_line1", "postcode", "commune", "paperless_invoices", "is_active"]


def import_families(rows, *, dry_run=False):
    data = tablib.Dataset(headers=HEADERS)
    for row in rows:
        data.append(row)
    return registry.get(Family).resource_class().import_data(data, dry_run=dry_run)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("oui", True),
        ("OUI", True),
        ("Vrai", True),
        ("x", True),
        ("X", True),
        ("1", True),
        ("true", True),
        ("non", False),
        ("Non", False),
        ("faux", False),
        ("0", False),
        ("FALSE", False),
        ("", False),
        (" oui ", True),
    ],
)
def test_staff_type_oui_non_and_the_family_gets_what_they_typed(typed, expected):
    result = import_families(
        [["F-400001", "MARTIN Luc", "1 rue Haute", "95550", "Bessancourt", typed, "oui"]]
    )
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    family = Family.objects.get(code="F-400001")
    assert family.paperless_invoices is expected
    assert family.is_active is True


def test_an_unknown_answer_is_refused_naming_row_and_column_and_nothing_is_deactivated():
    FamilyFactory(code="F-400002", name="MARTIN Luc", is_active=True)
    result = import_families(
        [
            ["F-400003", "BLANC Zoé", "2 rue Basse", "95550", "Bessancourt", "non", "oui"],
            ["F-400002", "MARTIN Luc", "1 rue Haute", "95550", "Bessancourt", "non", "peut-être"],
        ]
    )
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert list(invalid.field_specific_errors) == ["is_active"]
    assert "« peut-être » n'est pas une réponse oui/non" in invalid.field_specific_errors["is_active"][0]
    assert Family.objects.get(code="F-400002").is_active is True
    assert not Family.objects.filter(code="F-400003").exists()


def test_import_writes_history_for_created_and_updated_families():
    FamilyFactory(code="F-400010", name="ANCIEN Nom")
    result = import_families(
        [
            ["F-400010", "NOUVEAU Nom", "1 rue Haute", "95550", "Bessancourt", "oui", "oui"],
            ["F-400011", "AUTRE Famille", "2 rue Basse", "95550", "Bessancourt", "non", "oui"],
        ]
    )
    assert not result.has_errors() and not result.has_validation_errors()
    updated = Family.objects.get(code="F-400010")
    assert updated.name == "NOUVEAU Nom"
    assert [h.history_type for h in updated.history.order_by("history_date", "history_id")] == ["+", "~"]
    assert Family.objects.get(code="F-400011").history.get().history_type == "+"


def test_same_family_twice_in_one_file_is_one_family_with_the_last_values():
    result = import_families(
        [
            ["F-400020", "PREMIER Nom", "1 rue Haute", "95550", "Bessancourt", "non", "oui"],
            ["F-400020", "SECOND Nom", "1 rue Haute", "95550", "Bessancourt", "oui", "oui"],
        ]
    )
    assert not result.has_errors() and not result.has_validation_errors()
    family = Family.objects.get(code="F-400020")
    assert (family.name, family.paperless_invoices) == ("SECOND Nom", True)


def test_family_without_code_gets_one_from_its_number():
    result = import_families(
        [
            ["", "SANS Code", "1 rue Haute", "95550", "Bessancourt", "non", "oui"],
            ["", "SANS Code Bis", "2 rue Haute", "95550", "Bessancourt", "non", "oui"],
        ]
    )
    assert not result.has_errors() and not result.has_validation_errors()
    codes = sorted(Family.objects.values_list("code", flat=True))
    assert codes == sorted(Family.code_for(f.pk) for f in Family.objects.all())


def test_children_and_school_levels_many_to_many_columns_still_import():
    family = FamilyFactory(code="F-400030")
    SchoolFactory(name="École Victor Hugo")
    children = tablib.Dataset(headers=["family", "first_name", "last_name", "birth_date", "allergens"])
    children.append([family.code, "Inès", "Durand", "2018-04-12", "gluten|lait"])
    children.append([family.code, "Noé", "Durand", "2020-02-02", ""])
    result = registry.get(Child).resource_class().import_data(children, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    ines = Child.objects.get(first_name="Inès")
    assert sorted(ines.allergens.values_list("code", flat=True)) == ["gluten", "lait"]
    assert not Child.objects.get(first_name="Noé").allergens.exists()
    assert Child.history.count() >= 2

    levels = [lvl.code for lvl in ClassLevel.objects.order_by("rank")[:2]]
    schools = tablib.Dataset(headers=["name", "kind", "commune", "levels"])
    schools.append(["École Victor Hugo", "elementaire", "Bessancourt", "|".join(levels)])
    result = registry.get(School).resource_class().import_data(schools, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        r.error_dict for r in result.invalid_rows
    ]
    assert sorted(
        School.objects.get(name="École Victor Hugo").levels.values_list("code", flat=True)
    ) == sorted(levels)


def test_a_big_children_file_costs_a_few_queries_not_several_per_row():
    families = [FamilyFactory(code=f"F-5{i:05d}") for i in range(40)]
    data = tablib.Dataset(headers=["family", "first_name", "last_name", "birth_date", "has_pai"])
    for i, family in enumerate(families):
        data.append([family.code, "Léa", "Durand", f"2018-01-{i % 28 + 1:02d}", "non"])
        data.append([family.code, "Hugo", "Durand", f"2019-02-{i % 28 + 1:02d}", "oui"])
    resource = registry.get(Child).resource_class()
    with CaptureQueriesContext(connection) as queries:
        result = resource.import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Child.objects.count() == 80 and Child.history.count() == 80
    assert len(queries) < 30, len(queries)  # was 7 per row (560)


def test_staff_import_an_exported_style_file_in_the_back_office_and_history_names_them(
    admin_client, admin_user
):
    csv = (
        "Code famille,Nom du foyer,Adresse,Code postal,Commune,Facture dématérialisée,Dossier actif\n"
        "F-700001,LEROY Marc,1 rue Haute,95550,Bessancourt,oui,oui\n"
        "F-700002,ROUX Léa,2 rue Basse,95550,Bessancourt,non,x\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "familles.csv"
    preview = admin_client.post(
        "/gestion/families/family/import/", {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "LEROY Marc" in page
    confirm = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert Family.objects.count() == 0
    done = admin_client.post("/gestion/families/family/process_import/", confirm)
    assert done.status_code == 302
    assert Family.objects.get(code="F-700001").paperless_invoices is True
    assert Family.objects.get(code="F-700002").is_active is True
    assert {h.history_user for h in Family.history.all()} == {admin_user}
