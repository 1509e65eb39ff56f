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


def _tax_year_waiting() -> int:
    """1 while last year's attestations fiscales were never generated though families paid that year."""
    from datetime import date

    from django.utils import timezone

    from billing.models import Payment, TaxCertificateRun

    year = timezone.localdate().year - 1
    if TaxCertificateRun.objects.filter(year=year, status=TaxCertificateRun.Status.DONE).exists():
        return 0
    paid = Payment.objects.filter(
        status=Payment.Status.VALID, received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31)
    )
    return int(paid.exists())


register(
    Queue(
        _("Attestations fiscales de l'année écoulée à générer"),
        count=_tax_year_waiting,
        url_name="billing_staff:tax_certificates",
        permission="billing.add_taxcertificate",
        order=62,
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
