"""The public canteen menu page: this week, previous/next weeks, a printable view and a PDF."""

import datetime

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.cache import public_cache_version

from .menus import MENU_YEARS, MenuDish, MenuLabel, MenuWeek, week_monday
from .mixins import SeoMixin


def current_week_start(today: datetime.date) -> datetime.date:
    """The week shown as « cette semaine »: on Saturday and Sunday parents look at the coming week."""
    if today.weekday() >= 5:
        return week_monday(today) + datetime.timedelta(days=7)
    return week_monday(today)


def menu_week_get(*, week_start: datetime.date, restaurant_id: int | None) -> MenuWeek | None:
    """The week's menu for a restaurant, falling back to the common menu; dishes, labels and allergens prefetched."""
    dishes = Prefetch(
        "dishes", queryset=MenuDish.objects.prefetch_related("labels", "allergens").order_by("day", "sort_order")
    )
    weeks = MenuWeek.objects.filter(week_start=week_start).select_related("restaurant").prefetch_related(dishes)
    candidates = list(weeks.filter(restaurant_id=restaurant_id)) if restaurant_id else []
    if not candidates:
        candidates = list(weeks.filter(restaurant__isnull=True))
    return candidates[0] if candidates else None


class MenuPage(SeoMixin, RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "document-link"])
    vegetarian_note = RichTextField(
        _("information sur le repas végétarien"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("vegetarian_note")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("menus de la cantine")

    def week_url(self, week_start: datetime.date, suffix: str = "", restaurant_id=None) -> str:
        url = self.url + self.reverse_subpage(f"week{suffix}", kwargs={"week": week_start.isoformat()})
        if restaurant_id:
            url += f"?ecole={restaurant_id}"
        return url

    def _parse_week(self, value: str) -> datetime.date:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise Http404 from exc
        # Far-away weeks have no menu, and year 1 or 9999 would overflow the previous/next week links.
        if not MENU_YEARS[0] <= day.year <= MENU_YEARS[1]:
            raise Http404
        return week_monday(day)

    def _restaurant_id(self, request) -> int | None:
        value = request.GET.get("ecole", "")
        # isdigit() alone accepts "²" and 30-digit numbers that no database id can be.
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

    def week_context(self, request, week_start: datetime.date) -> dict:
        from families.models import Allergen, School

        restaurant_id = self._restaurant_id(request)
        today = timezone.localdate()
        this_week = current_week_start(today)
        restaurants = School.objects.filter(menu_weeks__isnull=False).distinct().order_by("name")
        previous_week = week_start - datetime.timedelta(days=7)
        next_week = week_start + datetime.timedelta(days=7)
        return {
            "page": self,
            "self": self,
            "week_start": week_start,
            "week_end": week_start + datetime.timedelta(days=4),
            "is_this_week": week_start == this_week,
            "this_week_url": self.week_url(this_week, restaurant_id=restaurant_id),
            "previous_url": self.week_url(previous_week, restaurant_id=restaurant_id),
            "next_url": self.week_url(next_week, restaurant_id=restaurant_id),
            "print_url": self.week_url(week_start, "_print", restaurant_id),
            "pdf_url": self.week_url(week_start, "_pdf", restaurant_id),
            "restaurant_id": restaurant_id,
            "restaurants": restaurants,
            "cache_version": public_cache_version(request),
            "today": today,
            # Lazy: only run when the cached fragment is missing.
            "menu_week": lambda: menu_week_get(week_start=week_start, restaurant_id=restaurant_id),
            "allergens": lambda: list(Allergen.objects.all()),
            "labels": lambda: list(MenuLabel.objects.all()),
        }

    @path("")
    def this_week(self, request):
        return self._render_week(request, current_week_start(timezone.localdate()))

    @path("semaine/<str:week>/", name="week")
    def week(self, request, week):
        return self._render_week(request, self._parse_week(week))

    def _render_week(self, request, week_start):
        context = self.get_context(request)
        context.update(self.week_context(request, week_start))
        return TemplateResponse(request, "cms/menu_page.html", context)

    @path("semaine/<str:week>/imprimer/", name="week_print")
    def week_print(self, request, week):
        context = self.get_context(request)
        context.update(self.week_context(request, self._parse_week(week)))
        return TemplateResponse(request, "cms/menu_print.html", context)

    @path("semaine/<str:week>/pdf/", name="week_pdf")
    def week_pdf(self, request, week):
        from cms.pdf import menu_week_pdf

        week_start = self._parse_week(week)
        menu = menu_week_get(week_start=week_start, restaurant_id=self._restaurant_id(request))
        if menu is None:
            raise Http404(_("Aucun menu pour cette semaine."))
        response = HttpResponse(menu_week_pdf(menu=menu), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="menu-{week_start.isoformat()}.pdf"'
        return response
