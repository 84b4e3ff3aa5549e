"""Run the emulator in a background thread on a free loopback port: ``with running_emulator() as emu:``.

Used by the pytest plugin, the scenario runner and anyone's own test harness. The server is the
same one ``intacct-mock serve`` runs (real sockets, so dropped acknowledgements are real).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import requests
from flask import Flask

from ..app import create_app
from ..clock import Clock
from ..config import Settings
from ..server import make_emulator_server
from ..web import emulator_of
from ..admin_client import EmulatorControl

STARTUP_TIMEOUT_SECONDS = 15.0


@dataclass
class RunningEmulator:
    base_url: str
    control: EmulatorControl
    app: Flask

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


@contextmanager
def running_emulator(*, db_path: str = ":memory:", seed: int = 42, clock: Clock | None = None,
                     **settings: Any) -> Iterator[RunningEmulator]:
    """Start an emulator (fault header on by default) and stop it, whatever happens inside."""
    settings.setdefault("fault_header", True)
    app = create_app(Settings.load(env={}, db_path=db_path, seed=seed, **settings), clock=clock)
    server = make_emulator_server(app, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, name="intacct-mock", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    try:
        _wait_healthy(base_url, settings.get("admin_token"))
        yield RunningEmulator(base_url, EmulatorControl(base_url, token=settings.get("admin_token")), app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        emulator_of(app).close()


def _wait_healthy(base_url: str, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while True:
        try:
            if requests.get(base_url + "/_mock/health", headers=headers, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the emulator at {base_url} did not become healthy")
        time.sleep(0.05)
