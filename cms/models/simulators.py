"""Public simulators page: QF estimate, tariffs of the activities and the school-sector finder, placed by the CMS staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .mixins import SeoMixin


class SimulatorPage(SeoMixin, Page):
    """« Simulateurs » : GET forms that work without JavaScript, computed by the billing services (never official)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    show_quotient = models.BooleanField(_("calculer mon quotient familial"), default=True)
    show_tariffs = models.BooleanField(_("voir le tarif des activités"), default=True)
    show_school_sector = models.BooleanField(_("trouver mon école de secteur"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("show_quotient"), FieldPanel("show_tariffs"), FieldPanel("show_school_sector")],
            heading=_("Simulateurs affichés"),
        ),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de simulateurs")
        verbose_name_plural = _("pages de simulateurs")

    @property
    def sections(self) -> tuple[str, ...]:
        from billing.views.simulation import QUOTIENT, SECTOR, TARIFFS

        flags = (
            (QUOTIENT, self.show_quotient),
            (TARIFFS, self.show_tariffs),
            (SECTOR, self.show_school_sector),
        )
        return tuple(name for name, shown in flags if shown)

    def get_context(self, request, *args, **kwargs):
        from billing.views.simulation import simulators_context

        context = super().get_context(request, *args, **kwargs)
        context.update(simulators_context(request.GET, sections=self.sections))
        return context
