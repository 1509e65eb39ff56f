"""The staff back-office at /gestion/: a French admin site fed by the CRUD engine."""

from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import dashboard
from .models import User


class BackofficeSite(admin.AdminSite):
    site_header = _("Portail Famille — gestion du service enfance")
    site_title = _("Gestion Portail Famille")
    index_title = _("Tableau de bord")
    index_template = "backoffice/index.html"

    def each_context(self, request):
        context = super().each_context(request)
        context["cms_url"] = "/cms/"
        return context

    def index(self, request, extra_context=None):
        # The work queues the apps registered (backoffice.dashboard), those this user may see.
        return super().index(request, {"queues": dashboard.queues_for(request.user), **(extra_context or {})})


site = BackofficeSite(name="gestion")


@admin.action(permissions=["delete"], description=_("Supprimer la sélection"))
def delete_selected(modeladmin, request, queryset):
    """Django's bulk deletion; its French label (« Supprimer les %(verbose_name_plural)s sélectionnés ») gave
    « les messagerie sélectionnés » and « les démarches sélectionnés »: this one agrees with every noun."""
    return django_delete_selected(modeladmin, request, queryset)


site.add_action(delete_selected, "delete_selected")


@admin.register(User, site=site)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "first_name", "last_name", "username")
    fieldsets = (
        (None, {"fields": ("email", "username", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (
            _("Rôles et droits"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates importantes"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")


site.register(Group, GroupAdmin)
