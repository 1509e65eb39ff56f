"""manage.py send_billing_reminders: the relances of unpaid invoices (due date + 15 days), once per invoice.

Schedule it daily (cron, systemd timer); running it twice the same day sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Envoie les relances des factures impayées 15 jours après leur échéance (une seule fois par facture)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Jour de référence AAAA-MM-JJ (par défaut aujourd'hui).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from exc
        sent = reminders_send(today=today)
        self.stdout.write(f"{len(sent)} relance(s) envoyée(s).")
