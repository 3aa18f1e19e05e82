from shop.classsettings import Settings


class BaseSettings(Settings):
    SECRET_KEY = "q7$Wm2!vXz9#Lp4@Rt8^Ks1&Bn6*Hd3(Fj0)Gc5-Ye+Ua=Ti~Oe"
    DEBUG = False
    DOMAIN = "shop.example.com"
    SHOW_TOOLBAR = False
    INSTALLED_APPS = [
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
    ]
    ROOT_URLCONF = "shop.urls"
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

    @property
    def ALLOWED_HOSTS(self):
        return [self.DOMAIN]

    @property
    def MIDDLEWARE(self):
        middleware = [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ]
        if self.SHOW_TOOLBAR:
            middleware.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
        return middleware
