"""The public site's demo content agrees with itself: Christmas dates from the zone C calendar, published pages."""

import datetime

import pytest
from wagtail.models import Page

from cms.models import DocumentLibraryPage, HomeAlert, NewsPage, ProgrammePage

pytestmark = pytest.mark.django_db


def test_christmas_alert_news_and_programme_give_the_same_dates(demo_site):
    # Without a catalogue the CMS demo reads the 2026 Christmas holidays of zone C: 19 December – 3 January.
    alert = HomeAlert.objects.get()
    assert (alert.text, alert.until) == (
        "Vacances de Noël : inscriptions jusqu'au 5 décembre",
        datetime.date(2026, 12, 5),
    )
    news = NewsPage.objects.get(slug="actualite-01")
    assert news.title == alert.text
    assert "du lundi 21 au jeudi 31 décembre" in news.summary
    programme = ProgrammePage.objects.get(activity__name__contains="Noël")
    assert (programme.activity.period_start, programme.activity.period_end) == (
        datetime.date(2026, 12, 19),
        datetime.date(2027, 1, 3),
    )
    assert (programme.start_date, programme.end_date) == (
        datetime.date(2026, 12, 21),
        datetime.date(2026, 12, 31),
    )


def test_no_demo_page_is_left_with_an_unpublished_draft(demo_site):
    pages = Page.objects.filter(depth__gt=1)
    assert pages.count() > 20
    assert list(pages.filter(has_unpublished_changes=True).values_list("slug", flat=True)) == []
    # What an editor opens is the latest revision: it holds the inline alert and the library's documents.
    home = demo_site["home"].get_latest_revision_as_object()
    assert [alert.text for alert in home.alerts.all()] == [
        "Vacances de Noël : inscriptions jusqu'au 5 décembre"
    ]
    library = DocumentLibraryPage.objects.get().get_latest_revision_as_object()
    assert len(library.library_documents.all()) == 5


def test_accessibility_statement_names_the_town_in_a_sentence(client, demo_site):
    page = client.get("/accessibilite/").content.decode()
    assert "La ville de Bessancourt s'engage à rendre ses sites internet accessibles" in page
    assert "Ville de Bessancourt s'engage" not in page
