"""The bundled HTTP server: werkzeug's threaded server with a handler that can drop acknowledgements.

``intacct-mock serve``, the pytest plugin and the test-suite all serve through here, so a
``drop_ack`` fault really resets or closes the client's TCP connection after the commit.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .faults.delivery import ENVIRON_KEY, damage


class EmulatorRequestHandler(WSGIRequestHandler):
    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        plan = environ.get(ENVIRON_KEY) if environ else None
        if plan is not None:
            damage(plan, self.connection)
        self.close_connection = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.quiet:  # type: ignore[attr-defined]
            return
        super().log_request(code, size)


def make_emulator_server(app: Any, host: str, port: int, *, quiet: bool = False) -> BaseWSGIServer:
    server = make_server(host, port, app, threaded=True, request_handler=EmulatorRequestHandler)
    server.quiet = quiet  # type: ignore[attr-defined]
    # Request threads are joined on close, so a graceful stop lets in-flight requests finish.
    server.daemon_threads = False  # type: ignore[attr-defined]
    server.block_on_close = True  # type: ignore[attr-defined]
    return server


def stop_gracefully_on_sigterm(server: BaseWSGIServer) -> None:
    """SIGTERM stops accepting, lets in-flight requests finish (``server_close`` joins them), then exits."""

    def on_term(_signum, _frame) -> None:
        threading.Thread(target=server.shutdown, name="sigterm-shutdown", daemon=True).start()

    signal.signal(signal.SIGTERM, on_term)
