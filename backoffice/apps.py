"""The back-office app: loads every app's CRUD declarations and dashboard queues once models are ready."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back-office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from backoffice import checks, sanitising, signals  # noqa: F401

        # Each app declares its models once in `crud.py`; the engine builds admin, import/export and API.
        autodiscover_modules("crud")
        # Each app registers the work queues of the back-office index in `dashboard.py` (backoffice.dashboard).
        autodiscover_modules("dashboard")
