"""Export runs with per-document state in SQLite: a crash or Ctrl-C loses nothing, a re-run never double-posts.

States, as the products that export to Intacct show them::

    ready -> in_progress -> exported        (with the Intacct RECORDNO)
                         -> failed          (Intacct's error and correction text; fix and re-run)
                         -> needs_attention (the outcome stayed unknown after the retry budget)

A document is marked ``in_progress`` (and committed) before its request leaves. A run that
finds a document still ``in_progress`` knows a previous run died with that request in flight, so
it looks the document up in Intacct first and only sends it if it is not there.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from .documents import (
    Bill,
    CreditNote,
    Invoice,
    Payment,
    bill_from_dict,
    credit_note_from_dict,
    invoice_from_dict,
    payment_from_dict,
    to_dict,
)
from .errors import (
    AlreadyRecorded,
    AuthenticationFailed,
    ConcurrencyLimited,
    ErrorDetail,
    FunctionFailed,
    IntacctError,
    OutcomeUnknown,
    PeriodClosed,
    RateLimited,
    RequestRejected,
    TransientServerError,
)
from .operations import Operations, Posted

STATES = ("ready", "in_progress", "exported", "failed", "needs_attention")
KINDS = {
    "bill": (bill_from_dict, lambda d: f"bill:{d.vendor_id}:{d.number}"),
    "invoice": (invoice_from_dict, lambda d: f"invoice:{d.customer_id}:{d.number}"),
    "credit_note": (credit_note_from_dict, lambda d: f"credit_note:{d.vendor_id}:{d.number}"),
    "payment": (payment_from_dict, lambda d: f"payment:{d.customer_id}:{d.reference}"),
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    state      TEXT NOT NULL,
    recordno   TEXT,
    how        TEXT,
    errorno    TEXT,
    error      TEXT,
    correction TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    seq        INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0,  -- regenerated on purpose this many times (a new control id)
    posted_on  TEXT                         -- the GL posting date chosen by the closed-period policy
);
"""
ADDED_COLUMNS = {"generation": "INTEGER NOT NULL DEFAULT 0", "posted_on": "TEXT"}  # stores made before them


class RunStopped(Exception):
    """The run stopped before the end (credentials, or Intacct unavailable); documents left are still ready."""

    def __init__(self, reason: IntacctError) -> None:
        super().__init__(f"export stopped: {reason.summary()}")
        self.reason = reason


@dataclass
class DocumentState:
    key: str
    kind: str
    state: str
    recordno: str | None
    how: str | None
    errorno: str | None
    error: str | None
    correction: str | None
    attempts: int
    generation: int = 0
    posted_on: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ExportStore:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)  # one user at a time
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(SCHEMA)
        have = {r["name"] for r in self.conn.execute("PRAGMA table_info(documents)")}
        for name, decl in ADDED_COLUMNS.items():
            if name not in have:
                self.conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {decl}")

    def close(self) -> None:
        self.conn.close()

    def add(self, kind: str, payload: dict[str, Any]) -> str:
        """Queue a document. One already known keeps its state once it may be in Intacct (exported,
        in progress, needs attention: re-importing a file is harmless); one that is ready or failed,
        so certainly not committed, takes the payload given now: the corrected document is the one
        sent on the next run, never the stale one."""
        parse, key_of = KINDS[kind]
        doc = parse(payload)
        key = key_of(doc)
        seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents").fetchone()[0]
        self.conn.execute(
            "INSERT INTO documents (key, kind, payload, state, seq, updated_at) VALUES (?, ?, ?, 'ready', ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET payload = excluded.payload, state = 'ready', errorno = NULL,"
            " error = NULL, correction = NULL, updated_at = excluded.updated_at"
            " WHERE documents.state IN ('ready', 'failed')", [key, kind, json.dumps(to_dict(doc)), seq, _now()])
        return key

    def set(self, key: str, state: str, **values: Any) -> None:
        assert state in STATES
        cols = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(f"UPDATE documents SET state = ?, updated_at = ?{', ' + cols if cols else ''} WHERE key = ?",
                          [state, _now(), *values.values(), key])

    def pending(self, retry_failed: bool = False) -> list[sqlite3.Row]:
        states = ("in_progress", "ready", "failed", "needs_attention") if retry_failed else ("in_progress", "ready")
        marks = ", ".join("?" * len(states))
        return self.conn.execute(f"SELECT * FROM documents WHERE state IN ({marks}) ORDER BY seq", states).fetchall()

    @staticmethod
    def _state(r: sqlite3.Row) -> DocumentState:
        return DocumentState(r["key"], r["kind"], r["state"], r["recordno"], r["how"], r["errorno"], r["error"],
                             r["correction"], r["attempts"], r["generation"], r["posted_on"])

    def documents(self) -> list[DocumentState]:
        return [self._state(r) for r in self.conn.execute("SELECT * FROM documents ORDER BY seq")]

    def get(self, key: str) -> DocumentState | None:
        row = self.conn.execute("SELECT * FROM documents WHERE key = ?", [key]).fetchone()
        return self._state(row) if row else None

    def row(self, key: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM documents WHERE key = ?", [key]).fetchone()

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATES}
        for r in self.conn.execute("SELECT state, COUNT(*) AS n FROM documents GROUP BY state"):
            out[r["state"]] = r["n"]
        return out


CLOSED_PERIOD_POLICIES = ("refuse", "next_open")
NEXT_OPEN_LIMIT = 12  # months tried before the document is left failed


class Exporter:
    """``closed_period``: ``refuse`` (the document fails with Intacct's error) or ``next_open``
    (post it on the first day of the next month Intacct accepts, as some products do; the date
    chosen is recorded as ``posted_on``)."""

    def __init__(self, ops: Operations, store: ExportStore,
                 on_document: Callable[[DocumentState], None] | None = None, *, closed_period: str = "refuse") -> None:
        if closed_period not in CLOSED_PERIOD_POLICIES:
            raise ValueError(f"closed_period must be one of {', '.join(CLOSED_PERIOD_POLICIES)}")
        self.ops = ops
        self.store = store
        self.on_document = on_document
        self.closed_period = closed_period

    def regenerate(self, key: str) -> None:
        """Queue an exported document again on purpose, because it was deleted in Intacct. Refused
        while Intacct still has it: that would be the duplicate this client exists to prevent."""
        row = self.store.row(key)
        if row is None or row["state"] != "exported":
            raise ValueError(f"{key}: only an exported document can be regenerated")
        doc = KINDS[row["kind"]][0](json.loads(row["payload"]))
        found = self._lookup(row["kind"], doc)
        if found is not None:
            raise ValueError(f"{key} is still in Intacct (RECORDNO {found['RECORDNO']}): delete it there first")
        self.store.set(key, "ready", recordno=None, how=None, generation=row["generation"] + 1)

    def load(self, kind: str, documents: Iterable[dict[str, Any]]) -> list[str]:
        return [self.store.add(kind, d) for d in documents]

    def _lookup(self, kind: str, doc) -> dict | None:
        if kind == "bill":
            return self.ops.find_bill(doc.vendor_id, doc.number)
        if kind == "invoice":
            return self.ops.find_invoice(doc.customer_id, doc.number)
        if kind == "credit_note":
            return self.ops.find_credit_note(doc.vendor_id, doc.number)
        return self.ops.find_payment(doc.customer_id, doc.reference)

    def _send(self, kind: str, doc: Bill | Invoice | CreditNote | Payment, generation: int = 0) -> Posted:
        if kind == "bill":
            return self.ops.export_bill(doc, generation)  # type: ignore[arg-type]
        if kind == "invoice":
            return self.ops.export_invoice(doc, generation)  # type: ignore[arg-type]
        if kind == "credit_note":
            return self.ops.export_credit_note(doc, generation)  # type: ignore[arg-type]
        return self.ops.record_payment(doc, generation)  # type: ignore[arg-type]

    def _send_with_policy(self, key: str, kind: str, doc, generation: int) -> Posted:
        """Send; under ``next_open``, a closed period moves the GL posting date a month on, up to a year."""
        for _ in range(NEXT_OPEN_LIMIT + 1):
            try:
                return self._send(kind, doc, generation)
            except PeriodClosed:
                if self.closed_period != "next_open" or kind not in ("bill", "invoice"):
                    raise
                start = doc.gl_posting_date or doc.date
                doc.gl_posting_date = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
                self.store.set(key, "in_progress", posted_on=doc.gl_posting_date.isoformat(),
                               payload=json.dumps(to_dict(doc)))
        raise PeriodClosed(details=[ErrorDetail(description2=f"no open period within {NEXT_OPEN_LIMIT} months")])

    def run(self, *, retry_failed: bool = False) -> dict[str, int]:
        """Export everything pending; returns the state counts. Raises RunStopped on credentials/outage."""
        for row in self.store.pending(retry_failed):
            key, kind = row["key"], row["kind"]
            doc = KINDS[kind][0](json.loads(row["payload"]))
            attempts = row["attempts"] + 1
            try:
                if row["state"] == "in_progress":  # a previous run died with this request in flight
                    found = self._lookup(kind, doc)
                    if found is not None:
                        self.store.set(key, "exported", recordno=str(found["RECORDNO"]), how="reconciled",
                                       attempts=attempts, errorno=None, error=None, correction=None)
                        self._report(key)
                        continue
                self.store.set(key, "in_progress", attempts=attempts)
                posted = self._send_with_policy(key, kind, doc, row["generation"])
                self.store.set(key, "exported", recordno=posted.recordno, how=posted.how, errorno=None, error=None,
                               correction=None)
            except (OutcomeUnknown, AlreadyRecorded) as err:
                self.store.set(key, "needs_attention", errorno=err.errorno or type(err).__name__, error=str(err),
                               correction="Check Intacct for this document before exporting it again.")
            except (AuthenticationFailed, TransientServerError, RateLimited, ConcurrencyLimited, RequestRejected) as err:
                self.store.set(key, "ready", errorno=err.errorno or type(err).__name__, error=str(err),
                               correction=err.correction)
                self._report(key)
                raise RunStopped(err) from None
            except FunctionFailed as err:
                self.store.set(key, "failed", errorno=err.errorno, error=err.description2 or str(err),
                               correction=err.correction)
            self._report(key)
        return self.store.counts()

    def _report(self, key: str) -> None:
        if self.on_document is not None:
            state = self.store.get(key)
            if state is not None:
                self.on_document(state)
