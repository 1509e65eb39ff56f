"""`manage.py sepa_batch 2026-11`: the month's prélèvement SEPA from the command line (the pain.008 file's path)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from billing.pdf import euros
from billing.services.invoicing import parse_period
from billing.services.sepa import sepa_batch_create, sepa_batch_generate, sepa_batch_summary


class Command(BaseCommand):
    help = "Génère le prélèvement SEPA (pain.008) des factures émises d'un mois (AAAA-MM)."

    def add_arguments(self, parser):
        parser.add_argument("month", help="AAAA-MM")

    def handle(self, *args, month, **options):
        try:
            batch = sepa_batch_generate(batch=sepa_batch_create(period=parse_period(month)))
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        summary = sepa_batch_summary(batch=batch)
        self.stdout.write(f"{len(summary.items)} prélèvement(s), total {euros(summary.total)}.")
        if batch.file:
            self.stdout.write(f"Fichier : {batch.file.name}")
        for anomaly in summary.anomalies:
            self.stdout.write(f"  ! {anomaly['message']}")
