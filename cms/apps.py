from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site public")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from backoffice import town
        from cms import signals
        from cms.models.site_settings import town_identity_source

        signals.connect()
        # The site settings are where staff edit the town's identity; the domain reads it through backoffice.town.
        town.register_source(town_identity_source)
