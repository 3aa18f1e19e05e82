"""Settings shared by every environment of the shop."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = "django-insecure-7h1s-k3y-w4s-c0mm1tt3d-by-m1st4k3-0nce"  # expect: DJANGO-CONFIG-001

DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"  # expect: DJANGO-DEPLOY-002

ALLOWED_HOSTS = ["*"]  # expect: DJANGO-HOST-001

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "corsheaders",
    "catalog",
    "orders",
    "accounts",
    "api",
]

MIDDLEWARE = [  # expect: DJANGO-HEADERS-001, DJANGO-CSP-001
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # expect: DJANGO-CORS-001
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "shop.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "shop.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "postgres",  # expect: DJANGO-DB-001
        "PASSWORD": "shop-db-pass-2021",  # expect: DJANGO-SECRET-002
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "PORT": "5432",
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",  # expect: DJANGO-AUTH-001
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = []  # expect: DJANGO-AUTH-001

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "staticfiles" / "uploads"  # expect: DJANGO-PATH-001

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_HOST = "smtp.example.com"
EMAIL_HOST_USER = "shop@example.com"
EMAIL_HOST_PASSWORD = "smtp-Pa55word-for-shop"  # expect: DJANGO-SECRET-002

REST_FRAMEWORK = {  # expect: DJANGO-API-001
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",  # expect: DJANGO-API-001
    ],
}

CORS_ALLOW_ALL_ORIGINS = True  # expect: DJANGO-CORS-001
CORS_ALLOW_CREDENTIALS = True
