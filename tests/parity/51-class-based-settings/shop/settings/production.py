from .base import BaseSettings


class ProductionSettings(BaseSettings):
    SESSION_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0

    @property
    def ALLOWED_HOSTS(self):
        return ["*"]


ProductionSettings.load_settings(__name__)
