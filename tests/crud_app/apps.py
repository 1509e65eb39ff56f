from django.apps import AppConfig


class CrudAppConfig(AppConfig):
    name = "tests.crud_app"
    label = "crud_app"
    default_auto_field = "django.db.models.BigAutoField"
