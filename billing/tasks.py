"""Background work of billing (django-tasks): preparing and issuing invoice runs, a worker in production."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


def _run_guarded(run_id: int, step) -> None:
    from billing.models import InvoiceRun

    run = InvoiceRun.objects.get(pk=run_id)
    try:
        step(run=run)
    except Exception as exc:  # the page shows the failure instead of a run stuck "en cours"
        logger.exception("Invoice run %s failed", run_id)
        InvoiceRun.objects.filter(pk=run_id).update(status=InvoiceRun.Status.FAILED, error=str(exc)[:2000])
        raise


@task()
def prepare_invoice_run(*, run_id: int) -> None:
    """Build the drafts of a run (facturation du mois) and its anomalies."""
    from billing.services.invoicing import invoice_run_prepare

    _run_guarded(run_id, invoice_run_prepare)


@task()
def issue_invoice_run(*, run_id: int) -> None:
    """Number, render and notify every draft of a run."""
    from billing.services.invoicing import invoice_run_issue

    _run_guarded(run_id, invoice_run_issue)


@task()
def regenerate_tax_certificates(*, family_id: int, years: list[int]) -> None:
    """A payment of these years changed: the attestations fiscales already issued for them follow."""
    from billing.services.tax_certificates import tax_certificates_regenerate
    from families.models import Family

    family = Family.objects.filter(pk=family_id).first()
    if family is not None:
        tax_certificates_regenerate(family=family, years=years)


@task()
def issue_tax_certificates(*, run_id: int) -> None:
    """Staff's bulk issue of a year's attestations fiscales, with its progress."""
    from django.utils import timezone

    from billing.models import TaxCertificateRun
    from billing.services.tax_certificates import tax_certificate_run_execute

    run = TaxCertificateRun.objects.get(pk=run_id)
    try:
        tax_certificate_run_execute(run=run)
    except Exception as exc:  # the page shows the failure instead of a run stuck "en cours"
        logger.exception("Tax certificate run %s failed", run_id)
        TaxCertificateRun.objects.filter(pk=run_id).update(
            status=TaxCertificateRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
