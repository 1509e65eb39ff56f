"""Billing models, one module per concern: tariffs, quotient familial, school sectors, invoices, payments."""

from .invoices import BilledBooking, CreditNote, Invoice, InvoiceLine, InvoiceRun, NumberCounter
from .payments import COUNTER_MEANS, Payment, PaymentAllocation, PaymentMeans
from .quotients import FamilyQuotient
from .reminders import BillingReminder
from .sectors import SchoolSector
from .tariffs import ActivityBillingRule, BillingSituation, SurchargeKind, Tariff, TariffBracket, TariffMode

__all__ = [
    "BilledBooking",
    "BillingReminder",
    "CreditNote",
    "Invoice",
    "InvoiceLine",
    "InvoiceRun",
    "NumberCounter",
    "ActivityBillingRule",
    "BillingSituation",
    "COUNTER_MEANS",
    "FamilyQuotient",
    "Payment",
    "PaymentAllocation",
    "PaymentMeans",
    "SchoolSector",
    "SurchargeKind",
    "Tariff",
    "TariffBracket",
    "TariffMode",
]
