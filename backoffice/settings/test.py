"""Test settings: fast hashing, in-memory email, immediate tasks, a throwaway CRUD app."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
_tmp = tempfile.mkdtemp(prefix="portail-test-")
MEDIA_ROOT = os.path.join(_tmp, "media")
PRIVATE_MEDIA_ROOT = os.path.join(_tmp, "private")
STATIC_ROOT = os.path.join(_tmp, "static")
os.makedirs(STATIC_ROOT, exist_ok=True)
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# The throwaway model that proves the CRUD engine generates every surface.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.crud_app"]
AXES_ENABLED = env_bool("AXES_ENABLED", True)

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
