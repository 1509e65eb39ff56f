"""Wagtail admin for the public site: canteen menus (snippets + file import), news moderation, back-office link."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import MenuLabel, MenuWeek, NewsCategory, NewsIndexPage, NewsPage
from cms.views_admin import menu_import_template, menu_import_view
from cms.workflow import news_publish_allowed, news_workflow_assign


class BackofficeMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def register_backoffice_link():
    return BackofficeMenuItem(_("Gestion (back-office)"), "/gestion/", icon_name="site", order=10000)


class MenuWeekIndexView(SnippetIndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("cms.add_menudish"):
            buttons.append(HeaderButton(_("Importer un fichier"), url=reverse("cms_menu_import"), icon_name="upload"))
        return buttons


class MenuWeekViewSet(SnippetViewSet):
    model = MenuWeek
    index_view_class = MenuWeekIndexView
    icon = "date"
    menu_label = _("Menus de la semaine")
    list_display = ["__str__", "restaurant", "week_start", "updated_at"]
    list_filter = ["restaurant"]
    ordering = ["-week_start"]


class MenuLabelViewSet(SnippetViewSet):
    model = MenuLabel
    icon = "tag"
    menu_label = _("Labels de qualité")
    list_display = ["label", "short", "egalim"]


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "folder-open-inverse"
    menu_label = _("Catégories d'actualités")
    list_display = ["name", "slug"]


class CanteenGroup(SnippetViewSetGroup):
    items = (MenuWeekViewSet, MenuLabelViewSet)
    menu_icon = "date"
    menu_label = _("Cantine")
    menu_name = "cantine"
    menu_order = 250


register_snippet(CanteenGroup)
register_snippet(NewsCategoryViewSet)


class MenuImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cms.add_menuweek") and request.user.has_perm("cms.add_menudish")


@hooks.register("register_admin_urls")
def register_menu_import_urls():
    return [
        path("cantine/importer/", menu_import_view, name="cms_menu_import"),
        path("cantine/modele.csv", menu_import_template, name="cms_menu_import_template"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu_import_item():
    return MenuImportMenuItem(_("Importer un menu"), reverse("cms_menu_import"), icon_name="upload", order=260)


# News moderation ---------------------------------------------------------------------------------


@hooks.register("after_create_page")
def attach_news_workflow(request, page):
    if isinstance(page.specific, NewsIndexPage):
        news_workflow_assign(news_index=page)


def _is_news(page=None, parent=None) -> bool:
    if page is not None and isinstance(page.specific if page.pk else page, NewsPage):
        return True
    return parent is not None and isinstance(parent.specific, NewsIndexPage)


@hooks.register("construct_page_action_menu")
def hide_news_publish(menu_items, request, context):
    page, parent = context.get("page"), context.get("parent_page")
    if _is_news(page, parent) and not news_publish_allowed(user=request.user, page=page, parent=parent):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse_publish(request):
    messages.error(request, _("Les actualités sont publiées après validation : soumettez-la au circuit de validation."))


@hooks.register("before_edit_page")
def guard_news_publish_on_edit(request, page):
    if request.method == "POST" and "action-publish" in request.POST and _is_news(page):
        if not news_publish_allowed(user=request.user, page=page):
            _refuse_publish(request)
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_create_page")
def guard_news_publish_on_create(request, parent_page, page_class):
    if request.method == "POST" and "action-publish" in request.POST and issubclass(page_class, NewsPage):
        if not news_publish_allowed(user=request.user, parent=parent_page):
            _refuse_publish(request)
            return redirect("wagtailadmin_pages:add", "cms", "newspage", parent_page.pk)
    return None


@hooks.register("before_copy_page")
def guard_news_publish_on_copy(request, page):
    # "Publier les copies" would put news (the page itself or news below it) online without approval.
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    copies_news = _is_news(page) or page.get_descendants().type(NewsPage).exists()
    if copies_news and not news_publish_allowed(user=request.user, page=page):
        _refuse_publish(request)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def guard_news_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type == "publish":
        for obj in objects:
            if _is_news(obj) and not news_publish_allowed(user=request.user, page=obj):
                _refuse_publish(request)
                return redirect("wagtailadmin_explore", obj.get_parent().pk)
    return None
