"""readByQuery result sets: the query and how far a client has read it, for readMore.

A result set is written after the request's reads (deferred writes below), so a readByQuery
never takes SQLite's write lock while it reads; the row is small (the query, not the records).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ResultSet:
    result_id: str
    company_key: str
    spec: dict[str, Any]  # object, fields, where, params, pagesize, format, owner ...
    last_recordno: int
    delivered: int
    totalcount: int
    expires_at: str


def _row(row: sqlite3.Row | None) -> ResultSet | None:
    if row is None:
        return None
    spec = json.loads(row["spec"])
    if "filter" not in spec and "where" in spec:  # written by an older version: the filter was flat
        spec["filter"] = {"where": spec.pop("where"), "params": spec.pop("params")}
    return ResultSet(row["result_id"], row["company_key"], spec, row["last_recordno"],
                     row["delivered"], row["totalcount"], row["expires_at"])


def find(conn: sqlite3.Connection, result_id: str, company_key: str) -> ResultSet | None:
    return _row(conn.execute("SELECT * FROM result_sets WHERE result_id = ? AND company_key = ?",
                             [result_id, company_key]).fetchone())


def latest(conn: sqlite3.Connection, company_key: str, obj: str, owner: str) -> ResultSet | None:
    """readMore by ``<object>``: the owner's most recent result set of that object."""
    return _row(conn.execute(
        "SELECT * FROM result_sets WHERE company_key = ? AND json_extract(spec, '$.object') = ?"
        " AND json_extract(spec, '$.owner') = ? ORDER BY rowid DESC LIMIT 1", [company_key, obj, owner]).fetchone())


@dataclass(frozen=True)
class Create:
    """Deferred: a new result set after the first page."""

    result_id: str
    company_key: str
    spec: dict[str, Any]
    last_recordno: int
    delivered: int
    totalcount: int
    expires_at: str

    def apply(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO result_sets (result_id, company_key, spec, last_recordno, delivered, totalcount, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self.result_id, self.company_key, json.dumps(self.spec), self.last_recordno, self.delivered,
             self.totalcount, self.expires_at])


@dataclass(frozen=True)
class Advance:
    """Deferred: a readMore delivered another page."""

    result_id: str
    last_recordno: int
    delivered: int

    def apply(self, conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE result_sets SET last_recordno = ?, delivered = ? WHERE result_id = ?",
                     [self.last_recordno, self.delivered, self.result_id])


@dataclass(frozen=True)
class Drop:
    """Deferred: the set is exhausted."""

    result_id: str

    def apply(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM result_sets WHERE result_id = ?", [self.result_id])


@dataclass(frozen=True)
class PurgeExpired:
    """Deferred: forget a company's expired sets (a sync that stops after page one leaves its set)."""

    company_key: str
    now: str

    def apply(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM result_sets WHERE company_key = ? AND expires_at < ?", [self.company_key, self.now])
