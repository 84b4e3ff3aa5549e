"""The bundled HTTP server: werkzeug's threaded server with a handler that can drop acknowledgements.

``intacct-mock serve``, the pytest plugin and the test-suite all serve through here, so a
``drop_ack`` fault really resets or closes the client's TCP connection after the commit. Every
socket read waits at most ``Settings.read_timeout_seconds``, so a client that stalls mid-request
costs a thread for that long, not for ever. (werkzeug closes every connection after one answer:
there is no keep-alive to keep open, and a pipelined second request is read and dropped.)

With an ``ssl_context`` it serves HTTPS (``serve --tls``). The TLS handshake runs in the request's
own thread, not in ``accept()`` as werkzeug would do it, so one client that connects and says
nothing cannot stall every other client.
"""

from __future__ import annotations

import signal
import socket
import ssl
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .config import Settings
from .faults.delivery import ENVIRON_KEY, damage
from .web import emulator_of

HANDSHAKE_TIMEOUT_SECONDS = 10.0
# OpenSSL reasons that mean the client is misconfigured, and what to tell whoever reads the log.
HANDSHAKE_HINTS = (
    ("UNKNOWN_CA", "the client does not trust the emulator's CA; see the trust lines printed at start"),
    ("CERTIFICATE_UNKNOWN", "the client does not trust the emulator's CA; see the trust lines printed at start"),
    ("BAD_CERTIFICATE", "the client rejected the certificate; does it trust the emulator's CA?"),
    ("HTTP_REQUEST", "the client spoke plain http to an https port; it was told to use https"),
    ("WRONG_VERSION_NUMBER", "the client did not speak TLS"),
)


class EmulatorRequestHandler(WSGIRequestHandler):
    @property
    def timeout(self) -> float | None:  # type: ignore[override]
        """Seconds a read (or write) on the client's socket may wait; ``StreamRequestHandler.setup``
        applies it. Without it a client that declares more body than it sends, or stops half way
        through its headers or its chunks, holds the request thread forever and a graceful stop
        (which joins request threads) never ends. On expiry: stalled headers close the connection
        (``handle_one_request``), a stalled body is answered 408 (``request_body.read_body``)."""
        return self.server.read_timeout  # type: ignore[attr-defined]

    def make_environ(self) -> dict[str, Any]:
        """Two different Content-Lengths leave the body's end unknown (RFC 9112 section 6.3): werkzeug
        would keep the last one and wait for bytes that never come. Both values go to the app, which
        refuses the request (``request_body.declared_length``: 400), as gunicorn's parser does."""
        environ = super().make_environ()
        lengths = {v.strip() for v in self.headers.get_all("Content-Length") or ()}
        if len(lengths) > 1:
            environ["CONTENT_LENGTH"] = ", ".join(sorted(lengths))
        return environ

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        plan = environ.get(ENVIRON_KEY) if environ else None
        if plan is not None:
            damage(plan, self.connection)
        self.close_connection = True

    def handle(self) -> None:
        if isinstance(self.connection, ssl.SSLSocket) and not self._handshake():
            self.close_connection = True
            return
        super().handle()

    def _handshake(self) -> bool:
        """Finish the TLS handshake within a deadline; a failure is logged with a hint, never raised."""
        connection = self.connection
        previous = connection.gettimeout()
        try:
            connection.settimeout(HANDSHAKE_TIMEOUT_SECONDS)
            connection.do_handshake()
        except (OSError, ValueError) as exc:  # ssl.SSLError and timeouts are OSErrors
            reason = str(getattr(exc, "reason", "") or exc)
            hint = next((text for key, text in HANDSHAKE_HINTS if key in reason.upper()), "")
            self.log("warning", "TLS handshake failed: %s%s", reason, f": {hint}" if hint else "")
            if "HTTP_REQUEST" in reason.upper():
                self._refuse_plain_http()
            return False
        finally:
            try:
                connection.settimeout(previous)
            except OSError:
                pass
        return True

    def _refuse_plain_http(self) -> None:
        """Answer a plain-http request in plain http (as nginx does), so curl shows why, not an empty reply."""
        text = b"This port speaks https: call the same URL with https:// (intacct-mock serve --tls).\n"
        head = (f"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: {len(text)}\r\n"
                "Connection: close\r\n\r\n").encode("ascii")
        try:
            socket.socket.sendall(self.connection, head + text)  # under the TLS layer, which never started
        except OSError:
            pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.quiet:  # type: ignore[attr-defined]
            return
        super().log_request(code, size)


def make_emulator_server(app: Any, host: str, port: int, *, quiet: bool = False,
                         ssl_context: ssl.SSLContext | None = None, read_timeout: float | None = None) -> BaseWSGIServer:
    """``read_timeout`` defaults to the app's ``Settings.read_timeout_seconds``."""
    server = make_server(host, port, app, threaded=True, request_handler=EmulatorRequestHandler)
    if ssl_context is not None:
        # What werkzeug does with ssl_context=, but with the handshake left to the request thread.
        server.socket = ssl_context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        server.ssl_context = ssl_context  # werkzeug reads it: wsgi.url_scheme is then "https"
    server.quiet = quiet  # type: ignore[attr-defined]
    server.read_timeout = read_timeout if read_timeout is not None else _read_timeout_of(app)  # type: ignore[attr-defined]
    # Request threads are joined on close, so a graceful stop lets in-flight requests finish.
    server.daemon_threads = False  # type: ignore[attr-defined]
    server.block_on_close = True  # type: ignore[attr-defined]
    return server


def _read_timeout_of(app: Any) -> float:
    try:
        return float(emulator_of(app).settings.read_timeout_seconds)
    except (AttributeError, KeyError):  # not an emulator app (a wrapped or foreign WSGI app)
        return Settings.read_timeout_seconds


def stop_gracefully_on_sigterm(server: BaseWSGIServer) -> None:
    """SIGTERM stops accepting, lets in-flight requests finish (``server_close`` joins them), then exits."""

    def on_term(_signum, _frame) -> None:
        threading.Thread(target=server.shutdown, name="sigterm-shutdown", daemon=True).start()

    signal.signal(signal.SIGTERM, on_term)
