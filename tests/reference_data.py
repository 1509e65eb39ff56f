"""Recreate the rows that migrations insert (roles, allergens, class levels, Wagtail tree) after a test flush."""

import importlib

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes


def restore_reference_data() -> None:
    from families.models import Allergen

    if Allergen.objects.exists():
        return
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    importlib.import_module("backoffice.migrations.0002_staff_groups").create_groups(apps, _Editor())
    importlib.import_module("families.migrations.0002_reference_data").seed(apps, None)
    _restore_wagtail_tree()
    for hook in _extra_hooks:
        hook()


# Other apps whose migrations insert data add their restore function here (see tests/conftest.py).
_extra_hooks: list = []


class _Editor:
    class connection:  # noqa: N801 - mimics schema_editor.connection
        alias = "default"


def _restore_wagtail_tree() -> None:
    from wagtail.models import Collection, Locale, Page, Site

    from cms.models import HomePage

    locale, _ = Locale.objects.get_or_create(language_code="fr")
    if not Collection.objects.exists():  # images and documents need the root collection
        Collection.add_root(name="Root")
    if Page.objects.exists():
        return
    root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=HomePage(title="Accueil", slug="home", locale=locale))
    Site.objects.create(
        hostname="localhost", site_name="Portail Famille", root_page=home, is_default_site=True
    )
