"""``intacct-mock serve --workers N``: gunicorn sync workers over one SQLite file (WAL).

The master process does start-up once (schema, demo company, company file, fault file) and then
forks workers that each build the application with ``primary=False``. Everything a tenant owns
lives in the database (books, sessions, control-id ledger, fault rules and counters, company
clocks, journal), so any worker answers any request the same way. Per process: rate/concurrency
limiter windows and the "control id in process" set (see docs/fidelity.md).

Use the threaded server (no ``--workers``) for development and scenarios; use workers for load
tests and shared CI emulators, where one Python process would be the bottleneck.

With ``--tls`` gunicorn serves HTTPS itself (``certfile``/``keyfile``, handshakes in the workers)
and sets ``wsgi.url_scheme`` to https, so getAPISession's endpoint says https as it does threaded.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .config import Settings

if TYPE_CHECKING:
    from .tls import TlsPaths

HANG_HEADROOM_SECONDS = 30  # worker timeout above the longest 'hang' fault (300 s)


def serve_with_workers(settings: Settings, workers: int, *, quiet: bool = False, on_ready=None,
                       tls: "TlsPaths | None" = None) -> None:
    from gunicorn.app.base import BaseApplication

    from .app import create_app
    from .emulator import Emulator
    from .sync_worker import sync_worker_with_read_timeout

    if settings.db_path == ":memory:":
        # Every worker must open the same file; ':memory:' becomes one temporary file for all.
        fd, path = tempfile.mkstemp(prefix="intacct-mock-", suffix=".db")
        os.close(fd)
        atexit.register(lambda: [os.path.exists(p) and os.unlink(p) for p in (path, path + "-wal", path + "-shm", path + ".lock")])
        settings = replace(settings, db_path=path)

    Emulator(settings, primary=True).close()  # schema, seeding, fault file: once, in the master
    worker_settings = replace(settings, faults_file=None, company_file=None)

    class EmulatorApplication(BaseApplication):
        def __init__(self) -> None:
            super().__init__()

        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{settings.host}:{settings.port}",
                "workers": workers,
                "worker_class": sync_worker_with_read_timeout(settings.read_timeout_seconds),
                "timeout": 300 + HANG_HEADROOM_SECONDS,
                "graceful_timeout": 10,
                "accesslog": None if quiet else "-",
                "errorlog": "-",
                "loglevel": "warning" if quiet else "info",
                "proc_name": "intacct-mock",
            }
            if tls is not None:
                options.update(certfile=str(tls.cert), keyfile=str(tls.key))
            if on_ready is not None:
                options["when_ready"] = lambda server: on_ready(server)
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app(worker_settings, primary=False)

    EmulatorApplication().run()
