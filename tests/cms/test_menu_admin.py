"""Communication staff type a menu week in the CMS: dishes inline, labels and allergens ticked."""

import datetime

import pytest
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.models import MenuDish, MenuLabel, MenuWeek, SiteSettings
from families.models import Allergen


def _week_form(day: str) -> dict:
    data = nested_form_data(
        {
            "week_start": "2026-11-30",
            "restaurant": "",
            "note": "Semaine du goût",
            "dishes": inline_formset(
                [
                    {
                        "day": day,
                        "course": "dessert",
                        "name": "Tarte aux pommes",
                        "is_vegetarian_alternative": "",
                    }
                ]
            ),
        }
    )
    # Multiple values of one field (checkboxes) are lists, which nested_form_data would number.
    data["dishes-0-labels"] = [MenuLabel.objects.get(code="fait-maison").pk]
    data["dishes-0-allergens"] = [
        Allergen.objects.get(code="gluten").pk,
        Allergen.objects.get(code="oeufs").pk,
    ]
    return data


@pytest.mark.django_db
def test_communication_creates_a_menu_week_in_the_cms(client, communication):
    client.force_login(communication)
    listing = client.get("/cms/snippets/cms/menuweek/")
    assert listing.status_code == 200
    assert 'href="/cms/cantine/importer/"' in listing.content.decode()
    assert client.get("/cms/snippets/cms/menuweek/add/").status_code == 200
    response = client.post("/cms/snippets/cms/menuweek/add/", _week_form("2026-12-02"))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    week = MenuWeek.objects.get()
    dish = MenuDish.objects.get(week=week)
    assert dish.day == datetime.date(2026, 12, 2)
    assert sorted(a.code for a in dish.allergens.all()) == ["gluten", "oeufs"]
    assert [label.code for label in dish.labels.all()] == ["fait-maison"]
    assert client.get(f"/cms/snippets/cms/menuweek/edit/{week.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_dish_outside_the_week_or_on_a_saturday_is_refused(client, communication):
    client.force_login(communication)
    response = client.post("/cms/snippets/cms/menuweek/add/", _week_form("2026-12-05"))
    assert response.status_code == 200
    assert "n&#x27;est pas un jour de semaine" in response.content.decode()
    response = client.post("/cms/snippets/cms/menuweek/add/", _week_form("2026-12-08"))
    assert "n&#x27;appartient pas à la semaine" in response.content.decode()
    bad_start = _week_form("2026-12-02")
    bad_start["week_start"] = "2026-12-01"
    assert "commence un lundi" in client.post("/cms/snippets/cms/menuweek/add/", bad_start).content.decode()
    assert not MenuWeek.objects.exists()


@pytest.mark.django_db
def test_communication_edits_site_settings(client, communication):
    client.force_login(communication)
    site = Site.objects.get(is_default_site=True)
    url = f"/cms/settings/cms/sitesettings/{site.pk}/"
    response = client.get("/cms/settings/cms/sitesettings/")
    assert response.status_code == 302 and response["Location"] == url
    form = client.get(url)
    assert form.status_code == 200
    data = {name: value or "" for name, value in form.context["form"].initial.items() if name != "logo"}
    data.update(phone="01 30 40 50 99", logo="")
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    assert SiteSettings.for_site(site).phone == "01 30 40 50 99"
