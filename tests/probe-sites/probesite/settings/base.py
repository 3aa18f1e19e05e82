# Shared by every configuration; each settings module below changes only what
# its configuration is about.
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "probe-test-site-only-7c1e0d9f4b2a8e6d3c5b1a9f8e7d6c5b4a3f2e1d0c9b8a7"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "probesite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "probesite.urls"
WSGI_APPLICATION = "probesite.wsgi.application"

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
            ],
        },
    },
]

# No database: the pages the probe visits never query one.
DATABASES = {}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

USE_TZ = True
STATIC_URL = "/static/"

# Test switches read by urls.py and middleware.py.
ADMIN_PATH = "admin/"
SERVE_SECURITY_TXT = False
ROBOTS_TXT = None
EXTRA_HEADERS = {}
