"""Page rules (who may live where) and every demo page rendering, with WagtailPageTestCase's assertions."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import (
    AccessibilityPage,
    ContactPage,
    DocumentLibraryPage,
    HomePage,
    MenuPage,
    NewsIndexPage,
    NewsPage,
    ProgrammeIndexPage,
    ProgrammePage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)


class TestPageTree(WagtailPageTestCase):
    def test_home_holds_the_sections(self):
        for page_type in (
            ServiceIndexPage,
            NewsIndexPage,
            MenuPage,
            DocumentLibraryPage,
            ProgrammeIndexPage,
            ContactPage,
            AccessibilityPage,
            StandardPage,
        ):
            self.assertCanCreateAt(HomePage, page_type)

    def test_items_live_under_their_index_only(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(ServicePage, {ServiceIndexPage})
        self.assertAllowedSubpageTypes(ServiceIndexPage, {ServicePage})
        self.assertAllowedParentPageTypes(ProgrammePage, {ProgrammeIndexPage})
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(NewsIndexPage, ServicePage)
        self.assertAllowedSubpageTypes(MenuPage, set())
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_only_one_home_news_index_and_menu_page(self):
        home = HomePage.objects.get()
        # The migration created the home page: max_count forbids a second one.
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        self.assertTrue(home.live)

    def test_news_page_can_be_created_through_the_admin_form(self):
        from tests.factories import StaffUserFactory

        self.client.force_login(StaffUserFactory(is_superuser=True))
        index = HomePage.objects.get().add_child(
            instance=NewsIndexPage(title="Actualités", slug="actualites")
        )
        self.assertCanCreate(
            index,
            NewsPage,
            nested_form_data(
                {
                    "title": "Inscriptions périscolaires",
                    "slug": "inscriptions",
                    "date": "2026-11-23",
                    "summary": "Les inscriptions sont ouvertes.",
                    "image_alt": "",
                    "body": streamfield([("text", rich_text("<p>Du 1er au 15 décembre.</p>"))]),
                }
            ),
        )

    def test_pages_render(self):
        import datetime
        from unittest import mock

        from cms.demo import seed_cms_demo
        from tests.factories import StaffUserFactory

        seed_cms_demo(today=datetime.date(2026, 11, 23))
        editor = StaffUserFactory(is_superuser=True)
        # Wagtail logs in with the first backend, which is django-axes' (it cannot load users).
        # (Editable/previewable need the editor's JavaScript-built StreamField data: see the admin tests.)
        with mock.patch("wagtail.test.utils.page_tests.AUTH_BACKEND", "backoffice.auth.EmailBackend"):
            for model in (
                HomePage,
                ServicePage,
                NewsPage,
                MenuPage,
                DocumentLibraryPage,
                ProgrammePage,
                AccessibilityPage,
                ContactPage,
                StandardPage,
            ):
                page = model.objects.live().first()
                self.assertPageIsRenderable(page)
                self.assertPageIsRenderable(page, user=editor)
        self.assertPageIsRoutable(MenuPage.objects.get(), "semaine/2026-11-16/")


@pytest.mark.django_db
def test_every_demo_page_renders(client, demo_site):
    pages = Page.objects.live().filter(depth__gte=2).specific()
    assert pages.count() >= 25
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert "<h1" in html, page.url
        assert 'class="skip-link"' in html and "<main" in html and 'role="contentinfo"' in html


@pytest.mark.django_db
def test_home_has_news_alerts_quick_links_and_login_box(client, demo_site):
    html = client.get("/").content.decode()
    assert "Vacances de Noël : inscriptions jusqu&#x27;au 5 décembre" in html
    assert "Jusqu'au 5 décembre" in html
    for label in ("Menus de la semaine", "Documents", "Simulateur de tarifs", "Nous contacter"):
        assert label in html
    assert html.count('class="news-card') == 4
    assert "Lire la suite" in html
    # The login box posts to the portal's login with its field names.
    assert 'action="/portail/connexion/"' in html
    for snippet in (
        'name="username"',
        'name="password"',
        'name="remember_me"',
        "csrfmiddlewaretoken",
        "Nom d'utilisateur",
        "Mot de passe",
        "Se rappeler de moi",
        'href="/portail/mot-de-passe-oublie/"',
        "Mot de passe oublié ?",
        'href="/portail/inscription/"',
        "Créer mon espace",
    ):
        assert snippet in html, snippet


@pytest.mark.django_db
def test_footer_shows_site_settings_and_legal_links(client, demo_site):
    html = client.get("/contact/").content.decode()
    assert "01 30 40 50 60" in html
    assert "enfance@ville-bessancourt.fr" in html
    assert "Mercredi : 8h30 – 12h" in html
    assert "Accessibilité : partiellement conforme" in html
    assert 'href="/mentions-legales/"' in html and 'href="/donnees-personnelles/"' in html


@pytest.mark.django_db
def test_accessibility_statement_follows_the_rgaa_model(client, demo_site):
    html = client.get("/accessibilite/").content.decode()
    assert "partiellement conforme" in html
    assert "Défenseur des droits" in html
    assert "Moyens alternatifs" in html
    assert "82 %" in html


@pytest.mark.django_db
def test_service_page_shows_hours_faq_documents_and_catalogue_deadlines(client, demo_site):
    from tests.factories import ActivityFactory

    ActivityFactory(name="Restauration scolaire 2026-2027", kind="restauration", add_deadline_days=3)
    html = client.get("/activites/restauration-scolaire/").content.decode()
    assert "Horaires" in html and "<table" in html
    assert "<details>" in html and "Comment signaler une absence ?" in html
    assert "Règlement intérieur" in html
    assert "Restauration scolaire 2026-2027" in html
    assert "Réservation : 3 jours ouvrés avant, à 10h00." in html
    assert "Voir les tarifs" in html


@pytest.mark.django_db
def test_programme_shows_the_registration_window_of_its_activity(client, demo_site):
    programme = ProgrammePage.objects.live().select_related("activity").first()
    activity = programme.activity
    html = client.get(programme.url).content.decode()
    from django.utils.formats import date_format

    expected = (
        f"Inscriptions du {date_format(activity.registration_opens, 'l j F Y')} "
        f"au {date_format(activity.registration_closes, 'l j F Y')}"
    )
    assert expected in html
    assert "Sortie" in html


@pytest.mark.django_db
def test_seo_title_description_and_open_graph(client, demo_site):
    news = NewsPage.objects.live().exclude(image=None).first()
    html = client.get(news.url).content.decode()
    assert f"<title>{news.title}" in html.replace("&#x27;", "'")
    assert '<meta name="description"' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    assert '<link rel="canonical"' in html


@pytest.mark.django_db
def test_the_home_login_box_logs_a_parent_in(client, demo_site, small_town):
    from tests.conftest import PASSWORD

    client.get("/")
    response = client.post(
        "/portail/connexion/",
        {
            "username": "claire.martin@exemple.fr",
            "password": PASSWORD,
            "remember_me": "on",
        },
    )
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Accéder à mon espace" in html and 'name="password"' not in html
