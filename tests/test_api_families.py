"""Staff API on the dossier: field errors as 400 in French, permissions by role, parents kept out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from families.models import Family

pytestmark = pytest.mark.django_db

FAMILY = {
    "name": "LEFEBVRE Nathalie",
    "address_line1": "8 rue de Pontoise",
    "postcode": "95550",
    "commune": "Bessancourt",
}


def test_agent_creates_a_family_and_gets_a_code(client, agent):
    client.force_login(agent)
    response = client.post("/api/v1/families/", FAMILY, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["code"].startswith("F-")
    assert Family.objects.get().code == response.json()["code"]


def test_invalid_postcode_is_a_400_with_a_french_field_error(client, agent):
    client.force_login(agent)
    response = client.post(
        "/api/v1/families/", {**FAMILY, "postcode": "7500"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "code postal" in response.json()["postcode"][0]


def test_child_with_future_birth_date_or_unknown_family_is_refused(client, agent, small_town):
    client.force_login(agent)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        "/api/v1/children/",
        {
            "family": small_town["martin"].code,
            "first_name": "Lou",
            "last_name": "Martin",
            "birth_date": future,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "futur" in response.json()["birth_date"][0]
    response = client.post(
        "/api/v1/children/",
        {"family": "F-999999", "first_name": "Lou", "last_name": "Martin", "birth_date": "2019-05-05"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "family" in response.json()


def test_duplicate_guardian_email_is_a_400_not_a_500(client, agent, small_town):
    client.force_login(agent)
    response = client.post(
        "/api/v1/guardians/",
        {
            "family": small_town["bernard"].code,
            "civility": "m",
            "first_name": "Paul",
            "last_name": "Bernard",
            "email": "CLAIRE.MARTIN@exemple.fr",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "adresse e-mail" in str(response.json())


def test_parent_account_has_no_access_to_the_staff_api(client, small_town):
    client.force_login(small_town["martin_parent"].user)
    for url in ("/api/v1/families/", "/api/v1/children/", f"/api/v1/families/{small_town['bernard'].pk}/"):
        assert client.get(url).status_code == 403


def test_anonymous_is_refused(client, small_town):
    assert client.get("/api/v1/families/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("role", "can_read", "can_write"),
    [
        ("agent", True, True),
        ("regisseur", True, False),
        ("animateur", False, False),
        ("communication", False, False),
    ],
)
def test_family_api_by_role(request, client, small_town, role, can_read, can_write):
    client.force_login(request.getfixturevalue(role))
    assert (client.get("/api/v1/families/").status_code == 200) is can_read
    response = client.post("/api/v1/families/", FAMILY, content_type="application/json")
    assert (response.status_code == 201) is can_write


def test_animateur_reads_children_health_data(client, animateur, small_town):
    client.force_login(animateur)
    response = client.get("/api/v1/children/", {"family__code": small_town["martin"].code})
    assert response.status_code == 200
    assert {c["first_name"] for c in response.json()["results"]} == {"Léa", "Hugo"}
    assert "allergens" in response.json()["results"][0]


def test_filters_and_search(client, agent, small_town):
    client.force_login(agent)
    assert client.get("/api/v1/families/", {"commune": "Taverny"}).json()["count"] == 1
    assert client.get("/api/v1/families/", {"search": "MARTIN"}).json()["count"] == 1


def test_deleting_a_class_level_still_in_use_is_a_409_not_a_500(client, town_admin, small_town):
    client.force_login(town_admin)
    level = small_town["lea"].class_level
    response = client.delete(f"/api/v1/class-levels/{level.pk}/")
    assert response.status_code == 409
    assert "Suppression impossible" in response.json()["detail"]
    assert "enfants" in response.json()["detail"]
