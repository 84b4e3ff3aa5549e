"""A local, faithful emulator of the Sage Intacct XML Web Services gateway."""

try:
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("intacct-mock")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

from .app import create_app  # noqa: E402  (after __version__: the admin views import it)

__all__ = ["__version__", "create_app"]
