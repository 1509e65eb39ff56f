"""Programmes of the holidays and wednesdays, linked to the catalogue activity for the registration window."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import ProgrammeBodyBlock

from .mixins import SeoMixin


class ProgrammeIndexPage(SeoMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.ProgrammePage"]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("liste des programmes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = (
            ProgrammePage.objects.live().public().child_of(self).select_related("activity", "image").prefetch_related("image__renditions")
            .order_by("start_date")
        )
        return context


class ProgrammePage(SeoMixin, Page):
    """A holiday or wednesday programme; registration dates come from the catalogue activity, never retyped."""

    activity = models.ForeignKey(
        "families.Activity", verbose_name=_("activité du catalogue"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Les dates d'inscription affichées sont celles de l'activité."),
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    age_groups = models.CharField(_("tranches d'âge"), max_length=150, blank=True, help_text=_("Ex. 3 à 11 ans"))
    place = models.CharField(_("lieu"), max_length=150, blank=True)
    summary = models.TextField(_("résumé"), max_length=400, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("texte alternatif de l'image"), max_length=250, blank=True)
    body = StreamField(ProgrammeBodyBlock(), verbose_name=_("programme"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("activity"), FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("age_groups"),
             FieldPanel("place")],
            heading=_("Période"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.ProgrammeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("programme d'activités")
        verbose_name_plural = _("programmes d'activités")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La fin doit suivre le début.")
        if self.image_id and not self.image_alt.strip():
            errors["image_alt"] = _("Décrivez l'image pour les personnes qui ne la voient pas.")
        if errors:
            raise ValidationError(errors)

    def get_meta_description(self):
        return self.search_description or self.summary

    def get_og_image(self):
        return self.image

    @property
    def registration_window(self):
        activity = self.activity
        if activity and activity.registration_opens and activity.registration_closes:
            return activity.registration_opens, activity.registration_closes
        return None
