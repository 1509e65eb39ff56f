"""Control characters typed or sent anywhere are stripped before saving, so staff exports keep working."""

import openpyxl
import pytest
import tablib

from backoffice.crud import registry
from backoffice.sanitising import strip_control_characters
from families.models import Contact, Family

pytestmark = pytest.mark.django_db

BELL_ESCAPE = "\x07\x1b"


def test_single_line_text_loses_control_characters_and_line_breaks_become_spaces():
    assert strip_control_characters(f"DUPONT{BELL_ESCAPE} Marie\x00\x7f\x85") == "DUPONT Marie"
    assert strip_control_characters("Jean\tPierre\r\nMartin") == "Jean Pierre Martin"


def test_multi_line_text_keeps_tabs_and_line_breaks():
    assert strip_control_characters(f"Allergie\x0b aux arachides\r\n\tPAI{BELL_ESCAPE}", multiline=True) == (
        "Allergie aux arachides\r\n\tPAI"
    )


def test_parent_typing_control_characters_in_a_contact_name_saves_a_clean_name(client, small_town):
    client.force_login(small_town["martin_parent"].user)
    response = client.post(
        "/portail/dossier/entourage/ajouter/",
        {
            "first_name": f"Monique{BELL_ESCAPE}",
            "last_name": "Durand",
            "relationship": "Voisine",
            "phone": "06 12 34 56 78",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get(last_name="Durand").first_name == "Monique"


def test_api_strips_control_characters_and_keeps_line_breaks_in_notes(client, agent):
    client.force_login(agent)
    response = client.post(
        "/api/v1/families/",
        {
            "name": f"LEFEBVRE{BELL_ESCAPE} Nathalie",
            "address_line1": "8 rue de Pontoise",
            "postcode": "95550",
            "commune": "Bessancourt",
            "notes": f"Appeler le soir.{BELL_ESCAPE}\nPère en déplacement.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    family = Family.objects.get()
    assert family.name == "LEFEBVRE Nathalie"
    assert family.notes == "Appeler le soir.\nPère en déplacement."
    assert response.json()["name"] == "LEFEBVRE Nathalie"


def test_admin_import_strips_control_characters():
    data = tablib.Dataset(headers=["code", "name", "address_line1", "postcode", "commune"])
    data.append(["F-300001", f"PETIT{BELL_ESCAPE} Jeanne", "5 place de la Mairie", "95550", "Bessancourt"])
    result = registry.get(Family).resource_class().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Family.objects.get(code="F-300001").name == "PETIT Jeanne"


def test_staff_export_to_xlsx_works_after_a_name_was_typed_with_control_characters(small_town, tmp_path):
    small_town["martin"].name = f"MARTIN{BELL_ESCAPE} Claire"
    small_town["martin"].save()
    xlsx = registry.get(Family).resource_class().export().export("xlsx")
    path = tmp_path / "familles.xlsx"
    path.write_bytes(xlsx)
    names = [row[1] for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    assert "MARTIN Claire" in names


def test_rows_saved_before_the_fix_are_cleaned_by_the_command(small_town):
    from io import StringIO

    from django.core.management import call_command

    Family.objects.filter(pk=small_town["martin"].pk).update(
        name=f"MARTIN{BELL_ESCAPE} Claire", notes="Ligne 1\nLigne 2"
    )
    out = StringIO()
    call_command("strip_control_characters", stdout=out)
    small_town["martin"].refresh_from_db()
    assert small_town["martin"].name == "MARTIN Claire"
    assert small_town["martin"].notes == "Ligne 1\nLigne 2"
    assert "families.Family : 1" in out.getvalue()
