"""Production settings: what the shop runs with behind the load balancer."""
from .base import *  # noqa: F401,F403

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # expect: DJANGO-PROXY-001
SECURE_SSL_REDIRECT = False  # expect: DJANGO-HTTPS-001

SESSION_COOKIE_HTTPONLY = False  # expect: DJANGO-SESS-001
CSRF_TRUSTED_ORIGINS = ["https://shop.example.com"]
