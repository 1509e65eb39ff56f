"""The régisseur at the counter: picks the family, records a cheque spread over its open invoices (oldest first,
editable), sees what stays as a credit, lists, rejects and prints the receipts; agents read, parents never enter."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import Payment, PaymentMeans
from billing.services.payments import family_credit, payment_record
from tests.billing.counter_builders import issued_invoice, pdf_text
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def dupont(db):
    family = FamilyFactory(name="DUPONT Claire", code="F-000042")
    parent = GuardianFactory(family=family, first_name="Claire", last_name="Dupont", user=UserFactory())
    child = ChildFactory(family=family, first_name="Léa")
    september = issued_invoice(family, child, month=9, amounts=["10.00", "5.00"])  # 2026-000001, 15 €
    october = issued_invoice(family, child, month=10, amounts=["8.00"])  # 2026-000002, 8 €
    return {"family": family, "parent": parent, "september": september, "october": october}


def counter_post(client, family, **fields):
    data = {
        "family": family.pk,
        "means": PaymentMeans.CHEQUE,
        "amount": "",
        "received_on": "2026-11-05",
        "reference": "",
        "bank": "",
        "payer": "",
        "note": "",
        **fields,
    }
    return client.post(reverse("billing_staff:payment_new"), data)


def test_regisseur_finds_the_family_by_code_or_name(client, regisseur, dupont):
    client.force_login(regisseur)

    by_code = client.get(reverse("billing_staff:payment_new"), {"q": "000042"}).content.decode()
    by_name = client.get(reverse("billing_staff:payment_new"), {"q": "dupont"}).content.decode()

    assert f'href="?family={dupont["family"].pk}"' in by_code
    assert f'href="?family={dupont["family"].pk}"' in by_name


def test_the_form_lists_open_invoices_oldest_first_with_the_spread_prefilled(client, regisseur, dupont):
    client.force_login(regisseur)

    page = client.get(
        reverse("billing_staff:payment_new"), {"family": dupont["family"].pk, "amount": "20,00"}
    ).content.decode()

    assert page.index("2026-000001") < page.index("2026-000002")
    assert f'name="alloc_{dupont["september"].pk}" value="15,00"' in page
    assert f'name="alloc_{dupont["october"].pk}" value="5,00"' in page


def test_regisseur_records_a_cheque_across_two_invoices(client, regisseur, dupont):
    client.force_login(regisseur)

    response = counter_post(
        client,
        dupont["family"],
        amount="23,00",
        reference="1234567",
        bank="Crédit Agricole",
        **{f"alloc_{dupont['september'].pk}": "15,00", f"alloc_{dupont['october'].pk}": "8,00"},
    )

    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing_staff:payment", args=[payment.pk])
    assert payment.number == "RC-2026-000001"
    assert payment.created_by == regisseur
    assert [(a.invoice.number, a.amount) for a in payment.allocations.order_by("invoice__number")] == [
        ("2026-000001", D("15.00")),
        ("2026-000002", D("8.00")),
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "Règlement RC-2026-000001 de 23,00 € enregistré." in detail
    assert "Crédit Agricole" in detail


def test_a_cheque_allocated_beyond_an_invoice_balance_is_refused_and_the_form_keeps_the_input(
    client, regisseur, dupont
):
    client.force_login(regisseur)

    response = counter_post(
        client,
        dupont["family"],
        amount="30,00",
        reference="7654321",
        bank="La Banque Postale",
        **{f"alloc_{dupont['september'].pk}": "20,00", f"alloc_{dupont['october'].pk}": "8,00"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "20,00 € dépasse le reste à payer de la facture 2026-000001 (15,00 €)." in page
    assert 'value="30,00"' in page
    assert 'value="7654321"' in page
    assert 'value="La Banque Postale"' in page
    assert f'name="alloc_{dupont["september"].pk}" value="20,00"' in page
    assert "2,00 € resteront en crédit sur le compte de la famille." in page
    assert not Payment.objects.exists()


def test_an_overpayment_stays_as_a_credit_on_the_family_account(client, regisseur, dupont):
    client.force_login(regisseur)

    response = counter_post(client, dupont["family"], amount="25,00", means=PaymentMeans.CASH)

    assert response.status_code == 302
    assert family_credit(family=dupont["family"]) == D("2.00")
    page = client.get(response["Location"]).content.decode()
    assert "2,00 € restent en crédit sur le compte de la famille." in page


def test_a_bad_amount_gets_a_french_message(client, regisseur, dupont):
    client.force_login(regisseur)

    response = counter_post(client, dupont["family"], amount="douze")

    assert response.status_code == 200
    assert "Saisissez un montant en euros, par exemple 12,50." in response.content.decode()
    assert not Payment.objects.exists()


def test_cesu_cannot_pay_meals(client, regisseur, dupont):
    client.force_login(regisseur)

    response = counter_post(client, dupont["family"], amount="10,00", means=PaymentMeans.CESU)

    assert response.status_code == 200
    assert "Les CESU ne peuvent pas rester en crédit" in response.content.decode()
    assert not Payment.objects.exists()


def test_regisseur_rejects_a_bounced_cheque_and_the_invoices_are_due_again(client, regisseur, dupont):
    payment = payment_record(
        family=dupont["family"], means=PaymentMeans.CHEQUE, amount="23.00", received_on=date(2026, 11, 5)
    )
    client.force_login(regisseur)

    response = client.post(
        reverse("billing_staff:payment_reject", args=[payment.pk]),
        {"on": "2026-11-20", "reason": "Chèque sans provision"},
    )

    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REJECTED
    assert payment.rejected_on == date(2026, 11, 20)
    page = client.get(reverse("billing_staff:payment", args=[payment.pk])).content.decode()
    assert "Chèque sans provision" in page
    assert "Rejeter le règlement" not in page


def test_payments_list_filters_by_means_and_family(client, regisseur, dupont):
    payment_record(
        family=dupont["family"], means=PaymentMeans.CHEQUE, amount="5.00", received_on=date(2026, 11, 5)
    )
    payment_record(
        family=dupont["family"], means=PaymentMeans.CASH, amount="3.00", received_on=date(2026, 11, 6)
    )
    client.force_login(regisseur)

    page = client.get(reverse("billing_staff:payments"), {"means": "cash", "q": "dupont"}).content.decode()

    assert "RC-2026-000002" in page
    assert "RC-2026-000001" not in page
    assert "1 règlement, 3,00 €" in page


def test_payments_list_query_count_does_not_grow_with_rows(
    client, regisseur, dupont, django_assert_max_num_queries
):
    for day in range(1, 31):
        payment_record(
            family=dupont["family"], means=PaymentMeans.CASH, amount="1.00", received_on=date(2026, 11, day)
        )
    client.force_login(regisseur)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("billing_staff:payments"))

    assert response.status_code == 200


def test_agent_reads_payments_but_cannot_record_or_reject(client, agent, dupont):
    payment = payment_record(
        family=dupont["family"], means=PaymentMeans.CHEQUE, amount="5.00", received_on=date(2026, 11, 5)
    )
    client.force_login(agent)

    assert client.get(reverse("billing_staff:payments")).status_code == 200
    assert client.get(reverse("billing_staff:payment", args=[payment.pk])).status_code == 200
    assert client.get(reverse("billing_staff:payment_new")).status_code == 403
    assert counter_post(client, dupont["family"], amount="5,00").status_code == 403
    rejected = client.post(
        reverse("billing_staff:payment_reject", args=[payment.pk]), {"on": "2026-11-20", "reason": "x"}
    )
    assert rejected.status_code == 403
    assert Payment.objects.get().status == Payment.Status.VALID


@pytest.mark.parametrize(
    "name,args",
    [
        ("billing_staff:payments", []),
        ("billing_staff:payment_new", []),
        ("billing_staff:cashup", []),
        ("billing_staff:exports", []),
        ("billing_staff:aged_balance", []),
    ],
)
def test_parents_never_reach_the_counter(client, dupont, name, args):
    client.force_login(dupont["parent"].user)

    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Receipts -----------------------------------------------------------------------------------------------------


def test_receipt_names_the_payment_the_invoices_settled_and_the_credit_left(
    client, regisseur, dupont, tmp_path
):
    payment = payment_record(
        family=dupont["family"],
        means=PaymentMeans.CHEQUE,
        amount="25.00",
        received_on=date(2026, 11, 5),
        reference="1234567",
        bank="Crédit Agricole",
        payer=dupont["parent"],
        by=regisseur,
    )
    client.force_login(regisseur)

    response = client.get(reverse("billing_staff:payment_receipt", args=[payment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "Reçu de règlement" in text and "RC-2026-000001" in text
    assert "Claire DUPONT" in text
    assert "Chèque" in text
    assert "1234567" in text
    assert "Facture 2026-000001" in text and "Facture 2026-000002" in text
    assert "Crédit restant sur le compte de la famille 2,00 €" in text
    assert "Fait le 5 novembre 2026" in text
    assert "Le régisseur" in text


def test_parent_downloads_the_family_receipt_but_not_another_familys(client, dupont):
    payment = payment_record(
        family=dupont["family"], means=PaymentMeans.CHEQUE, amount="5.00", received_on=date(2026, 11, 5)
    )
    other = FamilyFactory(name="MARTIN")
    other_payment = payment_record(
        family=other, means=PaymentMeans.CASH, amount="5.00", received_on=date(2026, 11, 5)
    )
    client.force_login(dupont["parent"].user)

    own = client.get(reverse("billing:payment_receipt", kwargs={"pk": payment.pk}))
    foreign = client.get(reverse("billing:payment_receipt", kwargs={"pk": other_payment.pk}))

    assert reverse("billing:payment_receipt", kwargs={"pk": payment.pk}) == (
        f"/portail/factures/reglements/{payment.pk}/recu.pdf"
    )
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert foreign.status_code == 404


def test_the_counter_is_reachable_from_the_family_and_the_billing_menu(client, regisseur, dupont):
    client.force_login(regisseur)
    counter = f"{reverse('billing_staff:payment_new')}?family={dupont['family'].pk}"

    family_page = client.get(
        reverse("admin:families_family_change", args=[dupont["family"].pk])
    ).content.decode()
    billing_menu = client.get(reverse("billing_staff:runs")).content.decode()
    index = client.get(reverse("admin:index")).content.decode()

    assert f'href="{counter}"' in family_page
    assert f'href="{reverse("billing_staff:payment_new")}"' in billing_menu
    assert "Factures échues impayées (balance âgée)" in index


def test_form_shows_the_family_and_a_blank_form_when_nothing_is_due(client, regisseur):
    family = FamilyFactory(name="LEROY")
    client.force_login(regisseur)

    page = client.get(reverse("billing_staff:payment_new"), {"family": family.pk}).content.decode()

    assert "LEROY" in page
    assert "Cette famille n'a aucune facture à régler" in page


def test_the_date_field_is_prefilled_with_today_in_the_date_inputs_format(client, regisseur, dupont):
    client.force_login(regisseur)

    page = client.get(reverse("billing_staff:payment_new"), {"family": dupont["family"].pk}).content.decode()

    assert 'type="date" name="received_on" value="' + timezone.localdate().isoformat() + '"' in page
