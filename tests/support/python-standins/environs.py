"""Tiny stand-in for environs (environment only)."""
import os

_TRUE = ("t", "true", "on", "y", "yes", "1")
_FALSE = ("f", "false", "off", "n", "no", "0", "")


class Env:
    def read_env(self, path=None):
        return None

    def __call__(self, name, default=None):
        return os.environ.get(name, default)

    def str(self, name, default=None):
        return os.environ.get(name, default)

    def bool(self, name, default=None):
        if name not in os.environ:
            return default
        value = os.environ[name].lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ValueError(value)

    def list(self, name, default=None):
        if name not in os.environ:
            return default
        return [v.strip() for v in os.environ[name].split(",") if v.strip()]
