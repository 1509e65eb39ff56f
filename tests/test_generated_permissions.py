"""Generated: the permission matrix of every model in the CRUD registry, role by role.

What each role may do comes from `backoffice/roles.py` (its permissions) and the declaration (`writes`): a verb the
declaration does not allow answers 405 to every staff role, a verb the role lacks answers 403, and accounts without
back-office access (communication, parents, anonymous visitors) get nothing. New registrations are covered
automatically; rows come from `tests/crud_app/rows.py`."""

import pytest
from django.test import Client
from django.urls import reverse

from backoffice import roles
from backoffice.crud import registry
from backoffice.crud.engine import CREATE, DELETE, UPDATE
from backoffice.crud.sensitive import protection_for
from tests.crud_app.rows import build_rows

from .factories import GuardianFactory, UserFactory

pytestmark = pytest.mark.django_db

CRUDS = {crud.model._meta.label: crud for crud in registry}
STAFF_ROLES = {
    "agent": roles.AGENTS,
    "regisseur": roles.REGISSEURS,
    "animateur": roles.ANIMATEURS,
    "communication": roles.COMMUNICATION,
    "town_admin": roles.ADMINISTRATEURS,
}
WHO = [*STAFF_ROLES, "parent", "anonymous"]


def _role_has(role: str, app_label: str, model_name: str, action: str) -> bool:
    return any(
        app == app_label and name in ("*", model_name) and action in actions
        for app, name, actions in roles.ROLE_PERMISSIONS[role]
    )


def role_allows(role: str | None, model, action: str) -> bool:
    """Read straight from the roles table, not from the database the test runs on. A model declared sensitive as a
    whole (`backoffice.crud.sensitive.protect` without fields or rows) also needs the protection's permission."""
    if role is None:
        return False
    if role == roles.ADMINISTRATEURS:
        return True
    opts = model._meta
    if not _role_has(role, opts.app_label, opts.model_name, action):
        return False
    protection = protection_for(model)
    if protection and protection.fields is None and protection.rows is None:
        app_label, codename = protection.permission.split(".")
        return any(
            app == app_label and codename in actions for app, _name, actions in roles.ROLE_PERMISSIONS[role]
        )
    return True


@pytest.fixture
def clients(request):
    out = {}
    for who in WHO:
        client = Client()
        if who == "parent":
            client.force_login(GuardianFactory(user=UserFactory()).user)
        elif who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        out[who] = client
    return out


def _expected_api(crud, role, row) -> dict[str, int]:
    model = crud.model
    if role is None or role not in roles.STAFF_ROLES:
        return dict.fromkeys(("list", "detail", "create", "update", "delete"), 403)

    def write(kind, action, ok):
        if kind not in crud.writes:
            return 405
        return ok if role_allows(role, model, action) else 403

    read = 200 if role_allows(role, model, "view") else 403
    serializer = crud.serializer_class
    return {
        "list": read,
        "detail": read,
        "create": write(CREATE, "add", 201 if serializer(data={}).is_valid() else 400),
        "update": write(UPDATE, "change", 200 if serializer(row, data={}, partial=True).is_valid() else 400),
        "delete": write(DELETE, "delete", 204),
    }


def _expected_admin(crud, role) -> int:
    if role is None or role not in roles.STAFF_ROLES:
        return 302  # to the back-office login
    model = crud.model
    return 200 if role_allows(role, model, "view") or role_allows(role, model, "change") else 403


@pytest.mark.parametrize("label", sorted(CRUDS))
def test_permission_matrix(clients, label):
    crud = CRUDS[label]
    opts = crud.model._meta
    changelist = reverse(f"gestion:{opts.app_label}_{opts.model_name}_changelist")
    for who, client in clients.items():
        role = STAFF_ROLES.get(who)
        assert client.get(changelist).status_code == _expected_admin(crud, role), (who, "admin changelist")
        if crud.viewset_class is None:
            continue
        [row] = build_rows(crud.model, 1)
        base = f"/api/v1/{crud.api_name}/"
        detail = f"{base}{row.pk}/"
        expected = _expected_api(crud, role, row)
        got = {
            "list": client.get(base).status_code,
            "detail": client.get(detail).status_code,
            "create": client.post(base, {}, content_type="application/json").status_code,
            "update": client.patch(detail, {}, content_type="application/json").status_code,
            "delete": client.delete(detail).status_code,
        }
        assert got == expected, who


def test_workflow_models_are_declared_read_only():
    read_only = {crud.api_name for crud in registry if crud.viewset_class is not None and not crud.writes}
    assert {
        "enrolments",
        "change-requests",
        "family-documents",
        "conversations",
        "account-requests",
    } <= read_only
