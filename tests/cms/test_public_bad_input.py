"""What a visitor or an editor can type into public URLs and imports never becomes a 500."""

import pytest
from wagtail.models import Page

from cms.menu_import import menu_week_import
from cms.models import NewsPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["\x00", "'\")(*", '"bio', "cantine AND (", "é" * 500])
def test_search_survives_any_query_text(client, demo_site, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200


def test_search_still_finds_pages(client, demo_site):
    page = client.get("/recherche/", {"q": "cantine"}).content.decode()
    assert '<h2><a href="/menus/">Menus de la cantine</a></h2>' in page


@pytest.mark.parametrize("week", ["0001-01-01", "0001-01-03", "9999-12-31", "1850-06-03"])
@pytest.mark.parametrize("suffix", ["", "imprimer/"])
def test_menu_weeks_out_of_range_are_404(client, demo_site, week, suffix):
    assert client.get(f"/menus/semaine/{week}/{suffix}").status_code == 404


@pytest.mark.parametrize("school", ["²", "9" * 24, "-1", "abc"])
def test_menu_school_parameter_is_ignored_when_not_an_id(client, demo_site, school):
    assert client.get("/menus/", {"ecole": school}).status_code == 200


def test_menu_import_refuses_an_implausible_year():
    content = "date;restaurant;composante;intitulé;végétarien;labels;allergènes\n01/01/0001;;plat;Riz;non;;\n"
    report = menu_week_import(content=content.encode(), filename="semaine.csv", dry_run=True)
    assert not report.ok
    assert report.errors == ["Ligne 2, colonne « date » : l'année 1 n'est pas plausible pour un menu."]


def test_communication_cannot_publish_news_by_copying_it(client, communication, demo_site):
    news = NewsPage.objects.live().first()
    client.force_login(communication)
    response = client.post(
        f"/cms/pages/{news.pk}/copy/",
        {
            "new_title": "Copie publiée",
            "new_slug": "copie-publiee",
            "new_parent_page": news.get_parent().pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert not Page.objects.filter(slug="copie-publiee", live=True).exists()


def test_communication_may_still_copy_news_as_a_draft(client, communication, demo_site):
    news = NewsPage.objects.live().first()
    client.force_login(communication)
    client.post(
        f"/cms/pages/{news.pk}/copy/",
        {
            "new_title": "Copie brouillon",
            "new_slug": "copie-brouillon",
            "new_parent_page": news.get_parent().pk,
        },
    )
    copy = Page.objects.get(slug="copie-brouillon")
    assert not copy.live
