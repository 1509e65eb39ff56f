"""Shared fixtures: users for each role and a small realistic town."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from backoffice import roles

from .factories import (
    ActivityFactory,
    ChildFactory,
    ContactFactory,
    FamilyFactory,
    GuardianFactory,
    SchoolFactory,
    StaffUserFactory,
    UnitFactory,
    UserFactory,
)

PASSWORD = "motdepasse-solide-2026"


def _staff(role: str, email: str):
    user = StaffUserFactory(email=email, is_staff=role in roles.STAFF_ROLES)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def agent(db):
    return _staff(roles.AGENTS, "agent@mairie.exemple.fr")


@pytest.fixture
def regisseur(db):
    return _staff(roles.REGISSEURS, "regie@mairie.exemple.fr")


@pytest.fixture
def animateur(db):
    return _staff(roles.ANIMATEURS, "animation@mairie.exemple.fr")


@pytest.fixture
def communication(db):
    return _staff(roles.COMMUNICATION, "communication@mairie.exemple.fr")


@pytest.fixture
def town_admin(db):
    return _staff(roles.ADMINISTRATEURS, "admin@mairie.exemple.fr")


@pytest.fixture
def small_town(db):
    """Two families of Bessancourt, each with a parent account, children and a contact; a canteen activity."""
    school = SchoolFactory(name="École élémentaire Jean Jaurès")
    martin = FamilyFactory(name="MARTIN Claire et Julien", commune="Bessancourt")
    martin_parent = GuardianFactory(
        family=martin,
        first_name="Claire",
        last_name="Martin",
        email="claire.martin@exemple.fr",
        user=UserFactory(email="claire.martin@exemple.fr", first_name="Claire", last_name="Martin"),
    )
    lea = ChildFactory(
        family=martin, first_name="Léa", last_name="Martin", birth_date=date(2017, 3, 2), school=school
    )
    hugo = ChildFactory(
        family=martin, first_name="Hugo", last_name="Martin", birth_date=date(2020, 9, 21), school=school
    )
    ContactFactory(family=martin, first_name="Monique", last_name="Martin", relationship="Grand-mère")
    bernard = FamilyFactory(name="BERNARD Sophie", commune="Taverny", postcode="95150")
    bernard_parent = GuardianFactory(
        family=bernard,
        first_name="Sophie",
        last_name="Bernard",
        email="sophie.bernard@exemple.fr",
        user=UserFactory(email="sophie.bernard@exemple.fr", first_name="Sophie", last_name="Bernard"),
    )
    chloe = ChildFactory(
        family=bernard, first_name="Chloé", last_name="Bernard", birth_date=date(2016, 11, 30), school=school
    )
    canteen = ActivityFactory()
    UnitFactory(activity=canteen, label="Repas classique", code="repas-classique")
    UnitFactory(activity=canteen, label="Repas végétarien", code="repas-vege")
    return {
        "school": school,
        "martin": martin,
        "martin_parent": martin_parent,
        "lea": lea,
        "hugo": hugo,
        "bernard": bernard,
        "bernard_parent": bernard_parent,
        "chloe": chloe,
        "canteen": canteen,
    }


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Every database test starts with what migrations create (roles, allergens, class levels, Wagtail tree).

    A transactional test (e2e) ends with a flush that wipes those rows; they are put back the way migrations
    made them. Tests must carry a `django_db` mark (module `pytestmark`) so pytest-django orders them before the
    transactional ones."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from tests.reference_data import restore_reference_data

    restore_reference_data()
