"""Emails and documents are signed with what communication staff entered in the CMS site settings."""

import pytest
from wagtail.models import Site

from cms.models.site_settings import SiteSettings
from families.services.emails import town_context

pytestmark = pytest.mark.django_db


def test_cms_site_settings_win_over_django_defaults(settings):
    town = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    town.town_name = "Ville de Taverny"
    town.email = "enfance@ville-taverny.fr"
    town.phone = "01 34 18 00 00"
    town.address = "Hôtel de ville\n2 place Charles de Gaulle\n95150 Taverny"
    town.save()
    identity = town_context()
    assert identity["town_name"] == "Ville de Taverny"
    assert identity["contact_email"] == "enfance@ville-taverny.fr"
    assert identity["contact_address"] == "Hôtel de ville, 2 place Charles de Gaulle, 95150 Taverny"
    assert identity["service_name"]  # never empty


def test_django_settings_fill_what_the_cms_leaves_empty(settings):
    settings.PORTAIL_CONTACT_PHONE = "01 30 40 44 34"
    town = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    town.phone = ""
    town.save()
    assert town_context()["contact_phone"] == "01 30 40 44 34"
