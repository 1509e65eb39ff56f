"""News (actualités): categories, the news index with pagination and category filter, and news items."""

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock

from .mixins import SeoMixin


class NewsCategory(models.Model):
    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("catégorie d'actualité")
        verbose_name_plural = _("catégories d'actualités")
        ordering = ["name"]

    def __str__(self):
        return self.name



class NewsIndexPage(SeoMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.NewsPage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1
    per_page = 10

    class Meta:
        verbose_name = _("liste des actualités")

    def news(self):
        return (
            NewsPage.objects.live().public().child_of(self)
            .select_related("category", "image")
            .prefetch_related("image__renditions")
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = self.news()
        categories = list(NewsCategory.objects.all())
        current = request.GET.get("categorie", "")
        current_category = next((c for c in categories if c.slug == current), None)
        if current_category:
            items = items.filter(category=current_category)
        paginator = Paginator(items, self.per_page)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context.update(
            news_page=page_obj, categories=categories, current_category=current_category,
            paginator=paginator,
        )
        return context


class NewsPage(SeoMixin, Page):
    """A news item; publish and expiry dates come from Wagtail's scheduling (go_live_at / expire_at)."""

    date = models.DateField(_("date"), default=timezone.localdate)
    category = models.ForeignKey(
        NewsCategory, verbose_name=_("catégorie"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("résumé"), max_length=400, help_text=_("Affiché dans les listes (2 ou 3 phrases)."))
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"), max_length=250, blank=True,
        help_text=_("Obligatoire avec une image : décrit l'image. Laisser vide si elle est purement décorative."),
    )
    image_is_decorative = models.BooleanField(_("image décorative"), default=False)
    is_pinned = models.BooleanField(
        _("épinglée"), default=False, help_text=_("Affichée en alerte en haut de la page d'accueil."),
    )
    pinned_until = models.DateField(
        _("épinglée jusqu'au"), null=True, blank=True, help_text=_("Ex. la date limite d'inscription annoncée."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("category"), FieldPanel("is_pinned"), FieldPanel("pinned_until")],
            heading=_("Publication"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_is_decorative")], heading=_("Image")
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip() and not self.image_is_decorative:
            raise ValidationError({"image_alt": _("Décrivez l'image, ou indiquez qu'elle est décorative.")})

    def get_meta_description(self):
        return self.search_description or self.summary

    og_type = "article"

    def get_og_image(self):
        return self.image
