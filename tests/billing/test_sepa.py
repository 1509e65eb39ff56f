"""Prélèvement SEPA: a parent's mandate validated by the service, the month's pain.008 (FRST then RCUR, valid
against the XSD sepaxml ships, collection on a TARGET2 business day), anomalies instead of errors, rejects."""

import os
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
import sepaxml
import xmlschema
from django.core import mail
from django.core.exceptions import ValidationError

from billing.models import DirectDebitBatch, DirectDebitItem, Invoice, Payment, PaymentMeans, SepaMandate
from billing.services.invoicing import FamilyInvoiceStatus, invoice_status_label, invoice_totals
from billing.services.sepa import (
    prenotice_text,
    sepa_batch_create,
    sepa_batch_generate,
    sepa_collection_date,
    sepa_mandate_activate,
    sepa_mandate_refuse,
    sepa_mandate_request,
    sepa_mandate_revoke,
    sepa_mandates_lapse,
    sepa_prenotice,
    sepa_reject_record,
    sepa_returns_import,
    target2_business_day,
)
from tests.billing.sepa_builders import IBAN_OK, IBAN_TOWN, active_mandate, sepa_issued, signed_document

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
DECEMBER = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _emails_now(monkeypatch):
    monkeypatch.setattr("families.services.emails._after_commit", lambda callback: callback())


@pytest.fixture
def martin(small_town):
    return small_town["martin"]


@pytest.fixture
def claire(small_town):
    return small_town["martin_parent"]


@pytest.fixture
def lea(small_town):
    return small_town["lea"]


def xsd_validate(content: bytes) -> None:
    schema = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.008.001.02.xsd")
    xmlschema.XMLSchema(schema).validate(content.decode())


def transactions(batch):
    with batch.file.open("rb") as handle:
        content = handle.read()
    root = ET.fromstring(content)
    return content, [
        {
            "seq": info.find("p:PmtTpInf/p:SeqTp", NS).text,
            "date": info.find("p:ReqdColltnDt", NS).text,
            "e2e": tx.find("p:PmtId/p:EndToEndId", NS).text,
            "rum": tx.find("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", NS).text,
            "amount": tx.find("p:InstdAmt", NS).text,
            "iban": tx.find("p:DbtrAcct/p:Id/p:IBAN", NS).text,
            "ics": info.find("p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", NS).text,
        }
        for info in root.iter(f"{{{NS['p']}}}PmtInf")
        for tx in info.findall("p:DrctDbtTxInf", NS)
    ]


def generate(period, *, today, by=None):
    return sepa_batch_generate(batch=sepa_batch_create(period=period, by=by), by=by, today=today)


# --- Mandates ------------------------------------------------------------------------------------------------------


def test_parent_requests_a_mandate_and_gets_a_rum_the_bic_derived_from_the_iban(martin, claire):
    mandate = sepa_mandate_request(
        family=martin,
        payer=claire,
        holder="Claire Martin",
        iban="fr76 3000 1007 9412 3456 7890 185",
        by=claire.user,
    )

    assert mandate.status == SepaMandate.Status.REQUESTED
    assert mandate.rum == f"PF-{martin.code.replace('-', '')}-001"
    assert len(mandate.rum) <= 35
    assert mandate.iban == IBAN_TOWN
    assert mandate.bic == "BDFEFRPP"
    assert mandate.iban_masked == "FR76 **** **** **** **** ***0 185"


def test_an_iban_with_a_bad_checksum_is_refused_with_a_french_message(martin, claire):
    with pytest.raises(ValidationError) as error:
        sepa_mandate_request(
            family=martin, payer=claire, holder="Claire Martin", iban="FR7630001007941234567890186"
        )

    assert error.value.message_dict["iban"] == [
        "Cet IBAN est invalide : sa clé de contrôle ne correspond pas. Vérifiez chaque caractère."
    ]
    assert not SepaMandate.objects.exists()


def test_a_payer_of_another_family_cannot_sign_for_this_one(martin, small_town):
    with pytest.raises(ValidationError) as error:
        sepa_mandate_request(family=martin, payer=small_town["bernard_parent"], holder="Sophie", iban=IBAN_OK)
    assert "payer" in error.value.message_dict


def test_staff_activate_only_with_the_signature_date_and_the_signed_mandate(martin, claire, regisseur):
    mandate = sepa_mandate_request(family=martin, payer=claire, holder="Claire Martin", iban=IBAN_OK)

    with pytest.raises(ValidationError) as no_date:
        sepa_mandate_activate(mandate=mandate, signed_on=None, document=signed_document(martin), by=regisseur)
    with pytest.raises(ValidationError) as no_document:
        sepa_mandate_activate(mandate=mandate, signed_on=date(2026, 9, 15), document=None, by=regisseur)

    assert no_date.value.message_dict["signed_on"] == ["Indiquez la date de signature du mandat."]
    assert no_document.value.message_dict["document"] == ["Joignez le mandat signé (document de la famille)."]
    active = sepa_mandate_activate(
        mandate=mandate, signed_on=date(2026, 9, 15), document=signed_document(martin), by=regisseur
    )
    assert active.status == SepaMandate.Status.ACTIVE
    assert active.signed_on == date(2026, 9, 15)
    assert active.decided_by == regisseur


def test_the_signed_mandate_must_be_a_document_of_the_same_family(martin, claire, small_town, regisseur):
    mandate = sepa_mandate_request(family=martin, payer=claire, holder="Claire Martin", iban=IBAN_OK)
    with pytest.raises(ValidationError) as error:
        sepa_mandate_activate(
            mandate=mandate,
            signed_on=date(2026, 9, 15),
            document=signed_document(small_town["bernard"]),
            by=regisseur,
        )
    assert error.value.message_dict["document"] == ["Ce document n'appartient pas à la famille du mandat."]


def test_staff_refuse_with_a_reason_and_a_revoked_mandate_lets_the_parent_ask_again(
    martin, claire, regisseur
):
    mandate = sepa_mandate_request(family=martin, payer=claire, holder="Claire Martin", iban=IBAN_OK)
    with pytest.raises(ValidationError):
        sepa_mandate_request(family=martin, payer=claire, holder="Claire Martin", iban=IBAN_OK)

    refused = sepa_mandate_refuse(mandate=mandate, reason="Mandat non signé", by=regisseur)
    again = sepa_mandate_request(family=martin, payer=claire, holder="Claire Martin", iban=IBAN_OK)
    revoked = sepa_mandate_revoke(mandate=again, reason="À la demande de la famille", by=regisseur)

    assert refused.status == SepaMandate.Status.REFUSED and refused.status_reason == "Mandat non signé"
    assert again.rum.endswith("-002")
    assert revoked.status == SepaMandate.Status.REVOKED
    with pytest.raises(ValidationError):
        sepa_mandate_revoke(mandate=revoked, by=regisseur)


def test_a_mandate_lapses_after_36_months_without_a_debit(martin, claire, small_town):
    used = active_mandate(martin, claire, signed_on=date(2023, 1, 10))
    SepaMandate.objects.filter(pk=used.pk).update(last_debit_on=date(2023, 12, 4))
    never_used = active_mandate(
        small_town["bernard"], small_town["bernard_parent"], signed_on=date(2023, 12, 5)
    )

    assert sepa_mandates_lapse(today=date(2026, 12, 3)) == 0
    assert sepa_mandates_lapse(today=date(2026, 12, 4)) == 1  # 36 months after the last debit, to the day

    used.refresh_from_db()
    never_used.refresh_from_db()
    assert used.status == SepaMandate.Status.LAPSED
    assert never_used.status == SepaMandate.Status.ACTIVE
    assert sepa_mandates_lapse(today=date(2026, 12, 5)) == 1
    never_used.refresh_from_db()
    assert never_used.status == SepaMandate.Status.LAPSED


# --- Dates ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_on", "collected_on"),
    [
        (date(2026, 12, 3), date(2026, 12, 17)),  # a Thursday: 14 days later, a Thursday
        (date(2026, 11, 7), date(2026, 11, 23)),  # lands on Saturday 21 → Monday 23
        (
            date(2026, 12, 11),
            date(2026, 12, 28),
        ),  # Christmas Friday 25, Saturday 26 (TARGET2 closed) → Monday 28
        (date(2027, 3, 12), date(2027, 3, 30)),  # Good Friday 26 March 2027, Easter Monday 29 → Tuesday 30
        (date(2026, 4, 17), date(2026, 5, 4)),  # 1 May 2026 is a Friday → Monday 4 May
    ],
)
def test_the_collection_date_is_14_days_after_the_invoice_on_a_target2_business_day(issued_on, collected_on):
    assert sepa_collection_date(issued_on=issued_on) == collected_on


def test_the_town_may_set_another_delay(settings):
    settings.PORTAIL_SEPA_DELAY_DAYS = 20
    assert sepa_collection_date(issued_on=date(2026, 12, 3)) == date(2026, 12, 23)


def test_a_french_public_holiday_which_is_a_target2_day_stays_a_collection_day():
    # 11 November is a jour férié in France but TARGET2 settles: the debit is not moved.
    assert target2_business_day(date(2026, 11, 11)) == date(2026, 11, 11)


# --- The monthly batch ---------------------------------------------------------------------------------------------


def test_the_invoice_shows_the_pre_notification_of_its_debit(martin, claire, lea):
    mandate = active_mandate(martin, claire, iban=IBAN_TOWN)
    invoice = sepa_issued(
        martin, lea, period=date(2026, 11, 1), amounts=["3.35"], issued_on=date(2026, 12, 3), payer=claire
    )

    notice = sepa_prenotice(invoice=invoice)

    assert prenotice_text(notice) == (
        f"Cette facture sera prélevée le jeudi 17 décembre 2026 sur le compte FR76 …0185 (mandat {mandate.rum})."
    )


def test_the_batch_debits_each_invoice_frst_then_rcur_in_a_file_valid_against_the_xsd(
    martin, claire, lea, regisseur
):
    mandate = active_mandate(martin, claire)
    november = sepa_issued(
        martin,
        lea,
        period=date(2026, 11, 1),
        amounts=["3.35", "3.35", "4.10"],
        issued_on=date(2026, 12, 3),
        payer=claire,
    )

    first = generate(date(2026, 11, 1), today=date(2026, 12, 4), by=regisseur)

    content, (tx,) = transactions(first)
    xsd_validate(content)
    assert tx == {
        "seq": "FRST",
        "date": "2026-12-17",
        "e2e": november.number,
        "rum": mandate.rum,
        "amount": "10.80",
        "iban": "FR7630006000011234567890189",
        "ics": "FR12ZZZ123456",
    }
    item = first.items.get()
    assert item.payment.means == PaymentMeans.DIRECT_DEBIT
    assert item.payment.received_on == date(2026, 12, 17)
    assert item.payment.allocations.get().invoice == november
    assert (
        invoice_status_label(invoice_totals(Invoice.objects.filter(pk=november.pk)).get())
        == FamilyInvoiceStatus.PAID
    )
    mandate.refresh_from_db()
    assert mandate.first_debit_done and mandate.last_debit_on == date(2026, 12, 17)

    december = sepa_issued(
        martin, lea, period=DECEMBER, amounts=["3.35"], issued_on=date(2027, 1, 5), payer=claire
    )
    second = generate(DECEMBER, today=date(2027, 1, 6), by=regisseur)

    content, (tx,) = transactions(second)
    xsd_validate(content)
    assert (tx["seq"], tx["date"], tx["e2e"]) == ("RCUR", "2027-01-19", december.number)


def test_a_second_batch_of_the_same_month_never_debits_an_invoice_twice(martin, claire, lea):
    active_mandate(martin, claire)
    sepa_issued(
        martin, lea, period=date(2026, 11, 1), amounts=["3.35"], issued_on=date(2026, 12, 3), payer=claire
    )
    generate(date(2026, 11, 1), today=date(2026, 12, 4))

    again = generate(date(2026, 11, 1), today=date(2026, 12, 5))

    assert not again.items.exists() and not again.file
    assert [a["kind"] for a in again.anomalies] == ["empty"]
    assert Payment.objects.filter(means=PaymentMeans.DIRECT_DEBIT).count() == 1


def test_only_what_is_left_to_pay_is_debited_and_paid_invoices_are_left_alone(martin, claire, lea):
    from billing.services.payments import payment_record

    active_mandate(martin, claire)
    partly = sepa_issued(
        martin, lea, period=date(2026, 11, 1), amounts=["10.00"], issued_on=date(2026, 12, 3), payer=claire
    )
    paid = sepa_issued(
        martin, lea, period=date(2026, 11, 1), amounts=["5.00"], issued_on=date(2026, 12, 3), payer=claire
    )
    payment_record(
        family=martin,
        means=PaymentMeans.CHEQUE,
        amount="4",
        received_on=date(2026, 12, 4),
        allocations=[(partly, "4")],
    )
    payment_record(
        family=martin,
        means=PaymentMeans.CASH,
        amount="5",
        received_on=date(2026, 12, 4),
        allocations=[(paid, "5")],
    )

    batch = generate(date(2026, 11, 1), today=date(2026, 12, 5))

    assert [(i.invoice, i.amount) for i in batch.items.all()] == [(partly, Decimal("6.00"))]


def test_a_mandate_without_signature_date_is_left_out_with_a_french_anomaly(martin, claire, lea, small_town):
    unsigned = active_mandate(martin, claire)
    SepaMandate.objects.filter(pk=unsigned.pk).update(signed_on=None)  # taken over from the previous software
    sepa_issued(
        martin, lea, period=date(2026, 11, 1), amounts=["3.35"], issued_on=date(2026, 12, 3), payer=claire
    )
    bernard, sophie = small_town["bernard"], small_town["bernard_parent"]
    active_mandate(bernard, sophie)
    ok = sepa_issued(
        bernard,
        small_town["chloe"],
        period=date(2026, 11, 1),
        amounts=["4.85"],
        issued_on=date(2026, 12, 3),
        payer=sophie,
    )

    batch = generate(date(2026, 11, 1), today=date(2026, 12, 4))

    content, txs = transactions(batch)
    xsd_validate(content)
    assert [tx["e2e"] for tx in txs] == [ok.number]
    (anomaly,) = batch.anomalies
    assert anomaly["kind"] == "no_signature"
    assert anomaly["message"].startswith(
        f"Mandat {unsigned.rum} (famille {martin.code}) sans date de signature"
    )


def test_a_mandate_whose_iban_fails_the_checksum_is_left_out_with_a_french_anomaly(martin, claire, lea):
    mandate = active_mandate(martin, claire)
    SepaMandate.objects.filter(pk=mandate.pk).update(iban="FR7630001007941234567890186")
    invoice = sepa_issued(
        martin, lea, period=date(2026, 11, 1), amounts=["3.35"], issued_on=date(2026, 12, 3), payer=claire
    )

    batch = generate(date(2026, 11, 1), today=date(2026, 12, 4))

    assert not batch.items.exists() and not batch.file
    assert batch.anomalies[0]["kind"] == "bad_iban"
    assert "FR76 **** **** **** **** ***0 186" in batch.anomalies[0]["message"]
    assert invoice.number in batch.anomalies[0]["message"]
    assert not Payment.objects.exists()


def test_a_batch_generated_late_collects_on_the_next_business_day_not_in_the_past(martin, claire, lea):
    active_mandate(martin, claire)
    sepa_issued(
        martin, lea, period=date(2026, 11, 1), amounts=["3.35"], issued_on=date(2026, 12, 3), payer=claire
    )

    batch = generate(date(2026, 11, 1), today=date(2026, 12, 24))

    assert batch.items.get().collection_on == date(2026, 12, 28)


def test_without_the_town_creditor_settings_the_batch_is_refused_in_french(martin, claire, lea, settings):
    settings.PORTAIL_SEPA_CREDITOR_ID = ""
    batch = sepa_batch_create(period=date(2026, 11, 1))
    with pytest.raises(ValidationError) as error:
        sepa_batch_generate(batch=batch, today=date(2026, 12, 4))
    assert "ICS" in error.value.messages[0]


def test_a_generated_batch_cannot_be_generated_again(martin):
    batch = generate(date(2026, 11, 1), today=date(2026, 12, 4))
    with pytest.raises(ValidationError):
        sepa_batch_generate(batch=batch, today=date(2026, 12, 4))


# --- Rejects -------------------------------------------------------------------------------------------------------


def _debited(martin, claire, lea, *, period, issued_on, today):
    sepa_issued(martin, lea, period=period, amounts=["3.35"], issued_on=issued_on, payer=claire)
    return generate(period, today=today).items.get()


def test_a_reject_makes_the_invoice_due_again_and_tells_the_family(martin, claire, lea, regisseur):
    active_mandate(martin, claire)
    item = _debited(
        martin, claire, lea, period=date(2026, 11, 1), issued_on=date(2026, 12, 3), today=date(2026, 12, 4)
    )
    mail.outbox.clear()

    rejected = sepa_reject_record(item=item, code="AM04", on=date(2026, 12, 21), by=regisseur)

    assert rejected.status == DirectDebitItem.Status.REJECTED
    payment = Payment.objects.get(pk=item.payment_id)
    assert payment.status == Payment.Status.REJECTED
    assert payment.reject_reason == "Prélèvement rejeté : AM04 — Provision insuffisante"
    invoice = invoice_totals(Invoice.objects.filter(pk=item.invoice_id)).get()
    assert invoice_status_label(invoice) == FamilyInvoiceStatus.DUE
    (email,) = mail.outbox
    assert email.to == ["claire.martin@exemple.fr"]
    assert item.invoice.number in email.subject
    assert "Provision insuffisante" in email.body
    rejected.mandate.refresh_from_db()
    assert rejected.mandate.reject_count == 1
    assert rejected.mandate.status == SepaMandate.Status.ACTIVE
    assert not rejected.mandate.first_debit_done  # its first debit failed: the next one is a FRST again


def test_two_rejects_suspend_the_mandate_and_the_next_batch_leaves_it_out(martin, claire, lea, regisseur):
    active_mandate(martin, claire)
    first = _debited(
        martin, claire, lea, period=date(2026, 10, 1), issued_on=date(2026, 11, 3), today=date(2026, 11, 4)
    )
    second = _debited(
        martin, claire, lea, period=date(2026, 11, 1), issued_on=date(2026, 12, 3), today=date(2026, 12, 4)
    )
    assert (first.sequence, second.sequence) == ("FRST", "RCUR")

    sepa_reject_record(item=first, code="AM04", on=date(2026, 11, 20), by=regisseur)
    sepa_reject_record(item=second, code="AC04", on=date(2026, 12, 21), by=regisseur)

    mandate = SepaMandate.objects.get()
    assert mandate.status == SepaMandate.Status.SUSPENDED
    assert mandate.reject_count == 2
    assert "rejeté" in mail.outbox[-1].body and "suspendu" in mail.outbox[-1].body
    sepa_issued(martin, lea, period=DECEMBER, amounts=["3.35"], issued_on=date(2027, 1, 5), payer=claire)
    assert not generate(DECEMBER, today=date(2027, 1, 6)).items.exists()
    with pytest.raises(ValidationError):
        sepa_reject_record(item=second, code="AM04", on=date(2026, 12, 22), by=regisseur)


def test_an_unknown_reject_code_is_refused(martin, claire, lea, regisseur):
    active_mandate(martin, claire)
    item = _debited(
        martin, claire, lea, period=date(2026, 11, 1), issued_on=date(2026, 12, 3), today=date(2026, 12, 4)
    )
    with pytest.raises(ValidationError) as error:
        sepa_reject_record(item=item, code="ZZ99", on=date(2026, 12, 21), by=regisseur)
    assert error.value.message_dict["code"] == ["Motif de rejet inconnu : ZZ99."]


def test_the_bank_return_file_rejects_good_rows_and_reports_bad_ones_by_row(martin, claire, lea, regisseur):
    mandate = active_mandate(martin, claire)
    item = _debited(
        martin, claire, lea, period=date(2026, 11, 1), issued_on=date(2026, 12, 3), today=date(2026, 12, 4)
    )
    csv_text = (
        "reference;rum;montant;motif\n"
        f"{item.end_to_end_id};{mandate.rum};3,35;MS02\n"
        "2026-999999;PF-X;3,35;AM04\n"
        f"{item.end_to_end_id};{mandate.rum};3,35;AM04\n"
        ";;;\n"
        f"{item.end_to_end_id};{mandate.rum};abc;AM04\n"
    )

    report = sepa_returns_import(content=csv_text.encode("utf-8"), on=date(2026, 12, 22), by=regisseur)

    assert [(row, done.pk) for row, done in report.done] == [(2, item.pk)]
    assert report.errors == [
        (3, "Aucun prélèvement n'a la référence « 2026-999999 »."),
        (4, f"Le prélèvement {item.end_to_end_id} est déjà rejeté."),
        (6, f"Le prélèvement {item.end_to_end_id} est déjà rejeté."),
    ]
    item.refresh_from_db()
    assert item.reject_code == "MS02"


def test_a_return_file_with_a_wrong_amount_or_mandate_is_reported_and_changes_nothing(martin, claire, lea):
    mandate = active_mandate(martin, claire)
    item = _debited(
        martin, claire, lea, period=date(2026, 11, 1), issued_on=date(2026, 12, 3), today=date(2026, 12, 4)
    )
    csv_text = (
        "end_to_end_id,rum,amount,reason_code\n"
        f"{item.end_to_end_id},{mandate.rum},9.99,AM04\n"
        f"{item.end_to_end_id},PF-F999999-001,3.35,AM04\n"
        f"{item.end_to_end_id},{mandate.rum},3.35,XX01\n"
    )

    report = sepa_returns_import(content=csv_text, on=date(2026, 12, 22))

    assert report.done == []
    assert [row for row, _message in report.errors] == [2, 3, 4]
    assert "9,99 €" in report.errors[0][1] and "3,35 €" in report.errors[0][1]
    assert report.errors[2][1] == "Motif de rejet inconnu : XX01."
    item.refresh_from_db()
    assert item.status == DirectDebitItem.Status.DEBITED


def test_a_return_file_without_the_expected_columns_says_which_are_missing():
    report = sepa_returns_import(content="foo;bar\n1;2\n", on=date(2026, 12, 22))
    assert report.done == [] and report.errors[0][0] == 1
    assert "référence" in report.errors[0][1]


def test_batches_are_listed_newest_first(martin):
    generate(date(2026, 10, 1), today=date(2026, 11, 4))
    generate(date(2026, 11, 1), today=date(2026, 12, 4))
    assert [b.period.month for b in DirectDebitBatch.objects.all()] == [11, 10]


def test_the_lapse_command_reports_how_many_mandates_lapsed(martin, claire):
    from io import StringIO

    from django.core.management import call_command

    active_mandate(martin, claire, signed_on=date(2023, 11, 30))
    out = StringIO()

    call_command("sepa_lapse_mandates", "--today", "2026-11-30", stdout=out)

    assert out.getvalue().strip() == "1 mandat(s) devenu(s) caduc(s)."
    assert SepaMandate.objects.get().status == SepaMandate.Status.LAPSED


def test_the_demo_gives_the_second_demo_family_an_active_mandate_once(small_town):
    from billing.demo import seed_sepa_demo
    from families.models import Family

    family = Family.objects.get(code="F-000002")

    seed_sepa_demo(today=date(2026, 11, 23))
    seed_sepa_demo(today=date(2026, 11, 23))

    mandate = SepaMandate.objects.get()
    assert (mandate.family, mandate.status, mandate.signed_on) == (family, "active", date(2026, 9, 1))
    assert mandate.document.family == family


PAIN002 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
 <CstmrPmtStsRpt>
  <GrpHdr><MsgId>RETOUR-1</MsgId><CreDtTm>2026-12-21T08:00:00</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>X</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId></OrgnlGrpInfAndSts>
  <OrgnlPmtInfAndSts>
   <OrgnlPmtInfId>X</OrgnlPmtInfId>
   <TxInfAndSts>
    <OrgnlEndToEndId>{reference}</OrgnlEndToEndId><TxSts>RJCT</TxSts>
    <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>
    <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">3.35</InstdAmt></Amt><MndtRltdInf><MndtId>{rum}</MndtId></MndtRltdInf></OrgnlTxRef>
   </TxInfAndSts>
   <TxInfAndSts>
    <OrgnlEndToEndId>2026-777777</OrgnlEndToEndId><TxSts>RJCT</TxSts>
    <StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf>
   </TxInfAndSts>
  </OrgnlPmtInfAndSts>
 </CstmrPmtStsRpt>
</Document>
"""


def test_the_bank_pain002_status_report_rejects_its_transactions(martin, claire, lea, regisseur):
    mandate = active_mandate(martin, claire)
    item = _debited(
        martin, claire, lea, period=date(2026, 11, 1), issued_on=date(2026, 12, 3), today=date(2026, 12, 4)
    )

    report = sepa_returns_import(
        content=PAIN002.format(reference=item.end_to_end_id, rum=mandate.rum).encode(),
        on=date(2026, 12, 21),
        by=regisseur,
    )

    assert [(row, done.reject_code) for row, done in report.done] == [(1, "AC04")]
    assert report.errors == [(2, "Aucun prélèvement n'a la référence « 2026-777777 ».")]
    assert Payment.objects.get().status == Payment.Status.REJECTED


def test_a_hostile_or_foreign_xml_file_is_reported_not_parsed():
    bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Document>&b;</Document>'
    other = '<?xml version="1.0"?><Document xmlns="urn:x"><CstmrDrctDbtInitn/></Document>'

    assert sepa_returns_import(content=bomb, on=date(2026, 12, 21)).errors == [
        (1, "Le fichier XML est illisible (pain.002 attendu).")
    ]
    assert sepa_returns_import(content=other, on=date(2026, 12, 21)).errors == [
        (1, "Ce fichier XML n'est pas un compte rendu pain.002 de la banque.")
    ]


def test_once_the_collection_date_has_passed_the_invoice_says_it_was_debited(
    martin, claire, lea, monkeypatch
):
    mandate = active_mandate(martin, claire, iban=IBAN_TOWN)
    item = _debited(
        martin, claire, lea, period=date(2026, 11, 1), issued_on=date(2026, 12, 3), today=date(2026, 12, 4)
    )

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 12, 17))
    assert prenotice_text(sepa_prenotice(invoice=item.invoice)).startswith(
        "Cette facture sera prélevée le jeudi 17"
    )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 12, 18))
    assert prenotice_text(sepa_prenotice(invoice=item.invoice)) == (
        f"Cette facture a été prélevée le jeudi 17 décembre 2026 sur le compte FR76 …0185 (mandat {mandate.rum})."
    )
