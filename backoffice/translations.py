"""Django's own messages whose French wording we correct in locale/fr (listed here so makemessages keeps them).

Django's catalogue quotes a repr inside guillemets (« 'banane' »); ours quotes the value once (« banane »).
"""

from django.utils.translation import gettext_noop

CORRECTED = [
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
]
