"""The embedded SQLite store: one file, WAL mode, one connection per thread, schema from declarations.

Why WAL + synchronous=NORMAL: a commit costs ~80 µs instead of ~1.4 ms with the rollback journal
(../shared/benchmarking.md) and readers never block the writer. Writers take the lock up front
(``BEGIN IMMEDIATE``) so two requests never deadlock upgrading a read lock. ``:memory:`` is served
by a private temporary file deleted on close, so every thread still shares one database.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import compile, schema, upkeep
from .schema import q  # noqa: F401  (the identifier quoting every store module uses)
from .unit import UnitOfWork

POOL_SIZE = 32  # idle connections kept for reuse by the next request threads


class Database:
    """Owns the file, the schema and per-thread connections."""

    def __init__(self, path: str) -> None:
        self._temp: str | None = None
        if path == ":memory:":
            fd, self._temp = tempfile.mkstemp(prefix="intacct-mock-", suffix=".db")
            os.close(fd)
            atexit.register(self.close)
            path = self._temp
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._lock_fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        self._create_schema()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA mmap_size=1073741824")
        conn.execute("PRAGMA foreign_keys=ON")
        compile.register_sql_functions(conn)
        with self._lock:
            self._all.append(conn)
        return conn

    def connection(self) -> sqlite3.Connection:
        """This thread's connection: borrowed from the idle pool, or opened, and kept until ``release``."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = self._open()
            self._local.conn = conn
        return conn

    def release(self) -> None:
        """Give this thread's connection back to the pool.

        The threaded server runs each request on a new thread; without this, every request
        would leave an open connection (and its file descriptors) behind.
        """
        conn = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        with self._lock:
            if len(self._idle) < POOL_SIZE:
                self._idle.append(conn)
                return
            self._all.remove(conn)
        conn.close()

    def _create_schema(self) -> None:
        conn = self.connection()
        conn.executescript(schema.CORE_SCHEMA + ";" + upkeep.ROW_COUNTS_DDL)
        # One write transaction under the writer lock: processes starting together migrate once.
        with self.transaction(write=True) as conn:
            schema.create(conn)

    @contextmanager
    def transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """A transaction on this thread's connection: committed when the block ends, rolled back
        when it raises. Requests use ``unit`` instead, which defers writes and savepoints."""
        conn = self.connection()
        self.begin(conn, write)
        try:
            yield conn
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            finally:
                self.end(write)
            raise
        try:
            conn.execute("COMMIT")
        finally:
            self.end(write)

    def unit(self, write: bool) -> UnitOfWork:
        """Begin one request's unit of work (see ``unit.py``)."""
        return UnitOfWork(self, write).begin()

    def begin(self, conn: sqlite3.Connection, write: bool) -> None:
        """``BEGIN IMMEDIATE`` for writers, after queueing on a lock (threads) and an flock on
        ``<db>.lock`` (processes): a waiting writer is woken the moment the lock is free, where
        SQLite's busy handler would sleep 1, 2, 5, 10 ... ms between polls (what kept two gunicorn
        workers queueing in ``make bench``). Readers ``BEGIN`` one snapshot."""
        if not write:
            conn.execute("BEGIN")
            return
        self._write_lock.acquire()
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
                raise
        except BaseException:
            self._write_lock.release()
            raise

    def end(self, write: bool) -> None:
        """After COMMIT or ROLLBACK: give the writer lock back."""
        if write:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._write_lock.release()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
            self._idle.clear()
        self._local = threading.local()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        if self._temp:
            for suffix in ("", "-wal", "-shm", ".lock"):
                try:
                    os.unlink(self._temp + suffix)
                except FileNotFoundError:
                    pass
            self._temp = None
