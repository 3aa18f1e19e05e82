"""Settings for a developer's laptop (never deployed: see shop/wsgi.py and the Dockerfile)."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-a-secret")
os.environ.setdefault("PAYMENT_WEBHOOK_SECRET", "local-development-only")

from .base import *  # noqa: E402,F401,F403

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
