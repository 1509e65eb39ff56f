"""`manage.py poll_payments [--minutes 20]`: ask the payment service about online payments left pending (cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from billing.services.online import online_payments_poll


class Command(BaseCommand):
    help = (
        "Interroge le service de paiement (PayFiP) sur les paiements en ligne restés en attente depuis plus de "
        "N minutes et les solde (payé, refusé, abandonné). À planifier, par exemple toutes les 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes", type=int, default=20, help="Ancienneté minimale des transactions en attente (20)."
        )

    def handle(self, *args, minutes, **options):
        if minutes < 0:
            raise CommandError("--minutes doit être positif ou nul.")
        settled = online_payments_poll(older_than=timedelta(minutes=minutes))
        for tx in settled:
            self.stdout.write(f"{tx.order_id} ({tx.invoice.number}) : {tx.get_state_display()}")
        self.stdout.write(self.style.SUCCESS(f"{len(settled)} transaction(s) interrogée(s)."))
