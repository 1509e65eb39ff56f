"""Tariffs, quotient familial, invoices, credit notes, payments, SEPA and tax certificates."""
