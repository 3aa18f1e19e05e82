"""Tiny stand-in for django-environ, enough for the parity projects (same semantics for what they use)."""
import os

NOTSET = object()
TRUE_STRINGS = ("true", "on", "ok", "y", "yes", "1")


class ImproperlyConfigured(Exception):
    pass


class Env:
    def __init__(self, **scheme):
        self.scheme = scheme

    def __call__(self, var, cast=None, default=NOTSET):
        return self.get_value(var, cast, default)

    def str(self, var, default=NOTSET):
        return self.get_value(var, str, default)

    def bool(self, var, default=NOTSET):
        return self.get_value(var, bool, default)

    def int(self, var, default=NOTSET):
        return self.get_value(var, int, default)

    def list(self, var, cast=None, default=NOTSET):
        return self.get_value(var, list, default)

    def get_value(self, var, cast, default):
        info = self.scheme.get(var)
        if isinstance(info, tuple) and len(info) == 2:
            cast = cast or info[0]
            if default is NOTSET:
                default = info[1]
        elif info is not None and cast is None:
            cast = info
        if var not in os.environ:
            if default is NOTSET:
                raise ImproperlyConfigured("Set the %s environment variable" % var)
            return default  # defaults are returned unparsed, as django-environ does
        value = os.environ[var]
        if cast is None or cast is str:
            return value
        if cast is bool:
            return value.lower() in TRUE_STRINGS
        if cast is int:
            return int(value)
        if cast is list:
            return [v for v in value.split(",") if v]
        return cast(value)

    @classmethod
    def read_env(cls, env_file=None):
        if env_file is None:
            return
        try:
            with open(env_file) as fh:
                for line in fh:
                    line = line.strip()
                    if line and not line.startswith("#") and "=" in line:
                        key, value = line.split("=", 1)
                        os.environ.setdefault(key.strip(), value.strip().strip("'\""))
        except OSError:
            pass
