"""`manage.py tax_certificates 2026`: issue (or bring up to date) the attestations fiscales of a year."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from billing.models import TaxCertificateRun
from billing.services.tax_certificates import tax_certificate_run_execute, tax_year_parse


class Command(BaseCommand):
    help = "Génère les attestations fiscales de frais de garde d'une année (AAAA), à planifier en janvier."

    def add_arguments(self, parser):
        parser.add_argument("year", help="AAAA, par exemple 2026")

    def handle(self, *args, year, **options):
        try:
            year = tax_year_parse(year)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        run = TaxCertificateRun.objects.create(year=year)
        run = tax_certificate_run_execute(run=run)
        self.stdout.write(
            f"{run.certificates} attestation(s) fiscale(s) {year} pour {run.total_steps} famille(s) "
            f"({run.done_steps} traitée(s))."
        )
