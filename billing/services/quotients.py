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


def family_quotient_clash(
    *, family_id: int, valid_from: date, valid_until: date | None, exclude_pk: int | None = None
) -> FamilyQuotient | None:
    """The QF that forbids recording one over [valid_from, valid_until]: one starting on or after `valid_from`
    within that period. An earlier QF still running on `valid_from` is no clash: it ends the day before."""
    later = FamilyQuotient.objects.filter(family_id=family_id, valid_from__gte=valid_from)
    if exclude_pk is not None:
        later = later.exclude(pk=exclude_pk)
    if valid_until is not None:
        later = later.filter(valid_from__lte=valid_until)
    return later.order_by("valid_from").first()


def family_quotient_clash_error(clash: FamilyQuotient) -> ValidationError:
    return ValidationError(
        {
            "valid_from": _("Un quotient familial est déjà enregistré à partir du %(date)s.")
            % {"date": clash.valid_from.strftime("%d/%m/%Y")}
        }
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
    quotient: FamilyQuotient | None = None,
) -> FamilyQuotient:
    """Staff record a family's official QF (or correct `quotient`); the QF in force before it ends the day before,
    a later one is never overwritten, and the history keeps who set what (the one write path: admin, API, forms)."""
    if by is None or not by.is_staff:
        raise PermissionDenied(_("Seul le service enfance peut enregistrer le quotient familial."))
    existing = FamilyQuotient.objects.select_for_update().filter(family=family)
    correcting = quotient is not None and quotient.pk is not None
    if correcting:
        existing = existing.exclude(pk=quotient.pk)
    list(existing.order_by("pk").values_list("pk"))  # the family's QF rows locked before deciding
    clash = family_quotient_clash(
        family_id=family.pk,
        valid_from=valid_from,
        valid_until=valid_until,
        exclude_pk=quotient.pk if correcting else None,
    )
    if clash is not None:
        raise family_quotient_clash_error(clash)
    if not correcting:
        quotient = FamilyQuotient()
    quotient.family = family
    quotient.value = value
    quotient.valid_from = valid_from
    quotient.valid_until = valid_until
    quotient.source = source
    quotient.proof = proof
    quotient.set_by = by
    for previous in existing.filter(valid_from__lt=valid_from).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    ):
        previous.valid_until = valid_from - timedelta(days=1)
        previous._history_user = by
        previous._change_reason = _("Clôturé par le quotient familial du %(date)s") % {
            "date": valid_from.strftime("%d/%m/%Y")
        }
        previous.save(update_fields=["valid_until"])
    quotient.full_clean()  # a refusal rolls the shortened previous QF back (atomic)
    quotient._history_user = by
    quotient._change_reason = (
        _("Correction du quotient familial") if correcting else _("Quotient familial saisi")
    )
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
