"""`manage.py seed_demo`: the demo town is complete, realistic, deterministic and idempotent."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from wagtail.models import Page, Site

from backoffice import roles
from families.management import demo_town
from families.models import (
    Activity,
    ActivityKind,
    Booking,
    Child,
    Contact,
    Family,
    Guardian,
    School,
    Unit,
    Vaccination,
)

# A django_db mark sorts these before the transactional (e2e) tests, whose flush would empty the town.
pytestmark = pytest.mark.django_db

TODAY = "2026-11-23"
PASSWORD = "demo-portail-2026"
# `make demo PORT=8765` seeds with the address it serves on.
BASE_URL = "http://127.0.0.1:8765"
ROOT = Path(__file__).resolve().parent.parent


def _run(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--today", TODAY, "--base-url", BASE_URL, *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo town, seeded once for the module and rolled back afterwards; yields the command's output."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _run()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _counts() -> dict[str, int]:
    models = [Family, Guardian, Child, Contact, Vaccination, School, Activity, Unit, get_user_model()]
    counts = {m.__name__: m.objects.count() for m in models}
    # No row was saved again: history only grows on save.
    for m in (Family, Guardian, Child, Activity, Unit, School):
        counts[f"history:{m.__name__}"] = m.history.count()
    counts["child allergens"] = Child.allergens.through.objects.count()
    return counts


def test_second_run_changes_nothing(seeded, db):
    before = _counts()
    assert before["Family"] == 150
    assert 200 < before["Child"] < 450
    _run()
    assert _counts() == before


def test_staff_user_for_every_role(seeded, db):
    User = get_user_model()
    for prefix, role in [
        ("agent", roles.AGENTS),
        ("regie", roles.REGISSEURS),
        ("animation", roles.ANIMATEURS),
        ("communication", roles.COMMUNICATION),
        ("admin", roles.ADMINISTRATEURS),
    ]:
        user = User.objects.get(email=f"{prefix}@demo.portail-famille.fr")
        assert user.check_password(PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.is_staff == (role in roles.STAFF_ROLES)
        assert user.is_superuser == (role == roles.ADMINISTRATEURS)


def test_parent_account_is_a_guardian_of_a_family_with_children(seeded, db):
    user = get_user_model().objects.get(email="parent@demo.portail-famille.fr")
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    family = user.guardian.family
    assert family.code == "F-000001"
    assert 2 <= family.children.count() <= 3
    assert family.children.filter(has_pai=True).exists()


def test_schools_and_class_levels(seeded, db):
    kinds = dict(School.objects.values_list("kind", "name"))
    assert set(kinds) == {School.Kind.MATERNELLE, School.Kind.ELEMENTAIRE, School.Kind.PRIMAIRE}
    maternelle = School.objects.get(kind=School.Kind.MATERNELLE)
    assert set(maternelle.levels.values_list("code", flat=True)) >= {"PS", "MS", "GS"}
    assert not maternelle.levels.filter(code="CP").exists()
    # Every child is in a school that teaches their level, the level of their birth year in 2026/2027.
    for child in Child.objects.select_related("school", "class_level"):
        assert 3 <= 2026 - child.birth_date.year <= 11
        assert child.class_level.rank == 2026 - child.birth_date.year - 2
        assert child.school.levels.filter(pk=child.class_level_id).exists()


def test_families_are_believable(seeded, db):
    communes = dict(Family.objects.values_list("commune", "postcode").distinct())
    assert communes["Bessancourt"] == "95550"
    assert len(communes) > 3
    assert Family.objects.filter(commune="Bessancourt").count() > 100
    assert Child.objects.filter(has_pai=True).exists()
    assert Child.objects.filter(diet="vegetarien").exists()
    assert Child.objects.filter(allergens__isnull=False).exists()
    assert Contact.objects.filter(is_emergency=True).exists()
    assert Vaccination.objects.count() > 0
    sizes = {f.children.count() for f in Family.objects.all()}
    assert sizes <= {1, 2, 3, 4} and len(sizes) >= 3
    assert Guardian.objects.filter(email="").count() == 0


def test_catalogue_has_every_kind_and_units(seeded, db):
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert kinds >= {
        ActivityKind.RESTAURATION,
        ActivityKind.PERISCOLAIRE,
        ActivityKind.MERCREDI,
        ActivityKind.VACANCES,
    }
    canteen = Activity.objects.get(kind=ActivityKind.RESTAURATION)
    assert (canteen.period_start, canteen.period_end) == (date(2026, 9, 1), date(2027, 7, 3))
    meals = dict(canteen.units.values_list("label", "exclusive_group"))
    assert meals == {"Repas classique": "repas", "Repas végétarien": "repas"}
    labels = set(
        Unit.objects.filter(activity__kind=ActivityKind.PERISCOLAIRE).values_list("label", flat=True)
    )
    assert labels == {"Accueil 7h15-8h30", "Accueil 16h30-19h00"}
    wednesday = Activity.objects.get(kind=ActivityKind.MERCREDI)
    assert wednesday.weekdays == (2,)
    groups = dict(wednesday.units.values_list("label", "exclusive_group"))
    assert set(groups) == {"Journée", "Matin", "Après-midi avec repas"}
    assert len(set(groups.values())) == 1 and "" not in groups.values()


def test_holiday_centres_follow_zone_c(seeded, db):
    periods = sorted(
        Activity.objects.filter(kind=ActivityKind.VACANCES).values_list("period_start", "period_end")
    )
    # Zone C 2026/2027 (first and last holiday day).
    assert periods == [
        (date(2026, 10, 17), date(2026, 11, 1)),
        (date(2026, 12, 19), date(2027, 1, 3)),
        (date(2027, 2, 6), date(2027, 2, 21)),
        (date(2027, 4, 3), date(2027, 4, 18)),
        (date(2027, 7, 3), date(2027, 8, 31)),
    ]
    for activity in Activity.objects.filter(kind=ActivityKind.VACANCES):
        assert activity.registration_opens < activity.registration_closes < activity.period_start
        assert (activity.period_start - activity.registration_closes).days == 14


def test_library_holidays_match_the_hard_coded_fallback():
    got = {name: (start, end) for name, start, end in demo_town.holiday_periods("C")}
    assert got == demo_town.ZONE_C_HOLIDAYS_2026_2027


def test_output_lists_urls_and_logins(seeded):
    for path in ("/", "/portail/", "/gestion/", "/cms/", "/api/docs/"):
        assert f"http://127.0.0.1:8765{path}\n" in seeded
    assert ":8000" not in seeded
    for prefix in ("parent", "agent", "regie", "animation", "communication", "admin"):
        assert f"{prefix}@demo.portail-famille.fr" in seeded
    assert PASSWORD in seeded


def test_generation_is_deterministic(seeded, db):
    schools = demo_town.ensure_schools()
    generator, repeat = demo_town.FamilyGenerator(schools), demo_town.FamilyGenerator(schools)
    first = [generator.generate(i) for i in range(1, 6)]
    again = [repeat.generate(i) for i in range(1, 6)]
    assert [
        (d.family.name, d.family.address_line1, [c.first_name for c, _a, _v in d.children]) for d in first
    ] == [(d.family.name, d.family.address_line1, [c.first_name for c, _a, _v in d.children]) for d in again]
    stored = Family.objects.get(code="F-000005")
    assert (stored.name, stored.address_line1) == (first[4].family.name, first[4].family.address_line1)


def test_large_town_in_bulk(db):
    out = _run("--families", "300", "--batch-size", "100")
    assert "300 familles" in out
    assert Family.objects.count() == 300
    assert set(Family.objects.values_list("code", flat=True)) == {f"F-{i:06d}" for i in range(1, 301)}
    assert Family.objects.get(code="F-000001").guardians.filter(user__email="parent@demo.portail-famille.fr")
    children = Child.objects.count()
    assert 500 < children < 700
    # A large town books the demo parent's family only (benchmarks book the rest themselves).
    assert Booking.objects.filter(child__family__code="F-000001").exists()
    assert not Booking.objects.filter(child__family__code__gt="F-000150").exists()
    _run("--families", "300")
    assert (Family.objects.count(), Child.objects.count()) == (300, children)


def test_the_public_site_is_served_where_the_demo_runs(seeded, client):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8765)
    assert site.root_page.full_url == "http://127.0.0.1:8765/"
    response = client.get("/", HTTP_HOST="127.0.0.1:8765")
    assert '<link rel="canonical" href="http://127.0.0.1:8765/"' in response.content.decode()


def test_make_demo_seeds_with_the_port_it_serves_on():
    makefile = (ROOT / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "seed_demo --base-url http://$(HOST):$(PORT)" in demo
    assert "runserver $(HOST):$(PORT)" in demo


@pytest.mark.parametrize(
    "url", ["127.0.0.1:8765", "http://127.0.0.1:port", "ftp://demo", "http://x/portail/"]
)
def test_a_bad_base_url_is_refused_in_french(url):
    with pytest.raises(CommandError, match="Adresse invalide"):
        call_command("seed_demo", "--base-url", url, stdout=StringIO())


def test_every_demo_page_is_published_without_a_pending_draft(seeded, db):
    pages = Page.objects.filter(depth__gt=1)
    assert pages.count() > 20
    assert list(pages.filter(live=False).values_list("slug", flat=True)) == []
    assert list(pages.filter(has_unpublished_changes=True).values_list("slug", flat=True)) == []


def test_christmas_dates_agree_with_the_zone_c_calendar(seeded, db):
    from cms.models import HomeAlert, NewsPage, ProgrammePage

    christmas = Activity.objects.get(kind=ActivityKind.VACANCES, period_start=date(2026, 12, 19))
    assert (christmas.period_end, christmas.registration_closes) == (date(2027, 1, 3), date(2026, 12, 5))
    alert = HomeAlert.objects.get()
    assert (alert.text, alert.until) == (
        "Vacances de Noël : inscriptions jusqu'au 5 décembre",
        date(2026, 12, 5),
    )
    news = NewsPage.objects.get(slug="actualite-01")
    assert news.title == "Vacances de Noël : inscriptions jusqu'au 5 décembre"
    assert news.summary == (
        "L'accueil de loisirs ouvre du lundi 21 au jeudi 31 décembre. Inscrivez vos enfants "
        "depuis votre espace famille avant le samedi 5 décembre."
    )
    assert "jeudi 17 décembre" in NewsPage.objects.get(slug="actualite-02").summary
    programme = ProgrammePage.objects.get(activity=christmas)
    # The centre opens on working days: 25 December and 1 January are public holidays, 2–3 January a weekend.
    assert (programme.start_date, programme.end_date) == (date(2026, 12, 21), date(2026, 12, 31))
