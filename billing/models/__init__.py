"""Billing models, one module per concern: tariffs, quotient familial, school sectors."""

from .quotients import FamilyQuotient
from .sectors import SchoolSector
from .tariffs import ActivityBillingRule, BillingSituation, SurchargeKind, Tariff, TariffBracket, TariffMode

__all__ = [
    "ActivityBillingRule",
    "BillingSituation",
    "FamilyQuotient",
    "SchoolSector",
    "SurchargeKind",
    "Tariff",
    "TariffBracket",
    "TariffMode",
]
