"""Billing models, one module per concern: tariffs, quotient familial, school sectors, invoices, payments."""

from .custody import CustodyMode, CustodySplit, WeekBasis
from .invoices import BilledBooking, CreditNote, Invoice, InvoiceLine, InvoiceRun, NumberCounter
from .online import PaymentTransaction, SimulatorOperation
from .payments import COUNTER_MEANS, Payment, PaymentAllocation, PaymentMeans
from .quotients import FamilyQuotient, QuotientCampaignReminder
from .reminders import BillingReminder
from .sectors import SchoolSector
from .sepa import DirectDebitBatch, DirectDebitItem, RejectReason, SepaMandate, SequenceType
from .tariffs import ActivityBillingRule, BillingSituation, SurchargeKind, Tariff, TariffBracket, TariffMode
from .tax import TaxCertificate, TaxCertificateRun

__all__ = [
    "BilledBooking",
    "DirectDebitBatch",
    "DirectDebitItem",
    "RejectReason",
    "SepaMandate",
    "SequenceType",
    "BillingReminder",
    "CreditNote",
    "CustodyMode",
    "CustodySplit",
    "WeekBasis",
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
    "QuotientCampaignReminder",
    "PaymentTransaction",
    "SchoolSector",
    "SimulatorOperation",
    "SurchargeKind",
    "Tariff",
    "TariffBracket",
    "TariffMode",
    "TaxCertificate",
    "TaxCertificateRun",
]
