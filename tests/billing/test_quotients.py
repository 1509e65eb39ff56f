"""Quotient familial: the CAF computation and the official QF that only staff record."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from billing.models import FamilyQuotient
from billing.services.quotients import (
    family_quotient_current,
    family_quotient_set,
    quotient_compute,
    quotient_parts,
)

D = Decimal


def test_couple_with_three_children_has_four_parts():
    # 36 000 € a year, 150 € of family benefits a month: (3 000 + 150) / 4 = 787,50 €.
    assert quotient_compute(
        annual_income=D("36000"), monthly_benefits=D("150"), children=3, disabled_children=0
    ) == (
        D("4.0"),
        D("787.50"),
    )


def test_single_parent_with_one_child():
    # 21 000 € / 12 = 1 750 € + 0 €, over 2.5 parts = 700 €.
    assert quotient_compute(
        annual_income=D("21000"), monthly_benefits=D("0"), children=1, disabled_children=0
    ) == (
        D("2.5"),
        D("700.00"),
    )


def test_child_with_aeeh_adds_half_a_part():
    parts, quotient = quotient_compute(
        annual_income=D("30000"), monthly_benefits=D("260.40"), children=2, disabled_children=1
    )
    assert parts == D("3.5")
    assert quotient == D("788.69")  # (2 500 + 260,40) / 3,5 = 788,685… rounded half up


def test_five_children_have_five_parts():
    assert quotient_parts(children=5, disabled_children=0) == D("5.0")


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("annual_income", {"annual_income": D("-1")}),
        ("monthly_benefits", {"monthly_benefits": D("-0.01")}),
        ("children", {"children": -1}),
        ("disabled_children", {"disabled_children": 3}),
    ],
)
def test_impossible_figures_are_refused_in_french(field, kwargs):
    figures = {
        "annual_income": D("1000"),
        "monthly_benefits": D("0"),
        "children": 2,
        "disabled_children": 0,
        **kwargs,
    }
    with pytest.raises(ValidationError) as error:
        quotient_compute(**figures)
    assert field in error.value.message_dict


def _expected_parts(children: int, disabled: int) -> Decimal:
    first_two = min(children, 2) * D("0.5")
    third = D("1") if children >= 3 else D("0")
    further = max(children - 3, 0) * D("0.5")
    return D("2") + first_two + third + further + disabled * D("0.5")


@given(children=st.integers(min_value=0, max_value=15), data=st.data())
def test_parts_follow_the_caf_rule(children, data):
    disabled = data.draw(st.integers(min_value=0, max_value=children))
    parts = quotient_parts(children=children, disabled_children=disabled)
    assert parts == _expected_parts(children, disabled)
    # One more child never lowers the parts, and each child adds half a part or one (the third).
    more = quotient_parts(children=children + 1, disabled_children=disabled)
    assert more - parts == (D("1") if children + 1 == 3 else D("0.5"))
    assert str(parts).count(".") == 1 and len(str(parts).split(".")[1]) == 1


# --- The official QF history ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agent_records_a_new_qf_and_the_previous_one_ends_the_day_before(small_town, agent):
    family = small_town["martin"]
    first = family_quotient_set(
        family=family,
        value=D("812.00"),
        valid_from=date(2026, 1, 1),
        source=FamilyQuotient.Source.CAF,
        by=agent,
    )
    second = family_quotient_set(
        family=family,
        value=D("787.50"),
        valid_from=date(2026, 9, 1),
        source=FamilyQuotient.Source.COMPUTED,
        by=agent,
    )
    first.refresh_from_db()
    assert first.valid_until == date(2026, 8, 31)
    assert second.set_by == agent
    assert family_quotient_current(family=family, day=date(2026, 8, 31)) == first
    assert family_quotient_current(family=family, day=date(2026, 12, 1)) == second
    assert family_quotient_current(family=family, day=date(2025, 12, 31)) is None


@pytest.mark.django_db
def test_parent_cannot_set_the_official_qf(small_town):
    with pytest.raises(PermissionDenied):
        family_quotient_set(
            family=small_town["martin"],
            value=D("300"),
            valid_from=date(2026, 9, 1),
            by=small_town["martin_parent"].user,
        )
    assert not FamilyQuotient.objects.exists()


@pytest.mark.django_db
def test_negative_qf_is_refused(small_town, agent):
    with pytest.raises(ValidationError) as error:
        family_quotient_set(family=small_town["martin"], value=D("-5"), valid_from=date(2026, 9, 1), by=agent)
    assert error.value.message_dict["value"][0] == "Le quotient familial ne peut pas être négatif."


@pytest.mark.django_db
def test_a_qf_cannot_be_inserted_before_a_later_one(small_town, agent):
    family = small_town["martin"]
    family_quotient_set(family=family, value=D("700"), valid_from=date(2026, 9, 1), by=agent)
    with pytest.raises(ValidationError) as error:
        family_quotient_set(family=family, value=D("650"), valid_from=date(2026, 6, 1), by=agent)
    assert error.value.message_dict["valid_from"] == [
        "Un quotient familial est déjà enregistré à partir du 01/09/2026."
    ]


@pytest.mark.django_db
def test_family_pricing_uses_the_qf_in_force_on_the_day(small_town, agent):
    from billing.services.tariffs import FamilyContext

    family = small_town["martin"]
    family_quotient_set(family=family, value=D("787.50"), valid_from=date(2026, 9, 1), by=agent)
    from billing.services.quotients import family_pricing_context

    assert family_pricing_context(family=family, day=date(2026, 10, 1), resident=True) == FamilyContext(
        quotient=D("787.50"), resident=True, children=2
    )
    assert family_pricing_context(family=family, day=date(2026, 8, 1), resident=False).quotient is None
