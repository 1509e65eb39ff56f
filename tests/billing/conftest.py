"""Fixtures of the billing tests: the town's real-looking tariffs and school sectors (carte scolaire)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from billing.models import SchoolSector, SurchargeKind, Tariff, TariffBracket, TariffMode
from families.models.catalogue import ActivityKind
from tests.factories import ActivityFactory, SchoolFactory, UnitFactory

SEPT_1 = date(2026, 9, 1)
D = Decimal


def brackets_tariff(unit, *, brackets, **fields) -> Tariff:
    tariff = Tariff.objects.create(unit=unit, mode=TariffMode.BRACKETS, valid_from=SEPT_1, **fields)
    for qf_min, qf_max, price in brackets:
        TariffBracket.objects.create(
            tariff=tariff, qf_min=D(qf_min), qf_max=None if qf_max is None else D(qf_max), price=D(price)
        )
    return tariff


CANTEEN_BRACKETS = [
    ("0", "300", "1.00"),
    ("301", "600", "2.40"),
    ("601", "900", "3.35"),
    ("901", "1200", "4.10"),
    ("1201", None, "4.85"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The simulation API throttles by client address in the shared cache: tests must not inherit another's count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town_tariffs(small_town):
    """Canteen by QF brackets (non-residents +20 %, siblings −10 %), morning care by taux d'effort, a flat wednesday."""
    canteen = small_town["canteen"]
    meal = canteen.units.get(code="repas-classique")
    veggie = canteen.units.get(code="repas-vege")
    meal_tariff = brackets_tariff(
        meal,
        brackets=CANTEEN_BRACKETS,
        non_resident_coefficient=D("1.20"),
        sibling_reduction_percent=D("10"),
        unreserved_surcharge_kind=SurchargeKind.PERCENT,
        unreserved_surcharge_value=D("50"),
    )
    veggie_tariff = brackets_tariff(veggie, brackets=CANTEEN_BRACKETS, non_resident_coefficient=D("1.20"))
    periscolaire = ActivityFactory(name="Accueil périscolaire 2026-2027", kind=ActivityKind.PERISCOLAIRE)
    morning = UnitFactory(activity=periscolaire, label="Accueil du matin", code="matin", exclusive_group="")
    morning_tariff = Tariff.objects.create(
        unit=morning,
        mode=TariffMode.EFFORT,
        valid_from=SEPT_1,
        effort_rate_1=D("0.35"),
        effort_rate_2=D("0.30"),
        effort_rate_3=D("0.25"),
        effort_floor=D("0.80"),
        effort_ceiling=D("3.50"),
        non_resident_price=D("4.50"),
    )
    wednesday = ActivityFactory(name="Mercredis récréatifs 2026-2027", kind=ActivityKind.MERCREDI)
    day = UnitFactory(activity=wednesday, label="Journée", code="journee", exclusive_group="")
    day_tariff = Tariff.objects.create(
        unit=day,
        mode=TariffMode.FLAT,
        valid_from=SEPT_1,
        price=D("12.00"),
        late_surcharge_kind=SurchargeKind.AMOUNT,
        late_surcharge_value=D("2"),
    )
    return {"meal": meal_tariff, "veggie": veggie_tariff, "morning": morning_tariff, "day": day_tariff}


@pytest.fixture
def sectors(small_town):
    jaures = small_town["school"]
    pasteur = SchoolFactory(name="École Louis Pasteur")
    rows = [
        ("Rue Jean Jaurès", None, None, SchoolSector.Parity.ALL, jaures),
        ("Avenue de la Gare", 1, 59, SchoolSector.Parity.ODD, jaures),
        ("Avenue de la Gare", 2, 80, SchoolSector.Parity.EVEN, pasteur),
        ("Avenue de la Gare", 61, None, SchoolSector.Parity.ODD, pasteur),
        ("Rue Saint-Exupéry", None, None, SchoolSector.Parity.ALL, pasteur),
    ]
    for street, start, end, parity, school in rows:
        SchoolSector.objects.create(
            street_name=street,
            number_from=start,
            number_to=end,
            parity=parity,
            school=school,
            commune="Bessancourt",
        )
    return {"jaures": jaures, "pasteur": pasteur}
