"""Tiny stand-in for python-decouple (environment only), same semantics for what the parity projects use."""
import os


class UndefinedValueError(Exception):
    pass


class Undefined:
    pass


undefined = Undefined()
BOOLEANS = {"1": True, "yes": True, "true": True, "on": True, "0": False, "no": False, "false": False, "off": False, "": False}


def _cast_boolean(value):
    value = str(value).lower()
    if value not in BOOLEANS:
        raise ValueError("Not a boolean: %s" % value)
    return BOOLEANS[value]


def config(option, default=undefined, cast=undefined):
    value = os.environ[option] if option in os.environ else default
    if isinstance(value, Undefined):
        raise UndefinedValueError("%s not found. Declare it as envvar or define a default value." % option)
    if isinstance(cast, Undefined):
        return value
    if cast is bool:
        cast = _cast_boolean
    return cast(value)  # decouple casts defaults too


class Csv:
    def __init__(self, cast=str, delimiter=","):
        self.cast = cast
        self.delimiter = delimiter

    def __call__(self, value):
        if value is None:
            return []
        return [self.cast(part.strip()) for part in str(value).split(self.delimiter) if part.strip()]
