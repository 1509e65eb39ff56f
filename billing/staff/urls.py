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
