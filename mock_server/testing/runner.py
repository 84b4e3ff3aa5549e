"""Run the emulator in a background thread on a free loopback port: ``with running_emulator() as emu:``.

Used by the pytest plugin, the scenario runner and anyone's own test harness. The server is the
same one ``intacct-mock serve`` runs (real sockets, so dropped acknowledgements are real).
``running_emulator(tls_dir=...)`` serves HTTPS with the CA and certificate ``serve --tls`` keeps
there (made on first use); ``emu.ca_file`` is what the client under test must trust.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from flask import Flask

from ..app import create_app
from ..clock import Clock
from ..admin_client import EmulatorControl
from ..config import Settings
from ..web import emulator_of
from .server_thread import ServerThread


@dataclass
class RunningEmulator:
    base_url: str
    control: EmulatorControl
    app: Flask | None  # None: an emulator running elsewhere (``connect``)
    ca_file: str | None = None  # with tls_dir: the CA that signed the server certificate

    @property
    def url(self) -> str:
        """The gateway endpoint to give an Intacct client."""
        return self.control.gateway_url

    # The admin handle's most used calls, one attribute away.
    def add_fault(self, rule: dict) -> dict:
        return self.control.add_fault(rule)

    def journal(self, **filters: Any) -> list[dict]:
        return self.control.journal(**filters)

    def books(self, company: str, obj: str | None = None, **filters: Any) -> Any:
        return self.control.books(company, obj, **filters)

    def reset(self, company: str | None = None) -> dict:
        return self.control.reset(company)


def connect(base_url: str, *, token: str | None = None) -> RunningEmulator:
    """A handle on an emulator that is already running (a shared one in CI), checked to answer."""
    base_url = base_url.rstrip("/")
    for suffix in ("/ia/xml/xmlgw.phtml", "/_mock"):
        if base_url.endswith(suffix):
            base_url = base_url[: -len(suffix)]
    control = EmulatorControl(base_url, token=token)
    control.health()
    return RunningEmulator(base_url, control, None)


@contextmanager
def running_emulator(*, db_path: str = ":memory:", seed: int = 42, clock: Clock | None = None,
                     tls_dir: str | Path | None = None, **settings: Any) -> Iterator[RunningEmulator]:
    """Start an emulator (fault header on by default) and stop it, whatever happens inside."""
    settings.setdefault("fault_header", True)
    context, ca_file = None, None
    if tls_dir is not None:
        from ..tls import ensure_certificates, ssl_context

        paths = ensure_certificates(tls_dir)
        context, ca_file = ssl_context(paths), str(paths.ca_cert)
    app = create_app(Settings.load(env={}, db_path=db_path, seed=seed, **settings), clock=clock)
    token = settings.get("admin_token")
    try:
        with ServerThread(app, admin_token=token, ssl_context=context) as served:
            control = EmulatorControl(served.base_url, token=token, verify=ca_file or True)
            yield RunningEmulator(served.base_url, control, app, ca_file)
    finally:
        emulator_of(app).close()
