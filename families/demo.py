"""The families part of the demo town: schools, the 2026/2027 catalogue, staff and parent accounts, families and a
lived-in parent portal. Called by the project's `manage.py seed_demo` (see backoffice/management/commands)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from backoffice import roles
from families.management import demo_bookings, demo_town
from families.models import Activity, Child, Family
from families.portal_demo import seed_portal_demo

DEFAULT_FAMILIES = 150

ROLE_LABELS = {
    roles.AGENTS: "Agent service enfance",
    roles.REGISSEURS: "Régisseur",
    roles.ANIMATEURS: "Animateur",
    roles.COMMUNICATION: "Communication",
    roles.ADMINISTRATEURS: "Administrateur (superutilisateur)",
}


def seed_demo(ctx) -> None:
    """Deterministic and idempotent; `ctx.families` switches to a large bulk-built town (benchmarks)."""
    out, today, families = ctx.stdout, ctx.today, ctx.families
    zone = getattr(settings, "PORTAIL_SCHOOL_ZONE", "C")
    out.write(f"Ville de démonstration « {demo_town.TOWN} » (zone {zone}), date du jour {today:%d/%m/%Y}…")
    with transaction.atomic():
        schools = demo_town.ensure_schools()
        demo_town.ensure_catalogue(zone)
        staff = demo_town.ensure_staff()
        parent = demo_town.ensure_parent_user()
        if families is None:
            created = demo_town.ensure_families(DEFAULT_FAMILIES, schools, parent_user=parent)
            out.write(f"  {created} famille(s) créée(s) sur {DEFAULT_FAMILIES}.")
    if families is not None:
        # The parent's family keeps its place (F-000001) and its details; the rest is bulk generated.
        with transaction.atomic():
            demo_town.ensure_families(1, schools, parent_user=parent)
        totals = demo_town.bulk_build_families(
            families,
            schools,
            batch_size=ctx.batch_size,
            progress=lambda n: out.write(f"  {n}/{families} familles…") if n % 10000 == 0 else None,
        )
        out.write(
            f"  Insertion en masse : {totals['families']} familles, {totals['guardians']} responsables, "
            f"{totals['children']} enfants."
        )
    out.write("  Données du portail (inscriptions, démarches, messages)…")
    seed_portal_demo(today=today)
    out.write("  Réservations de l'année (plannings, présences, liste d'attente)…")
    booked = demo_bookings.ensure_bookings(today=today, all_families=families is None)
    if booked:
        out.write(
            f"  {booked['reserved']} réservation(s), {booked['waiting']} en liste d'attente, "
            f"{booked['cancelled']} annulée(s)."
        )
    out.write(
        ctx.style.SUCCESS(
            f"  {Family.objects.count()} familles, {Child.objects.count()} enfants, "
            f"{Activity.objects.count()} activités."
        )
    )
    ctx.summary += [
        "",
        f"Comptes de démonstration (mot de passe « {demo_town.DEMO_PASSWORD} ») :",
        f"  {'Parent (famille DUBOIS)':<34} {demo_town.PARENT_EMAIL}",
    ]
    ctx.summary += [f"  {ROLE_LABELS.get(role, role):<34} {user.email}" for role, user in staff]
