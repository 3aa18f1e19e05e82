# What `startproject` gives, with DEBUG off and the one host it is served on.
from .base import *  # noqa: F401,F403
