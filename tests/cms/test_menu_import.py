"""Importing a caterer's menu week: preview first, French errors naming line and column, all or nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.menu_import import menu_import_template_csv, menu_week_import
from cms.models import MenuDish, MenuWeek

GOOD = """date;restaurant;composante;intitulé;végétarien;labels;allergènes
30/11/2026;;entrée;Salade de lentilles;non;bio;moutarde
30/11/2026;;plat;Poulet basquaise;non;Label Rouge;
30/11/2026;;plat;Omelette aux poivrons;oui;bio;oeufs
30/11/2026;;accompagnement;Riz;non;;
30/11/2026;;laitage;Comté;non;AOP;lait
30/11/2026;;dessert;Crème au chocolat;non;fait maison;lait, oeufs
01/12/2026;;plat;Lasagnes;non;;gluten, lait, céleri
"""


@pytest.mark.django_db
def test_a_valid_week_is_previewed_without_saving_then_imported():
    report = menu_week_import(content=GOOD.encode(), filename="semaine.csv", dry_run=True)
    assert report.ok, report.errors
    assert len(report.rows) == 7
    assert [str(w) for w in report.weeks] == ["Semaine du 30 novembre 2026"]
    assert not MenuDish.objects.exists() and not MenuWeek.objects.exists()

    report = menu_week_import(content=GOOD.encode(), filename="semaine.csv", dry_run=False)
    assert report.ok, report.errors
    week = MenuWeek.objects.get()
    assert week.week_start == datetime.date(2026, 11, 30) and week.restaurant is None
    dessert = MenuDish.objects.get(name="Crème au chocolat")
    assert sorted(a.code for a in dessert.allergens.all()) == ["lait", "oeufs"]
    assert [label.code for label in dessert.labels.all()] == ["fait-maison"]
    assert MenuDish.objects.get(name="Omelette aux poivrons").is_vegetarian_alternative
    lasagnes = MenuDish.objects.get(name="Lasagnes")
    assert sorted(a.code for a in lasagnes.allergens.all()) == ["celeri", "gluten", "lait"]


@pytest.mark.django_db
def test_reimporting_a_week_replaces_its_dishes():
    menu_week_import(content=GOOD.encode(), filename="semaine.csv", dry_run=False)
    second = GOOD.replace("Poulet basquaise", "Sauté de porc")
    report = menu_week_import(content=second.encode(), filename="semaine.csv", dry_run=False)
    assert report.ok and report.replaced == 7
    assert MenuDish.objects.count() == 7
    assert not MenuDish.objects.filter(name="Poulet basquaise").exists()


@pytest.mark.django_db
def test_bad_rows_are_named_in_french_and_nothing_is_saved():
    bad = (
        GOOD.replace("moutarde", "noix de cajou")  # line 2: unknown allergen
        .replace("30/11/2026;;plat;Poulet", "05/12/2026;;plat;Poulet")  # line 3: a Saturday
        .replace(";accompagnement;Riz;", ";;Riz;")  # line 5: course missing
        .replace(";laitage;Comté;", ";laitage;;")
    )  # line 6: dish missing
    report = menu_week_import(content=bad.encode(), filename="semaine.csv", dry_run=False)
    assert not report.ok
    assert report.errors == [
        "Ligne 2, colonne « allergènes » : allergène inconnu « noix de cajou » "
        "(les 14 allergènes réglementaires seulement).",
        "Ligne 3, colonne « date » : le samedi 5 décembre 2026 n'est pas un jour de semaine (lundi à vendredi).",
        "Ligne 5, colonne « composante » : la composante est manquante (entrée, plat, accompagnement, laitage ou "
        "dessert).",
        "Ligne 6, colonne « intitulé » : l'intitulé du plat est manquant.",
    ]
    assert not MenuDish.objects.exists() and not MenuWeek.objects.exists()


@pytest.mark.django_db
def test_missing_columns_and_unknown_restaurant_are_refused():
    report = menu_week_import(content=b"date;intitule\n30/11/2026;Riz\n", filename="x.csv", dry_run=True)
    assert report.errors == [
        "Colonnes manquantes : composante. Colonnes attendues : date, restaurant, composante, "
        "intitulé, végétarien, labels, allergènes."
    ]
    report = menu_week_import(
        content=GOOD.replace("30/11/2026;;entrée", "30/11/2026;École inconnue;entrée").encode(),
        filename="x.csv",
        dry_run=True,
    )
    assert report.errors == [
        "Ligne 2, colonne « restaurant » : restaurant ou école inconnu(e) « École inconnue »."
    ]
    assert "Format de fichier" in menu_week_import(content=b"x", filename="menu.pdf", dry_run=True).errors[0]


@pytest.mark.django_db
def test_xlsx_files_are_read(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD.strip().splitlines():
        sheet.append(line.split(";"))
    sheet["A2"] = datetime.datetime(2026, 11, 30)  # Excel stores real dates
    buffer = io.BytesIO()
    book.save(buffer)
    report = menu_week_import(content=buffer.getvalue(), filename="semaine.xlsx", dry_run=False)
    assert report.ok, report.errors
    assert MenuDish.objects.count() == 7


@pytest.mark.django_db
def test_communication_imports_a_week_from_the_cms(client, communication):
    client.force_login(communication)
    page = client.get("/cms/cantine/importer/")
    assert page.status_code == 200
    assert "Importer un menu" in page.content.decode()
    assert client.get("/cms/cantine/modele.csv").content.decode("utf-8-sig") == menu_import_template_csv()

    upload = SimpleUploadedFile("semaine.csv", GOOD.encode(), content_type="text/csv")
    preview = client.post("/cms/cantine/importer/", {"file": upload})
    html = preview.content.decode()
    assert "Aperçu avant enregistrement" in html and "Poulet basquaise" in html
    assert not MenuDish.objects.exists()

    content = preview.context["content"]
    done = client.post(
        "/cms/cantine/importer/", {"confirm": "1", "content": content, "filename": "semaine.csv"}
    )
    assert done.status_code == 302
    assert MenuDish.objects.count() == 7


@pytest.mark.django_db
def test_the_cms_preview_lists_errors_and_saves_nothing(client, communication):
    client.force_login(communication)
    upload = SimpleUploadedFile("semaine.csv", GOOD.replace("lait, oeufs", "lait, kiwi").encode())
    html = client.post("/cms/cantine/importer/", {"file": upload}).content.decode()
    assert "rien n'a été enregistré" in html
    assert "Ligne 7, colonne « allergènes » : allergène inconnu « kiwi »" in html
    assert "Confirmer l" not in html
    assert not MenuWeek.objects.exists()


@pytest.mark.django_db
def test_agents_cannot_import_menus(client, agent):
    client.force_login(agent)
    assert client.get("/cms/cantine/importer/").status_code in (302, 403)


@pytest.mark.django_db
def test_excel_csv_in_windows_1252_with_capitalised_headers_is_read():
    content = GOOD.replace(
        "date;restaurant;composante;intitulé;végétarien;labels;allergènes",
        "Date;Restaurant;Composante;Intitulé;Végétarien;Labels;Allergènes",
    ).encode("cp1252")
    report = menu_week_import(content=content, filename="SEMAINE.CSV", dry_run=False)
    assert report.ok, report.errors
    assert MenuDish.objects.get(name="Crème au chocolat").allergens.count() == 2
