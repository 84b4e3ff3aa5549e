"""The emulator's app on a real socket in a background thread: the one harness tests and tools use.

Port 0 by default (the kernel picks a free one, read back here), readiness by polling the health
route with a deadline, never a fixed sleep (pytest-httpserver's ``make_httpserver`` does the same).
It is the server ``intacct-mock serve`` runs, so dropped acknowledgements are real TCP resets.
With an ``ssl_context`` (``intacct_mock.tls.ssl_context``) it serves HTTPS; the readiness poll then
skips certificate checks, since it only asks whether this very thread answers yet.
"""

from __future__ import annotations

import ssl
import threading
import time
import warnings
from typing import Any

import requests
from urllib3.exceptions import InsecureRequestWarning

from ..server import make_emulator_server

STARTUP_TIMEOUT_SECONDS = 15.0


class ServerThread:
    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, *, admin_token: str | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.server = make_emulator_server(app, host, port, quiet=True, ssl_context=ssl_context)
        self.host, self.port = host, self.server.server_port
        self.scheme = "http" if ssl_context is None else "https"
        self.admin_token = admin_token
        self.thread = threading.Thread(target=self.server.serve_forever, name="intacct-mock", daemon=True)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def start(self) -> "ServerThread":
        self.thread.start()
        headers = {"Authorization": f"Bearer {self.admin_token}"} if self.admin_token else {}
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            try:
                if self._healthy(headers):
                    return self
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator at {self.base_url} did not become healthy")
            time.sleep(0.05)

    def _healthy(self, headers: dict[str, str]) -> bool:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureRequestWarning)
            reply = requests.get(self.base_url + "/_mock/health", headers=headers, timeout=2,
                                 verify=self.scheme == "http")
        return reply.status_code == 200

    def stop(self) -> None:
        """Stop serving and close the socket (in-flight requests finish first)."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
