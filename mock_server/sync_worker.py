"""gunicorn's sync worker with a read timeout on every client socket (``serve --workers``).

gunicorn's ``SyncWorker`` reads a request on a blocking socket with no timeout: a client that stops
half way through its headers or its body holds the worker until the arbiter's worker timeout
(330 s here, above the longest ``hang`` fault) kills it, and two such clients make a two-worker
emulator deaf. This worker puts ``Settings.read_timeout_seconds`` on each accepted socket, as the
threaded server does (``server.EmulatorRequestHandler.timeout``): a stalled body reaches the app
as ``TimeoutError`` and is answered 408 (``request_body.read_body``); stalled headers end the
connection, logged in one line rather than as a server failure with a traceback.
"""

from __future__ import annotations

import logging

from gunicorn.workers.sync import SyncWorker


class StalledClientFilter(logging.Filter):
    """gunicorn logs a socket timeout as "Socket error processing request." with a traceback; a
    client that stalled is the client's doing, so it becomes one warning line."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TimeoutError):
            record.msg, record.args = "closed a connection idle for %.1f s in the middle of a request", (self.seconds,)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def sync_worker_with_read_timeout(seconds: float) -> type[SyncWorker]:
    """A ``SyncWorker`` subclass whose client sockets time out after ``seconds`` without a byte."""

    class ReadTimeoutSyncWorker(SyncWorker):
        read_timeout = seconds

        def init_process(self) -> None:
            self.log.error_log.addFilter(StalledClientFilter(self.read_timeout))
            super().init_process()

        def handle(self, listener, client, addr) -> None:
            client.settimeout(self.read_timeout)
            super().handle(listener, client, addr)

    return ReadTimeoutSyncWorker
