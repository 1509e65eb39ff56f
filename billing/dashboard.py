"""What waits for the régisseur on the back-office index: invoice runs whose drafts are ready to issue."""

from django.utils.translation import gettext_lazy as _

from backoffice.dashboard import Queue, register
from billing.models import InvoiceRun

register(
    Queue(
        _("Facturations prêtes à émettre"),
        count=lambda: InvoiceRun.objects.filter(status=InvoiceRun.Status.DRAFTED).count(),
        url_name="billing_staff:runs",
        permission="billing.change_invoicerun",
        order=60,
    )
)


def _overdue_count() -> int:
    # Issued invoices past their due date with something left to pay (see the aged balance).
    from django.db.models import F
    from django.utils import timezone

    from billing.models import Invoice
    from billing.services.invoicing import invoice_totals

    return (
        invoice_totals(Invoice.objects.filter(status=Invoice.Status.ISSUED, due_on__lt=timezone.localdate()))
        .filter(total__gt=F("credited") + F("paid"))
        .count()
    )


register(
    Queue(
        _("Factures échues impayées (balance âgée)"),
        count=_overdue_count,
        url_name="billing_staff:aged_balance",
        permission="billing.view_invoice",
        order=62,
    )
)
