"""/gestion/facturation/: the régisseur's invoicing screens, behind the back-office login (namespace billing_staff)."""

from django.urls import path

from backoffice.admin import site

from . import views

app_name = "billing_staff"

urlpatterns = [
    path("", site.admin_view(views.runs), name="runs"),
    path("<int:pk>/", site.admin_view(views.run_detail), name="run"),
    path("<int:pk>/progression.json", site.admin_view(views.run_progress), name="run_progress"),
    path("<int:pk>/emettre/", site.admin_view(views.run_issue), name="run_issue"),
    path("<int:pk>/impression/", site.admin_view(views.print_list), name="print_list"),
    path("factures/<int:pk>/pdf/", site.admin_view(views.invoice_pdf), name="invoice_pdf"),
]

# Attestations fiscales: bulk issue of a year and its progress (billing/staff/tax.py).
from . import tax  # noqa: E402

urlpatterns += [
    path("attestations-fiscales/", site.admin_view(tax.tax_certificates), name="tax_certificates"),
    path("attestations-fiscales/<int:pk>/", site.admin_view(tax.tax_run), name="tax_run"),
    path(
        "attestations-fiscales/<int:pk>/progression.json",
        site.admin_view(tax.tax_run_progress),
        name="tax_run_progress",
    ),
    path(
        "attestations-fiscales/pdf/<int:pk>/",
        site.admin_view(tax.tax_certificate_pdf),
        name="tax_certificate_pdf",
    ),
]

from . import sepa as sepa_views  # noqa: E402

urlpatterns += [
    path("prelevements/", site.admin_view(sepa_views.sepa_batches), name="sepa_batches"),
    path("prelevements/<int:pk>/", site.admin_view(sepa_views.sepa_batch), name="sepa_batch"),
    path(
        "prelevements/<int:pk>/generer/",
        site.admin_view(sepa_views.sepa_batch_generate_view),
        name="sepa_generate",
    ),
    path("prelevements/<int:pk>/pain008.xml", site.admin_view(sepa_views.sepa_batch_file), name="sepa_file"),
    path("prelevements/<int:pk>/retours/", site.admin_view(sepa_views.sepa_returns), name="sepa_returns"),
    path(
        "prelevements/debits/<int:pk>/rejet/",
        site.admin_view(sepa_views.sepa_item_reject),
        name="sepa_reject",
    ),
    path("prelevements/mandats/", site.admin_view(sepa_views.sepa_mandates), name="sepa_mandates"),
    path("prelevements/mandats/<int:pk>/", site.admin_view(sepa_views.sepa_mandate), name="sepa_mandate"),
]

# Counter payments, receipts, cash-up, accounting exports, aged balance (billing.staff.payments).
from . import payments as counter  # noqa: E402

urlpatterns += [
    path("reglements/", site.admin_view(counter.payment_list), name="payments"),
    path("reglements/nouveau/", site.admin_view(counter.payment_new), name="payment_new"),
    path("reglements/<int:pk>/", site.admin_view(counter.payment_detail), name="payment"),
    path("reglements/<int:pk>/rejeter/", site.admin_view(counter.payment_reject_view), name="payment_reject"),
    path("reglements/<int:pk>/recu.pdf", site.admin_view(counter.payment_receipt), name="payment_receipt"),
    path("reglements/caisse/", site.admin_view(counter.cashup), name="cashup"),
    path("reglements/caisse.pdf", site.admin_view(counter.cashup_pdf_view), name="cashup_pdf"),
    path("exports/", site.admin_view(counter.exports), name="exports"),
    path("balance-agee/", site.admin_view(counter.aged_balance_view), name="aged_balance"),
]
