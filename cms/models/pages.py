"""Content pages: services, documents library, contact, accessibility statement, legal and generic pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from families.models import ActivityKind

from .mixins import SeoMixin

SHORT_RICH = ["bold", "italic", "link", "document-link", "ul", "ol"]


class StandardPage(SeoMixin, Page):
    """A free page: legal notices (mentions légales), personal data, or anything else."""

    intro = models.TextField(_("chapeau"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("page de contenu")

    def get_meta_description(self):
        return self.search_description or self.intro


class ServiceIndexPage(SeoMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=SHORT_RICH)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.ServicePage"]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("liste des services")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.live().public().child_of(self).order_by("path")
        return context


class ServicePage(SeoMixin, Page):
    """One service (restauration scolaire, périscolaire, mercredis, vacances…): how it works and how to enrol."""

    activity_kind = models.CharField(
        _("type d'activité du catalogue"), max_length=16, blank=True, choices=ActivityKind.choices,
        help_text=_("Affiche les inscriptions et délais des activités de ce type."),
    )
    summary = models.TextField(_("résumé"), max_length=300, help_text=_("Affiché dans la liste des services."))
    who_may_enrol = RichTextField(_("qui peut s'inscrire ?"), blank=True, features=SHORT_RICH)
    how_to_enrol = RichTextField(_("comment s'inscrire et réserver ?"), blank=True, features=SHORT_RICH)
    body = StreamField(BodyBlock(), verbose_name=_("fonctionnement"), blank=True)
    tariffs_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page des tarifs"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    tariffs_url = models.CharField(_("ou adresse des tarifs"), max_length=250, blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("activity_kind"),
        FieldPanel("body"),
        FieldPanel("who_may_enrol"),
        FieldPanel("how_to_enrol"),
        MultiFieldPanel([FieldPanel("tariffs_page"), FieldPanel("tariffs_url")], heading=_("Tarifs")),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email")], heading=_("Contact")
        ),
    ]
    search_fields = [
        *Page.search_fields, index.SearchField("summary"), index.SearchField("body"),
        index.SearchField("who_may_enrol"), index.SearchField("how_to_enrol"),
    ]
    parent_page_types = ["cms.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de service")

    def get_meta_description(self):
        return self.search_description or self.summary

    @property
    def tariffs_link(self):
        if self.tariffs_page_id:
            return self.tariffs_page.url
        return self.tariffs_url

    def activities(self):
        """Current and coming activities of this kind, with their registration window and change deadline."""
        if not self.activity_kind:
            return []
        from django.utils import timezone

        from families.models import Activity

        return list(
            Activity.objects.filter(kind=self.activity_kind, is_active=True, period_end__gte=timezone.localdate())
            .order_by("period_start")[:6]
        )


class DocumentCategory(models.TextChoices):
    REGLEMENT = "reglement", _("Règlements intérieurs")
    INSCRIPTION = "inscription", _("Dossiers d'inscription")
    TARIFS = "tarifs", _("Tarifs")
    MENUS = "menus", _("Menus")
    PROGRAMMES = "programmes", _("Programmes")
    AUTRE = "autre", _("Autres documents")


CATEGORY_ORDER = {value: rank for rank, value in enumerate(DocumentCategory.values)}


class LibraryDocument(Orderable):
    page = ParentalKey("cms.DocumentLibraryPage", on_delete=models.CASCADE, related_name="library_documents")
    category = models.CharField(_("catégorie"), max_length=16, choices=DocumentCategory.choices)
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="+")
    description = models.CharField(_("description"), max_length=250, blank=True)

    panels = [FieldPanel("category"), FieldPanel("document"), FieldPanel("description")]


class DocumentLibraryPage(SeoMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=SHORT_RICH)

    content_panels = [
        *Page.content_panels, FieldPanel("intro"),
        InlinePanel("library_documents", heading=_("Documents"), label=_("document")),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("bibliothèque de documents")

    def grouped_documents(self):
        items = sorted(
            self.library_documents.select_related("document").all(),
            key=lambda item: (CATEGORY_ORDER.get(item.category, 99), item.sort_order or 0),
        )
        groups: list[dict] = []
        for item in items:
            if not groups or groups[-1]["category"] != item.category:
                groups.append({"category": item.category, "label": item.get_category_display(), "items": []})
            groups[-1]["items"].append(item)
        return groups


class ContactPage(SeoMixin, Page):
    """Shows the service enfance's address, phones and opening hours from the site settings."""

    intro = RichTextField(_("introduction"), blank=True, features=SHORT_RICH)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("page contact")


class ComplianceStatus(models.TextChoices):
    TOTAL = "totale", _("totalement conforme")
    PARTIAL = "partielle", _("partiellement conforme")
    NONE = "non", _("non conforme")


class AccessibilityPage(SeoMixin, Page):
    """The RGAA accessibility statement (déclaration d'accessibilité)."""

    compliance_status = models.CharField(
        _("état de conformité"), max_length=10, choices=ComplianceStatus.choices, default=ComplianceStatus.PARTIAL
    )
    compliance_rate = models.DecimalField(
        _("taux de conformité (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    audit_date = models.DateField(_("date de l'audit"), null=True, blank=True)
    audit_by = models.CharField(_("audit réalisé par"), max_length=150, blank=True)
    non_compliant = RichTextField(_("contenus non accessibles"), blank=True, features=SHORT_RICH)
    alternative_means = RichTextField(
        _("moyens alternatifs"), blank=True, features=SHORT_RICH,
        help_text=_("Comment obtenir l'information autrement (téléphone, accueil…)."),
    )
    technologies = models.CharField(
        _("technologies utilisées"), max_length=200, default="HTML5, CSS, JavaScript (facultatif)"
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("compliance_status"), FieldPanel("compliance_rate"), FieldPanel("audit_date"),
             FieldPanel("audit_by")],
            heading=_("Conformité"),
        ),
        FieldPanel("non_compliant"),
        FieldPanel("alternative_means"),
        FieldPanel("technologies"),
    ]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("déclaration d'accessibilité")
