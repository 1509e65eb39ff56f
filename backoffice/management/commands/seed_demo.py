"""`manage.py seed_demo`: builds the demo town of Bessancourt (deterministic, idempotent) and prints its logins.

    manage.py seed_demo                                     # ~150 detailed families, staff, catalogue, public site
    manage.py seed_demo --base-url http://127.0.0.1:8765    # the address the demo is served on (links, Wagtail Site)
    manage.py seed_demo --today 2026-11-23                  # date the dated content follows
    manage.py seed_demo --families 20000                    # a large town for benchmarks (bulk_create, no history)

The project knows no app's data: it calls the `seed_demo(ctx)` function of each installed app's `demo` module, in
INSTALLED_APPS order (families before billing before cms, so the public site can show the catalogue).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.core.management.color import Style
from django.utils import timezone

ADDRESSES = [
    ("Site public", "/"),
    ("Portail familles", "/portail/"),
    ("Back-office", "/gestion/"),
    ("CMS", "/cms/"),
    ("API (documentation)", "/api/docs/"),
]


@dataclass
class DemoContext:
    """What every app's demo seeder receives; `summary` collects the lines printed at the end (logins…)."""

    today: date
    base_url: str
    stdout: OutputWrapper
    style: Style
    families: int | None = None
    batch_size: int = 2000
    summary: list[str] = field(default_factory=list)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Date invalide « {value} » : format attendu AAAA-MM-JJ.") from exc


def _base_url(value: str) -> str:
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise CommandError(f"Adresse invalide « {value} » : port incorrect.") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise CommandError(
            f"Adresse invalide « {value} » : format attendu http://hôte:port, ex. http://127.0.0.1:8000."
        )
    return f"{parts.scheme}://{parts.netloc}"


def demo_seeders() -> list:
    """The `seed_demo` functions of the installed apps that have a `demo` module, in INSTALLED_APPS order."""
    seeders = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is None:
            continue
        seeder = getattr(import_module(module_name), "seed_demo", None)
        if callable(seeder):
            seeders.append(seeder)
    return seeders


class Command(BaseCommand):
    help = "Crée la ville de démonstration « Bessancourt » : écoles, activités, familles, comptes et site public."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Date du jour pour les données datées (AAAA-MM-JJ ; par défaut aujourd'hui).",
        )
        parser.add_argument(
            "--base-url",
            type=_base_url,
            default=None,
            help="Adresse où la démo est servie, ex. http://127.0.0.1:8765 (par défaut PORTAIL_BASE_URL).",
        )
        parser.add_argument(
            "--families",
            type=int,
            default=None,
            help="Construit une grande ville de N familles par insertion en masse (bancs d'essai).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Taille des lots d'insertion en masse."
        )

    def handle(self, *args, today=None, base_url=None, families=None, batch_size=2000, **options):
        if families is not None and families < 1:
            raise CommandError("--families doit être un entier positif.")
        ctx = DemoContext(
            today=today or timezone.localdate(),
            base_url=base_url or _base_url(settings.PORTAIL_BASE_URL),
            stdout=self.stdout,
            style=self.style,
            families=families,
            batch_size=batch_size,
        )
        started = time.perf_counter()
        for seeder in demo_seeders():
            seeder(ctx)
        self.stdout.write(self.style.SUCCESS(f"Démo prête en {time.perf_counter() - started:.1f} s."))
        self.stdout.write("")
        self.stdout.write("Adresses (après `manage.py runserver`) :")
        for label, path in ADDRESSES:
            self.stdout.write(f"  {label:<22} {ctx.base_url}{path}")
        for line in ctx.summary:
            self.stdout.write(line)
