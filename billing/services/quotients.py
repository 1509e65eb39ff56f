"""Quotient familial: the CAF computation (simulators and staff) and the family's official QF history (staff only)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from billing.models import FamilyQuotient

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def quotient_parts(*, children: int, disabled_children: int) -> Decimal:
    """CAF parts: 2 for the parent(s), +0.5 for each of the first two children, +1 for the third, +0.5 beyond,
    +0.5 for each child with AEEH."""
    parts = Decimal("2.0")
    for rank in range(1, children + 1):
        parts += Decimal("1.0") if rank == 3 else Decimal("0.5")
    parts += Decimal("0.5") * disabled_children
    return parts.quantize(TENTH)


def quotient_compute(
    *, annual_income: Decimal, monthly_benefits: Decimal, children: int, disabled_children: int = 0
) -> tuple[Decimal, Decimal]:
    """QF (CAF method) = (annual taxable income / 12 + monthly family benefits) / parts; returns (parts, QF)."""
    errors = {}
    if annual_income < 0:
        errors["annual_income"] = _("Les revenus ne peuvent pas être négatifs.")
    if monthly_benefits < 0:
        errors["monthly_benefits"] = _("Les prestations ne peuvent pas être négatives.")
    if children < 0:
        errors["children"] = _("Le nombre d'enfants ne peut pas être négatif.")
    if disabled_children < 0:
        errors["disabled_children"] = _(
            "Le nombre d'enfants bénéficiaires de l'AEEH ne peut pas être négatif."
        )
    elif disabled_children > max(children, 0):
        errors["disabled_children"] = _(
            "Il ne peut pas y avoir plus d'enfants bénéficiaires de l'AEEH que d'enfants."
        )
    if errors:
        raise ValidationError(errors)
    parts = quotient_parts(children=children, disabled_children=disabled_children)
    monthly = Decimal(annual_income) / 12 + Decimal(monthly_benefits)
    return parts, (monthly / parts).quantize(CENT, rounding=ROUND_HALF_UP)


def family_quotient_current(*, family, day: date) -> FamilyQuotient | None:
    """The QF in force for a family on a day, or None (the family then pays the top bracket or the ceiling)."""
    return (
        FamilyQuotient.objects.filter(family=family, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )


@transaction.atomic
def family_quotient_set(
    *,
    family,
    value: Decimal,
    valid_from: date,
    valid_until: date | None = None,
    source: str = FamilyQuotient.Source.CAF,
    proof=None,
    by,
) -> FamilyQuotient:
    """Staff record a family's official QF; the QF in force before it ends the day before (never edited silently)."""
    if by is None or not by.is_staff:
        raise PermissionDenied(_("Seul le service enfance peut enregistrer le quotient familial."))
    existing = FamilyQuotient.objects.select_for_update().filter(family=family)
    later = existing.filter(valid_from__gte=valid_from)
    if valid_until is not None:
        later = later.filter(valid_from__lte=valid_until)
    clash = later.first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": _("Un quotient familial est déjà enregistré à partir du %(date)s.")
                % {"date": clash.valid_from.strftime("%d/%m/%Y")}
            }
        )
    quotient = FamilyQuotient(
        family=family,
        value=value,
        valid_from=valid_from,
        valid_until=valid_until,
        source=source,
        proof=proof,
        set_by=by,
    )
    for previous in existing.filter(valid_from__lt=valid_from).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    ):
        previous.valid_until = valid_from - timedelta(days=1)
        previous.save(update_fields=["valid_until"])
    quotient.full_clean()  # a refusal rolls the shortened previous QF back (atomic)
    quotient.save()
    return quotient


def family_pricing_context(
    *, family, day: date, resident: bool, child_rank: int = 1, unreserved: bool = False, late: bool = False
):
    """The pricing context of a real family on a day: its QF in force (or none: top bracket / ceiling)."""
    from billing.services.tariffs import FamilyContext

    current = family_quotient_current(family=family, day=day)
    return FamilyContext(
        quotient=current.value if current is not None else None,
        resident=resident,
        children=max(family.children.count(), 1),
        child_rank=child_rank,
        unreserved=unreserved,
        late=late,
    )
