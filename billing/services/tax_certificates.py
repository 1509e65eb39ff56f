"""Tax certificates (attestations fiscales de frais de garde): what each payer paid in a year for each young child.

The rule (article 200 quater B du CGI): the amounts *paid* in the calendar year (valid payments received that year;
a rejected payment never counts) for the care of children *under 6 on 1 January* of that year, *meals excluded*.
Restauration lines are meals entirely; other lines carry their catering part in `InvoiceLine.meal_amount`.

A payment settles invoices, not children: the part allocated to an invoice counts for each child pro rata of the
child's eligible (non-meal) amounts on that invoice, so the children's amounts never add up to more than was paid.
Each payer of the invoices (`Invoice.payer`, else the family's billing guardian) gets their own certificate.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import InvoiceLine, Payment, PaymentAllocation, TaxCertificate, TaxCertificateRun
from families.models import Family, Guardian
from families.models.catalogue import ActivityKind

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
FIRST_YEAR = 2000
# Families handled per chunk of the bulk issue: bounded queries and memory, a progress step each.
CHUNK = 200

Key = tuple[int, int | None, int]  # (family_id, payer_id, child_id)


def child_is_eligible(*, birth_date: date, year: int) -> bool:
    """Moins de 6 ans au 1er janvier de l'année: born after 1 January of year − 6 (born that day: 6 already)."""
    return birth_date > date(year - 6, 1, 1)


def tax_year_parse(value, *, today: date | None = None) -> int:
    """A calendar year from user input (« 2026 »), not in the future, or a French ValidationError."""
    today = today or timezone.localdate()
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            {"year": _("Indiquez une année sur quatre chiffres, par exemple 2026.")}
        ) from None
    if year < FIRST_YEAR or year > today.year:
        raise ValidationError(
            {
                "year": _("L'année doit être comprise entre %(first)s et %(last)s.")
                % {"first": FIRST_YEAR, "last": today.year}
            }
        )
    return year


def tax_certificates_available_until(*, today: date | None = None) -> int:
    """The last year families may see: a year's certificate is available from 1 January of the next year."""
    today = today or timezone.localdate()
    return today.year - 1


def _line_eligible(line: dict, year: int) -> Decimal:
    if line["child_id"] is None or line["child__birth_date"] is None:
        return ZERO
    if not child_is_eligible(birth_date=line["child__birth_date"], year=year):
        return ZERO
    if line["unit__activity__kind"] == ActivityKind.RESTAURATION:
        return ZERO
    return line["amount"] - line["meal_amount"]


def _payers(family_ids: Iterable[int]) -> dict[int, int]:
    """The family's billing guardian (as invoicing chooses it), for invoices without a payer."""
    payers: dict[int, int] = {}
    rows = Guardian.objects.filter(family_id__in=family_ids).order_by("-is_billing_contact", "pk")
    for family_id, guardian_id in rows.values_list("family_id", "pk"):
        payers.setdefault(family_id, guardian_id)
    return payers


def _split_cents(exact: dict[int, Fraction]) -> dict[int, Decimal]:
    """Round a payer's children to cents without ever exceeding their exact sum (largest remainders)."""
    cents = {child: (value * 100).numerator // (value * 100).denominator for child, value in exact.items()}
    target = sum(exact.values(), Fraction(0)) * 100
    left = target.numerator // target.denominator - sum(cents.values())
    by_remainder = sorted(exact, key=lambda child: (-(exact[child] * 100 - cents[child]), child))
    for child in by_remainder[: max(left, 0)]:
        cents[child] += 1
    return {
        child: (Decimal(value) / 100).quantize(CENT, rounding=ROUND_FLOOR) for child, value in cents.items()
    }


def tax_amounts(*, year: int, family_ids: Iterable[int] | None = None) -> dict[Key, Decimal]:
    """{(family, payer, child): amount} of the year for the eligible children (zero amounts left out).

    Three queries whatever the number of families: the year's valid allocations, their invoices' lines, the payers.
    """
    allocations = PaymentAllocation.objects.filter(
        payment__status=Payment.Status.VALID,
        payment__received_on__gte=date(year, 1, 1),
        payment__received_on__lte=date(year, 12, 31),
    )
    if family_ids is not None:
        allocations = allocations.filter(payment__family_id__in=list(family_ids))
    rows = list(allocations.values_list("invoice_id", "amount", "invoice__family_id", "invoice__payer_id"))
    if not rows:
        return {}
    invoice_ids = {row[0] for row in rows}
    total: dict[int, Decimal] = defaultdict(lambda: ZERO)
    eligible: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for line in InvoiceLine.objects.filter(invoice_id__in=invoice_ids).values(
        "invoice_id", "child_id", "amount", "meal_amount", "unit__activity__kind", "child__birth_date"
    ):
        total[line["invoice_id"]] += line["amount"]
        part = _line_eligible(line, year)
        if part:
            eligible[line["invoice_id"]][line["child_id"]] += part
    default_payer = _payers({row[2] for row in rows})
    exact: dict[tuple[int, int | None], dict[int, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for invoice_id, amount, family_id, payer_id in rows:
        children = {child: part for child, part in eligible[invoice_id].items() if part > 0}
        # Negative lines (régularisations) may leave a child below 0; the denominator never falls below the
        # eligible sum, so an allocation never counts for more than itself.
        denominator = max(total[invoice_id], sum(children.values(), ZERO))
        if not children or denominator <= 0:
            continue
        payer = payer_id if payer_id is not None else default_payer.get(family_id)
        for child, part in children.items():
            exact[(family_id, payer)][child] += Fraction(amount) * Fraction(part) / Fraction(denominator)
    amounts: dict[Key, Decimal] = {}
    for (family_id, payer), children in exact.items():
        for child, value in _split_cents(children).items():
            if value > 0:
                amounts[(family_id, payer, child)] = value
    return amounts


@dataclass
class GenerateResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated


def _render(certificate: TaxCertificate, *, today: date) -> None:
    from billing.pdf_tax import tax_certificate_pdf

    content = tax_certificate_pdf(certificate=certificate, today=today)
    name = f"attestation-{certificate.year}-{certificate.family.code}-{certificate.child_id}-{certificate.payer_id or 0}.pdf"
    # save=False: the row is written in bulk by the caller.
    certificate.pdf.save(name, ContentFile(content), save=False)


@transaction.atomic
def tax_certificates_generate(
    *, year: int, family_ids: Iterable[int], today: date | None = None, only_existing: bool = False
) -> GenerateResult:
    """Issue (or bring up to date) the certificates of `year` for these families, with bulk writes.

    A certificate whose amount did not change keeps its PDF; one that fell to 0 € (a rejected payment) is removed.
    With `only_existing`, only families that already have certificates for the year are touched (regeneration).
    """
    today = today or timezone.localdate()
    now = timezone.now()
    family_ids = list(set(family_ids))
    existing = {
        (c.family_id, c.payer_id, c.child_id): c
        for c in TaxCertificate.objects.select_for_update().filter(year=year, family_id__in=family_ids)
    }
    if only_existing:
        family_ids = sorted({key[0] for key in existing})
        if not family_ids:
            return GenerateResult()
    amounts = tax_amounts(year=year, family_ids=family_ids)
    families = Family.objects.in_bulk({key[0] for key in amounts})
    guardians = Guardian.objects.in_bulk({key[1] for key in amounts if key[1] is not None})
    from families.models import Child

    children = Child.objects.in_bulk({key[2] for key in amounts})
    result = GenerateResult()
    new, changed, replaced = [], [], []
    for key, amount in sorted(amounts.items(), key=lambda item: (item[0][0], item[0][1] or 0, item[0][2])):
        family_id, payer_id, child_id = key
        certificate = existing.pop(key, None)
        payer = guardians.get(payer_id)
        payer_name = payer.full_name if payer is not None else families[family_id].name
        if certificate is not None and certificate.amount == amount and certificate.pdf:
            if certificate.payer_name == payer_name:
                continue
        if certificate is None:
            certificate = TaxCertificate(family_id=family_id, payer_id=payer_id, child_id=child_id, year=year)
            new.append(certificate)
        else:
            changed.append(certificate)
            if certificate.pdf:
                replaced.append(certificate.pdf.name)
        certificate.family = families[family_id]
        certificate.payer = payer
        certificate.child = children[child_id]
        certificate.payer_name = payer_name
        certificate.amount = amount
        certificate.generated_at = now
        _render(certificate, today=today)
    TaxCertificate.objects.bulk_create(new)
    TaxCertificate.objects.bulk_update(changed, ["amount", "payer_name", "pdf", "generated_at"])
    stale = [c.pk for c in existing.values()]
    if stale:
        TaxCertificate.objects.filter(pk__in=stale).delete()
        replaced += [c.pdf.name for c in existing.values() if c.pdf]
    if replaced:
        storage = TaxCertificate._meta.get_field("pdf").storage
        # The old PDFs go once the new rows are committed (a rollback keeps them, still referenced).
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])
    result.created, result.updated, result.deleted = len(new), len(changed), len(stale)
    return result


def tax_certificates_regenerate(*, family, years: Iterable[int], today: date | None = None) -> None:
    """A payment of these years changed: bring up to date the certificates of the years already issued."""
    for year in sorted(set(years)):
        if TaxCertificate.objects.filter(family=family, year=year).exists():
            tax_certificates_generate(year=year, family_ids=[family.pk], today=today, only_existing=True)


def tax_families(*, year: int) -> list[int]:
    """The families concerned by a year: a valid payment received that year, or certificates already issued."""
    paid = Payment.objects.filter(
        status=Payment.Status.VALID, received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31)
    ).values_list("family_id", flat=True)
    issued = TaxCertificate.objects.filter(year=year).values_list("family_id", flat=True)
    return sorted(set(paid) | set(issued))


def tax_certificate_run_start(*, year, by, today: date | None = None) -> TaxCertificateRun:
    """Staff issue a year's certificates in bulk: the work runs in the background, the page follows it."""
    year = tax_year_parse(year, today=today)
    if TaxCertificateRun.objects.filter(
        year=year, status__in=(TaxCertificateRun.Status.PENDING, TaxCertificateRun.Status.RUNNING)
    ).exists():
        raise ValidationError(
            {"year": _("Les attestations de %(year)s sont déjà en cours de génération.") % {"year": year}}
        )
    run = TaxCertificateRun.objects.create(
        year=year, created_by=by if getattr(by, "is_authenticated", False) else None
    )
    from billing.tasks import issue_tax_certificates

    transaction.on_commit(lambda: issue_tax_certificates.enqueue(run_id=run.pk))
    return run


def tax_certificate_run_execute(*, run: TaxCertificateRun, today: date | None = None) -> TaxCertificateRun:
    """Generate the year's certificates family chunk by family chunk, recording the progress after each."""
    families = tax_families(year=run.year)
    TaxCertificateRun.objects.filter(pk=run.pk).update(
        status=TaxCertificateRun.Status.RUNNING, total_steps=len(families), done_steps=0, error=""
    )
    written = 0
    for start in range(0, len(families), CHUNK):
        chunk = families[start : start + CHUNK]
        written += tax_certificates_generate(year=run.year, family_ids=chunk, today=today).written
        TaxCertificateRun.objects.filter(pk=run.pk).update(
            done_steps=start + len(chunk), certificates=written
        )
    TaxCertificateRun.objects.filter(pk=run.pk).update(
        status=TaxCertificateRun.Status.DONE,
        done_steps=len(families),
        certificates=TaxCertificate.objects.filter(year=run.year).count(),
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def family_tax_certificates(*, family, year: int | None = None, today: date | None = None):
    """The family's certificates the portal shows: years ended (from 1 January of the next year), newest first."""
    queryset = TaxCertificate.objects.filter(
        family=family, year__lte=tax_certificates_available_until(today=today)
    ).select_related("child", "payer")
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset.order_by("-year", "child__birth_date", "child__first_name", "payer_name", "pk")
