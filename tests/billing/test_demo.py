"""The demo billing data: every demo unit gets a tariff and the simulators work on it."""

from datetime import date

import pytest

from billing.demo import seed_billing_demo
from billing.models import SchoolSector, Tariff
from billing.services.sectors import SectorStatus, school_sector_find
from families.models import Unit
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_demo_gives_every_unit_a_tariff_and_is_idempotent(small_town):
    SchoolFactory(name="École primaire Louise Michel")
    seed_billing_demo(today=date(2026, 9, 1))
    seed_billing_demo(today=date(2026, 9, 1))
    assert Tariff.objects.count() == Unit.objects.count()
    assert SchoolSector.objects.filter(street_name="Rue de Pontoise").count() == 3
    for tariff in Tariff.objects.all():
        tariff.full_clean()
    assert school_sector_find(address="Rue de Pontoise").status == SectorStatus.NEED_NUMBER


def test_portal_simulation_renders_with_the_demo_data(client, small_town):
    seed_billing_demo(today=date(2026, 9, 1))
    response = client.get(
        "/portail/simulation/",
        {"simulateur": "tarifs", "tarifs-quotient": "450", "tarifs-resident": "1", "tarifs-children": "2"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tranche QF 2 (301–600 €)" in html
    assert "2,43 €" in html  # repas: 4,85 × 50 % = 2,425 → 2,43 (bracket prices are stored rounded)
