"""Settings of the deadline-rush server: the dev settings without DEBUG, plus one trivial view to compare with."""

from backoffice.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "tests.benchmarks.rush.urls"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
