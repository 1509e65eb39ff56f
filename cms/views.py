"""Public views outside the page tree: site search."""

import re

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import render
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def search(request):
    # Control characters and quotes break full-text query syntax on some backends: a visitor's typo is not a 500.
    query = _CONTROL_CHARACTERS.sub(" ", request.GET.get("q", "")).strip()[:200]
    results_page = None
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public()
        if site:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        results = get_search_backend().search(query, pages, operator="and")
        try:
            results_page = Paginator(results, 10).get_page(request.GET.get("page", 1))
        except DatabaseError:
            # The backend refused the query text (e.g. unbalanced quotes with SQLite FTS5): no results, no crash.
            results_page = Paginator([], 10).get_page(1)
        # One query for the specific pages of this result page, instead of one per result.
        specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in results_page.object_list]).specific()}
        results_page.object_list = [specific.get(p.pk, p) for p in results_page.object_list]
    return render(request, "cms/search.html", {"search_query": query, "results": results_page})
