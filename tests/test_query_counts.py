"""Query budgets of the busiest lists on a 20,000-family town: the family admin changelist and the families API."""

import pytest
from django.db import connection, transaction

from families.management import demo_town
from families.models import Child, Family

# A django_db mark sorts these before the transactional (e2e) tests, whose flush would empty the town.
pytestmark = pytest.mark.django_db

FAMILIES = 20_000
MAX_QUERIES = 10


@pytest.fixture(scope="module")
def big_town(django_db_setup, django_db_blocker):
    """20,000 families (~40,000 children) built once for the module with bulk_create, rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            schools = demo_town.ensure_schools()
            # Guardians are not needed by these lists; leaving them out keeps the module under ~15 s.
            totals = demo_town.bulk_build_families(FAMILIES, schools, batch_size=5000, with_guardians=False)
            yield totals
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _queries() -> str:
    return "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(connection.queries, 1))


def test_big_town_is_built(big_town, db):
    assert big_town["families"] == FAMILIES
    assert Family.objects.count() == FAMILIES
    assert Child.objects.count() == big_town["children"]
    assert 1.8 * FAMILIES < big_town["children"] < 2.2 * FAMILIES
    assert Family.objects.filter(code="F-020000").exists()


@pytest.mark.parametrize("user_fixture", ["agent", "town_admin"])
def test_family_changelist_query_budget(
    big_town, client, request, django_assert_max_num_queries, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/gestion/families/family/")
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert len(changelist.result_list) == 50
    assert changelist.result_count == FAMILIES
    assert response.content.count(b'class="action-select"') == 50


@pytest.mark.parametrize("user_fixture", ["agent", "town_admin"])
def test_families_api_query_budget(big_town, client, request, django_assert_max_num_queries, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/api/v1/families/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == FAMILIES
    assert len(body["results"]) == 50
    assert body["results"][0]["code"].startswith("F-")
