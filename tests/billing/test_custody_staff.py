"""The régisseur records a garde alternée in the back-office or through the staff API: the same service, the same
French refusals; agents only read; a split is ended by its named action."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import CustodyMode, CustodySplit, WeekBasis
from billing.services.custody import custody_split_set
from tests.factories import ActivityFactory, ChildFactory, FamilyFactory, GuardianFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def separated(db):
    family = FamilyFactory(name="DUPONT")
    claire = GuardianFactory(family=family, first_name="Claire")
    marc = GuardianFactory(family=family, first_name="Marc", is_billing_contact=False)
    return {"family": family, "claire": claire, "marc": marc, "lea": ChildFactory(family=family)}


def _form(s, **fields):
    data = {
        "child": s["lea"].pk,
        "payer_a": s["claire"].pk,
        "payer_b": s["marc"].pk,
        "mode": CustodyMode.PERCENTAGE,
        "percent_a": "60",
        "week_basis": "",
        "reference_monday": "",
        "valid_from": "01/09/2026",
        "valid_until": "",
        "payer_a_address": "",
        "payer_b_address": "12 avenue de la Gare\n95550 Bessancourt",
    }
    return data | fields


def test_regisseur_records_a_sixty_forty_split_in_the_admin(client, regisseur, separated):
    client.force_login(regisseur)

    response = client.post("/gestion/billing/custodysplit/add/", _form(separated))

    assert response.status_code == 302
    split = CustodySplit.objects.get()
    assert (split.child, split.payer_a, split.payer_b, split.percent_a) == (
        separated["lea"],
        separated["claire"],
        separated["marc"],
        60,
    )
    assert split.created_by == regisseur


def test_the_admin_shows_the_services_french_refusal(client, regisseur, separated):
    client.force_login(regisseur)
    stranger = GuardianFactory()

    response = client.post("/gestion/billing/custodysplit/add/", _form(separated, payer_b=stranger.pk))

    assert response.status_code == 200
    assert (
        "Le payeur B doit être un responsable légal de la famille de l&#x27;enfant."
        in response.content.decode()
    )
    assert not CustodySplit.objects.exists()


def test_regisseur_records_a_per_activity_split_through_the_api(client, regisseur, separated):
    client.force_login(regisseur)
    wednesday = ActivityFactory(name="Mercredis récréatifs")

    response = client.post(
        "/api/v1/custody-splits/",
        {
            "child": separated["lea"].pk,
            "payer_a": separated["claire"].pk,
            "payer_b": separated["marc"].pk,
            "mode": CustodyMode.PER_ACTIVITY,
            "payer_b_activities": [wednesday.pk],
            "valid_from": "2026-09-01",
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    split = CustodySplit.objects.get()
    assert response.json()["id"] == split.pk
    assert list(split.payer_b_activities.all()) == [wednesday]
    assert split.created_by == regisseur


def test_the_api_answers_400_with_field_errors_for_an_overlap(client, regisseur, separated):
    custody_split_set(
        child=separated["lea"],
        payer_a=separated["claire"],
        payer_b=separated["marc"],
        mode=CustodyMode.PERCENTAGE,
        percent_a=50,
        valid_from=date(2026, 9, 1),
    )
    client.force_login(regisseur)

    response = client.post(
        "/api/v1/custody-splits/",
        {
            "child": separated["lea"].pk,
            "payer_a": separated["claire"].pk,
            "payer_b": separated["marc"].pk,
            "mode": CustodyMode.ALTERNATE_WEEKS,
            "week_basis": WeekBasis.ISO_EVEN,
            "valid_from": "2027-01-04",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "valid_from": [
            "Une autre répartition de garde alternée est déjà en vigueur pour cet enfant depuis le 01/09/2026 : "
            "terminez-la avant d'en saisir une nouvelle."
        ]
    }
    assert CustodySplit.objects.count() == 1


def test_an_agent_reads_splits_but_cannot_record_one(client, agent, separated):
    client.force_login(agent)

    assert client.get("/api/v1/custody-splits/").status_code == 200
    response = client.post(
        "/api/v1/custody-splits/", {"child": separated["lea"].pk}, content_type="application/json"
    )
    assert response.status_code == 403


def test_the_end_action_closes_the_split_on_the_given_day(client, regisseur, separated):
    split = custody_split_set(
        child=separated["lea"],
        payer_a=separated["claire"],
        payer_b=separated["marc"],
        mode=CustodyMode.PERCENTAGE,
        percent_a=50,
        valid_from=date(2026, 9, 1),
    )
    client.force_login(regisseur)

    too_early = client.post(
        f"/api/v1/custody-splits/{split.pk}/end/", {"on": "2026-08-31"}, content_type="application/json"
    )
    response = client.post(
        f"/api/v1/custody-splits/{split.pk}/end/", {"on": "2026-12-31"}, content_type="application/json"
    )

    assert too_early.status_code == 409
    assert too_early.json() == {"detail": "La fin ne peut pas précéder le début (01/09/2026)."}
    assert response.status_code == 200
    assert response.json()["valid_until"] == "2026-12-31"


def test_the_demo_puts_one_family_in_shared_custody_once(db):
    from billing.demo import seed_custody_demo

    FamilyFactory(code="F-000001")  # the demo parent's own family is left alone
    family = FamilyFactory()
    GuardianFactory(family=family, first_name="Claire")
    GuardianFactory(family=family, first_name="Marc", is_billing_contact=False)
    lea = ChildFactory(family=family)

    assert seed_custody_demo(today=date(2026, 12, 2)) is True
    assert seed_custody_demo(today=date(2026, 12, 2)) is False
    split = CustodySplit.objects.get()
    assert (split.child, split.percent_a, split.valid_from) == (lea, 50, date(2026, 9, 1))
    assert split.payer_a.first_name == "Claire"
