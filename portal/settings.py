"""Settings for the naltrexone programme portal.

One file, driven by environment variables (see `.env.example`). Every variable has a safe
development default except where a production value must be chosen on purpose.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

# Lets generic admin and form classes be subscripted for type checking at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """NAME, or `default` when it is unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {path!r}: {exc}") from None
    return os.environ.get(name) or default


# --- Core ---------------------------------------------------------------------------------------

TESTING = "pytest" in sys.modules or os.environ.get("PORTAL_TESTING", "").lower() in _TRUE
if not TESTING and (BASE_DIR / ".env").exists():
    # A local .env (copied from .env.example by `make run`); real environment variables win.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env_bool("DEBUG", default=False)
# With DEBUG on, Django's technical error pages instead of the portal's own 400/404/500 pages
# (apps/core/errors.py). Off by default, so `make run` shows what patients would see.
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES", default=False)

_DEV_SECRET = "insecure-development-key-only-for-debug-and-tests"  # nosec B105 - DEBUG/tests only
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set SECRET_KEY (or SECRET_KEY_FILE), or DEBUG=true for development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "apps.core.errors.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "apps.core",
    "apps.audit",
    "apps.accounts",
    "apps.clinic",
    "apps.content",
    "apps.intake",
    "apps.worklist",
    "apps.notifications",
    "apps.counselling",
    "apps.dosing",
    "apps.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.audit.middleware.RequestContextMiddleware",
    "apps.accounts.middleware.UserTimezoneMiddleware",
    # The portal's error pages when DEBUG is on too (apps/core/errors.py).
    "apps.core.errors.ErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Session limits, two-factor sign-in and the safety-message gate, for cookies and app tokens
    # alike (accounts/session_rules.py; the API's token authentication asks the same function).
    "apps.accounts.middleware.SessionRulesMiddleware",
    # Axes last, as its documentation asks, so it sees the final response of a login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "apps.core.context_processors.portal",
                "apps.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# Default: a SQLite file in the project folder, so `make run` needs no database server.
# Production: DATABASE_URL=postgres://user:password@host:5432/name

DATABASE_URL = env_secret("DATABASE_URL", f"sqlite:///{BASE_DIR / 'portal.sqlite3'}")
try:
    DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
except Exception as exc:  # environ raises several types for bad URLs
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores select_for_update; IMMEDIATE transactions serialise writers instead.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Redis ----------------------------------------------------------------------------
# REDIS_URL unset: an in-process cache and a file-system Celery broker (no server needed).
# REDIS_URL set: Redis holds the cache (rate limits, MFA replay markers) and the Celery queue.

REDIS_URL = env_secret("REDIS_URL")
# Without Redis, the queue is a folder and the cache lives in each process: that works only when
# the web server and the worker run on one machine and share that folder. With DEBUG=false a
# system check (notifications.E003) refuses to start without REDIS_URL unless this says so.
SINGLE_MACHINE = env_bool("SINGLE_MACHINE", default=False)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------------

CELERY_DATA_DIR = Path(env_str("CELERY_DATA_DIR", str(BASE_DIR / ".celery")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # Longer than any countdown or eta we use, so a delayed task is not redelivered early.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60),
        # A web request that queues a task does not hang on an unreachable Redis.
        "socket_connect_timeout": 3,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is ./control in whatever folder the worker started.
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
# The beat schedule is reviewed like code. Exactly one beat process runs per deployment
# (docker-compose.yml has one `beat` service; `make run` embeds beat in its single worker).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "expire-invitations": {
        "task": "apps.accounts.tasks.expire_invitations",
        "schedule": timedelta(hours=1),
    },
    "queue-appointment-reminders": {
        "task": "apps.counselling.tasks.queue_appointment_reminders",
        "schedule": timedelta(minutes=5),
    },
    "raise-overdue-session-tasks": {
        "task": "apps.counselling.tasks.raise_overdue_session_tasks",
        "schedule": timedelta(hours=1),
    },
    "fill-scheduled-doses": {
        "task": "apps.dosing.tasks.fill_scheduled_doses",
        "schedule": timedelta(hours=1),
    },
    "purge-idempotency-keys": {
        "task": "apps.api.tasks.purge_idempotency_keys",
        "schedule": timedelta(hours=1),
    },
    "sweep-notification-deliveries": {
        "task": "apps.notifications.tasks.sweep_deliveries",
        "schedule": timedelta(seconds=env_int("NOTIFICATIONS_SWEEP_SECONDS", 60)),
    },
    # Missed-dose escalation (apps/dosing/escalation.py): tier 1 is 2 hours after the due time,
    # so a sweep every 5 minutes is at most 5 minutes late.
    "sweep-dose-escalation": {
        "task": "apps.dosing.escalation_tasks.sweep_escalation",
        "schedule": timedelta(minutes=5),
    },
    # Monitoring during treatment (apps/dosing/monitoring.py): due dates are days, not minutes.
    "sweep-dose-monitoring": {
        "task": "apps.dosing.escalation_tasks.sweep_monitoring",
        "schedule": timedelta(hours=6),
    },
}
# Task modules outside the apps' tasks.py files.
CELERY_IMPORTS = ["apps.dosing.escalation_tasks"]

# --- Authentication -----------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# allauth: e-mail login, verified addresses, no open sign-up (see accounts/adapters.py).
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "apps.accounts.adapters.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/5m/key",  # nosec B105 - a rate, not a password
    "reset_password_from_key": "20/m/ip",  # nosec B105 - a rate, not a password
    "change_password": "5/m/user",  # nosec B105 - a rate, not a password
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The issuer is listed in people's authenticator apps: neutral, like the clinic's name (a system
# check refuses clinical words, core.E001).
MFA_TOTP_ISSUER = env_str("CLINIC_SHORT_NAME", "Clinic portal")
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app",)

# Brute force on every password form, the admin included (allauth's limits answer first on the
# sign-in page; axes locks a username and address pair after repeated failures anywhere).
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "apps.accounts.axes_support.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Trusted reverse proxies in front of the portal: the client address is that many hops from the
# right of X-Forwarded-For. allauth's rate limits, axes and the audit log all read it, so behind the
# documented TLS proxy ten bad sign-ins from one place do not block everyone else.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT
# Lockouts are shown to staff by the portal's own admin page (accounts/admin.py), which audits
# unlocking; axes' own admin pages stay off.
AXES_ENABLE_ADMIN = False

# --- Sessions -----------------------------------------------------------------------------------
# Idle limits per role live in accounts/middleware.py; this is the absolute limit.

SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_IDLE_SECONDS_PATIENT = env_int("SESSION_IDLE_SECONDS_PATIENT", 30 * 60)
SESSION_IDLE_SECONDS_STAFF = env_int("SESSION_IDLE_SECONDS_STAFF", 15 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 7)
# The portal's own rate limits (apps/core/ratelimit.py): scope -> (uses, per seconds).
PORTAL_RATE_LIMITS: dict[str, tuple[int, int]] = {
    # Opening or answering an invitation link, per client address (guessing tokens).
    "invitation_open": (30, 10 * 60),
    # Invitations sent by one clinician or staff member.
    "invitation_send": (40, 60 * 60),
    # Supervisor requests (consents with an invitation) by one patient.
    "consent_request": (10, 24 * 60 * 60),
}

# --- Security -----------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS: list[str] = []
if not SECURE_HSTS_PRELOAD:
    # Preloading is a decision for the domain owner, not the portal: off unless asked for.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ("'self'",),
        "script-src": ("'self'",),
        "style-src": ("'self'",),
        "img-src": ("'self'", "data:"),
        "font-src": ("'self'",),
        "connect-src": ("'self'",),
        "frame-ancestors": ("'none'",),
        "form-action": ("'self'",),
        "base-uri": ("'self'",),
        "object-src": ("'none'",),
    }
}

# --- E-mail -------------------------------------------------------------------------------------
# EMAIL_URL unset: e-mails are printed to the console. smtp://user:pass@host:port, or
# smtp+tls:// / smtp+ssl:// for encrypted connections.

EMAIL_URL = env_secret("EMAIL_URL")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Clinic portal <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_URL:
    _mail = urlparse(EMAIL_URL)
    if _mail.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtp+ssl://")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = _mail.username or ""
    EMAIL_HOST_PASSWORD = _mail.password or ""
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtp+ssl"
    EMAIL_TIMEOUT = int(parse_qs(_mail.query).get("timeout", ["10"])[0])
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Notifications ------------------------------------------------------------------------------
# See docs/notifications.md. Retry back-off doubles from BASE up to MAX (MAX stays below the
# broker's visibility timeout); a delivery that still fails RETRY_FOR seconds after its first
# attempt is marked failed and staff are alerted.

NOTIFICATIONS_RETRY_FOR_SECONDS = env_int("NOTIFICATIONS_RETRY_FOR_SECONDS", 24 * 60 * 60)
# Claims taken back from a worker that died; then the delivery fails (a poison message).
NOTIFICATIONS_MAX_TAKEBACKS = env_int("NOTIFICATIONS_MAX_TAKEBACKS", 3)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env_int("NOTIFICATIONS_RETRY_MAX_SECONDS", 15 * 60)
# The sweep re-queues a due delivery that has waited this long since it was last queued...
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = env_int("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", 5 * 60)
# ...and one claimed by a worker this long ago (longer than the send task's time limit).
NOTIFICATIONS_STALE_CLAIM_SECONDS = env_int("NOTIFICATIONS_STALE_CLAIM_SECONDS", 10 * 60)
NOTIFICATIONS_SWEEP_BATCH = env_int("NOTIFICATIONS_SWEEP_BATCH", 500)
NOTIFICATIONS_SMS_BACKEND = env_str(
    "NOTIFICATIONS_SMS_BACKEND", "apps.notifications.channels.ConsoleSmsBackend"
)
# The operators' health endpoint (/healthz/deliveries/): a bearer token for monitoring (empty:
# staff sessions only) and the limits past which it answers 503.
HEALTH_TOKEN = env_secret("HEALTH_TOKEN")
HEALTH_MAX_WAITING_SECONDS = env_int("HEALTH_MAX_WAITING_SECONDS", 15 * 60)
HEALTH_MAX_FAILED_PER_DAY = env_int("HEALTH_MAX_FAILED_PER_DAY", 0)
HEALTH_MAX_SWEEP_AGE_SECONDS = env_int("HEALTH_MAX_SWEEP_AGE_SECONDS", 5 * 60)

# --- Internationalisation and time --------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")

# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- API ----------------------------------------------------------------------------------------

# Apps sign in through allauth's headless endpoints (/_allauth/app/v1/...) and send the session
# token as X-Session-Token; the web's own pages call the API with the browser session. See
# docs/api.md.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.api_auth.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.PortalPagination",
    "EXCEPTION_HANDLER": "apps.api.errors.api_exception_handler",
    # Per signed-in person, per address for anonymous callers, and a tighter limit on writes.
    # Sign-in itself is limited by allauth (ACCOUNT_RATE_LIMITS) and axes.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
        "apps.api.throttles.WriteRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_RATE_USER", "600/hour"),
        "anon": env_str("API_RATE_ANON", "60/hour"),
        "write": env_str("API_RATE_WRITE", "120/hour"),
    },
    "NUM_PROXIES": env_int("PROXY_COUNT", 0),
}
# Hours a POST's stored answer is kept for replay under its Idempotency-Key (then purged hourly).
IDEMPOTENCY_KEEP_HOURS = env_int("IDEMPOTENCY_KEEP_HOURS", 24)
SPECTACULAR_SETTINGS = {
    "TITLE": "Naltrexone programme portal API",
    "DESCRIPTION": (
        "The portal's API for the clinic's apps. Sign in with POST /_allauth/app/v1/auth/login "
        "(and /_allauth/app/v1/auth/2fa/authenticate for clinicians and staff), then send the "
        "session token as the X-Session-Token header. Errors are JSON: {code, message, fields?}. "
        "Send an Idempotency-Key header with every POST."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema.add_error_responses",
    ],
}

# --- Logging ------------------------------------------------------------------------------------
# Log lines carry ids, never clinical text or names.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Invitation tokens travel in link addresses: no log line keeps them (portal/redaction.py).
    "filters": {"redact_tokens": {"()": "portal.redaction.RedactInvitationTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (console in DEBUG, runserver's request lines, mail to admins)
        # would bypass the filter: everything goes through the filtered console instead.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # axes logs every sign-in at INFO; failures and lockouts stay visible at WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Development and tests serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
AXES_VERBOSE = False
