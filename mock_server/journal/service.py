"""The journal service: entries the pipeline fills in, redacted and cut, written through ``store/journal.py``."""

from __future__ import annotations

import json
import sqlite3
import time
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
    id: int | None = None  # set when the entry was begun inside the request's own transaction
    started: float = 0.0  # time.perf_counter() when the request arrived
    final: bool = False  # begun as final (meta mode, nothing to add after the answer): no second write


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
                _cut(entry.request_body) if full else None, _cut(entry.response_body) if full else None]

    def begin(self, conn: sqlite3.Connection, entry: JournalEntry, *, answer_planned: bool = False) -> None:
        """Write the entry inside the request's transaction.

        In ``full`` mode it is provisional (delivery 'unknown' until ``record`` adds the answer), so a
        crash between commit and answer leaves a truthful entry. In ``meta`` mode with a normal answer
        planned (no lost-acknowledgement fault) there is nothing more to learn: the entry is written
        final (HTTP 200, sent) and ``record`` skips the second write transaction.
        """
        if self.mode == "off":
            return
        if self.mode == "meta" and answer_planned:
            entry.http_status, entry.delivery, entry.final = 200, "sent", True
            if entry.started:
                entry.duration_ms = (time.perf_counter() - entry.started) * 1000  # up to the commit
            entry.id = rows.insert(conn, self._values(entry))
            return
        delivery, entry.delivery = entry.delivery, "unknown"
        try:
            entry.id = rows.insert(conn, self._values(entry))
        finally:
            entry.delivery = delivery

    def record(self, entry: JournalEntry, also: list[Deferred] | None = None) -> int | None:
        """Write the entry after the answer is known. ``also``: deferred writes the caller wants in the
        same write transaction (result-set bookkeeping, a session slide): one write lock and one
        commit per read request instead of two. They are applied even when the journal is off."""
        skip = self.mode == "off" or (entry.final and entry.http_status == 200 and entry.delivery == "sent")
        if skip and not also:
            return entry.id
        with self.db.transaction(write=True) as conn:
            for write in also or ():
                write.apply(conn)
            if skip:
                return entry.id
            if entry.id is not None:
                rows.update(conn, entry.id, self._values(entry))
                return entry.id
            return rows.insert(conn, self._values(entry))

    # ------------------------------------------------------------------ reading

    def list(self, *, limit: int = 100, **filters: Any) -> list[dict[str, Any]]:
        """Entries, oldest first (``newest_first`` for the other way); filters as ``store.journal.select``."""
        limit = max(1, min(int(limit), LIST_LIMIT_MAX))
        with self.db.transaction(write=False) as conn:
            return rows.select(conn, limit=limit, **filters)

    def get(self, entry_id: int) -> dict[str, Any] | None:
        with self.db.transaction(write=False) as conn:
            return rows.get(conn, entry_id)

    def clear(self, company: str | None = None) -> int:
        with self.db.transaction(write=True) as conn:
            return rows.clear(conn, company)
