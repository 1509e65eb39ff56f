"""Mes factures in shared custody: each parent sees the invoices addressed to them first, and is told why."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import CustodyMode
from billing.services.custody import custody_split_set
from billing.services.invoicing import invoice_run_create, invoice_run_issue, invoice_run_prepare
from billing.services.quotients import family_quotient_set
from families.models import Booking
from tests.billing.conftest import CANTEEN_BRACKETS, brackets_tariff
from tests.factories import (
    ActivityFactory,
    BookingFactory,
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    UnitFactory,
    UserFactory,
)

D = Decimal
NOTICE = "Garde alternée : vos factures et celles de l'autre parent sont séparées."


@pytest.fixture
def shared(db, regisseur):
    """Léa in 50/50 custody: Claire and Marc each get their half of November's canteen (3 days at 3,35 €)."""
    unit = UnitFactory(activity=ActivityFactory(name="Restauration scolaire"), label="Repas classique")
    brackets_tariff(unit, brackets=CANTEEN_BRACKETS)
    family = FamilyFactory(name="DUPONT")
    claire = GuardianFactory(family=family, first_name="Claire", user=UserFactory(email="claire@exemple.fr"))
    marc = GuardianFactory(
        family=family, first_name="Marc", is_billing_contact=False, user=UserFactory(email="marc@exemple.fr")
    )
    family_quotient_set(family=family, value=D("750"), valid_from=date(2026, 9, 1), by=regisseur)
    lea = ChildFactory(family=family, first_name="Léa")
    custody_split_set(
        child=lea,
        payer_a=claire,
        payer_b=marc,
        mode=CustodyMode.PERCENTAGE,
        percent_a=50,
        valid_from=date(2026, 9, 1),
    )
    for day in (2, 3, 4):
        BookingFactory(child=lea, unit=unit, date=date(2026, 11, day), attendance=Booking.Attendance.PRESENT)
    run = invoice_run_create(period=date(2026, 11, 1), activities=[unit.activity], by=regisseur, start=False)
    invoice_run_issue(run=invoice_run_prepare(run=run, today=date(2026, 12, 2)), today=date(2026, 12, 2))
    return {"claire": claire, "marc": marc, "invoices": {i.payer_id: i for i in family.invoices.all()}}


def _numbers_in_order(page: str, invoices) -> list[str]:
    return sorted((i.number for i in invoices), key=page.index)


def test_each_parent_sees_their_own_invoice_first(client, shared):
    claire_invoice = shared["invoices"][shared["claire"].pk]
    marc_invoice = shared["invoices"][shared["marc"].pk]

    client.force_login(shared["marc"].user)
    page = client.get(reverse("billing:invoices")).content.decode()
    assert NOTICE in page
    assert _numbers_in_order(page, [claire_invoice, marc_invoice]) == [
        marc_invoice.number,
        claire_invoice.number,
    ]
    assert f"Adressée à {marc_invoice.payer_name}" in page
    assert '<dd id="own-balance">5,01 €</dd>' in page  # his half: 3 × 1,67 €, of the family's 10,05 €

    client.force_login(shared["claire"].user)
    page = client.get(reverse("billing:invoices")).content.decode()
    assert _numbers_in_order(page, [claire_invoice, marc_invoice]) == [
        claire_invoice.number,
        marc_invoice.number,
    ]


def test_a_family_without_shared_custody_gets_no_notice(client, regisseur):
    family = FamilyFactory()
    user = UserFactory()
    GuardianFactory(family=family, user=user)
    client.force_login(user)

    page = client.get(reverse("billing:invoices")).content.decode()

    assert NOTICE not in page
