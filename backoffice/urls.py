"""Root URLconf: public site (Wagtail) at /, portal at /portail/, back-office at /gestion/, CMS at /cms/, API."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from backoffice.admin import site as backoffice_site
from cms import views as cms_views
from cms.feeds import NewsAtomFeed, NewsRssFeed

urlpatterns = [
    path("gestion/facturation/", include("billing.staff.urls")),
    path("gestion/", include("families.staff.urls")),  # staff screens (appel, effectifs…), before the admin
    path("gestion/", backoffice_site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("api.urls")),
    path("portail/", include("families.urls")),
    path("portail/", include("billing.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public site (cms): search, sitemap and news feeds, before Wagtail's catch-all.
urlpatterns += [
    path("recherche/", cms_views.search, name="cms_search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("flux/actualites.rss", NewsRssFeed(), name="cms_news_rss"),
    path("flux/actualites.atom", NewsAtomFeed(), name="cms_news_atom"),
]

urlpatterns += [path("", include(wagtail_urls))]
