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

# Month estimate of the planning (JSON), asked while the parent ticks days.
from .views.estimate import planning_estimate  # noqa: E402

urlpatterns += [path("factures/estimation/", planning_estimate, name="planning_estimate")]

# Mes attestations: the attestations fiscales de frais de garde (billing/views/tax.py).
from .views import tax  # noqa: E402

urlpatterns += [
    path("attestations-fiscales/", tax.tax_certificate_list, name="tax_certificates"),
    path("attestations-fiscales/<int:pk>/pdf/", tax.tax_certificate_pdf, name="tax_certificate_pdf"),
]

# Payer en ligne (PayFiP through eopayment; the local simulator in dev and tests): billing/views/online.py.
from .views import online  # noqa: E402

urlpatterns += [
    path("factures/<int:pk>/payer/", online.invoice_pay, name="invoice_pay"),
    path("paiement/retour/", online.payment_return, name="payment_return"),
    path("paiement/notification/", online.payment_notify, name="payment_notify"),
    path("paiement/simulateur/", online.payment_simulator_base, name="payment_simulator_base"),
    path("paiement/simulateur/<str:idop>/", online.payment_simulator, name="payment_simulator"),
]

from .views import sepa as sepa_views  # noqa: E402

urlpatterns += [
    path("prelevements/", sepa_views.sepa_mandates, name="sepa"),
    path("prelevements/mandats/<int:pk>/pdf/", sepa_views.sepa_mandate_pdf, name="sepa_mandate_pdf"),
]

# Payments on the parent side: account history and receipts (billing.views.payments).
from .views import payments as payment_views  # noqa: E402

urlpatterns += [
    path("factures/historique/", payment_views.account_history, name="account_history"),
    path("factures/reglements/<int:pk>/recu.pdf", payment_views.payment_receipt, name="payment_receipt"),
]
