"""WAL checkpoints off the request path: a background thread copies the WAL into the database.

Why: with SQLite's default, the commit that takes the WAL past 1,000 pages runs the checkpoint
itself, and that checkpoint (page copies, then an fsync with ``synchronous=NORMAL``) costs a few
milliseconds: measured on a 5-line bill create, a median commit of ~40 µs but a p99 of ~3 ms and
a mean of ~100 µs, more than the rest of the statements together. Here request connections only
checkpoint as a backstop (``BACKSTOP_PAGES``), and a thread per process runs a PASSIVE checkpoint
shortly after writes, which never blocks a writer or a reader; several processes on one file each
run one, and a checkpoint another process holds is simply skipped.
"""

from __future__ import annotations

import sqlite3
import threading

INTERVAL_SECONDS = 0.05
BACKSTOP_PAGES = 8000  # a request connection checkpoints itself only if the thread falls this far behind


class Checkpointer:
    def __init__(self, path: str, interval: float = INTERVAL_SECONDS) -> None:
        self.path = path
        self.interval = interval
        self._commits = 0
        self._done = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def note_commit(self) -> None:
        """A write committed: the next round has pages to copy (the thread starts with the first)."""
        self._commits += 1
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stop.is_set():
                    self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=0.1, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(self.interval):
                if self._commits == self._done:
                    continue
                self._done = self._commits
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error:  # busy, or the file went away at shutdown: try again next round
                    pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(5)
