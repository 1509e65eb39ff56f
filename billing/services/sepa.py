"""Prélèvement SEPA: mandates (request, validation, lapse), the monthly pain.008 batch, rejects (R-transactions).

The batch records each debited invoice as a `Payment` (means `direct_debit`) through `payment_record` when the file
is generated, dated at the collection date: from then on the invoice is no longer open (no online payment, no
second batch takes it twice) and the money is counted once. A reject (`sepa_reject_record`) calls
`payment_reject`: the invoice is due again, the family is told, and after two rejects the mandate is suspended.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException

from billing.models import (
    DirectDebitBatch,
    DirectDebitItem,
    Invoice,
    PaymentMeans,
    RejectReason,
    SepaMandate,
    SequenceType,
)
from billing.money import euros
from billing.services.invoicing import invoice_totals
from billing.services.payments import invoice_due, payment_record, payment_reject
from families.models import Family, FamilyDocument, Guardian

CENT = Decimal("0.01")
LAPSE_MONTHS = 36
REJECTS_BEFORE_SUSPENSION = 2
LIVE_STATUSES = (SepaMandate.Status.REQUESTED, SepaMandate.Status.ACTIVE, SepaMandate.Status.SUSPENDED)

ANOMALY_NO_SIGNATURE = "no_signature"
ANOMALY_BAD_IBAN = "bad_iban"
ANOMALY_NO_MANDATE = "no_mandate_for_payer"
ANOMALY_EMPTY = "empty"


# --- IBAN, BIC, RUM ---------------------------------------------------------------------------------------------


def iban_clean(value: str) -> IBAN:
    """A valid IBAN (schwifty: country, length, checksum) or a French ValidationError on `iban`."""
    compact = "".join((value or "").split()).upper()
    if not compact:
        raise ValidationError({"iban": _("Saisissez l'IBAN du compte à prélever.")})
    try:
        return IBAN(compact)
    except InvalidChecksumDigits:
        raise ValidationError(
            {
                "iban": _(
                    "Cet IBAN est invalide : sa clé de contrôle ne correspond pas. Vérifiez chaque caractère."
                )
            }
        ) from None
    except SchwiftyException:
        raise ValidationError(
            {"iban": _("Cet IBAN est invalide : vérifiez le code pays, la longueur et chaque caractère.")}
        ) from None


def bic_clean(value: str, *, iban: IBAN) -> str:
    """The BIC typed by the parent (checked), else the one schwifty derives from the IBAN's bank code, else ""."""
    compact = "".join((value or "").split()).upper()
    if compact:
        try:
            return str(BIC(compact))
        except SchwiftyException:
            raise ValidationError(
                {"bic": _("Ce BIC est invalide (8 ou 11 caractères, par exemple BDFEFRPP).")}
            ) from None
    try:
        derived = iban.bic
    except SchwiftyException:
        derived = None
    return str(derived) if derived else ""


def iban_is_valid(value: str) -> bool:
    try:
        IBAN("".join((value or "").split()).upper())
    except SchwiftyException:
        return False
    return True


def _rum_next(family: Family) -> str:
    """« PF-F000123-001 »: the portal's prefix, the family code, the family's mandate count (≤ 35 characters)."""
    code = "".join(ch for ch in family.code if ch.isalnum()) or f"F{family.pk}"
    rank = SepaMandate.objects.filter(family=family).count() + 1
    while True:
        rum = f"PF-{code}-{rank:03d}"[:35]
        if not SepaMandate.objects.filter(rum=rum).exists():
            return rum
        rank += 1


# --- Mandates ---------------------------------------------------------------------------------------------------


def _lock_family(family: Family) -> None:
    Family.objects.select_for_update().filter(pk=family.pk).values_list("pk", flat=True).get()


def _lock(mandate: SepaMandate) -> SepaMandate:
    return SepaMandate.objects.select_for_update().get(pk=mandate.pk)


@transaction.atomic
def sepa_mandate_request(
    *, family: Family, payer: Guardian, holder: str, iban: str, bic: str = "", by=None
) -> SepaMandate:
    """A parent asks to pay by prélèvement: the IBAN is checked, a RUM given, the service validates it later."""
    if payer is None or payer.family_id != family.pk:
        raise ValidationError({"payer": _("Choisissez un responsable de votre dossier comme payeur.")})
    holder = " ".join((holder or "").split())
    if not holder:
        raise ValidationError({"holder": _("Indiquez le titulaire du compte.")})
    if len(holder) > 70:
        raise ValidationError({"holder": _("Le nom du titulaire a au plus 70 caractères.")})
    checked = iban_clean(iban)
    checked_bic = bic_clean(bic, iban=checked)
    _lock_family(family)
    if SepaMandate.objects.filter(family=family, payer=payer, status__in=LIVE_STATUSES).exists():
        raise ValidationError(
            _("%(name)s a déjà un mandat en cours : révoquez-le avant d'en demander un autre.")
            % {"name": payer.full_name}
        )
    return SepaMandate.objects.create(
        family=family,
        payer=payer,
        rum=_rum_next(family),
        holder=holder,
        iban=checked.compact,
        bic=checked_bic,
        status=SepaMandate.Status.REQUESTED,
        status_changed_on=timezone.localdate(),
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )


@transaction.atomic
def sepa_mandate_activate(
    *,
    mandate: SepaMandate,
    signed_on: date | None,
    document: FamilyDocument | None,
    by,
    today: date | None = None,
) -> SepaMandate:
    """Staff validate a mandate (or put a suspended one back): signature date and signed mandate are required."""
    today = today or timezone.localdate()
    locked = _lock(mandate)
    if locked.status not in (SepaMandate.Status.REQUESTED, SepaMandate.Status.SUSPENDED):
        raise ValidationError(
            _("Seul un mandat demandé ou suspendu peut être activé (celui-ci est « %(status)s »).")
            % {"status": locked.get_status_display()}
        )
    signed_on = signed_on or locked.signed_on
    document = document or locked.document
    if signed_on is None:
        raise ValidationError({"signed_on": _("Indiquez la date de signature du mandat.")})
    if signed_on > today:
        raise ValidationError({"signed_on": _("La date de signature ne peut pas être dans le futur.")})
    if document is None:
        raise ValidationError({"document": _("Joignez le mandat signé (document de la famille).")})
    if document.family_id != locked.family_id:
        raise ValidationError({"document": _("Ce document n'appartient pas à la famille du mandat.")})
    if not iban_is_valid(locked.iban):
        raise ValidationError(
            {"iban": _("L'IBAN de ce mandat est invalide : la famille doit en demander un autre.")}
        )
    locked.signed_on = signed_on
    locked.document = document
    locked.status = SepaMandate.Status.ACTIVE
    locked.status_reason = ""
    locked.status_changed_on = today
    locked.decided_by = by if getattr(by, "is_authenticated", False) else None
    if locked.reject_count >= REJECTS_BEFORE_SUSPENSION:
        locked.reject_count = (
            0  # put back by staff after the family fixed its account: the count starts again
        )
    locked.save()
    return locked


@transaction.atomic
def sepa_mandate_refuse(*, mandate: SepaMandate, reason: str, by) -> SepaMandate:
    """Staff refuse a requested mandate (unsigned, wrong holder…), with a reason the family reads."""
    locked = _lock(mandate)
    if locked.status != SepaMandate.Status.REQUESTED:
        raise ValidationError(_("Seul un mandat en attente de validation peut être refusé."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    locked.status = SepaMandate.Status.REFUSED
    locked.status_reason = reason.strip()
    locked.status_changed_on = timezone.localdate()
    locked.decided_by = by if getattr(by, "is_authenticated", False) else None
    locked.save()
    return locked


@transaction.atomic
def sepa_mandate_revoke(*, mandate: SepaMandate, reason: str = "", by=None) -> SepaMandate:
    """The family (through the service) ends the mandate: no further debit on it."""
    locked = _lock(mandate)
    if locked.status not in LIVE_STATUSES:
        raise ValidationError(_("Ce mandat n'est plus en cours : il ne peut pas être révoqué."))
    locked.status = SepaMandate.Status.REVOKED
    locked.status_reason = (reason or "").strip()
    locked.status_changed_on = timezone.localdate()
    locked.decided_by = by if getattr(by, "is_authenticated", False) else None
    locked.save()
    return locked


def mandate_lapses_on(mandate: SepaMandate) -> date | None:
    """The day a mandate becomes caduc: 36 months after its last debit (or its signature if never used)."""
    reference = mandate.last_debit_on or mandate.signed_on
    return reference + relativedelta(months=LAPSE_MONTHS) if reference else None


@transaction.atomic
def sepa_mandates_lapse(*, today: date | None = None) -> int:
    """Mandats caducs: an active or suspended mandate without a debit for 36 months lapses (how many did)."""
    today = today or timezone.localdate()
    limit = today - relativedelta(months=LAPSE_MONTHS)
    stale = SepaMandate.objects.select_for_update().filter(
        Q(last_debit_on__lte=limit) | Q(last_debit_on__isnull=True, signed_on__lte=limit),
        status__in=(SepaMandate.Status.ACTIVE, SepaMandate.Status.SUSPENDED),
    )
    return stale.update(
        status=SepaMandate.Status.LAPSED,
        status_changed_on=today,
        status_reason=_("Aucun prélèvement depuis 36 mois : le mandat est caduc."),
    )


# --- Dates and the pre-notification ------------------------------------------------------------------------------


def target2_business_day(day: date) -> date:
    """The day itself or the next TARGET2 day (no weekend, 1 January, Good Friday, Easter Monday, 1 May, 25–26
    December): the only days the banks settle a SEPA debit."""
    closing = holidays.financial_holidays("XECB", years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in closing:
        day += timedelta(days=1)
    return day


def sepa_collection_date(*, issued_on: date) -> date:
    """Pre-notified debit date: the invoice date + PORTAIL_SEPA_DELAY_DAYS (14 unless the town sets another),
    moved to the next TARGET2 business day."""
    return target2_business_day(issued_on + timedelta(days=settings.PORTAIL_SEPA_DELAY_DAYS))


def mandate_for_invoice(invoice: Invoice, mandates: list[SepaMandate] | None = None) -> SepaMandate | None:
    """The active mandate that pays this invoice: its payer's, or the family's only one when the invoice has no
    payer."""
    if mandates is None:
        mandates = list(
            SepaMandate.objects.filter(
                family_id=invoice.family_id, status=SepaMandate.Status.ACTIVE
            ).order_by("pk")
        )
    for mandate in mandates:
        if (
            mandate.family_id == invoice.family_id
            and invoice.payer_id
            and mandate.payer_id == invoice.payer_id
        ):
            return mandate
    if invoice.payer_id is None:
        own = [m for m in mandates if m.family_id == invoice.family_id]
        return own[0] if len(own) == 1 else None
    return None


@dataclass(frozen=True)
class PreNotice:
    collection_on: date
    iban_short: str
    rum: str
    amount: Decimal | None = None
    done: bool = False  # the collection date has passed


def sepa_prenotice(*, invoice: Invoice) -> PreNotice | None:
    """« Cette facture sera prélevée le … sur le compte FR76 …0185 (mandat PF-…) »: the live debit if the batch took
    the invoice, else the date the next batch will use when an active mandate pays it; None otherwise."""
    if invoice.status != Invoice.Status.ISSUED or invoice.issued_on is None:
        return None
    item = (
        DirectDebitItem.objects.filter(invoice=invoice, status=DirectDebitItem.Status.DEBITED)
        .select_related("mandate")
        .first()
    )
    if item is not None:
        done = item.collection_on < timezone.localdate()
        return PreNotice(item.collection_on, item.mandate.iban_short, item.mandate.rum, item.amount, done)
    mandate = mandate_for_invoice(invoice)
    if mandate is None:
        return None
    return PreNotice(sepa_collection_date(issued_on=invoice.issued_on), mandate.iban_short, mandate.rum)


def prenotice_text(notice: PreNotice) -> str:
    from django.utils import formats

    day = formats.date_format(notice.collection_on, "l j F Y")
    if notice.done:
        return _("Cette facture a été prélevée le %(day)s sur le compte %(iban)s (mandat %(rum)s).") % {
            "day": day,
            "iban": notice.iban_short,
            "rum": notice.rum,
        }
    return _("Cette facture sera prélevée le %(day)s sur le compte %(iban)s (mandat %(rum)s).") % {
        "day": day,
        "iban": notice.iban_short,
        "rum": notice.rum,
    }


# --- The monthly batch -------------------------------------------------------------------------------------------


@dataclass
class BatchSummary:
    batch: DirectDebitBatch
    items: list = field(default_factory=list)
    total: Decimal = Decimal("0.00")
    anomalies: list = field(default_factory=list)


def _creditor() -> dict:
    config = {
        "name": settings.PORTAIL_SEPA_CREDITOR_NAME,
        "creditor_id": settings.PORTAIL_SEPA_CREDITOR_ID,
        "IBAN": "".join(settings.PORTAIL_SEPA_IBAN.split()).upper(),
        "BIC": "".join(settings.PORTAIL_SEPA_BIC.split()).upper(),
    }
    missing = [key for key, value in config.items() if not value]
    if missing:
        raise ValidationError(
            _(
                "Les coordonnées de créancier SEPA de la commune ne sont pas configurées (nom, ICS, IBAN, BIC) : "
                "renseignez PORTAIL_SEPA_CREDITOR_NAME, PORTAIL_SEPA_CREDITOR_ID, PORTAIL_SEPA_IBAN et "
                "PORTAIL_SEPA_BIC."
            )
        )
    return {**config, "batch": True, "currency": "EUR"}


@transaction.atomic
def sepa_batch_create(*, period: date, by=None) -> DirectDebitBatch:
    """A month's batch, to generate (one pending batch per month at a time)."""
    period = period.replace(day=1)
    if DirectDebitBatch.objects.filter(period=period, status=DirectDebitBatch.Status.PENDING).exists():
        raise ValidationError({"period": _("Un prélèvement de ce mois attend déjà d'être généré.")})
    return DirectDebitBatch.objects.create(
        period=period, created_by=by if getattr(by, "is_authenticated", False) else None
    )


def _anomaly(kind: str, message: str) -> dict:
    return {"kind": kind, "message": message}


@transaction.atomic
def sepa_batch_generate(*, batch: DirectDebitBatch, by=None, today: date | None = None) -> DirectDebitBatch:
    """Debit the month's issued invoices that an active mandate pays (balance > 0): a `Payment` each, FRST for a
    mandate's first debit then RCUR, one pain.008 file checked against the XSD that sepaxml ships.

    A mandate without signature date or with an IBAN that fails its checksum is left out, with an anomaly."""
    from sepaxml import SepaDD
    from sepaxml.validation import ValidationError as SepaValidationError

    today = today or timezone.localdate()
    locked = DirectDebitBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != DirectDebitBatch.Status.PENDING:
        raise ValidationError(_("Ce prélèvement est déjà généré."))
    config = _creditor()
    sepa_mandates_lapse(today=today)
    earliest = target2_business_day(today + timedelta(days=1))
    invoices = list(
        invoice_totals(
            Invoice.objects.filter(
                period=locked.period,
                status=Invoice.Status.ISSUED,
                family__in=SepaMandate.objects.filter(status=SepaMandate.Status.ACTIVE).values("family"),
            )
            .exclude(debits__status=DirectDebitItem.Status.DEBITED)
            .select_related("family", "payer")
        ).order_by("family__name", "issued_on", "number")
    )
    mandates = list(
        SepaMandate.objects.filter(
            family_id__in={i.family_id for i in invoices}, status=SepaMandate.Status.ACTIVE
        ).order_by("pk")
    )
    anomalies, items, sequence_seen = [], [], set()
    for invoice in invoices:
        due = invoice_due(invoice)
        if due <= 0:
            continue
        mandate = mandate_for_invoice(invoice, mandates)
        if mandate is None:
            anomalies.append(
                _anomaly(
                    ANOMALY_NO_MANDATE,
                    _("Facture %(number)s (famille %(code)s) : aucun mandat actif pour le payeur %(payer)s.")
                    % {
                        "number": invoice.number,
                        "code": invoice.family.code,
                        "payer": invoice.payer_name or "—",
                    },
                )
            )
            continue
        if mandate.signed_on is None:
            anomalies.append(
                _anomaly(
                    ANOMALY_NO_SIGNATURE,
                    _(
                        "Mandat %(rum)s (famille %(code)s) sans date de signature : la facture %(number)s n'est "
                        "pas prélevée."
                    )
                    % {"rum": mandate.rum, "code": invoice.family.code, "number": invoice.number},
                )
            )
            continue
        if not iban_is_valid(mandate.iban):
            anomalies.append(
                _anomaly(
                    ANOMALY_BAD_IBAN,
                    _(
                        "Mandat %(rum)s (famille %(code)s) : l'IBAN %(iban)s est invalide (clé de contrôle) ; la "
                        "facture %(number)s n'est pas prélevée."
                    )
                    % {
                        "rum": mandate.rum,
                        "code": invoice.family.code,
                        "iban": mandate.iban_masked,
                        "number": invoice.number,
                    },
                )
            )
            continue
        collection_on = max(sepa_collection_date(issued_on=invoice.issued_on), earliest)
        first = not mandate.first_debit_done and mandate.pk not in sequence_seen
        sequence_seen.add(mandate.pk)
        payment = payment_record(
            family=invoice.family,
            means=PaymentMeans.DIRECT_DEBIT,
            amount=due,
            received_on=collection_on,
            by=by,
            reference=mandate.rum,
            note=_("Prélèvement SEPA de la facture %(number)s") % {"number": invoice.number},
            payer=invoice.payer,
            allocations=[(invoice, due)],
        )
        items.append(
            DirectDebitItem(
                batch=locked,
                invoice=invoice,
                mandate=mandate,
                payment=payment,
                amount=due,
                sequence=SequenceType.FIRST if first else SequenceType.RECURRENT,
                collection_on=collection_on,
                end_to_end_id=invoice.number,
            )
        )
        mandate.first_debit_done = True
        mandate.last_debit_on = max(filter(None, [mandate.last_debit_on, collection_on]))
    try:
        with transaction.atomic():
            DirectDebitItem.objects.bulk_create(items)
    except IntegrityError as exc:  # another batch of the same month took an invoice meanwhile
        raise ValidationError(
            _("Un autre prélèvement vient de prendre certaines de ces factures : rechargez la page.")
        ) from exc
    for mandate in mandates:
        if mandate.pk in sequence_seen:
            SepaMandate.objects.filter(pk=mandate.pk).update(
                first_debit_done=True, last_debit_on=mandate.last_debit_on
            )
    locked.status = DirectDebitBatch.Status.GENERATED
    locked.generated_at = timezone.now()
    locked.created_by = locked.created_by or (by if getattr(by, "is_authenticated", False) else None)
    if items:
        sepa = SepaDD(config, schema="pain.008.001.02", clean=True)
        by_pk = {m.pk: m for m in mandates}
        for item in items:
            mandate = by_pk[item.mandate_id]
            payment = {
                "name": mandate.holder,
                "IBAN": mandate.iban,
                "amount": int((item.amount * 100).to_integral_value()),
                "type": item.sequence,
                "collection_date": item.collection_on,
                "mandate_id": mandate.rum,
                "mandate_date": mandate.signed_on,
                "description": _("Facture %(number)s %(service)s")
                % {"number": item.end_to_end_id, "service": settings.PORTAIL_SERVICE_NAME},
                "endtoend_id": item.end_to_end_id,
            }
            if mandate.bic:
                payment["BIC"] = mandate.bic
            sepa.add_payment(payment)
        try:
            content = sepa.export(validate=True)
        except SepaValidationError as exc:
            raise ValidationError(
                _("Le fichier pain.008 n'est pas conforme au schéma XSD : %(error)s")
                % {"error": exc.__cause__ or exc}
            ) from exc
        locked.message_id = sepa.msg_id[:35]
        locked.file.save(f"pain008-{locked.period:%Y-%m}-{locked.pk}.xml", ContentFile(content), save=False)
    else:
        anomalies.append(
            _anomaly(ANOMALY_EMPTY, _("Aucune facture à prélever pour ce mois : pas de fichier."))
        )
    locked.anomalies = anomalies
    locked.save()
    return locked


def sepa_batch_summary(*, batch: DirectDebitBatch) -> BatchSummary:
    items = list(
        batch.items.select_related("invoice__family", "mandate", "payment").order_by(
            "invoice__family__name", "invoice__number"
        )
    )
    return BatchSummary(
        batch=batch,
        items=items,
        total=sum((i.amount for i in items if i.status == DirectDebitItem.Status.DEBITED), Decimal("0.00")),
        anomalies=batch.anomalies,
    )


# --- Rejects (R-transactions) ------------------------------------------------------------------------------------


def _notify_reject(item: DirectDebitItem, *, suspended: bool) -> None:
    from families.services.emails import email_send

    guardian = item.invoice.payer or item.mandate.payer
    to = guardian.email if guardian is not None and guardian.email else None
    if not to:
        return
    email_send(
        to=to,
        template="sepa_rejected",
        context={
            "invoice": item.invoice,
            "amount": euros(item.amount),
            "reason": RejectReason(item.reject_code).label,
            "rum": item.mandate.rum,
            "suspended": suspended,
            "invoice_url": f"{settings.PORTAIL_BASE_URL}/portail/factures/{item.invoice_id}/",
        },
    )


@transaction.atomic
def sepa_reject_record(*, item: DirectDebitItem, code: str, on: date, by=None) -> DirectDebitItem:
    """The bank returned a debit (impayé): its payment is rejected (the invoice is due again), the family is told,
    and a mandate rejected twice is suspended."""
    code = (code or "").strip().upper()
    if code not in RejectReason.values:
        raise ValidationError({"code": _("Motif de rejet inconnu : %(code)s.") % {"code": code or "—"}})
    locked = DirectDebitItem.objects.select_for_update().select_related("invoice", "mandate").get(pk=item.pk)
    if locked.status == DirectDebitItem.Status.REJECTED:
        raise ValidationError(
            _("Le prélèvement de la facture %(number)s est déjà rejeté.") % {"number": locked.end_to_end_id}
        )
    label = RejectReason(code).label
    payment_reject(
        payment=locked.payment, on=on, reason=_("Prélèvement rejeté : %(label)s") % {"label": label}, by=by
    )
    locked.status = DirectDebitItem.Status.REJECTED
    locked.reject_code = code
    locked.rejected_on = on
    locked.save(update_fields=["status", "reject_code", "rejected_on"])
    mandate = _lock(locked.mandate)
    mandate.reject_count += 1
    if (
        locked.sequence == SequenceType.FIRST
        and not mandate.debits.filter(status=DirectDebitItem.Status.DEBITED).exists()
    ):
        mandate.first_debit_done = False  # the first debit never went through: the next one is a FRST again
    suspended = False
    if mandate.reject_count >= REJECTS_BEFORE_SUSPENSION and mandate.status == SepaMandate.Status.ACTIVE:
        mandate.status = SepaMandate.Status.SUSPENDED
        mandate.status_changed_on = on
        mandate.status_reason = _("Suspendu après %(count)s prélèvements rejetés.") % {
            "count": mandate.reject_count
        }
        suspended = True
    mandate.save()
    locked.mandate = mandate
    _notify_reject(locked, suspended=suspended)
    return locked


@dataclass
class ReturnsReport:
    done: list = field(default_factory=list)  # (row number, item)
    errors: list = field(default_factory=list)  # (row number, message)


_COLUMNS = {
    "reference": ("reference", "référence", "end_to_end_id", "endtoendid", "e2e", "facture", "invoice"),
    "rum": ("rum", "mandat", "mandate", "mandate_id"),
    "amount": ("montant", "amount"),
    "code": ("motif", "code", "reason", "reason_code", "code_motif"),
}


def _header_map(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = name.strip().lower().replace(" ", "_").lstrip("\ufeff")
        for column, aliases in _COLUMNS.items():
            if key in aliases and column not in found:
                found[column] = index
    return found


def _csv_rows(content: str, report: ReturnsReport) -> list[tuple[int, dict]]:
    try:
        dialect = csv.Sniffer().sniff(content[:2048], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    rows = list(csv.reader(io.StringIO(content), dialect))
    if not rows:
        report.errors.append((1, _("Le fichier est vide.")))
        return []
    columns = _header_map(rows[0])
    missing = [name for name in ("reference", "code") if name not in columns]
    if missing:
        report.errors.append(
            (
                1,
                _(
                    "Colonnes attendues : référence (end_to_end_id), RUM, montant, motif (code). Il manque : %(m)s."
                )
                % {"m": ", ".join(missing)},
            )
        )
        return []
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        parsed.append(
            (
                number,
                {name: (row[index].strip() if index < len(row) else "") for name, index in columns.items()},
            )
        )
    return parsed


def _pain002_rows(content: str, report: ReturnsReport) -> list[tuple[int, dict]]:
    """The bank's status report (pain.002, CstmrPmtStsRpt): each rejected transaction (TxSts RJCT) is a row,
    numbered in the order of the file."""
    from defusedxml import ElementTree as SafeET

    try:
        root = SafeET.fromstring(content.encode("utf-8"))
    except Exception:  # noqa: BLE001 - any XML error is the same answer to the user
        report.errors.append((1, _("Le fichier XML est illisible (pain.002 attendu).")))
        return []

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def find(node, *path):
        for name in path:
            node = next((child for child in node if local(child.tag) == name), None)
            if node is None:
                return None
        return node

    def text(node, *path) -> str:
        found = find(node, *path)
        return (found.text or "").strip() if found is not None else ""

    transactions = [node for node in root.iter() if local(node.tag) == "TxInfAndSts"]
    if local(root.tag) != "Document" or find(root, "CstmrPmtStsRpt") is None:
        report.errors.append((1, _("Ce fichier XML n'est pas un compte rendu pain.002 de la banque.")))
        return []
    rows = []
    for number, tx in enumerate(transactions, start=1):
        if text(tx, "TxSts") not in ("RJCT", ""):
            continue
        rows.append(
            (
                number,
                {
                    "reference": text(tx, "OrgnlEndToEndId"),
                    "rum": text(tx, "OrgnlTxRef", "MndtRltdInf", "MndtId"),
                    "amount": text(tx, "OrgnlTxRef", "Amt", "InstdAmt"),
                    "code": text(tx, "StsRsnInf", "Rsn", "Cd"),
                },
            )
        )
    return rows


def sepa_returns_import(*, content: bytes | str, on: date, by=None) -> ReturnsReport:
    """The bank's return file — CSV (référence de bout en bout, RUM, montant, motif) or pain.002 XML: each good row
    rejects its debit; each bad row is reported with its number and why, the others still go through."""
    report = ReturnsReport()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = content.decode("latin-1")
    content = content.lstrip("\ufeff")
    is_xml = content.lstrip().startswith("<")
    rows = _pain002_rows(content, report) if is_xml else _csv_rows(content, report)
    for number, row in rows:
        reference, rum, amount_text, code = (row.get(k, "") for k in ("reference", "rum", "amount", "code"))
        item = (
            DirectDebitItem.objects.filter(end_to_end_id=reference, status=DirectDebitItem.Status.DEBITED)
            .select_related("mandate")
            .first()
        )
        if item is None:
            already = reference and DirectDebitItem.objects.filter(end_to_end_id=reference).exists()
            report.errors.append(
                (
                    number,
                    _("Le prélèvement %(ref)s est déjà rejeté.") % {"ref": reference}
                    if already
                    else _("Aucun prélèvement n'a la référence « %(ref)s ».") % {"ref": reference},
                )
            )
            continue
        if rum and rum != item.mandate.rum:
            report.errors.append(
                (
                    number,
                    _("Le mandat %(rum)s ne correspond pas au prélèvement %(ref)s (mandat %(expected)s).")
                    % {"rum": rum, "ref": reference, "expected": item.mandate.rum},
                )
            )
            continue
        if amount_text:
            try:
                amount = Decimal(amount_text.replace(",", ".").replace("€", "").replace(" ", "")).quantize(
                    CENT
                )
            except InvalidOperation:
                report.errors.append(
                    (number, _("Montant illisible : « %(value)s ».") % {"value": amount_text})
                )
                continue
            if amount != item.amount:
                report.errors.append(
                    (
                        number,
                        _("Le montant %(amount)s ne correspond pas au prélèvement %(ref)s (%(expected)s).")
                        % {"amount": euros(amount), "ref": reference, "expected": euros(item.amount)},
                    )
                )
                continue
        try:
            with transaction.atomic():
                done = sepa_reject_record(item=item, code=code, on=on, by=by)
        except ValidationError as exc:
            report.errors.append((number, " ".join(exc.messages)))
            continue
        report.done.append((number, done))
    return report


# --- The family's view -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingDebit:
    invoice: Invoice
    collection_on: date
    amount: Decimal
    rum: str
    iban_short: str
    scheduled: bool  # already in a generated batch


def family_debits_upcoming(*, family: Family, today: date | None = None) -> list[UpcomingDebit]:
    """The next prélèvements: invoices already in a batch (collection date to come) and open invoices an active
    mandate will pay, with the pre-notified date."""
    today = today or timezone.localdate()
    rows = []
    for item in (
        DirectDebitItem.objects.filter(
            invoice__family=family, status=DirectDebitItem.Status.DEBITED, collection_on__gte=today
        )
        .select_related("invoice", "mandate")
        .order_by("collection_on")
    ):
        rows.append(
            UpcomingDebit(
                item.invoice, item.collection_on, item.amount, item.mandate.rum, item.mandate.iban_short, True
            )
        )
    mandates = list(
        SepaMandate.objects.filter(family=family, status=SepaMandate.Status.ACTIVE).order_by("pk")
    )
    if mandates:
        from billing.services.payments import open_invoices

        for invoice in open_invoices(family=family):
            if invoice.debits.filter(status=DirectDebitItem.Status.DEBITED).exists():
                continue
            mandate = mandate_for_invoice(invoice, mandates)
            if mandate is None:
                continue
            rows.append(
                UpcomingDebit(
                    invoice,
                    max(sepa_collection_date(issued_on=invoice.issued_on), target2_business_day(today)),
                    invoice_due(invoice),
                    mandate.rum,
                    mandate.iban_short,
                    False,
                )
            )
    return sorted(rows, key=lambda r: r.collection_on)
