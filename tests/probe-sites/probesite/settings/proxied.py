# Behind nginx, which terminates TLS, redirects plain HTTP and overwrites
# X-Forwarded-Proto; Django trusts that header and leaves the redirect to nginx.
from .base import *  # noqa: F401,F403

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 3600
MIDDLEWARE = MIDDLEWARE + ["probesite.middleware.ExtraHeadersMiddleware"]  # noqa: F405
EXTRA_HEADERS = {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"}
