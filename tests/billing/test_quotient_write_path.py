"""The official QF has one write path, `family_quotient_set`: the back-office admin and the staff API both go
through it (the previous QF ends the day before, a later one is never overwritten, the history is signed)."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import FamilyQuotient

pytestmark = pytest.mark.django_db
D = Decimal
ADMIN_ADD = "/gestion/billing/familyquotient/add/"
API = "/api/v1/family-quotients/"
LATER_REFUSED = "Un quotient familial est déjà enregistré à partir du 01/09/2026."


def admin_form(family, *, value, valid_from, valid_until=""):
    return {
        "family": family.pk,
        "value": value,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "source": "caf",
        "proof": "",
    }


@pytest.fixture
def martin(small_town):
    return small_town["martin"]


@pytest.fixture
def january_qf(martin, regisseur):
    from billing.services.quotients import family_quotient_set

    return family_quotient_set(family=martin, value=D("812.00"), valid_from=date(2026, 1, 1), by=regisseur)


@pytest.fixture
def september_qf(martin, regisseur):
    from billing.services.quotients import family_quotient_set

    return family_quotient_set(family=martin, value=D("700.00"), valid_from=date(2026, 9, 1), by=regisseur)


def test_in_the_admin_a_new_attestation_ends_the_previous_qf_the_day_before(
    client, regisseur, martin, january_qf
):
    client.force_login(regisseur)

    response = client.post(ADMIN_ADD, admin_form(martin, value="787.50", valid_from="01/09/2026"))

    assert response.status_code == 302
    january_qf.refresh_from_db()
    assert january_qf.valid_until == date(2026, 8, 31)
    new = FamilyQuotient.objects.get(valid_from=date(2026, 9, 1))
    assert (new.value, new.set_by) == (D("787.50"), regisseur)
    assert new.history.get().history_user == regisseur
    assert (
        january_qf.history.first().history_change_reason == "Clôturé par le quotient familial du 01/09/2026"
    )


def test_in_the_admin_a_qf_before_a_later_one_is_refused_with_the_service_message(
    client, regisseur, martin, september_qf
):
    client.force_login(regisseur)

    response = client.post(ADMIN_ADD, admin_form(martin, value="650", valid_from="01/06/2026"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["valid_from"] == [LATER_REFUSED]
    assert FamilyQuotient.objects.count() == 1


def test_in_the_admin_a_correction_is_signed_by_who_corrected_it(client, regisseur, agent, martin):
    from billing.services.quotients import family_quotient_set

    typo = family_quotient_set(family=martin, value=D("78.75"), valid_from=date(2026, 9, 1), by=agent)
    client.force_login(regisseur)

    response = client.post(
        f"/gestion/billing/familyquotient/{typo.pk}/change/",
        admin_form(martin, value="787.50", valid_from="01/09/2026"),
    )

    assert response.status_code == 302
    typo.refresh_from_db()
    assert (typo.value, typo.set_by) == (D("787.50"), regisseur)
    assert typo.history.first().history_change_reason == "Correction du quotient familial"


def test_through_the_api_a_new_attestation_ends_the_previous_qf_the_day_before(
    client, regisseur, martin, january_qf
):
    client.force_login(regisseur)

    response = client.post(
        API,
        {"family": martin.pk, "value": "787.50", "valid_from": "2026-09-01"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert (response.json()["valid_from"], response.json()["source"]) == ("2026-09-01", "caf")
    january_qf.refresh_from_db()
    assert january_qf.valid_until == date(2026, 8, 31)
    assert FamilyQuotient.objects.get(pk=response.json()["id"]).set_by == regisseur


def test_through_the_api_a_qf_before_a_later_one_is_refused_with_the_service_message(
    client, regisseur, martin, september_qf
):
    client.force_login(regisseur)

    response = client.post(
        API,
        {"family": martin.pk, "value": "650", "valid_from": "2026-06-01"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"valid_from": [LATER_REFUSED]}
    assert FamilyQuotient.objects.count() == 1


def test_through_the_api_moving_a_qf_over_a_later_one_is_refused(client, regisseur, martin, september_qf):
    from billing.services.quotients import family_quotient_set

    june = family_quotient_set(
        family=martin,
        value=D("650"),
        valid_from=date(2026, 6, 1),
        valid_until=date(2026, 8, 31),
        by=regisseur,
    )
    client.force_login(regisseur)

    response = client.patch(f"{API}{june.pk}/", {"valid_until": None}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"valid_from": [LATER_REFUSED]}
    june.refresh_from_db()
    assert june.valid_until == date(2026, 8, 31)


def test_through_the_api_a_correction_goes_through_the_service(client, regisseur, agent, martin):
    from billing.services.quotients import family_quotient_set

    typo = family_quotient_set(family=martin, value=D("78.75"), valid_from=date(2026, 9, 1), by=agent)
    client.force_login(regisseur)

    response = client.patch(f"{API}{typo.pk}/", {"value": "787.50"}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["value"] == "787.50"
    typo.refresh_from_db()
    assert (typo.value, typo.set_by) == (D("787.50"), regisseur)
    assert typo.history.first().history_change_reason == "Correction du quotient familial"


def test_an_agent_reads_the_qf_but_cannot_record_one(client, agent, martin):
    client.force_login(agent)

    response = client.post(
        API,
        {"family": martin.pk, "value": "787.50", "valid_from": "2026-09-01"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not FamilyQuotient.objects.exists()
