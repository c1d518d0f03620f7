"""Settings shared by every environment. Values that differ come from environment variables.

The embedded SQLite database, uploaded files and the generated secret key live under
``menage_home()/platform`` unless ``DATABASE_URL``, ``MENAGE_MEDIA_ROOT`` and
``DJANGO_SECRET_KEY`` say otherwise (README: "Production").
"""

from __future__ import annotations

import os
from pathlib import Path

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from menage.platform.settings._env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    parse_database_url,
    sqlite_database,
)

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _state_dir() -> Path:
    from menage.home import menage_home

    folder = menage_home() / "platform"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "menage.platform.core",
    "menage.platform.organisations",
    "menage.platform.campaigns",
    "menage.platform.events",
    "menage.platform.collection",
    "menage.platform.resources",
    "menage.platform.outbox",
    "menage.platform.equipment",
    "menage.platform.measures",
    "menage.platform.api",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    # the API's submission posts skip the rest (sessions, auth, CSRF...): measures/lean.py
    "menage.platform.measures.lean.LeanSubmissionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "menage.platform.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "menage.platform.urls"
WSGI_APPLICATION = "menage.platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "menage.platform.core.context.site",
            ],
        },
    },
]
# our field template (label, hint, error, aria-describedby) is found in templates/
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

_database_url = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {
    "default": parse_database_url(_database_url)
    if _database_url
    else sqlite_database(_state_dir() / "db.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["menage.platform.core.auth.UsernameOrEmailBackend"]

# Single sign-on for agents over OpenID Connect (ProConnect or a city's own provider):
# on when MENAGE_OIDC_CLIENT_ID is set (docs/deployment.md)
OIDC_RP_CLIENT_ID = os.environ.get("MENAGE_OIDC_CLIENT_ID", "")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = os.environ.get("MENAGE_OIDC_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("MENAGE_OIDC_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MENAGE_OIDC_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("MENAGE_OIDC_USERINFO_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("MENAGE_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("MENAGE_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("MENAGE_OIDC_SCOPES", "openid email given_name usual_name")
    OIDC_CREATE_USER = env_bool("MENAGE_OIDC_CREATE_USERS", False)
    AUTHENTICATION_BACKENDS.append("menage.platform.core.oidc.AgentBackend")
MENAGE_OIDC_LABEL = os.environ.get("MENAGE_OIDC_LABEL", "ProConnect")
# where a refused single sign-on lands (a lazy address: resolved once the URLs exist)
LOGIN_REDIRECT_URL_FAILURE = reverse_lazy("accounts:login")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "space:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("MENAGE_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or _state_dir() / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# uploaded resources are never served as static files: a view checks who may read them
MEDIA_ROOT = Path(os.environ.get("MENAGE_MEDIA_ROOT") or _state_dir() / "media")
MEDIA_URL = "/media-not-served/"

# Resources: uploads above this size are refused (bytes); the request body limit
# leaves room for the rest of the form.
MENAGE_UPLOAD_MAX_BYTES = env_int("MENAGE_UPLOAD_MAX_BYTES", 10_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Public forms (registration, sign-in, password reset…): at most LIMIT refused posts per
# client address and per target (an event, a user name) within WINDOW seconds.
MENAGE_RATE_LIMIT = env_int("MENAGE_RATE_LIMIT", 10)
MENAGE_RATE_WINDOW = env_int("MENAGE_RATE_WINDOW", 600)
# measures: submissions per participation code (a poster) and per client on one code,
# in each MENAGE_RATE_WINDOW; the code's secret token multiplies both by 20
MENAGE_SUBMISSIONS_PER_CODE = env_int("MENAGE_SUBMISSIONS_PER_CODE", 600)
MENAGE_SUBMISSIONS_PER_CLIENT = env_int("MENAGE_SUBMISSIONS_PER_CLIENT", 30)
# no figure is shown for a group with fewer participants than this
MENAGE_MEASURES_MIN_GROUP = env_int("MENAGE_MEASURES_MIN_GROUP", 5)
# a worker answers a campaign's figures without asking the database within this many
# seconds after it last checked them (its own posts and reviews show at once); 0: every read
MENAGE_MEASURES_FRESHNESS = env_float("MENAGE_MEASURES_FRESHNESS", 1.0)
# the API's public dashboards are kept this many seconds per worker (0: computed each time)
MENAGE_DASHBOARD_CACHE_SECONDS = env_int("MENAGE_DASHBOARD_CACHE_SECONDS", 10)
# the reverse proxies whose X-Forwarded-For is believed (addresses or networks); empty:
# the client is REMOTE_ADDR (`check --deploy` warns when production has none)
MENAGE_TRUSTED_PROXIES = env_list("MENAGE_TRUSTED_PROXIES", [])
# residents' registrations are deleted this many days after their campaign ends
MENAGE_REGISTRATION_RETENTION_DAYS = env_int("MENAGE_REGISTRATION_RETENTION_DAYS", 0)
MENAGE_SITE_NAME = os.environ.get("MENAGE_SITE_NAME", "Ménage")
# the organisation publishing the site (its slug): its settings make the accessibility
# statement and the personal-data page; empty: the first city
MENAGE_PUBLISHER = os.environ.get("MENAGE_PUBLISHER", "")
# the public address, for the links in e-mails and calendars (read away from any request)
MENAGE_SITE_URL = os.environ.get("MENAGE_SITE_URL", "http://127.0.0.1:8000")

# Registrations: an online booking is held this long until its e-mail link is clicked;
# a place freed for the waiting list is offered this long (never past the start).
MENAGE_HOLD_MINUTES = env_int("MENAGE_HOLD_MINUTES", 30)
MENAGE_OFFER_HOURS = env_int("MENAGE_OFFER_HOURS", 24)

# Background tasks (django-tasks, database backend: no broker). The worker is started by
# `menage serve`, and by `menage platform worker` in production.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MENAGE_HOUSEKEEPING_MINUTES = env_int("MENAGE_HOUSEKEEPING_MINUTES", 10)
# a mail that fails for a passing reason is tried again after each delay (seconds), then
# shown to the organisers as not sent
MENAGE_MAIL_RETRY_DELAYS = [
    int(delay) for delay in env_list("MENAGE_MAIL_RETRY_DELAYS", ["60", "300", "1800", "7200"])
]

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "menage@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}


def secret_key_from_state() -> str:
    """A secret key generated once and kept under the state folder (dev and ``menage serve``)."""
    from django.core.management.utils import get_random_secret_key

    path = _state_dir() / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = get_random_secret_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
