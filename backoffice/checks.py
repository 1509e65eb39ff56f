"""System checks of the project's own promises."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def password_hasher_is_argon2(app_configs, **kwargs):
    if settings.PASSWORD_HASHERS and "Argon2" not in settings.PASSWORD_HASHERS[0] and "MD5" not in settings.PASSWORD_HASHERS[0]:
        return [Warning("Argon2 doit être le premier algorithme de hachage des mots de passe.", id="portail.W001")]
    return []
