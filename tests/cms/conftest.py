"""Fixtures of the public site tests: a clean cache, the demo site on a fixed date, page builders."""

import datetime

import pytest
from django.core.cache import cache

from cms.demo import seed_cms_demo
from cms.models import HomePage, MenuPage, NewsIndexPage

from .reference import register

TODAY = datetime.date(2026, 11, 23)  # a Monday

register()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Public fragments are cached in the process-wide cache: never let one test see another's pages.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today(monkeypatch):
    """Freeze « today » for the public pages (timezone.localdate) on TODAY."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def demo_site(db, today):
    seed_cms_demo(today=today)
    return {
        "home": HomePage.objects.get(),
        "news_index": NewsIndexPage.objects.get(),
        "menu_page": MenuPage.objects.get(),
    }
