"""`manage.py invoice_month 2026-11 [--issue] [--activity ID …]`: the monthly invoicing run from the command line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from billing.models import InvoiceRun
from billing.pdf import euros
from billing.services.invoicing import (
    invoice_run_create,
    invoice_run_issue,
    invoice_run_prepare,
    invoice_run_preview,
    month_bounds,
    parse_period,
)
from families.models import Activity


class Command(BaseCommand):
    help = "Prépare les factures brouillons d'un mois (AAAA-MM) ; avec --issue, émet les brouillons."

    def add_arguments(self, parser):
        parser.add_argument("month", help="AAAA-MM")
        parser.add_argument(
            "--issue", action="store_true", help="Émettre les brouillons (numéros, PDF, e-mails)."
        )
        parser.add_argument(
            "--activity", type=int, action="append", help="Identifiant d'activité (répétable)."
        )

    def handle(self, *args, month, issue, activity, **options):
        try:
            period = parse_period(month)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if issue:
            run = (
                InvoiceRun.objects.filter(period=period, status=InvoiceRun.Status.DRAFTED)
                .order_by("-created_at")
                .first()
            )
            if run is None:
                run = self._prepare(period, activity)
            run = invoice_run_issue(run=run)
            preview = invoice_run_preview(run=run)
            self.stdout.write(
                f"{preview.count} facture(s) émise(s), total {euros(preview.total)} ; "
                f"{len(preview.print_list)} à imprimer."
            )
            return
        run = self._prepare(period, activity)
        preview = invoice_run_preview(run=run)
        self.stdout.write(f"{preview.count} facture(s) brouillon(s), total {euros(preview.total)}.")
        for anomaly in preview.anomalies:
            self.stdout.write(f"  ! {anomaly['message']}")

    def _prepare(self, period, activity_ids):
        start, end = month_bounds(period)
        activities = Activity.objects.filter(period_start__lte=end, period_end__gte=start)
        if activity_ids:
            activities = Activity.objects.filter(pk__in=activity_ids)
        try:
            run = invoice_run_create(period=period, activities=activities, by=None, start=False)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        return invoice_run_prepare(run=run)
