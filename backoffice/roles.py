"""Staff roles as data: which group may do what. Parents have no group and no staff access.

The data migration creates the groups; `roles_sync()` also runs after every migrate so a model added later gets
its permissions in the right groups without a hand-written migration.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AGENTS = "Agents service enfance"
REGISSEURS = "Régisseurs"
ANIMATEURS = "Animateurs"
COMMUNICATION = "Communication"
ADMINISTRATEURS = "Administrateurs"

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)
# Health data (RGPD art. 9): only the roles that look after the children. Not a `view_*` prefix, so `VIEW` and
# `ALL` never grant it; the régisseurs read the dossiers without it.
HEALTH = "view_child_health"
# The appel (pointage) screen: animateurs and agents; closing a day locks it for the animateurs.
ROLL_CALL = "take_roll_call"

# role -> list of (app_label, model name or "*", actions). Later rules for the same model add to earlier ones.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    AGENTS: [
        ("families", "*", ALL),
        ("families", "child", (HEALTH,)),
        ("families", "rollcall", (ROLL_CALL,)),
        ("billing", "*", VIEW),
    ],
    REGISSEURS: [
        ("families", "*", VIEW),
        ("billing", "*", ALL),
    ],
    ANIMATEURS: [
        ("families", "child", (*VIEW, HEALTH)),
        ("families", "contact", VIEW),
        ("families", "vaccination", VIEW),
        ("families", "activity", VIEW),
        ("families", "unit", VIEW),
        ("families", "school", VIEW),
        ("families", "classlevel", VIEW),
        ("families", "allergen", VIEW),
        ("families", "rollcall", (*VIEW, ROLL_CALL)),
    ],
    COMMUNICATION: [
        ("wagtailadmin", "admin", ("access_admin",)),
        ("wagtaildocs", "document", ("add", "change", "delete", "choose")),
        ("wagtailimages", "image", ("add", "change", "delete", "choose")),
        ("cms", "*", ALL),
    ],
    ADMINISTRATEURS: [],  # every permission, see roles_sync
}

# Which roles open the Django back-office (is_staff). Communication works in /cms/ only.
STAFF_ROLES = {AGENTS, REGISSEURS, ANIMATEURS, ADMINISTRATEURS}

ROLE_DESCRIPTIONS = {
    AGENTS: _(
        "Dossiers familles (y compris les données de santé), inscriptions, réservations, démarches, messagerie ; "
        "consultation de la facturation."
    ),
    REGISSEURS: _(
        "Facturation, règlements, prélèvements SEPA ; consultation des dossiers, sans les données de santé."
    ),
    ANIMATEURS: _("Consultation des enfants, fiches sanitaires (données de santé), contacts et activités (appel)."),
    COMMUNICATION: _("Site public dans /cms/ : pages, actualités, menus, documents."),
    ADMINISTRATEURS: _("Tous les droits, y compris les comptes et les rôles."),
}


def roles_sync(*, apps=None, using: str = "default") -> None:
    """Create the staff groups and give each the permissions its role declares (idempotent)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(Permission.objects.using(using).select_related("content_type"))
    for role, rules in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        if role == ADMINISTRATEURS:
            wanted = perms
        else:
            wanted = [p for p in perms if _matches(p, rules)]
        group.permissions.add(*wanted)


def _matches(perm, rules) -> bool:
    """A rule's actions are codename prefixes (`view` → `view_child`) or whole codenames (`access_admin`)."""
    ct = perm.content_type
    for app_label, model, actions in rules:
        if app_label == ct.app_label and model in ("*", ct.model):
            if any(perm.codename in (action, f"{action}_{ct.model}") for action in actions):
                return True
    return False
