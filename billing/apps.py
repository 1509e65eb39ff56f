from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Facturation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The portal (families) shows billing's prices through hooks: families never imports billing.
        from families import pricing_hooks

        from .services.portal_pricing import family_unit_prices, planning_month_estimate
        from .services.qf_campaign import qf_campaign_todo

        pricing_hooks.register_month_estimate(planning_month_estimate)
        pricing_hooks.register_unit_prices(family_unit_prices)
        pricing_hooks.register_todo("qf_campaign", qf_campaign_todo)
