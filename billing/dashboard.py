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

from billing.models import SepaMandate  # noqa: E402

register(
    Queue(
        _("Mandats de prélèvement à valider"),
        count=lambda: SepaMandate.objects.filter(status=SepaMandate.Status.REQUESTED).count(),
        url_name="billing_staff:sepa_mandates",
        permission="billing.change_sepamandate",
        order=61,
    )
)
