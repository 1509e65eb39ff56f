"""Public views outside the page tree: site search."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results_page = None
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public()
        if site:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = get_search_backend().search(query, pages, operator="and")
        results_page = Paginator(results, 10).get_page(request.GET.get("page", 1))
        # One query for the specific pages of this result page, instead of one per result.
        specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in results_page.object_list]).specific()}
        results_page.object_list = [specific.get(p.pk, p) for p in results_page.object_list]
    return render(request, "cms/search.html", {"search_query": query, "results": results_page})
