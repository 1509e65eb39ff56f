"""Journal de caisse: the régisseur picks a day and gets the totals by means, the count and every payment with its
reference and who recorded it, as a page and as a PDF; a rejected payment is listed apart and never counted."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import PaymentMeans
from billing.services.counter import cashup_day
from billing.services.payments import payment_record, payment_reject
from tests.billing.counter_builders import issued_invoice, pdf_text
from tests.factories import ChildFactory, FamilyFactory

pytestmark = pytest.mark.django_db

D = Decimal
DAY = date(2026, 11, 5)


@pytest.fixture
def day_at_the_counter(regisseur):
    dupont = FamilyFactory(name="DUPONT Claire")
    issued_invoice(dupont, ChildFactory(family=dupont), month=10, amounts=["40.00"])
    martin = FamilyFactory(name="MARTIN Julien")
    payment_record(
        family=dupont,
        means=PaymentMeans.CHEQUE,
        amount="25.00",
        received_on=DAY,
        reference="0012345",
        by=regisseur,
    )
    payment_record(
        family=martin, means=PaymentMeans.CHEQUE, amount="12.50", received_on=DAY, reference="0098765"
    )
    payment_record(family=martin, means=PaymentMeans.CASH, amount="7.00", received_on=DAY, by=regisseur)
    bounced = payment_record(family=dupont, means=PaymentMeans.TRANSFER, amount="3.00", received_on=DAY)
    payment_reject(payment=bounced, on=date(2026, 11, 9), reason="Virement retourné")
    payment_record(family=martin, means=PaymentMeans.CASH, amount="99.00", received_on=date(2026, 11, 6))
    return {"dupont": dupont, "martin": martin}


def test_cashup_totals_by_means_without_rejected_payments(day_at_the_counter):
    cashup = cashup_day(day=DAY)

    assert [(t.label, t.count, t.amount) for t in cashup.totals] == [
        ("Chèque", 2, D("37.50")),
        ("Espèces", 1, D("7.00")),
    ]
    assert cashup.count == 3
    assert cashup.total == D("44.50")
    assert [p.number for p in cashup.rejected] == ["RC-2026-000004"]


def test_regisseur_picks_the_day_and_reads_the_journal(client, regisseur, day_at_the_counter):
    client.force_login(regisseur)

    page = client.get(reverse("billing_staff:cashup"), {"jour": "2026-11-05"}).content.decode()

    assert "Journal de caisse du jeudi 5 novembre 2026" in page
    assert "37,50 €" in page and "44,50 €" in page
    assert "0012345" in page and "0098765" in page
    assert regisseur.get_full_name() in page
    assert "Virement retourné" in page
    assert "99,00" not in page


def test_cashup_pdf_lists_the_day(client, regisseur, day_at_the_counter, tmp_path):
    client.force_login(regisseur)

    response = client.get(reverse("billing_staff:cashup_pdf"), {"jour": "2026-11-05"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Journal de caisse du 5 novembre 2026" in text
    assert "Chèque 2 37,50 €" in text
    assert "Total 3 44,50 €" in text
    assert "RC-2026-000001" in text and "0012345" in text


def test_a_bad_day_shows_today_instead_of_failing(client, regisseur):
    client.force_login(regisseur)

    assert client.get(reverse("billing_staff:cashup"), {"jour": "2026-13-45"}).status_code == 200
    assert client.get(reverse("billing_staff:cashup_pdf"), {"jour": "n'importe quoi"}).status_code == 200


def test_cashup_query_count_does_not_grow_with_payments(client, regisseur, django_assert_max_num_queries):
    family = FamilyFactory()
    for _ in range(25):
        payment_record(family=family, means=PaymentMeans.CASH, amount="1.00", received_on=DAY)
    client.force_login(regisseur)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("billing_staff:cashup"), {"jour": "2026-11-05"})

    assert response.status_code == 200
