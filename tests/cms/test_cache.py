"""The public fragment cache follows the content: its version token changes with every publication or menu edit."""

import datetime

import pytest
from django.core.cache import cache

from cms.cache import public_cache_version
from cms.models import Course, MenuDish, MenuWeek, NewsPage


@pytest.mark.django_db
def test_publishing_or_editing_a_menu_changes_the_version(demo_site):
    first = public_cache_version()
    news = NewsPage.objects.first()
    news.title = "Nouveau titre"
    news.save_revision().publish()
    second = public_cache_version()
    assert second != first
    week = MenuWeek.objects.first()
    MenuDish.objects.create(week=week, day=week.week_start, course=Course.DESSERT, name="Kiwi")
    assert public_cache_version() != second


@pytest.mark.django_db
def test_the_version_lives_in_the_database_not_in_the_cache(client, demo_site):
    # Each worker process has its own local-memory cache: clearing it must not change what keys mean.
    before = public_cache_version()
    cache.clear()
    assert public_cache_version() == before


@pytest.mark.django_db
def test_unpublished_news_disappears_from_the_cached_home(client, demo_site):
    assert "Repas de Noël au restaurant scolaire" in client.get("/").content.decode()
    NewsPage.objects.get(slug="actualite-02").unpublish()
    assert "Repas de Noël au restaurant scolaire" not in client.get("/").content.decode()
    assert MenuWeek.objects.filter(week_start=datetime.date(2026, 11, 23)).exists()
