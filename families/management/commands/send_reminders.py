"""`manage.py send_reminders`: the rappels due now (for cron; the worker runs the same through its task)."""

from django.core.management.base import BaseCommand

from families.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Envoie les rappels de réservation dus (une seule fois par famille et par période)."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
