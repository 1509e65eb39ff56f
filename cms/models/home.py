"""The portal's front page: alerts, latest news, quick links and the login box."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from cms.cache import public_cache_version

from .mixins import SeoMixin


class HomeAlert(Orderable):
    """A dated notice at the top of the home page, ex. « Vacances de Noël : inscriptions jusqu'au 5 décembre »."""

    page = ParentalKey("cms.HomePage", on_delete=models.CASCADE, related_name="alerts")
    text = models.CharField(_("texte"), max_length=200)
    until = models.DateField(_("affichée jusqu'au"), help_text=_("L'alerte disparaît après cette date."))
    link_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("lien vers une page"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.CharField(_("ou adresse"), max_length=250, blank=True)

    panels = [FieldPanel("text"), FieldPanel("until"), FieldPanel("link_page"), FieldPanel("link_url")]

    @property
    def url(self):
        if self.link_page_id:
            return self.link_page.url
        return self.link_url


class HomeQuickLink(Orderable):
    page = ParentalKey("cms.HomePage", on_delete=models.CASCADE, related_name="quick_links")
    label = models.CharField(_("libellé"), max_length=60)
    description = models.CharField(_("description"), max_length=120, blank=True)
    icon = models.CharField(
        _("pictogramme"), max_length=20, blank=True,
        choices=[("menu", _("Menus")), ("document", _("Documents")), ("euro", _("Tarifs")), ("contact", _("Contact")),
                 ("calendar", _("Calendrier")), ("info", _("Information"))],
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("lien vers une page"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.CharField(_("ou adresse"), max_length=250, blank=True)

    panels = [FieldPanel("label"), FieldPanel("description"), FieldPanel("icon"), FieldPanel("link_page"),
              FieldPanel("link_url")]

    @property
    def url(self):
        if self.link_page_id:
            return self.link_page.url
        return self.link_url


class HomePage(SeoMixin, Page):
    """The town portal's front page."""

    intro = RichTextField(_("introduction"), blank=True)
    news_count = models.PositiveSmallIntegerField(_("nombre d'actualités affichées"), default=4)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("alerts", heading=_("Alertes"), label=_("alerte")),
        InlinePanel("quick_links", heading=_("Accès rapides"), label=_("accès rapide")),
        FieldPanel("news_count"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        from .news import NewsPage

        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        context["cache_version"] = public_cache_version(request)
        context["today"] = today

        # Lazy: only evaluated when the cached fragment is missing.
        def alerts():
            own = [a for a in self.alerts.select_related("link_page").all() if a.until >= today]
            pinned = (
                NewsPage.objects.live().public().filter(is_pinned=True)
                .filter(models.Q(pinned_until__isnull=True) | models.Q(pinned_until__gte=today))
                .order_by("-date")[:3]
            )
            return {"own": own, "pinned": list(pinned)}

        def latest_news():
            return list(
                NewsPage.objects.live().public().descendant_of(self)
                .select_related("category", "image").prefetch_related("image__renditions")
                .order_by("-date", "-pk")[: self.news_count]
            )

        def quick_links():
            return list(self.quick_links.select_related("link_page").all())

        context["alerts"] = alerts
        context["latest_news"] = latest_news
        context["quick_links"] = quick_links
        return context
