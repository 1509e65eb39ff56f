"""Billing services: pricing (tariffs), quotient familial, school sectors."""
