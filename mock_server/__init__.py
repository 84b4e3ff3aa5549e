"""A local, faithful emulator of the Sage Intacct XML Web Services gateway."""

from .app import create_app

__all__ = ["create_app"]
