"""Keep staff groups' permissions in step with the models after each migrate."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def sync_roles_after_migrate(sender, using="default", **kwargs):
    # post_migrate fires once per app, ours first: create every app's permissions now so each group gets them all.
    if sender.name != "backoffice":
        return
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    from .roles import roles_sync

    roles_sync(using=using)
