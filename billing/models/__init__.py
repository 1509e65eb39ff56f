"""Billing models, one module per concern: tariffs, quotient familial, school sectors, invoices, payments."""

from .invoices import BilledBooking, CreditNote, Invoice, InvoiceLine, InvoiceRun, NumberCounter
from .payments import COUNTER_MEANS, Payment, PaymentAllocation, PaymentMeans
from .quotients import FamilyQuotient
from .sectors import SchoolSector
from .sepa import DirectDebitBatch, DirectDebitItem, RejectReason, SepaMandate, SequenceType
from .tariffs import ActivityBillingRule, BillingSituation, SurchargeKind, Tariff, TariffBracket, TariffMode

__all__ = [
    "BilledBooking",
    "DirectDebitBatch",
    "DirectDebitItem",
    "RejectReason",
    "SepaMandate",
    "SequenceType",
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
