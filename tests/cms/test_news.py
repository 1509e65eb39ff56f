"""News: listing with pagination and category filter, pinned alerts, expiry, feeds, search, sitemap, query budget."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from cms.models import HomePage, NewsCategory, NewsIndexPage, NewsPage


@pytest.mark.django_db
def test_news_index_paginates_and_filters_by_category(client, demo_site):
    html = client.get("/actualites/").content.decode()
    assert html.count('class="news-card') == 10
    assert "Page 1 sur 2" in html
    page_two = client.get("/actualites/?page=2").content.decode()
    assert page_two.count('class="news-card') == 2
    vacances = client.get("/actualites/?categorie=vacances").content.decode()
    assert (
        vacances.count('class="news-card') == NewsPage.objects.filter(category__slug="vacances").count() == 2
    )
    assert "Actualités — Vacances" in vacances
    assert client.get("/actualites/?page=99").status_code == 200


@pytest.mark.django_db
def test_news_item_shows_date_category_summary_and_body(client, demo_site):
    news = NewsPage.objects.get(slug="actualite-02")
    html = client.get(news.url).content.decode()
    assert "Repas de Noël au restaurant scolaire" in html
    assert "jeudi 19 novembre 2026" in html
    assert "Restauration scolaire" in html
    assert "01 30 40 50 60" in html


@pytest.mark.django_db
def test_pinned_news_is_an_alert_on_home_until_its_date(client, demo_site, monkeypatch):
    html = client.get("/").content.decode()
    assert (
        'class="alert"' in html
        and "Dossier famille : pensez à mettre à jour vos justificatifs" in html.split('class="home-grid"')[0]
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 20))
    cache.clear()
    html = client.get("/").content.decode()
    assert 'class="alerts"' not in html


@pytest.mark.django_db
def test_expired_news_leaves_the_site(client, demo_site):
    from wagtail.models import Page

    news = NewsPage.objects.get(slug="actualite-01")
    news.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    news.save_revision().publish()
    from django.core.management import call_command

    call_command("publish_scheduled")
    assert not Page.objects.get(pk=news.pk).live
    assert client.get(news.url).status_code == 404
    assert news.title not in client.get("/actualites/").content.decode()


@pytest.mark.django_db
def test_rss_and_atom_feeds(client, demo_site):
    rss = client.get("/flux/actualites.rss")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert rss.content.count(b"<item>") == 12
    atom = client.get("/flux/actualites.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"Repas de No\xc3\xabl" in atom.content


@pytest.mark.django_db
def test_search_finds_pages_and_news(client, demo_site):
    html = client.get("/recherche/", {"q": "quotient"}).content.decode()
    assert "Quotient familial : faites calculer votre tarif" in html
    html = client.get("/recherche/", {"q": "périscolaire"}).content.decode()
    assert "Accueil périscolaire" in html
    assert "Aucun résultat" in client.get("/recherche/", {"q": "xylophone"}).content.decode()


@pytest.mark.django_db
def test_sitemap_lists_public_pages(client, demo_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/actualites/actualite-01/" in body
    assert "/menus/" in body and "/activites/restauration-scolaire/" in body


def _many_news(index: NewsIndexPage, count: int, category) -> None:
    for n in range(count):
        index.add_child(
            instance=NewsPage(
                title=f"Actualité {n}",
                slug=f"actu-{n}",
                date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 700),
                summary="Résumé.",
                category=category,
                is_pinned=n % 100 == 0,
            )
        )


HOME_QUERY_BUDGET = 32


@pytest.mark.django_db
def test_home_and_news_list_query_counts_are_constant_with_1000_news(
    client, demo_site, django_assert_max_num_queries
):
    client.get("/")  # image renditions are generated once, on the first visit
    client.get("/actualites/")
    cache.clear()
    with django_assert_max_num_queries(HOME_QUERY_BUDGET) as small_home:
        client.get("/")
    cache.clear()
    with django_assert_max_num_queries(HOME_QUERY_BUDGET) as small_list:
        client.get("/actualites/")
    _many_news(demo_site["news_index"], 988, NewsCategory.objects.get(slug="vacances"))
    assert NewsPage.objects.count() == 1000
    cache.clear()
    with django_assert_max_num_queries(HOME_QUERY_BUDGET) as big_home:
        assert client.get("/").status_code == 200
    cache.clear()
    with django_assert_max_num_queries(HOME_QUERY_BUDGET) as big_list:
        html = client.get("/actualites/?categorie=vacances&page=50").content.decode()
    assert "Page 50 sur 99" in html
    assert len(big_home.captured_queries) <= len(small_home.captured_queries)
    assert len(big_list.captured_queries) <= len(small_list.captured_queries)
    # Served from the cache: the news and alerts are not queried again.
    with django_assert_max_num_queries(len(big_home.captured_queries) - 5):
        client.get("/")
    assert HomePage.objects.count() == 1
