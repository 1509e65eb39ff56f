"""`manage.py qf_campaign [--today AAAA-MM-JJ] [--dry-run]`: the yearly QF campaign's reminders (schedule it daily;
each family gets one email per campaign year)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.services.qf_campaign import qf_campaign_send
from families.services.calendar import french_date


class Command(BaseCommand):
    help = (
        "Campagne quotient familial : rappelle aux familles sans QF pour la période à venir de déposer leur avis "
        "d'imposition et leur attestation CAF (un e-mail par famille et par campagne)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Date du jour (AAAA-MM-JJ), pour essayer une autre date.")
        parser.add_argument("--dry-run", action="store_true", help="Lister les familles sans rien envoyer.")

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Indiquez la date sous la forme AAAA-MM-JJ (ex. 2026-10-01).") from exc
        result = qf_campaign_send(today=day, dry_run=dry_run)
        campaign = result.campaign
        if not campaign.is_open(day):
            self.stdout.write(
                f"Campagne QF {campaign.year} : elle ouvre le {french_date(campaign.opens_on)} "
                f"(date limite le {french_date(campaign.deadline)}) ; aucun rappel envoyé."
            )
            return
        verb = "à relancer" if dry_run else "relancée(s)"
        self.stdout.write(
            f"Campagne QF {campaign.year} (date limite le {french_date(campaign.deadline)}) : "
            f"{len(result.sent)} famille(s) {verb}, {result.already} déjà relancée(s), "
            f"{len(result.without_email)} sans adresse e-mail."
        )
        for family in result.without_email:
            self.stdout.write(f"  Sans e-mail : {family.name} ({family.code})")
        if dry_run:
            for family in result.sent:
                self.stdout.write(f"  {family.name} ({family.code})")
