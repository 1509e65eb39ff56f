"""`manage.py seed_demo`: builds the demo town of Bessancourt (deterministic, idempotent) and prints its logins.

    manage.py seed_demo                      # ~150 detailed families, staff accounts, the 2026/2027 catalogue
    manage.py seed_demo --today 2026-11-23   # date handed to the CMS and portal demo hooks
    manage.py seed_demo --families 20000     # a large town for benchmarks (bulk_create, no history)
"""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from backoffice import roles
from families.management import demo_town
from families.models import Activity, Child, Family

DEFAULT_FAMILIES = 150

ROLE_LABELS = {
    roles.AGENTS: "Agent service enfance",
    roles.REGISSEURS: "Régisseur",
    roles.ANIMATEURS: "Animateur",
    roles.COMMUNICATION: "Communication",
    roles.ADMINISTRATEURS: "Administrateur (superutilisateur)",
}


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Date invalide « {value} » : format attendu AAAA-MM-JJ.") from exc


class Command(BaseCommand):
    help = "Crée la ville de démonstration « Bessancourt » : écoles, activités 2026/2027, familles et comptes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_date, default=None,
            help="Date du jour pour les données datées (AAAA-MM-JJ ; par défaut aujourd'hui).",
        )
        parser.add_argument(
            "--families", type=int, default=None,
            help="Construit une grande ville de N familles par insertion en masse (bancs d'essai).",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Taille des lots d'insertion en masse.")

    def handle(self, *args, today=None, families=None, batch_size=2000, **options):
        today = today or timezone.localdate()
        zone = getattr(settings, "PORTAIL_SCHOOL_ZONE", "C")
        started = time.perf_counter()
        self.stdout.write(f"Ville de démonstration « {demo_town.TOWN} » (zone {zone}), date du jour {today:%d/%m/%Y}…")
        with transaction.atomic():
            schools = demo_town.ensure_schools()
            activities = demo_town.ensure_catalogue(zone)
            staff = demo_town.ensure_staff()
            parent = demo_town.ensure_parent_user()
            if families is None:
                created = demo_town.ensure_families(DEFAULT_FAMILIES, schools, parent_user=parent)
                self.stdout.write(f"  {created} famille(s) créée(s) sur {DEFAULT_FAMILIES}.")
        if families is not None:
            if families < 1:
                raise CommandError("--families doit être un entier positif.")
            # The parent's family keeps its place (F-000001) and its details; the rest is bulk generated.
            with transaction.atomic():
                demo_town.ensure_families(1, schools, parent_user=parent)
            totals = demo_town.bulk_build_families(
                families, schools, batch_size=batch_size,
                progress=lambda n: self.stdout.write(f"  {n}/{families} familles…") if n % 10000 == 0 else None,
            )
            self.stdout.write(
                f"  Insertion en masse : {totals['families']} familles, {totals['guardians']} responsables, "
                f"{totals['children']} enfants."
            )
        self._run_hooks(today)
        self._summary(staff, activities, time.perf_counter() - started)

    def _run_hooks(self, today: date) -> None:
        """Demo content of the other apps, when they provide it."""
        try:
            from cms.demo import seed_cms_demo
        except ImportError:
            seed_cms_demo = None
        if seed_cms_demo is not None:
            self.stdout.write("  Contenus du site public (CMS)…")
            seed_cms_demo(today=today)
        try:
            from families.portal_demo import seed_portal_demo
        except ImportError:
            seed_portal_demo = None
        if seed_portal_demo is not None:
            self.stdout.write("  Données du portail (inscriptions, réservations)…")
            seed_portal_demo(today=today)

    def _summary(self, staff, activities, seconds: float) -> None:
        base = demo_town.BASE_URL
        out = self.stdout
        out.write(self.style.SUCCESS(
            f"Ville prête en {seconds:.1f} s : {Family.objects.count()} familles, {Child.objects.count()} enfants, "
            f"{Activity.objects.count()} activités."
        ))
        out.write("")
        out.write("Adresses (après `manage.py runserver`) :")
        for label, path in [
            ("Site public", "/"),
            ("Portail familles", "/portail/"),
            ("Back-office", "/gestion/"),
            ("CMS", "/cms/"),
            ("API (documentation)", "/api/docs/"),
        ]:
            out.write(f"  {label:<22} {base}{path}")
        out.write("")
        out.write(f"Comptes de démonstration (mot de passe « {demo_town.DEMO_PASSWORD} ») :")
        out.write(f"  {'Parent (famille DUBOIS)':<34} {demo_town.PARENT_EMAIL}")
        for role, user in staff:
            out.write(f"  {ROLE_LABELS.get(role, role):<34} {user.email}")
