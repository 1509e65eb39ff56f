"""Wagtail admin hooks: a link from the CMS to the staff back-office."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class BackofficeMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def register_backoffice_link():
    return BackofficeMenuItem(_("Gestion (back-office)"), "/gestion/", icon_name="site", order=10000)
