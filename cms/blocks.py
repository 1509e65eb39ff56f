"""StreamField blocks of the public site: text, image with required alt text, call-to-action, documents, hours, FAQ."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    """An image whose alternative text is mandatory (RGAA 1.1), with an optional caption."""

    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"), max_length=250,
        help_text=_("Décrit l'image pour les personnes qui ne la voient pas (obligatoire)."),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"


class LinkStructValue(blocks.StructValue):
    def url(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("url") or ""


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=120)
    text = blocks.TextBlock(label=_("texte"), required=False)
    button_label = blocks.CharBlock(label=_("libellé du bouton"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page du site"), required=False)
    url = blocks.CharBlock(label=_("ou adresse"), required=False, help_text=_("Ex. /portail/ ou https://…"))

    class Meta:
        icon = "link"
        label = _("Appel à l'action")
        template = "blocks/call_to_action_block.html"
        value_class = LinkStructValue


class DocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre"), required=False, max_length=120)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("document")), label=_("documents"))

    class Meta:
        icon = "doc-full"
        label = _("Liste de documents")
        template = "blocks/document_list_block.html"


class HoursRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("jour ou accueil"), max_length=80, help_text=_("Ex. Lundi, mardi, jeudi, vendredi"))
    hours = blocks.CharBlock(label=_("horaires"), max_length=120, help_text=_("Ex. 7h30 – 8h30 et 16h30 – 18h30"))


class HoursTableBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre"), required=False, max_length=120)
    rows = blocks.ListBlock(HoursRowBlock(), label=_("lignes"))

    class Meta:
        icon = "time"
        label = _("Tableau d'horaires")
        template = "blocks/hours_table_block.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("réponse"), features=["bold", "italic", "link", "ul", "ol"])


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("titre"), required=False, max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"))

    class Meta:
        icon = "help"
        label = _("Questions fréquentes")
        template = "blocks/faq_block.html"


class OutingBlock(blocks.StructBlock):
    """A trip of a holiday programme (sortie)."""

    date = blocks.DateBlock(label=_("date"))
    title = blocks.CharBlock(label=_("sortie"), max_length=150)
    description = blocks.TextBlock(label=_("description"), required=False)
    age_group = blocks.CharBlock(label=_("tranche d'âge"), required=False, max_length=60)

    class Meta:
        icon = "site"
        label = _("Sortie")
        template = "blocks/outing_block.html"


class AgeGroupBlock(blocks.StructBlock):
    """The activities planned for one age group (ex. « 3-5 ans : les petits explorateurs »)."""

    name = blocks.CharBlock(label=_("tranche d'âge"), max_length=80)
    theme = blocks.CharBlock(label=_("thème"), required=False, max_length=150)
    activities = blocks.ListBlock(blocks.CharBlock(label=_("activité"), max_length=200), label=_("activités"))

    class Meta:
        icon = "group"
        label = _("Activités par tranche d'âge")
        template = "blocks/age_group_block.html"


RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"]


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(label=_("Texte"), features=RICH_FEATURES, icon="pilcrow")
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    documents = DocumentListBlock()
    hours = HoursTableBlock()
    faq = FaqBlock()


class ProgrammeBodyBlock(BodyBlock):
    age_group = AgeGroupBlock()
    outing = OutingBlock()
