"""Generated: for every model of the CRUD registry, its admin changelist and its API list cost the same number of
queries on a few hundred rows as on ten times more, and few in absolute terms. New registrations are covered
automatically (rows come from `tests/crud_app/rows.py`, which fills any model from its field types)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.crud import registry
from tests.crud_app.rows import build_rows

pytestmark = pytest.mark.django_db

N = 200
MAX_ADMIN_QUERIES = 15
MAX_API_QUERIES = 10

CRUDS = {crud.model._meta.label: crud for crud in registry}


def _count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx), "\n".join(f"{i}. {q['sql'][:300]}" for i, q in enumerate(ctx.captured_queries, 1))


@pytest.mark.parametrize("label", sorted(CRUDS))
def test_list_queries_do_not_grow_with_the_rows(admin_client, label):
    crud = CRUDS[label]
    opts = crud.model._meta
    admin_url = reverse(f"gestion:{opts.app_label}_{opts.model_name}_changelist")
    api_url = f"/api/v1/{crud.api_name}/" if crud.viewset_class is not None else None

    build_rows(crud.model, N)
    admin_small, _ = _count(admin_client, admin_url)
    api_small = _count(admin_client, api_url)[0] if api_url else 0
    build_rows(crud.model, 9 * N)
    admin_big, admin_sql = _count(admin_client, admin_url)
    assert admin_big == admin_small, admin_sql
    assert admin_big <= MAX_ADMIN_QUERIES, admin_sql
    if api_url:
        api_big, api_sql = _count(admin_client, api_url)
        assert api_big == api_small, api_sql
        assert api_big <= MAX_API_QUERIES, api_sql
