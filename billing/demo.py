"""Demo billing reference data: the town's tariffs for every demo unit and its carte scolaire (seed_demo hook)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from backoffice import roles
from billing.models import (
    FamilyQuotient,
    Invoice,
    InvoiceRun,
    PaymentMeans,
    SchoolSector,
    SurchargeKind,
    Tariff,
    TariffBracket,
    TariffMode,
)
from billing.services.invoicing import (
    invoice_run_create,
    invoice_run_issue,
    invoice_run_prepare,
    invoice_totals,
    month_bounds,
)
from billing.services.payments import invoice_due, payment_record
from families.models import Activity, ActivityKind, Booking, Family, School, Unit

D = Decimal
QF_BOUNDS = [
    (D("0"), D("300")),
    (D("301"), D("600")),
    (D("601"), D("900")),
    (D("901"), D("1200")),
    (D("1201"), None),
]
# Share of the full price paid in each QF bracket (tranche 1 pays 30 % … tranche 5 the full price).
SHARES = [D("0.30"), D("0.50"), D("0.70"), D("0.85"), D("1")]
FULL_PRICE = {"repas": D("4.85"), "journee": D("16.00"), "matin": D("8.00"), "apres-midi": D("11.00")}

# (street, from, to, parity, school name): Bessancourt-like streets, one split by side and numbers.
STREETS = [
    ("Rue Jean Jaurès", None, None, SchoolSector.Parity.ALL, "École élémentaire Jean Jaurès"),
    ("Rue des Écoles", None, None, SchoolSector.Parity.ALL, "École maternelle Les Coquelicots"),
    ("Rue de Pontoise", 1, 49, SchoolSector.Parity.ODD, "École primaire Louise Michel"),
    ("Rue de Pontoise", 2, 60, SchoolSector.Parity.EVEN, "École élémentaire Jean Jaurès"),
    ("Rue de Pontoise", 51, None, SchoolSector.Parity.ODD, "École élémentaire Jean Jaurès"),
    ("Avenue de la Gare", None, None, SchoolSector.Parity.ALL, "École primaire Louise Michel"),
    ("Rue Saint-Exupéry", None, None, SchoolSector.Parity.ALL, "École maternelle Les Coquelicots"),
    ("Chemin des Vignes", None, None, SchoolSector.Parity.ALL, "École primaire Louise Michel"),
]


def _full_price(unit: Unit) -> Decimal:
    for key, price in FULL_PRICE.items():
        if key in unit.code:
            return price
    return D("6.00")


def _brackets(tariff: Tariff, full: Decimal) -> None:
    TariffBracket.objects.bulk_create(
        TariffBracket(
            tariff=tariff,
            qf_min=lo,
            qf_max=hi,
            price=(full * share).quantize(D("0.01"), rounding=ROUND_HALF_UP),
        )
        for (lo, hi), share in zip(QF_BOUNDS, SHARES, strict=True)
    )


@transaction.atomic
def seed_billing_demo(*, today: date) -> None:
    """Idempotent: units that already have a tariff and streets already in the carte scolaire are left alone."""
    for unit in Unit.objects.select_related("activity").filter(tariffs__isnull=True):
        activity = unit.activity
        start = activity.period_start or today
        common = {"unit": unit, "valid_from": start, "valid_until": activity.period_end}
        if activity.kind == ActivityKind.PERISCOLAIRE:
            Tariff.objects.create(
                **common,
                mode=TariffMode.EFFORT,
                effort_rate_1=D("0.35"),
                effort_rate_2=D("0.30"),
                effort_rate_3=D("0.25"),
                effort_rate_4=D("0.20"),
                effort_floor=D("0.80"),
                effort_ceiling=D("3.50"),
                non_resident_price=D("4.50"),
                sibling_reduction_percent=D("10"),
                unreserved_surcharge_kind=SurchargeKind.AMOUNT,
                unreserved_surcharge_value=D("2.00"),
            )
        elif activity.kind in (ActivityKind.RESTAURATION, ActivityKind.MERCREDI, ActivityKind.VACANCES):
            tariff = Tariff.objects.create(
                **common,
                mode=TariffMode.BRACKETS,
                non_resident_coefficient=D("1.20"),
                sibling_reduction_percent=D("10"),
                unreserved_surcharge_kind=SurchargeKind.PERCENT,
                unreserved_surcharge_value=D("50"),
                late_surcharge_kind=SurchargeKind.PERCENT,
                late_surcharge_value=D("20"),
            )
            _brackets(tariff, _full_price(unit))
        else:
            Tariff.objects.create(**common, mode=TariffMode.FLAT, price=_full_price(unit))
    schools = {school.name: school for school in School.objects.all()}
    for street, start, end, parity, school_name in STREETS:
        school = schools.get(school_name)
        if school is None:
            continue
        SchoolSector.objects.get_or_create(
            street_name=street,
            number_from=start,
            number_to=end,
            parity=parity,
            commune="Bessancourt",
            defaults={"school": school},
        )


def seed_demo(ctx) -> None:
    """`manage.py seed_demo` hook: the demo town's tariffs and carte scolaire (after the families app's catalogue),
    then its billing history (QFs, the past months invoiced and partly paid)."""
    seed_billing_demo(today=ctx.today)
    seed_custody_demo(today=ctx.today)
    seed_sepa_demo(today=ctx.today)
    ctx.stdout.write("  Facturation des mois passés (quotients, factures, règlements)…")
    history = seed_billing_history(today=ctx.today)
    if history:
        ctx.stdout.write(
            f"  {history['quotients']} quotient(s) familiaux, {history['invoices']} facture(s) émise(s), "
            f"{history['payments']} règlement(s)."
        )
    seed_tax_demo(today=ctx.today)


# Attestations fiscales: the demo parent's family paid last year's care, so « Mes attestations » has a year to show.
TAX_DEMO_LINES = [
    # (child first name, activity kind, amount, of which meals)
    ("Hugo", ActivityKind.PERISCOLAIRE, D("64.80"), D("0")),
    ("Hugo", ActivityKind.RESTAURATION, D("38.80"), D("0")),
    ("Jade", ActivityKind.VACANCES, D("96.00"), D("25.20")),
    ("Léa", ActivityKind.PERISCOLAIRE, D("40.00"), D("0")),
]


def seed_tax_demo(*, today: date) -> None:
    """Idempotent: a paid October invoice of last year for the Dubois family, then that year's certificates."""
    from billing.models import Invoice, PaymentMeans, TaxCertificate
    from billing.services.invoicing import invoice_issue
    from billing.services.payments import payment_record
    from billing.services.tax_certificates import tax_certificates_generate
    from families.models import Family

    year = today.year - 1
    family = Family.objects.filter(code=Family.code_for(1)).prefetch_related("children", "guardians").first()
    if family is None or TaxCertificate.objects.filter(family=family, year=year).exists():
        return
    children = {child.first_name: child for child in family.children.all()}
    payer = next((g for g in family.guardians.all() if g.is_billing_contact), None)
    units = {}
    for kind in {row[1] for row in TAX_DEMO_LINES}:
        units[kind] = (
            Unit.objects.filter(activity__kind=kind).select_related("activity").order_by("pk").first()
        )
    rows = [row for row in TAX_DEMO_LINES if row[0] in children and units.get(row[1]) is not None]
    if not rows:
        return
    with transaction.atomic():
        invoice = Invoice.objects.create(
            family=family,
            payer=payer,
            payer_name=payer.full_name if payer else family.name,
            period=date(year, 10, 1),
            paperless=family.paperless_invoices,
        )
        for position, (name, kind, amount, meal) in enumerate(rows):
            unit = units[kind]
            invoice.lines.create(
                child=children[name],
                child_name=children[name].full_name,
                unit=unit,
                activity_name=unit.activity.name,
                label=unit.label,
                quantity=1,
                unit_price=amount,
                amount=amount,
                meal_amount=meal,
                position=position,
            )
        invoice = invoice_issue(invoice=invoice, today=date(year, 11, 3))
        total = sum((row[2] for row in rows), D("0"))
        payment_record(
            family=family,
            means=PaymentMeans.CHEQUE,
            amount=total,
            received_on=date(year, 11, 20),
            payer=payer,
            reference="0004521",
            bank="Banque Postale",
            allocations=[(invoice, total)],
        )
        tax_certificates_generate(year=year, family_ids=[family.pk], today=date(today.year, 1, 5))


def seed_custody_demo(*, today: date) -> bool:
    """One demo family in garde alternée (50/50 from the start of the school year), never the demo parent's own
    family (F-000001): its invoices go to each parent. Idempotent: nothing if a split exists."""
    from django.db.models import Count

    from billing.models import CustodyMode, CustodySplit
    from billing.services.custody import custody_split_set
    from families.models import Child

    if CustodySplit.objects.exists():
        return False
    child = (
        Child.objects.exclude(family__code="F-000001")
        .annotate(guardian_count=Count("family__guardians"))
        .filter(guardian_count__gte=2)
        .select_related("family")
        .order_by("family__code", "pk")
        .first()
    )
    if child is None:
        return False
    payer_a, payer_b = list(child.family.guardians.order_by("-is_billing_contact", "pk")[:2])
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    custody_split_set(
        child=child,
        payer_a=payer_a,
        payer_b=payer_b,
        mode=CustodyMode.PERCENTAGE,
        percent_a=50,
        valid_from=start,
    )
    return True


# --- Prélèvement SEPA: one demo family already pays by direct debit (the demo parent's family asks in the portal) ---

DEMO_SEPA_IBAN = (
    "FR7630006000011234567890189"  # a well-formed test IBAN (Crédit Agricole bank code), no real account
)


def seed_sepa_demo(*, today: date) -> None:
    """Idempotent: family F-000002 gets an active mandate (signed mandate in its documents) unless it has one."""
    from billing.models import SepaMandate
    from billing.services.sepa import sepa_mandate_activate, sepa_mandate_request
    from families.models import Family
    from families.models.portal import DocumentKind
    from families.services.documents import document_issue

    family = Family.objects.filter(code="F-000002").first()
    payer = family.guardians.order_by("-is_billing_contact", "pk").first() if family else None
    if payer is None or SepaMandate.objects.filter(family=family).exists():
        return
    with transaction.atomic():
        mandate = sepa_mandate_request(
            family=family, payer=payer, holder=payer.full_name, iban=DEMO_SEPA_IBAN
        )
        document = document_issue(
            family=family,
            kind=DocumentKind.OTHER,
            title="Mandat de prélèvement SEPA signé",
            content=b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
            by=None,
            filename="mandat-sepa.pdf",
        )
        signed_on = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
        sepa_mandate_activate(
            mandate=mandate, signed_on=min(signed_on, today), document=document, by=None, today=today
        )


# --- Billing history: quotients, the past months invoiced and partly paid (seed_demo) ----------------------------

HISTORY_SEED = 2026_11
NOTHING = D("0.00")
# The demo parent's family: its official QF (tranche 3) and how each past month was paid (None: still due).
DUBOIS_CODE = "F-000001"
DUBOIS_QF = D("742.00")
DUBOIS_MEANS = [PaymentMeans.CHEQUE, PaymentMeans.ONLINE]
# Families without a QF pay the top bracket (and show up in the run's anomalies): a few, as in every town.
NO_QF_SHARE = 0.12
# Share of the invoices paid: older months nearly all, the last one (just issued) a few, online.
PAID_SHARE_OLD, PAID_SHARE_LAST = 0.9, 0.25
COUNTER_WEIGHTS = [
    (PaymentMeans.ONLINE, 45),
    (PaymentMeans.CHEQUE, 30),
    (PaymentMeans.TRANSFER, 15),
    (PaymentMeans.CASH, 10),
]
BANKS = ["Crédit Agricole", "La Banque Postale", "Société Générale", "BNP Paribas", "Caisse d'Épargne"]


def _school_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def seed_quotients(*, today: date, rng: random.Random) -> int:
    """Official QFs (CAF, a few MSA) for most families, valid from 1 January; the Dubois family in tranche 3."""
    valid_from = date(_school_year_start(today).year, 1, 1)
    families = Family.objects.filter(quotients__isnull=True).order_by("code")
    rows = []
    for family in families:
        if family.code == DUBOIS_CODE:
            value = DUBOIS_QF
        elif rng.random() < NO_QF_SHARE:
            continue
        else:
            value = D(rng.randrange(180, 1900)).quantize(D("0.01"))
        source = FamilyQuotient.Source.MSA if rng.random() < 0.06 else FamilyQuotient.Source.CAF
        rows.append(FamilyQuotient(family=family, value=value, valid_from=valid_from, source=source))
    FamilyQuotient.objects.bulk_create(rows)
    return len(rows)


def _past_months(today: date) -> list[date]:
    """The school months before the current one (September … last month): the current one is the régisseur's."""
    month, current, months = _school_year_start(today), today.replace(day=1), []
    while month < current:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _issue_day(month: date, today: date) -> date:
    """Invoices go out on the 3rd of the next month (or today, for last month's run)."""
    return min((month + timedelta(days=32)).replace(day=3), today)


def _pay(
    invoice: Invoice,
    *,
    due: Decimal,
    means: str,
    on: date,
    rng: random.Random,
    regisseur,
    extra: Decimal = NOTHING,
):
    reference, bank = "", ""
    if means == PaymentMeans.CHEQUE:
        reference, bank = f"{rng.randrange(1000000, 9999999)}", rng.choice(BANKS)
    elif means == PaymentMeans.TRANSFER:
        reference = f"VIR {invoice.family.code} FACT {invoice.number}"
    elif means == PaymentMeans.ONLINE:
        reference = f"PAYFIP-{invoice.number}"
    return payment_record(
        family=invoice.family,
        means=means,
        amount=due + extra,
        received_on=on,
        by=None if means == PaymentMeans.ONLINE else regisseur,
        reference=reference,
        bank=bank,
        payer=invoice.payer,
        allocations=[(invoice, due)],
    )


def _pay_month(
    invoices: list[Invoice], *, index: int, last: bool, today: date, rng: random.Random, regisseur
) -> int:
    """Pay the month's invoices as families do: most of them before the due date, by all the usual means."""
    paid = 0
    means_pool, weights = zip(*COUNTER_WEIGHTS, strict=True)
    for invoice in invoices:
        due = invoice_due(invoice)
        if due <= 0:
            continue
        if invoice.family.code == DUBOIS_CODE:
            if last:
                continue  # the demo parent has an invoice to pay
            means = DUBOIS_MEANS[index % len(DUBOIS_MEANS)]
        else:
            if rng.random() >= (PAID_SHARE_LAST if last else PAID_SHARE_OLD):
                continue
            means = PaymentMeans.ONLINE if last else rng.choices(means_pool, weights)[0]
        latest = min(invoice.due_on, today)
        on = invoice.issued_on + timedelta(days=rng.randint(0, max((latest - invoice.issued_on).days, 0)))
        _pay(invoice, due=due, means=means, on=on, rng=rng, regisseur=regisseur)
        paid += 1
    return paid


def seed_billing_history(*, today: date) -> dict[str, int]:
    """The past school months invoiced through the régisseur's run (prepare, issue: numbers and PDFs) and partly
    paid through `payment_record`; one family keeps a credit. Idempotent: nothing is done once a run exists."""
    months = _past_months(today)
    if InvoiceRun.objects.exists() or not months:
        return {}
    rng = random.Random(HISTORY_SEED)
    regisseur = get_user_model().objects.filter(groups__name=roles.REGISSEURS).order_by("pk").first()
    counts = {"quotients": seed_quotients(today=today, rng=rng), "invoices": 0, "payments": 0}
    for index, month in enumerate(months):
        last = index == len(months) - 1
        start, end = month_bounds(month)
        activities = Activity.objects.filter(period_start__lte=end, period_end__gte=start)
        if not Booking.objects.filter(unit__activity__in=activities, date__range=(start, end)).exists():
            continue
        issue_day = _issue_day(month, today)
        with transaction.atomic():
            run = invoice_run_create(period=month, activities=activities, by=regisseur, start=False)
            invoice_run_prepare(run=run, today=issue_day)
            # These invoices were emailed when they were issued: no email now.
            invoice_run_issue(run=run, today=issue_day, notify=False)
        invoices = list(
            invoice_totals(run.invoices.filter(status=Invoice.Status.ISSUED))
            .select_related("family", "payer")
            .order_by("family__code")
        )
        counts["invoices"] += len(invoices)
        counts["payments"] += _pay_month(
            invoices, index=index, last=last, today=today, rng=rng, regisseur=regisseur
        )
    counts["credit"] = _seed_credit(today=today, regisseur=regisseur, rng=rng)
    return counts


def _seed_credit(*, today: date, regisseur, rng: random.Random) -> int:
    """A family settles everything with a round cheque: what is left over stays as a credit on its account."""
    for invoice in (
        invoice_totals(Invoice.objects.filter(status=Invoice.Status.ISSUED).exclude(family__code=DUBOIS_CODE))
        .select_related("family", "payer")
        .order_by("-period", "family__code")
    ):
        due = invoice_due(invoice)
        if due <= 0:
            continue
        rounded = (due / 10).to_integral_value(rounding=ROUND_CEILING) * 10 + 10
        _pay(
            invoice,
            due=due,
            means=PaymentMeans.CHEQUE,
            on=today,
            rng=rng,
            regisseur=regisseur,
            extra=rounded - due,
        )
        return 1
    return 0
