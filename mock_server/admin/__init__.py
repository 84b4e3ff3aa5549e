"""The admin API under ``/_mock`` (JSON): companies, faults, journal, clock, reset, OpenAPI."""

from . import companies, faults, journal, views  # noqa: F401  (modules register their routes)
from .blueprint import bp

__all__ = ["bp"]
