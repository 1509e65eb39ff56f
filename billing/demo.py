"""Demo billing reference data: the town's tariffs for every demo unit and its carte scolaire (seed_demo hook)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from billing.models import SchoolSector, SurchargeKind, Tariff, TariffBracket, TariffMode
from families.models import ActivityKind, School, Unit

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
    """`manage.py seed_demo` hook: the demo town's tariffs and carte scolaire (after the families app's catalogue)."""
    seed_billing_demo(today=ctx.today)


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


_seed_demo_before_sepa = seed_demo


def seed_demo(ctx) -> None:  # noqa: F811 - chained: the tariffs above, then the SEPA demo
    _seed_demo_before_sepa(ctx)
    seed_sepa_demo(today=ctx.today)
