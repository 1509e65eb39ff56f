"""Billing models, one module per concern: tariffs, quotient familial, school sectors, invoices, payments."""

from .invoices import BilledBooking, CreditNote, Invoice, InvoiceLine, InvoiceRun, NumberCounter
from .online import PaymentTransaction, SimulatorOperation
from .payments import COUNTER_MEANS, Payment, PaymentAllocation, PaymentMeans
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
    "COUNTER_MEANS",
    "FamilyQuotient",
    "Payment",
    "PaymentAllocation",
    "PaymentMeans",
    "PaymentTransaction",
    "SchoolSector",
    "SimulatorOperation",
    "SurchargeKind",
    "Tariff",
    "TariffBracket",
    "TariffMode",
]
