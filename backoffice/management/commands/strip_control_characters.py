"""Clean rows saved before control characters were stripped on save (one run after upgrading is enough)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from backoffice.sanitising import SANITISED_APPS, _text_fields, strip_control_characters


class Command(BaseCommand):
    help = "Retire les caractères de contrôle des textes déjà enregistrés (ils empêchaient l'export XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien modifier.")

    def handle(self, *, dry_run: bool, verbosity: int, **options):
        total = 0
        for model in apps.get_models():
            if model._meta.app_label not in SANITISED_APPS or model._meta.proxy or not model._meta.managed:
                continue
            fields = _text_fields(model)
            if not fields:
                continue
            # Only rows with a control character somewhere (SQLite and PostgreSQL both know regex lookups).
            dirty = models.Q()
            for attname, _multiline in fields:
                dirty |= models.Q(**{f"{attname}__regex": "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"})
            changed = 0
            with transaction.atomic():
                for row in model._base_manager.filter(dirty).only("pk", *(a for a, _ in fields)).iterator():
                    values = {
                        attname: strip_control_characters(getattr(row, attname), multiline=multiline)
                        for attname, multiline in fields
                        if getattr(row, attname)
                    }
                    if not dry_run:
                        # update(): no signals, no history row, no auto_now change; the text is all that moves.
                        model._base_manager.filter(pk=row.pk).update(**values)
                    changed += 1
            if changed and verbosity:
                self.stdout.write(f"{model._meta.label} : {changed}")
            total += changed
        verb = "à nettoyer" if dry_run else "nettoyée(s)"
        self.stdout.write(self.style.SUCCESS(f"{total} ligne(s) {verb}."))
