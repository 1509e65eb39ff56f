"""Settings shared by every environment. Values that change between machines come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAIL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first so their templates and translations win.
    "backoffice",
    "families",
    "billing",
    "cms",
    "api",
    # Wagtail (public CMS at /cms/)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Third party
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "backoffice.csp.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "backoffice.middleware.StripNulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes last: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp 4) on every response: our pages, the Django admin (/gestion/), Wagtail's
# admin (/cms/) and Swagger UI (/api/docs/). Scripts come from our own origin or carry the request's nonce
# (`{{ request.csp_nonce }}`), never inline otherwise. Styles allow inline: Wagtail's admin, Swagger UI and
# Django admin widgets set style attributes, and a style cannot run code. No form-action: paying online
# redirects a form to the bank's site (PayFiP), which Chrome would check against it. Images also from data:/blob:
# (Swagger UI's icons, Wagtail's image previews); workers from blob: (ReDoc). Nothing from another origin.
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Wagtail's admin shows gravatar.com avatars by default: an outside request the policy refuses (and a leak).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Likewise its new-version check (releases.wagtail.org) on the dashboard: upgrading is the deployer's decision.
WAGTAIL_ENABLE_UPDATE_CHECK = False

ROOT_URLCONF = "backoffice.urls"
WSGI_APPLICATION = "backoffice.wsgi.application"
ASGI_APPLICATION = "backoffice.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite file under var/ by default, PostgreSQL through DATABASE_URL (psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portail.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server and a worker read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "backoffice.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "backoffice.auth.EmailBackend",
]
# Argon2 first (OWASP / CNIL recommendation); the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# CNIL (délibération 2022-100): with a lockout, 8 characters are enough; no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/portail/connexion/"
LOGIN_REDIRECT_URL = "/portail/"
LOGOUT_REDIRECT_URL = "/"

# django-axes: lock an account+IP after 5 failures for 15 minutes, counted in the database (shared by every worker).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# One identifier per account for the lockout: stripped and lowercased, from the login form and from the API alike.
AXES_USERNAME_CALLABLE = "backoffice.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "backoffice/lockout.html"

# Internationalisation: the whole UI is French.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Private files (health documents, invoices) never live under MEDIA_ROOT: only views that check the family serve them.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
PORTAIL_UPLOAD_MAX_BYTES = 10 * 1024 * 1024

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Service enfance <enfance@portail-famille.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work through the tasks API: immediate unless a worker is configured.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("PORTAIL_TOWN_NAME", "Portail Famille")
WAGTAILADMIN_BASE_URL = os.environ.get("PORTAIL_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt", "png", "jpg", "jpeg"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.documents.CheckedDocumentForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# REST framework: session auth for the browser, basic auth for scripts (under the portal's axes lockout); model
# permissions everywhere.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.StaffModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portail Famille API",
    "DESCRIPTION": "API du Portail Famille : dossiers familles, activités, inscriptions, facturation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only our API: Wagtail's internal admin endpoints are not part of the public contract.
    "PREPROCESSING_HOOKS": ["api.schema.only_api_paths"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Filled by the CRUD engine with one name per choice set (see backoffice/crud/engine.py).
    "ENUM_NAME_OVERRIDES": {},
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # Swagger UI and ReDoc served from our own static files: no CDN, works on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# import-export: every import is all-or-nothing inside one transaction.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# CSV and XLSX only: the other tablib formats (HTML table, JSON, YAML, ODS…) are untested here and an HTML table
# upload ended in a TypeError (500). base_formats imports only tablib, no Django app code.
from import_export.formats.base_formats import CSV, XLSX  # noqa: E402

IMPORT_EXPORT_FORMATS = [CSV, XLSX]
# Exported cells are made safe by the generated resources (`backoffice.crud.resources.safe_cell`): a cell a
# spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe and control characters are dropped.
# import-export's own formula setting only deletes a leading "=" (so "=HYPERLINK(…)" becomes "HYPERLINK(…)",
# "+cmd|…" and "@SUM(…)" pass) and turns every cell, numbers included, into text: left off.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Last resort for an XLSX export of a resource not generated by the engine: a control character is replaced
# instead of failing the whole export.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The town's school-holiday zone (A, B or C), used by the calendar services.
PORTAIL_SCHOOL_ZONE = os.environ.get("PORTAIL_SCHOOL_ZONE", "C")

# Portal ------------------------------------------------------------------------------------------------------------
# Parent portal (/portail/) settings: the town's identity in emails and PDFs, and its account and dossier rules.
# The CMS site settings may later override the display values; these are the defaults every deployment has.
PORTAIL_TOWN_NAME = WAGTAIL_SITE_NAME
PORTAIL_SERVICE_NAME = os.environ.get("PORTAIL_SERVICE_NAME", "Service enfance")
PORTAIL_CONTACT_EMAIL = os.environ.get("PORTAIL_CONTACT_EMAIL", "enfance@portail-famille.localhost")
PORTAIL_CONTACT_PHONE = os.environ.get("PORTAIL_CONTACT_PHONE", "01 30 40 44 34")
PORTAIL_CONTACT_ADDRESS = os.environ.get("PORTAIL_CONTACT_ADDRESS", "Pôle éducatif — Place de la Mairie")
# How parents get an account: "self" (Créer mon espace + clé famille) and/or "staff" (comptes créés par le service).
PORTAIL_SIGNUP_MODES = env_list("PORTAIL_SIGNUP_MODES", "self,staff")
PORTAIL_ACTIVATION_HOURS = int(os.environ.get("PORTAIL_ACTIVATION_HOURS", "48"))
# Absolute address of the site, for links in emails sent by background tasks (no request there).
PORTAIL_BASE_URL = WAGTAILADMIN_BASE_URL.rstrip("/")
# Coordonnées a parent may change without the service's approval; every other change becomes a démarche.
PORTAIL_IMMEDIATE_FIELDS = env_list("PORTAIL_IMMEDIATE_FIELDS", "")
# The fiche sanitaire must be confirmed each school year; confirmations count from this day (MM-DD) for the
# school year starting that September (parents confirm in June for the rentrée).
PORTAIL_HEALTH_FORM_OPENS = os.environ.get("PORTAIL_HEALTH_FORM_OPENS", "06-01")
# End of the Portal section -----------------------------------------------------------------------------------------

# Régie (billing and payments) ---------------------------------------------------------------------------------------
# The régie de recettes that invoices and collects, as on the invoices, receipts and tax certificates.
PORTAIL_REGIE_NAME = os.environ.get("PORTAIL_REGIE_NAME", "Régie de recettes du service enfance")
PORTAIL_REGIE_REFERENCE = os.environ.get("PORTAIL_REGIE_REFERENCE", "")
# Who signs the attestations fiscales and receipts (signature block).
PORTAIL_SIGNATORY_NAME = os.environ.get("PORTAIL_SIGNATORY_NAME", "")
PORTAIL_SIGNATORY_TITLE = os.environ.get("PORTAIL_SIGNATORY_TITLE", "Le régisseur")
# Online payment through eopayment: "payfip_ws" (PayFiP, the DGFiP service of public régies) in production; the
# local payment simulator ("simulator") exists only in the dev/demo and test settings.
PORTAIL_PAYMENT_BACKEND = os.environ.get("PORTAIL_PAYMENT_BACKEND", "payfip_ws")
PORTAIL_PAYFIP_NUMCLI = os.environ.get("PORTAIL_PAYFIP_NUMCLI", "")
# PayFiP mode: "test", "activation" or "production" (the DGFiP's T / X / W).
PORTAIL_PAYFIP_MODE = os.environ.get("PORTAIL_PAYFIP_MODE", "test")
# SEPA direct debit (prélèvement): the town's creditor identity for the pain.008 files.
PORTAIL_SEPA_CREDITOR_NAME = os.environ.get("PORTAIL_SEPA_CREDITOR_NAME", "")
PORTAIL_SEPA_CREDITOR_ID = os.environ.get("PORTAIL_SEPA_CREDITOR_ID", "")  # ICS, e.g. FR12ZZZ123456
PORTAIL_SEPA_IBAN = os.environ.get("PORTAIL_SEPA_IBAN", "")
PORTAIL_SEPA_BIC = os.environ.get("PORTAIL_SEPA_BIC", "")
# Days between the invoice and its debit (the pre-notification must come at least 14 days before).
PORTAIL_SEPA_DELAY_DAYS = int(os.environ.get("PORTAIL_SEPA_DELAY_DAYS", "14"))
# Below this total nothing is invoiced and the days carry over to next month; days to pay an invoice.
PORTAIL_INVOICE_MINIMUM = os.environ.get("PORTAIL_INVOICE_MINIMUM", "5")
PORTAIL_INVOICE_DUE_DAYS = int(os.environ.get("PORTAIL_INVOICE_DUE_DAYS", "30"))
# End of the Régie section ------------------------------------------------------------------------------------------

# Campagne quotient familial: families upload their avis d'imposition and CAF attestation before this date (MM-JJ);
# `manage.py qf_campaign` reminds them from PORTAIL_QF_CAMPAIGN_LEAD_DAYS days before it.
PORTAIL_QF_CAMPAIGN_DEADLINE = os.environ.get("PORTAIL_QF_CAMPAIGN_DEADLINE", "10-31")
PORTAIL_QF_CAMPAIGN_LEAD_DAYS = int(os.environ.get("PORTAIL_QF_CAMPAIGN_LEAD_DAYS", "45"))
