"""Losing an acknowledgement for real, on the socket, after the store committed.

The Flask view hands werkzeug a response body that raises ``AckDropped`` (a ConnectionError)
before writing a byte; werkzeug treats that as a dropped connection and calls the handler's
``connection_dropped``, where ``EmulatorRequestHandler`` (mock_server/server.py) does the damage:
an RST, a silent close, or half a response. ``hang`` blocks inside the body first, bounded, and
ends early when the client gives up.
"""

from __future__ import annotations

import select
import socket
import struct
import time
from dataclasses import dataclass
from typing import Iterator

ENVIRON_KEY = "intacct_mock.delivery"
SOCKET_KEYS = ("werkzeug.socket", "gunicorn.socket")


@dataclass(frozen=True)
class DropPlan:
    variant: str  # reset | close | hang | truncate
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    hang_seconds: float = 0.0


class AckDropped(ConnectionAbortedError):
    """Raised from the response body so the server writes nothing itself."""


def client_gone(sock: socket.socket) -> bool:
    """True once the client closed its side (poll, not select: descriptors may exceed 1024)."""
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN | select.POLLHUP | select.POLLERR)
        events = poller.poll(0)
        if not events:
            return False
        if any(ev & (select.POLLHUP | select.POLLERR) for _, ev in events):
            return True
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def dropping_body(plan: DropPlan, environ: dict) -> Iterator[bytes]:
    """The WSGI body of a dropped acknowledgement: never yields, always raises."""
    environ[ENVIRON_KEY] = plan
    if plan.variant == "hang":
        sock = next((environ[k] for k in SOCKET_KEYS if k in environ), None)
        deadline = time.monotonic() + plan.hang_seconds
        while time.monotonic() < deadline:
            if sock is not None and client_gone(sock):
                break
            time.sleep(min(0.05, max(deadline - time.monotonic(), 0)))
    if "werkzeug.socket" not in environ and "gunicorn.socket" in environ:
        # gunicorn has no hook after a dropped connection: do the damage here, then let it fail to write.
        damage(plan, environ["gunicorn.socket"])
    raise AckDropped(f"acknowledgement dropped ({plan.variant})")
    yield b""  # pragma: no cover - makes this a generator


def damage(plan: DropPlan, sock: socket.socket) -> None:
    """Apply the plan to the client's socket. Never raises: the client may already be gone."""
    try:
        if plan.variant == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            return
        if plan.variant == "truncate":
            head = [f"HTTP/1.1 {plan.status} OK", *(f"{k}: {v}" for k, v in plan.headers),
                    f"Content-Length: {len(plan.body)}", "Connection: close", "", ""]
            sock.sendall("\r\n".join(head).encode("latin-1") + plan.body[: max(len(plan.body) // 2, 1)])
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
    except OSError:
        pass
