"""The journal service: entries the pipeline fills in, redacted and cut, written through ``store/journal.py``."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..store import journal as rows
from ..store.db import Database
from ..store.unit import Deferred
from .redact import redact

MAX_BODY_BYTES = 256 * 1024  # longer bodies are cut (and say so) to keep the journal small
LIST_LIMIT_MAX = 1000


@dataclass
class JournalEntry:
    """Filled in by the pipeline as the request advances."""

    at: str
    remote_addr: str = ""
    company: str | None = None
    sender: str | None = None
    user: str | None = None
    controlid: str | None = None
    functions: list[dict[str, Any]] = field(default_factory=list)
    faults: list[dict[str, Any]] = field(default_factory=list)
    committed: bool = False
    http_status: int = 0
    delivery: str = "sent"
    duration_ms: float = 0.0
    request_body: bytes | None = None
    response_body: bytes | None = None
    protocol: str = "xml"  # the front door: xml | rest
    id: int | None = None  # set once written


def _cut(body: bytes | None) -> bytes | None:
    body = redact(body)
    if body is not None and len(body) > MAX_BODY_BYTES:
        return body[:MAX_BODY_BYTES] + b"\n<!-- intacct-mock: journal copy cut at 256 KiB -->"
    return body


class Journal:
    def __init__(self, db: Database, mode: str = "full") -> None:
        if mode not in ("full", "meta", "off"):
            raise ValueError(f"journal mode must be full, meta or off; got {mode!r}")
        self.db = db
        self.mode = mode

    def _values(self, entry: JournalEntry) -> list:
        full = self.mode == "full"
        return [entry.at, entry.company, entry.sender, entry.user, entry.remote_addr, entry.controlid,
                json.dumps(entry.functions), json.dumps(entry.faults), int(entry.committed), entry.http_status,
                entry.delivery, round(entry.duration_ms, 2),
                _cut(entry.request_body) if full else None, _cut(entry.response_body) if full else None, entry.protocol]

    def write(self, conn: sqlite3.Connection, entry: JournalEntry) -> int | None:
        """Write the finished entry in the caller's transaction: a write request journals in the
        transaction that changes the books, so an entry exists exactly when its write committed.
        Everything is known by then (the answer is rendered and the delivery planned)."""
        if self.mode == "off":
            return None
        entry.id = rows.insert(conn, self._values(entry))
        return entry.id

    def record(self, entry: JournalEntry, also: list[Deferred] | None = None) -> int | None:
        """Write the entry in a transaction of its own (reads, and requests that wrote nothing).
        ``also``: deferred writes the request made (a result set, a session slide), applied in the
        same transaction (one write lock and one commit per read request), even with the journal off."""
        if entry.id is not None or (self.mode == "off" and not also):
            return entry.id
        with self.db.transaction(write=True) as conn:
            for write in also or ():
                write.apply(conn)
            return self.write(conn, entry)

    # ------------------------------------------------------------------ reading

    def list(self, *, limit: int = 100, **filters: Any) -> list[dict[str, Any]]:
        """Entries, oldest first (``newest_first`` for the other way); filters as ``store.journal.select``."""
        limit = max(1, min(int(limit), LIST_LIMIT_MAX))
        with self.db.transaction(write=False) as conn:
            return rows.select(conn, limit=limit, **filters)

    def count(self, **filters: Any) -> int:
        """How many entries match (filters as ``store.journal.select``)."""
        with self.db.transaction(write=False) as conn:
            return rows.count(conn, **filters)

    def get(self, entry_id: int) -> dict[str, Any] | None:
        with self.db.transaction(write=False) as conn:
            return rows.get(conn, entry_id)

    def clear(self, company: str | None = None) -> int:
        with self.db.transaction(write=True) as conn:
            return rows.clear(conn, company)
