"""Billing models arrive with the invoicing issue; the app exists so roles and settings already name it."""
