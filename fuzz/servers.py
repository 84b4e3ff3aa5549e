"""Emulators for the wire slice to play against: the threaded server in this process, or
``intacct-mock serve --workers N`` (gunicorn) in a child process, each on a free loopback port
with its own database and a short read timeout, so stalled exchanges cost a second, not twenty.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .wire import HEALTH_PATH, Target, healthy

if TYPE_CHECKING:  # pragma: no cover
    from intacct_mock.testing.server_thread import ServerThread

READ_TIMEOUT_SECONDS = 1.0
STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def threaded_emulator(read_timeout: float = READ_TIMEOUT_SECONDS) -> Iterator[tuple[Target, ServerThread]]:
    """The server ``intacct-mock serve`` runs, on a thread; yields the target and the ``ServerThread``
    (its ``stop`` joins every request thread, so timing it shows whether one hangs)."""
    from intacct_mock.app import create_app
    from intacct_mock.config import Settings
    from intacct_mock.testing.server_thread import ServerThread

    with tempfile.TemporaryDirectory(prefix="intacct-mock-wire-") as tmp:
        app = create_app(Settings.load(env={}, db_path=str(Path(tmp) / "wire.db"), journal="off", seed=5,
                                       read_timeout_seconds=read_timeout))
        server = ServerThread(app).start()
        try:
            yield Target(server.host, server.port, read_timeout), server
        finally:
            if server.thread.is_alive():
                server.stop()


def _answers(target: Target) -> bool:
    try:
        return healthy(target) is None
    except OSError:  # not listening yet
        return False


@contextmanager
def gunicorn_emulator(workers: int = 2, read_timeout: float = READ_TIMEOUT_SECONDS,
                      log: Path | None = None) -> Iterator[Target]:
    """``intacct-mock serve --workers N`` in a child process (its log to ``log``, never to a pipe
    nobody reads: a full pipe would block the server)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="intacct-mock-wire-") as tmp:
        log_path = log or Path(tmp) / "serve.log"
        with open(log_path, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "intacct_mock", "serve", "--workers", str(workers), "--port", str(port),
                 "--db", str(Path(tmp) / "wire.db"), "--quiet", "--journal", "off"],
                stdout=out, stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", "MOCK_INTACCT_READ_TIMEOUT_SECONDS": str(read_timeout)})
        target = Target("127.0.0.1", port, read_timeout)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(target):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"intacct-mock serve --workers {workers} did not answer {HEALTH_PATH}:\n"
                                       + log_path.read_text()[-2000:])
                time.sleep(0.1)
            yield target
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            logging.getLogger(__name__).debug("gunicorn log: %s", log_path)
