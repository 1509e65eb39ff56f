"""The price of a unit for a family (unit_price) and the refusal of inconsistent tariffs."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing.models import ActivityBillingRule, BillingSituation, Tariff, TariffBracket, TariffMode
from billing.services.tariffs import FamilyContext, situation_is_billed, tariff_brackets_validate, unit_price

pytestmark = pytest.mark.django_db
D = Decimal


def price(tariff, **context):
    return unit_price(tariff=tariff, family_context=FamilyContext(**context))


def test_qf_787_50_pays_the_third_canteen_bracket(town_tariffs):
    result = price(town_tariffs["meal"], quotient=D("787.50"))
    assert result.amount == D("3.35")
    assert result.rule == "Tranche QF 3 (601–900 €)"


def test_bracket_bounds_belong_to_their_bracket(town_tariffs):
    assert price(town_tariffs["meal"], quotient=D("0")).amount == D("1.00")
    assert price(town_tariffs["meal"], quotient=D("300")).amount == D("1.00")
    assert price(town_tariffs["meal"], quotient=D("300.50")).amount == D("1.00")
    assert price(town_tariffs["meal"], quotient=D("301")).amount == D("2.40")
    assert price(town_tariffs["meal"], quotient=D("5000")).rule == "Tranche QF 5 (à partir de 1201 €)"


def test_family_without_valid_qf_pays_the_top_bracket(town_tariffs):
    result = price(town_tariffs["meal"], quotient=None)
    assert result.amount == D("4.85")
    assert result.rule.startswith("Sans quotient familial valide : tranche la plus haute")


def test_non_resident_pays_twenty_percent_more(town_tariffs):
    result = price(town_tariffs["meal"], quotient=D("787.50"), resident=False)
    assert result.amount == D("4.02")  # 3.35 × 1.20
    assert result.rule == "Tranche QF 3 (601–900 €) ; Non-résident +20 %"


def test_second_child_gets_the_sibling_reduction(town_tariffs):
    result = price(town_tariffs["meal"], quotient=D("787.50"), child_rank=2)
    assert result.amount == D("3.02")  # 3.015 rounded half up, once
    assert result.rule == "Tranche QF 3 (601–900 €) ; Réduction fratrie −10 %"


def test_price_is_rounded_once_at_the_end(town_tariffs):
    # 3.35 × 0.90 × 1.50 = 4.5225 → 4.52; rounding the sibling price first (3.02 × 1.50) would give 4.53.
    result = price(town_tariffs["meal"], quotient=D("787.50"), child_rank=2, unreserved=True)
    assert result.amount == D("4.52")


def test_presence_without_reservation_costs_the_surcharge(town_tariffs):
    result = price(town_tariffs["meal"], quotient=D("787.50"), unreserved=True)
    assert result.amount == D("5.03")  # 3.35 × 1.5 = 5.025 → 5.03
    assert result.rule.endswith("Majoration présence sans réservation +50 %")


def test_late_reservation_surcharge_in_euros(town_tariffs):
    result = price(town_tariffs["day"], quotient=None, late=True)
    assert result.amount == D("14.00")
    assert result.rule == "Prix unique ; Majoration réservation tardive +2 €"


def test_effort_rate_applies_to_the_qf(town_tariffs):
    result = price(town_tariffs["morning"], quotient=D("700"))
    assert result.amount == D("2.45")
    assert result.rule == "Taux d'effort 0,35 %"


def test_effort_rate_falls_with_the_number_of_children(town_tariffs):
    assert price(town_tariffs["morning"], quotient=D("700"), children=2).amount == D("2.10")
    assert price(town_tariffs["morning"], quotient=D("700"), children=3).amount == D("1.75")
    # No rate for 4 children: the 3-children rate goes on.
    assert price(town_tariffs["morning"], quotient=D("700"), children=5).amount == D("1.75")


def test_effort_rate_is_capped_and_floored(town_tariffs):
    capped = price(town_tariffs["morning"], quotient=D("2000"))
    assert (capped.amount, capped.rule) == (D("3.50"), "Taux d'effort 0,35 % plafonné")
    floored = price(town_tariffs["morning"], quotient=D("100"))
    assert (floored.amount, floored.rule) == (D("0.80"), "Taux d'effort 0,35 %, prix plancher")


def test_effort_rate_without_qf_pays_the_ceiling(town_tariffs):
    result = price(town_tariffs["morning"], quotient=None)
    assert (result.amount, result.rule) == (D("3.50"), "Sans quotient familial valide : prix plafond")


def test_non_resident_price_replaces_the_computed_one(town_tariffs):
    result = price(town_tariffs["morning"], quotient=D("700"), resident=False)
    assert result.amount == D("4.50")
    assert result.rule == "Taux d'effort 0,35 % ; Non-résident : 4,50 €"


# --- Bad input is refused in French ------------------------------------------------------------------------------


def test_overlapping_tariffs_for_a_unit_are_refused(town_tariffs):
    second = Tariff(
        unit=town_tariffs["day"].unit, mode=TariffMode.FLAT, valid_from=date(2027, 1, 1), price=D("13")
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert (
        "Un autre tarif de cette unité couvre déjà cette période (à partir du 01/09/2026)."
        in error.value.messages
    )


def test_a_new_tariff_after_the_previous_one_ends_is_accepted(town_tariffs):
    current = town_tariffs["day"]
    current.valid_until = date(2026, 12, 31)
    current.full_clean()
    current.save()
    Tariff(unit=current.unit, mode=TariffMode.FLAT, valid_from=date(2027, 1, 1), price=D("13")).full_clean()


def test_negative_prices_are_refused_by_clean_and_database(town_tariffs):
    tariff = Tariff(
        unit=town_tariffs["day"].unit, mode=TariffMode.FLAT, valid_from=date(2030, 1, 1), price=D("-1")
    )
    with pytest.raises(ValidationError) as error:
        tariff.full_clean()
    assert error.value.message_dict["price"] == ["Un prix ou un taux ne peut pas être négatif."]
    with pytest.raises(IntegrityError), transaction.atomic():
        tariff.save()


def test_flat_tariff_needs_a_price_and_effort_needs_a_ceiling(town_tariffs):
    unit = town_tariffs["day"].unit
    with pytest.raises(ValidationError) as error:
        Tariff(unit=unit, mode=TariffMode.FLAT, valid_from=date(2030, 1, 1)).full_clean()
    assert "price" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Tariff(
            unit=unit, mode=TariffMode.EFFORT, valid_from=date(2030, 1, 1), effort_rate_1=D("0.3")
        ).full_clean()
    assert "effort_ceiling" in error.value.message_dict


def test_qf_brackets_with_a_gap_are_refused():
    with pytest.raises(ValidationError) as error:
        tariff_brackets_validate(brackets=[(D("0"), D("300")), (D("401"), None)])
    assert error.value.messages == ["Trou entre les tranches : aucun tarif pour un QF entre 300 € et 401 €."]


def test_qf_brackets_that_overlap_are_refused():
    with pytest.raises(ValidationError) as error:
        tariff_brackets_validate(brackets=[(D("0"), D("300")), (D("250"), None)])
    assert error.value.messages == ["Les tranches 0–300 € et à partir de 250 € se chevauchent."]


def test_qf_brackets_must_start_at_zero_and_only_the_last_is_open():
    with pytest.raises(ValidationError) as error:
        tariff_brackets_validate(brackets=[(D("100"), None), (D("200"), None)])
    assert error.value.messages == [
        "La première tranche doit commencer à 0 €.",
        "Seule la dernière tranche peut être sans maximum.",
    ]


def test_contiguous_brackets_are_accepted():
    tariff_brackets_validate(brackets=[(D("0"), D("300")), (D("301"), D("600")), (D("600.01"), None)])


def test_a_bracket_added_over_a_saved_one_is_refused(town_tariffs):
    bracket = TariffBracket(tariff=town_tariffs["meal"], qf_min=D("850"), qf_max=D("950"), price=D("3"))
    with pytest.raises(ValidationError) as error:
        bracket.full_clean()
    assert error.value.messages[0].startswith("Cette tranche chevauche la tranche 601")


# --- Which attendance situations are billed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "billed"),
    [
        (BillingSituation.RESERVED_PRESENT, True),
        (BillingSituation.RESERVED_ABSENT_UNJUSTIFIED, True),
        (BillingSituation.PRESENT_UNRESERVED, True),
        (BillingSituation.ABSENT_JUSTIFIED, False),
        (BillingSituation.CANCELLED_IN_TIME, False),
        (BillingSituation.CLOSURE, False),
    ],
)
def test_default_billed_situations(situation, billed):
    assert situation_is_billed(situation=situation, rule=None) is billed


def test_an_activity_may_stop_billing_unjustified_absences(small_town):
    rule = ActivityBillingRule.objects.create(
        activity=small_town["canteen"], bill_reserved_absent_unjustified=False
    )
    assert situation_is_billed(situation=BillingSituation.RESERVED_ABSENT_UNJUSTIFIED, rule=rule) is False
    assert situation_is_billed(situation=BillingSituation.RESERVED_PRESENT, rule=rule) is True
    # Never billed stays never billed, whatever the activity says.
    assert situation_is_billed(situation=BillingSituation.CLOSURE, rule=rule) is False
