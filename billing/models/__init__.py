"""Billing models, one module per concern: tariffs, quotient familial, school sectors, invoices."""

from .invoices import BilledBooking, CreditNote, Invoice, InvoiceLine, InvoiceRun, NumberCounter
from .quotients import FamilyQuotient
from .sectors import SchoolSector
from .tariffs import ActivityBillingRule, BillingSituation, SurchargeKind, Tariff, TariffBracket, TariffMode

__all__ = [
    "BilledBooking",
    "CreditNote",
    "Invoice",
    "InvoiceLine",
    "InvoiceRun",
    "NumberCounter",
    "ActivityBillingRule",
    "BillingSituation",
    "FamilyQuotient",
    "SchoolSector",
    "SurchargeKind",
    "Tariff",
    "TariffBracket",
    "TariffMode",
]
