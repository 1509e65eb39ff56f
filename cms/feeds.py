"""RSS and Atom feeds of the news (actualités)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from cms.models import NewsPage


class NewsRssFeed(Feed):
    title = _("Actualités du service enfance")
    description = _("Les dernières actualités du Portail Famille : inscriptions, menus, vacances.")
    limit = 20

    def get_object(self, request, *args, **kwargs):
        # Nothing request-specific is kept on self: one Feed instance serves every thread.
        return Site.find_for_request(request)

    def link(self, site):
        return "/"

    def items(self, site):
        news = NewsPage.objects.live().public().select_related("category").order_by("-date", "-pk")
        if site:
            news = news.descendant_of(site.root_page)
        return news[: self.limit]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.full_url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.category.name] if item.category else []


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
