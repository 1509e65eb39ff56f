"""Invalidate the public fragment cache whenever what it shows changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from cms.cache import public_cache_bump


def connect() -> None:
    from wagtail.models import Page

    from cms.models import MenuDish, MenuLabel, MenuWeek, NewsCategory, SiteSettings

    page_published.connect(public_cache_bump, dispatch_uid="cms_cache_page_published")
    page_unpublished.connect(public_cache_bump, dispatch_uid="cms_cache_page_unpublished")
    post_delete.connect(public_cache_bump, sender=Page, dispatch_uid="cms_cache_page_deleted")
    for model in (MenuWeek, MenuDish, MenuLabel, NewsCategory, SiteSettings):
        post_save.connect(public_cache_bump, sender=model, dispatch_uid=f"cms_cache_{model.__name__}_saved")
        post_delete.connect(public_cache_bump, sender=model, dispatch_uid=f"cms_cache_{model.__name__}_deleted")
