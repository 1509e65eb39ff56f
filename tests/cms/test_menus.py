"""The canteen menu page: this week one click from home, week navigation, allergens, print and PDF views."""

import datetime

import pytest
from django.core.cache import cache

from cms.models import Course, MenuDish, MenuLabel, MenuPage, MenuWeek, current_week_start
from families.models import Allergen

D = datetime.timedelta


def test_weekend_shows_the_coming_week():
    assert current_week_start(datetime.date(2026, 11, 25)) == datetime.date(2026, 11, 23)
    assert current_week_start(datetime.date(2026, 11, 28)) == datetime.date(2026, 11, 30)


@pytest.mark.django_db
def test_this_week_is_one_click_from_home(client, demo_site):
    home = client.get("/").content.decode()
    assert 'href="/menus/"' in home
    html = client.get("/menus/").content.decode()
    assert "Menus de la semaine" in html
    assert "Du lundi 23 novembre au vendredi 27 novembre 2026" in html
    assert 'Lundi 23 novembre <span class="tag today-tag">aujourd\'hui</span>' in html
    for course in ("Entrée", "Plat", "Accompagnement", "Produit laitier", "Dessert"):
        assert course in html
    assert "Alternative végétarienne" in html
    assert 'class="badge badge-allergen">Lait<' in html
    assert 'class="badge badge-label"' in html


@pytest.mark.django_db
def test_previous_and_next_weeks_navigate(client, demo_site):
    html = client.get("/menus/").content.decode()
    assert 'href="/menus/semaine/2026-11-16/"' in html
    assert 'href="/menus/semaine/2026-11-30/"' in html
    previous = client.get("/menus/semaine/2026-11-16/").content.decode()
    assert "Du lundi 16 novembre au vendredi 20 novembre 2026" in previous
    assert '<a class="button" href="/menus/semaine/2026-11-23/">Cette semaine</a>' in previous
    # Any day of a week leads to its Monday; nonsense is a 404.
    assert "Du lundi 16 novembre" in client.get("/menus/semaine/2026-11-19/").content.decode()
    assert client.get("/menus/semaine/pas-une-date/").status_code == 404
    far = client.get("/menus/semaine/2030-01-07/").content.decode()
    assert "pas encore publié" in far


@pytest.mark.django_db
def test_print_and_pdf_views(client, demo_site):
    printable = client.get("/menus/semaine/2026-11-23/imprimer/")
    assert printable.status_code == 200
    assert b"data-print" in printable.content
    pdf = client.get("/menus/semaine/2026-11-23/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/menus/semaine/2031-01-06/pdf/").status_code == 404


@pytest.mark.django_db
def test_restaurant_menu_overrides_the_common_menu(client, demo_site):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="École maternelle Les Lilas")
    week = MenuWeek.objects.create(restaurant=school, week_start=datetime.date(2026, 11, 23))
    MenuDish.objects.create(
        week=week, day=datetime.date(2026, 11, 24), course=Course.PLAT, name="Hachis parmentier"
    )
    assert "Hachis parmentier" not in client.get("/menus/").content.decode()
    html = client.get(f"/menus/?ecole={school.pk}").content.decode()
    assert "Hachis parmentier" in html
    assert "École maternelle Les Lilas" in html


@pytest.mark.django_db
def test_editing_a_menu_refreshes_the_cached_page(client, demo_site):
    assert "Soupe à l'oignon" not in client.get("/menus/").content.decode()
    week = MenuWeek.objects.get(restaurant=None, week_start=datetime.date(2026, 11, 23))
    MenuDish.objects.create(
        week=week, day=datetime.date(2026, 11, 23), course=Course.ENTREE, name="Soupe à l'oignon"
    )
    assert "Soupe à l&#x27;oignon" in client.get("/menus/").content.decode()


def _many_weeks(count: int, today: datetime.date) -> None:
    """`count` weeks of full menus (5 days x 6 dishes, labels and allergens), bulk inserted."""
    labels = list(MenuLabel.objects.all())
    allergens = list(Allergen.objects.all())
    monday = current_week_start(today)
    weeks = MenuWeek.objects.bulk_create(
        [
            MenuWeek(week_start=monday + D(weeks=offset))
            for offset in range(-count // 2, count - count // 2)
            if not MenuWeek.objects.filter(restaurant=None, week_start=monday + D(weeks=offset)).exists()
        ]
    )
    dishes = MenuDish.objects.bulk_create(
        [
            MenuDish(
                week=week, day=week.week_start + D(days=d), course=course, name=f"{course} {d}", sort_order=i
            )
            for week in weeks
            for d in range(5)
            for i, course in enumerate(Course.values[:5])
        ]
    )
    MenuDish.labels.through.objects.bulk_create(
        [
            MenuDish.labels.through(menudish_id=dish.pk, menulabel_id=labels[i % len(labels)].pk)
            for i, dish in enumerate(dishes)
        ]
    )
    MenuDish.allergens.through.objects.bulk_create(
        [
            MenuDish.allergens.through(menudish_id=dish.pk, allergen_id=allergens[i % len(allergens)].pk)
            for i, dish in enumerate(dishes)
        ]
    )


MENU_QUERY_BUDGET = 28


@pytest.mark.django_db
def test_menu_page_query_count_is_constant_with_200_weeks(
    client, demo_site, today, django_assert_max_num_queries
):
    client.get("/menus/")  # the logo's rendition is generated once, on the first visit
    MenuWeek.objects.all().delete()
    _many_weeks(2, today)
    cache.clear()
    with django_assert_max_num_queries(MENU_QUERY_BUDGET) as small:
        assert client.get("/menus/").status_code == 200
    _many_weeks(200, today)
    assert MenuWeek.objects.count() == 200
    cache.clear()
    with django_assert_max_num_queries(MENU_QUERY_BUDGET) as big:
        response = client.get("/menus/")
    assert response.status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)
    # Cached: the second visit does not read the menus again.
    with django_assert_max_num_queries(len(big.captured_queries) - 3):
        client.get("/menus/")
    assert MenuPage.objects.count() == 1
