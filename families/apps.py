from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = _("Familles et activités")
    default_auto_field = "django.db.models.BigAutoField"
