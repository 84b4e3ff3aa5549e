"""Journal rows in SQLite: written after each request, listed with filters, exported by range."""

from __future__ import annotations

import json
import time
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..store.db import Database
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

    _INSERT = ("INSERT INTO journal (at, company_key, senderid, userid, remote_addr, controlid, functions, faults,"
               " committed, http_status, delivery, duration_ms, request_body, response_body)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

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
            entry.id = int(conn.execute(self._INSERT, self._values(entry)).lastrowid)
            return
        delivery, entry.delivery = entry.delivery, "unknown"
        try:
            entry.id = int(conn.execute(self._INSERT, self._values(entry)).lastrowid)
        finally:
            entry.delivery = delivery

    def record(self, entry: JournalEntry, also: list[tuple[str, tuple]] | None = None) -> int | None:
        """Write the entry after the answer is known. ``also``: statements the caller wants in the
        same write transaction (result-set bookkeeping, a session slide): one write lock and one
        commit per read request instead of two. They are applied even when the journal is off."""
        skip = self.mode == "off" or (entry.final and entry.http_status == 200 and entry.delivery == "sent")
        if skip and not also:
            return entry.id
        with self.db.transaction(write=True) as conn:
            for sql, params in also or ():
                conn.execute(sql, params)
            if skip:
                return entry.id
            if entry.id is not None:
                conn.execute(
                    "UPDATE journal SET at = ?, company_key = ?, senderid = ?, userid = ?, remote_addr = ?, controlid = ?,"
                    " functions = ?, faults = ?, committed = ?, http_status = ?, delivery = ?, duration_ms = ?,"
                    " request_body = ?, response_body = ? WHERE id = ?", [*self._values(entry), entry.id])
                return entry.id
            return int(conn.execute(self._INSERT, self._values(entry)).lastrowid)

    # ------------------------------------------------------------------ reading

    @staticmethod
    def _row(row: sqlite3.Row, bodies: bool) -> dict[str, Any]:
        out = {
            "id": row["id"], "at": row["at"], "company": row["company_key"], "sender": row["senderid"],
            "user": row["userid"], "remote_addr": row["remote_addr"], "controlid": row["controlid"],
            "functions": json.loads(row["functions"]), "faults": json.loads(row["faults"]),
            "committed": bool(row["committed"]), "http_status": row["http_status"], "delivery": row["delivery"],
            "acknowledged": row["delivery"] == "sent" and row["http_status"] == 200,
            "duration_ms": row["duration_ms"],
        }
        if bodies:
            for key in ("request_body", "response_body"):
                value = row[key]
                out[key] = value.decode("utf-8", "replace") if value is not None else None
        return out

    def list(self, *, company: str | None = None, function: str | None = None, controlid: str | None = None,
             committed: bool | None = None, delivery: str | None = None, since: str | None = None,
             until: str | None = None, after_id: int | None = None, limit: int = 100,
             bodies: bool = False, unacknowledged: bool = False, newest_first: bool = False) -> list[dict[str, Any]]:
        where, params = ["1=1"], []
        if company:
            where.append("company_key = ?")
            params.append(company.upper())
        if function:
            where.append("EXISTS (SELECT 1 FROM json_each(functions) WHERE json_extract(value, '$.name') = ?)")
            params.append(function)
        if controlid:
            where.append("(controlid = ? OR EXISTS (SELECT 1 FROM json_each(functions)"
                         " WHERE json_extract(value, '$.controlid') = ?))")
            params += [controlid, controlid]
        if committed is not None:
            where.append("committed = ?")
            params.append(int(committed))
        if delivery:
            where.append("delivery = ?")
            params.append(delivery)
        if since:
            where.append("at >= ?")
            params.append(since)
        if until:
            where.append("at < ?")
            params.append(until)
        if after_id is not None:
            where.append("id > ?")
            params.append(after_id)
        if unacknowledged:
            where.append("committed = 1 AND NOT (delivery = 'sent' AND http_status = 200)")
        limit = max(1, min(int(limit), LIST_LIMIT_MAX))
        order = "id DESC" if newest_first else "id"
        with self.db.transaction(write=False) as conn:
            rows = conn.execute(f"SELECT * FROM journal WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?",
                                [*params, limit]).fetchall()
        return [self._row(r, bodies) for r in rows]

    def get(self, entry_id: int) -> dict[str, Any] | None:
        with self.db.transaction(write=False) as conn:
            row = conn.execute("SELECT * FROM journal WHERE id = ?", [entry_id]).fetchone()
        return self._row(row, True) if row else None

    def clear(self, company: str | None = None) -> int:
        with self.db.transaction(write=True) as conn:
            if company is None:
                return conn.execute("DELETE FROM journal").rowcount
            return conn.execute("DELETE FROM journal WHERE company_key = ?", [company.upper()]).rowcount
