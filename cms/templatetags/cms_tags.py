"""Template helpers of the public site: main navigation, footer links, French dates, file sizes."""

from django import template
from django.core.cache import cache
from wagtail.models import Page, Site

from cms.cache import LAYOUT_TIMEOUT, layout_cache_version

register = template.Library()


def _site_root(request):
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def public_navigation(context):
    """Top-level pages shown in menus (« Afficher dans les menus »), as (title, url) pairs, cached per version."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    key = f"cms:nav:{site.pk}:{layout_cache_version()}"
    items = cache.get(key)
    if items is None:
        root = site.root_page
        items = [
            (page.title, page.get_url(request=request))
            for page in root.get_children().live().public().in_menu().order_by("path")
        ]
        cache.set(key, items, LAYOUT_TIMEOUT)
    return items


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """Legal pages linked from every footer: accessibility statement, legal notices, personal data, contact."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {}
    key = f"cms:footer:{site.pk}:{layout_cache_version()}"
    links = cache.get(key)
    if links is None:
        from cms.models import AccessibilityPage, ContactPage

        root = site.root_page
        links = {}
        accessibility = AccessibilityPage.objects.live().descendant_of(root).first()
        if accessibility:
            links["accessibility"] = (accessibility.get_url(request=request), accessibility.get_compliance_status_display())
        contact = ContactPage.objects.live().descendant_of(root).first()
        if contact:
            links["contact"] = contact.get_url(request=request)
        for slug in ("mentions-legales", "donnees-personnelles", "plan-du-site"):
            page = Page.objects.live().descendant_of(root).filter(slug=slug).first()
            if page:
                links[slug.replace("-", "_")] = (page.title, page.get_url(request=request))
        cache.set(key, links, LAYOUT_TIMEOUT)
    return links


@register.filter
def call(value):
    """Evaluate a lazy value passed in the context (a callable) inside a cached fragment."""
    return value() if callable(value) else value
