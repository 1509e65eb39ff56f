"""`manage.py sepa_lapse_mandates [--today AAAA-MM-JJ]`: mandates without a debit for 36 months become caducs
(schedulable daily; the monthly batch also runs it before it debits)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from billing.services.sepa import sepa_mandates_lapse


class Command(BaseCommand):
    help = "Rend caducs les mandats SEPA sans prélèvement depuis 36 mois."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from exc
        count = sepa_mandates_lapse(today=day)
        self.stdout.write(f"{count} mandat(s) devenu(s) caduc(s).")
