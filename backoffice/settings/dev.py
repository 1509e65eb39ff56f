"""Local development and the demo town: DEBUG on, console email, SQLite under var/."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# The local payment simulator plays the bank (eopayment's dummy backend targets a public host unreachable here),
# and a test régie so the demo's invoices, receipts and SEPA files look real. Never in production.
PORTAIL_PAYMENT_BACKEND = "simulator"
PORTAIL_PAYFIP_NUMCLI = "012345"
PORTAIL_REGIE_REFERENCE = PORTAIL_REGIE_REFERENCE or "Régie n° 12-3456"  # noqa: F405
PORTAIL_SIGNATORY_NAME = PORTAIL_SIGNATORY_NAME or "Sophie Marchand"  # noqa: F405
PORTAIL_SEPA_CREDITOR_NAME = PORTAIL_SEPA_CREDITOR_NAME or "COMMUNE DE BESSANCOURT"  # noqa: F405
PORTAIL_SEPA_CREDITOR_ID = PORTAIL_SEPA_CREDITOR_ID or "FR12ZZZ123456"  # noqa: F405
PORTAIL_SEPA_IBAN = PORTAIL_SEPA_IBAN or "FR7630001007941234567890185"  # noqa: F405
PORTAIL_SEPA_BIC = PORTAIL_SEPA_BIC or "BDFEFRPPCCT"  # noqa: F405
