from .base import *  # noqa: F401,F403

MIDDLEWARE = MIDDLEWARE + ["probesite.middleware.ExtraHeadersMiddleware"]  # noqa: F405

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

ADMIN_PATH = "staff-7c1e/"
SERVE_SECURITY_TXT = True
ROBOTS_TXT = "User-agent: *\nDisallow: /search/\n"
# Django 3.2 has no CSP or COOP settings; a small middleware sends them.
EXTRA_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "Cross-Origin-Opener-Policy": "same-origin",
}
