"""Billing pages of the parent portal, included under /portail/ (namespace "billing")."""

from django.urls import path

from .views import invoices
from .views.simulation import simulation

app_name = "billing"

urlpatterns = [
    path("simulation/", simulation, name="simulation"),
    path("factures/", invoices.invoice_list, name="invoices"),
    path("factures/releve.pdf", invoices.statement_pdf, name="statement"),
    path("factures/dematerialisation/", invoices.paperless, name="paperless"),
    path("factures/<int:pk>/", invoices.invoice_detail, name="invoice"),
    path("factures/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("factures/avoirs/<int:pk>/pdf/", invoices.credit_note_pdf, name="credit_note_pdf"),
]

from .views import sepa as sepa_views  # noqa: E402

urlpatterns += [
    path("prelevements/", sepa_views.sepa_mandates, name="sepa"),
    path("prelevements/mandats/<int:pk>/pdf/", sepa_views.sepa_mandate_pdf, name="sepa_mandate_pdf"),
]
