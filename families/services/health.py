"""The fiche sanitaire: its yearly confirmation and the gate it puts in front of every reservation."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from families.models import Child


class HealthFormRequired(ValidationError):
    """Raised by the reservation gate; carries the link to the form so the portal can say why and where."""

    def __init__(self, *, child: Child):
        self.child = child
        self.url = reverse("portal:child_health", kwargs={"child_id": child.pk})
        super().__init__(
            _(
                "La fiche sanitaire de %(name)s doit être complétée et confirmée pour cette année scolaire avant "
                "toute réservation."
            )
            % {"name": child.first_name},
            code="health_form_required",
        )


def school_year_start(*, day: date) -> int:
    """The calendar year in which the school year containing `day` began (September → August)."""
    return day.year if day.month >= 9 else day.year - 1


def health_form_valid_since(*, day: date) -> date:
    """Earliest confirmation date that counts for `day`: PORTAIL_HEALTH_FORM_OPENS (1 June) before its rentrée."""
    month, dom = (int(x) for x in settings.PORTAIL_HEALTH_FORM_OPENS.split("-"))
    return date(school_year_start(day=day), month, dom)


def child_health_form_is_current(*, child: Child, day: date) -> bool:
    """True when the fiche sanitaire was confirmed for the school year of `day`."""
    confirmed = child.health_form_confirmed_on
    return confirmed is not None and confirmed >= health_form_valid_since(day=day)


def health_form_missing(*, has_pai: bool, pai_details: str, doctor_name: str) -> dict[str, str]:
    """What a fiche sanitaire still lacks before it can be confirmed: the PAI details when there is a PAI, and the
    médecin traitant (« aucun » is an answer). Field name → French message; empty when complete."""
    missing = {}
    if has_pai and not (pai_details or "").strip():
        missing["pai_details"] = _("Précisez le PAI (allergie, traitement, protocole).")
    if not (doctor_name or "").strip():
        missing["doctor_name"] = _("Indiquez le médecin traitant (ou « aucun »).")
    return missing


def health_form_check(*, has_pai: bool, pai_details: str, doctor_name: str) -> None:
    """Raise a ValidationError by field when the fiche sanitaire is incomplete (see health_form_missing)."""
    missing = health_form_missing(has_pai=has_pai, pai_details=pai_details, doctor_name=doctor_name)
    if missing:
        raise ValidationError(
            {field: ValidationError(msg, code="required") for field, msg in missing.items()}
        )


def child_assert_can_book(*, child: Child, day: date) -> None:
    """The reservation gate: no booking while the fiche sanitaire is not confirmed for that school year."""
    if not child_health_form_is_current(child=child, day=day):
        raise HealthFormRequired(child=child)


@transaction.atomic
def child_health_form_confirm(*, child: Child, today: date, by=None) -> Child:
    """The parent certifies the fiche sanitaire for the current school year; an incomplete one cannot be."""
    health_form_check(has_pai=child.has_pai, pai_details=child.pai_details, doctor_name=child.doctor_name)
    child.health_form_confirmed_on = today
    child._change_reason = _("Fiche sanitaire confirmée")
    child.save(update_fields=["health_form_confirmed_on"])
    return child
