"""Put back what the cms migrations insert (quality labels, Communication permissions, news workflow)
after a transactional test flushed the database, through tests/reference_data.py's hook list."""

import importlib

from django.apps import apps


def restore_cms_reference_data() -> None:
    from wagtail.models import Collection

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    importlib.import_module("cms.migrations.0004_labels_permissions_workflow").forwards(apps, None)
    importlib.import_module("cms.migrations.0005_public_content_version").create_token(apps, None)
    importlib.import_module("cms.migrations.0006_news_approvers_group").forwards(apps, None)


def register() -> None:
    from tests.reference_data import _extra_hooks

    if restore_cms_reference_data not in _extra_hooks:
        _extra_hooks.append(restore_cms_reference_data)
