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
