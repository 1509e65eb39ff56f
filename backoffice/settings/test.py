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
