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
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

from ..objects.base import ObjectType
from ..objects.registry import all_object_types
from . import upkeep

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS companies (
    company_key TEXT PRIMARY KEY,            -- upper-cased company id
    config      TEXT NOT NULL,               -- CompanyConfig as JSON
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    sessionid   TEXT PRIMARY KEY,
    company_key TEXT NOT NULL,
    userid      TEXT NOT NULL,
    entity      TEXT NOT NULL DEFAULT '',
    senderid    TEXT NOT NULL,
    endpoint    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS controlid_ledger (
    company_key TEXT NOT NULL,
    senderid    TEXT NOT NULL,
    controlid   TEXT NOT NULL,
    function    TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    PRIMARY KEY (company_key, senderid, controlid)
);
CREATE TABLE IF NOT EXISTS result_sets (
    result_id   TEXT PRIMARY KEY,
    company_key TEXT NOT NULL,
    spec        TEXT NOT NULL,               -- JSON: object, fields, where, params, pagesize, style
    last_recordno INTEGER NOT NULL,
    delivered   INTEGER NOT NULL,
    totalcount  INTEGER NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_result_sets_expiry ON result_sets (company_key, expires_at);
CREATE TABLE IF NOT EXISTS company_origins (
    company_key TEXT PRIMARY KEY,            -- how the company was made, so /_mock/reset can remake it
    spec        TEXT NOT NULL                -- JSON: {"demo_seed": n} or {"company": {...}, "records": [...]}
);
CREATE TABLE IF NOT EXISTS journal (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,               -- ISO-8601 UTC, base clock
    company_key TEXT,
    senderid    TEXT,
    userid      TEXT,
    remote_addr TEXT,
    controlid   TEXT,
    functions   TEXT NOT NULL DEFAULT '[]',  -- JSON: name, controlid, object, status, errorno
    faults      TEXT NOT NULL DEFAULT '[]',  -- JSON: the rules that fired
    committed   INTEGER NOT NULL DEFAULT 0,  -- a write of this request is in the books
    http_status INTEGER NOT NULL,
    delivery    TEXT NOT NULL,               -- sent | reset | close | hang | truncate | gateway_error
    duration_ms REAL NOT NULL,
    request_body  BLOB,                      -- redacted
    response_body BLOB                       -- what the emulator produced (redacted), delivered or not
);
CREATE INDEX IF NOT EXISTS ix_journal_company ON journal (company_key, id);
CREATE TABLE IF NOT EXISTS shared_state (     -- small counters every server process must agree on
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS fault_rules (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    company_key TEXT,
    spec        TEXT NOT NULL,               -- the rule as given, re-parsed by each process
    source      TEXT NOT NULL,
    matched     INTEGER NOT NULL DEFAULT 0,
    fired       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS company_clocks (
    company_key TEXT PRIMARY KEY,            -- '*' for every company without its own
    mode        TEXT NOT NULL,               -- frozen | offset
    value       TEXT NOT NULL                -- ISO instant (frozen) or seconds (offset)
);
"""


def q(name: str) -> str:
    """Quote an identifier (field names contain dots: DISPLAYCONTACT.PRINTAS)."""
    return '"' + name.replace('"', '""') + '"'


def object_ddl(obj: ObjectType) -> list[str]:
    cols = [
        "RECORDNO INTEGER PRIMARY KEY AUTOINCREMENT",
        "_COMPANY TEXT NOT NULL",
        "_ENTITY TEXT",
        "_CUSTOM TEXT NOT NULL DEFAULT '{}'",
        upkeep.REV_COLUMN,
    ]
    if obj.line_of:
        cols += ["_PARENT INTEGER NOT NULL", "_LINE INTEGER NOT NULL"]
    cols += [f"{q(f.name)} {f.type.sql_type}" for f in obj.storage_fields]
    table = q(obj.name)
    stmts = [f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"]
    stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_mod')} ON {table} (_COMPANY, WHENMODIFIED)")
    # (_COMPANY) alone, i.e. (_COMPANY, RECORDNO): keyset pages walk it in order instead of sorting the company.
    stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_company')} ON {table} (_COMPANY)")
    if obj.id_field:
        stmts.append(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {q('ux_' + obj.name + '_id')} ON {table} (_COMPANY, {q(obj.id_field)})"
        )
    if obj.number_field:
        # The numbering check asks for (number, party) when numbers are per vendor: both in the index,
        # or SQLite walks every document of that vendor (the whole table in a one-vendor bench).
        party = getattr(obj, "party_field", None) if getattr(obj, "number_per_party", False) else None
        cols = ", ".join(q(c) for c in (obj.number_field, party) if c)
        stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_numparty')} ON {table} (_COMPANY, {cols})")
        stmts.append(f"DROP INDEX IF EXISTS {q('ix_' + obj.name + '_num')}")  # superseded (older databases)
    if obj.line_of:
        stmts.append(f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_parent')} ON {table} (_PARENT, _LINE)")
    for rel in obj.relations.values():
        stmts.append(
            f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_' + rel.local)} ON {table} (_COMPANY, {q(rel.local)})"
        )
    return stmts


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
        from ..query.sql import register_sql_functions  # local: query package is optional at import

        register_sql_functions(conn)
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
        conn.executescript(CORE_SCHEMA + ";" + upkeep.ROW_COUNTS_DDL)
        # One write transaction under the writer lock: processes starting together migrate once.
        with self.transaction(write=True):
            for obj in all_object_types():
                for stmt in object_ddl(obj):
                    conn.execute(stmt)
                    if stmt.startswith("CREATE TABLE"):
                        self._add_missing_columns(conn, obj)
                upkeep.install(conn, obj)

    @staticmethod
    def _add_missing_columns(conn: sqlite3.Connection, obj: ObjectType) -> None:
        """Forward-migrate an older database file: add columns for newly declared fields."""
        have = {row["name"] for row in conn.execute(f"PRAGMA table_info({q(obj.name)})")}
        for f in obj.storage_fields:
            if f.name not in have:
                conn.execute(f"ALTER TABLE {q(obj.name)} ADD COLUMN {q(f.name)} {f.type.sql_type}")
        upkeep.add_rev_column(conn, obj, have)

    @contextmanager
    def transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """One request = one transaction; writers lock first, readers see one snapshot.

        Writers queue on a lock (threads) and an flock on ``<db>.lock`` (processes) before
        ``BEGIN IMMEDIATE``: a waiting writer is woken the moment the lock is free, where SQLite's
        busy handler would sleep 1, 2, 5, 10 ... ms between polls (what kept two gunicorn workers
        queueing in ``make bench``).
        """
        conn = self.connection()
        with self._writer() if write else nullcontext():
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    @contextmanager
    def _writer(self) -> Iterator[None]:
        with self._write_lock:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

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
