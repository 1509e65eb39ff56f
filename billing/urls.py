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

# Payments on the parent side: account history and receipts (billing.views.payments).
from .views import payments as payment_views  # noqa: E402

urlpatterns += [
    path("factures/historique/", payment_views.account_history, name="account_history"),
    path("factures/reglements/<int:pk>/recu.pdf", payment_views.payment_receipt, name="payment_receipt"),
]
