"""Site-wide settings edited in the CMS: the town, the service enfance's address, phones and opening hours.

They are the town's identity: the CMS registers `town_identity_source` with `backoffice.town`, which is what the
domain reads (families and billing never import the CMS).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="home")
class SiteSettings(BaseSiteSetting):
    town_name = models.CharField(_("nom de la commune"), max_length=120, default="Ville de Bessancourt")
    portal_name = models.CharField(_("nom du portail"), max_length=120, default="Portail Famille")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_name = models.CharField(_("nom du service"), max_length=120, default="Service enfance")
    address = models.TextField(_("adresse"), blank=True, help_text=_("Une ligne par ligne d'adresse."))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    phone_secondary = models.CharField(_("autre téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    opening_hours = models.TextField(
        _("horaires d'ouverture au public"),
        blank=True,
        help_text=_("Une ligne par plage, ex. « Lundi : 8h30 – 12h »."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("town_name"), FieldPanel("portal_name"), FieldPanel("logo")], heading=_("Commune")
        ),
        MultiFieldPanel(
            [
                FieldPanel("service_name"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("phone_secondary"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Service enfance"),
        ),
    ]

    class Meta:
        verbose_name = _("paramètres du site")

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.splitlines() if line.strip()]

    @property
    def opening_hours_lines(self) -> list[str]:
        return [line for line in self.opening_hours.splitlines() if line.strip()]


def town_identity_source() -> dict[str, str]:
    """What communication staff entered here, for `backoffice.town.town_identity()` (registered by CmsConfig)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {}
    town = SiteSettings.for_site(site)
    return {
        "town_name": town.town_name,
        "service_name": town.service_name,
        "contact_email": town.email,
        "contact_phone": town.phone,
        "contact_address": ", ".join(line.strip() for line in town.address_lines),
        "logo_url": town.logo.file.url if town.logo_id and town.logo else "",
    }


class PublicContentVersion(models.Model):
    """One row: the token that public fragment cache keys include (see cms.cache)."""

    token = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("version du contenu public")
