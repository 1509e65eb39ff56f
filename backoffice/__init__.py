"""Portail Famille project package and the staff back-office (admin site, CRUD engine, dashboards)."""
