"""Journal rows: insert, finish, list and count with filters, search bodies, count for metrics."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Sequence

COLUMNS = ("at", "company_key", "senderid", "userid", "remote_addr", "controlid", "functions", "faults", "committed",
           "http_status", "delivery", "duration_ms", "request_body", "response_body", "protocol")
_INSERT = f"INSERT INTO journal ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_UPDATE = f"UPDATE journal SET {', '.join(c + ' = ?' for c in COLUMNS)} WHERE id = ?"
_META = ("id, at, company_key, senderid, userid, remote_addr, controlid, functions, faults, committed,"
         " http_status, delivery, duration_ms, protocol")


def insert(conn: sqlite3.Connection, values: Sequence[Any]) -> int:
    """``values`` in ``COLUMNS`` order; returns the entry id."""
    return int(conn.execute(_INSERT, list(values)).lastrowid)


def update(conn: sqlite3.Connection, entry_id: int, values: Sequence[Any]) -> None:
    conn.execute(_UPDATE, [*values, entry_id])


def to_dict(row: sqlite3.Row, bodies: bool) -> dict[str, Any]:
    out = {
        "id": row["id"], "at": row["at"], "company": row["company_key"], "sender": row["senderid"],
        "user": row["userid"], "remote_addr": row["remote_addr"], "controlid": row["controlid"],
        "functions": json.loads(row["functions"]), "faults": json.loads(row["faults"]),
        "committed": bool(row["committed"]), "http_status": row["http_status"], "delivery": row["delivery"],
        "acknowledged": row["delivery"] == "sent" and 200 <= row["http_status"] < 300,  # XML 200; REST 201, 204
        "duration_ms": row["duration_ms"], "protocol": row["protocol"],
    }
    if bodies:
        for key in ("request_body", "response_body"):
            value = row[key]
            out[key] = value.decode("utf-8", "replace") if value is not None else None
    return out


def _where(*, company: str | None = None, function: str | None = None, controlid: str | None = None,
           committed: bool | None = None, delivery: str | None = None, since: str | None = None,
           until: str | None = None, after_id: int | None = None, unacknowledged: bool = False,
           protocol: str | None = None, object: str | None = None, document: str | None = None
           ) -> tuple[str, list[Any]]:
    """The SQL predicate for the journal's filters (``select`` and ``count`` share it)."""
    where, params = ["1=1"], []
    if protocol:
        where.append("protocol = ?")
        params.append(protocol)
    if company:
        where.append("company_key = ?")
        params.append(company.upper())
    if function:
        where.append("EXISTS (SELECT 1 FROM json_each(functions) WHERE json_extract(value, '$.name') = ?)")
        params.append(function)
    if object:
        where.append("EXISTS (SELECT 1 FROM json_each(functions) WHERE json_extract(value, '$.object') = ?)")
        params.append(object.upper())
    if document:
        # the document a function names, the one it wrote, or a RECORDNO (journal/documents.py)
        wanted = document.strip().lower()
        where.append(
            "EXISTS (SELECT 1 FROM json_each(functions) AS f WHERE lower(json_extract(f.value, '$.document')) = ?"
            " OR CAST(json_extract(f.value, '$.recordno') AS TEXT) = ?"
            " OR EXISTS (SELECT 1 FROM json_each(f.value, '$.records') AS r"
            " WHERE lower(json_extract(r.value, '$.document')) = ? OR CAST(json_extract(r.value, '$.recordno') AS TEXT) = ?))")
        params += [wanted] * 4
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
        where.append("committed = 1 AND NOT (delivery = 'sent' AND http_status BETWEEN 200 AND 299)")
    return " AND ".join(where), params


def select(conn: sqlite3.Connection, *, limit: int = 100, bodies: bool = False, newest_first: bool = False,
           **filters: Any) -> list[dict[str, Any]]:
    """Entries matching ``filters`` (see ``_where``), oldest first unless ``newest_first``."""
    where, params = _where(**filters)
    order = "id DESC" if newest_first else "id"
    columns = "*" if bodies else _META
    rows = conn.execute(f"SELECT {columns} FROM journal WHERE {where} ORDER BY {order} LIMIT ?",
                        [*params, limit]).fetchall()
    return [to_dict(r, bodies) for r in rows]


def count(conn: sqlite3.Connection, **filters: Any) -> int:
    """How many entries match ``filters`` (see ``_where``)."""
    where, params = _where(**filters)
    return int(conn.execute(f"SELECT COUNT(*) FROM journal WHERE {where}", params).fetchone()[0])


def get(conn: sqlite3.Connection, entry_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM journal WHERE id = ?", [entry_id]).fetchone()
    return to_dict(row, True) if row else None


def clear(conn: sqlite3.Connection, company: str | None = None) -> int:
    if company is None:
        return conn.execute("DELETE FROM journal").rowcount
    return conn.execute("DELETE FROM journal WHERE company_key = ?", [company.upper()]).rowcount


def mentioning(conn: sqlite3.Connection, company: str, patterns: Sequence[str], window: int) -> list[dict[str, Any]]:
    """Among the company's latest ``window`` entries, those whose request or response body matches
    one of the LIKE ``patterns`` (escaped with backslash), newest first, without bodies."""
    if not patterns:
        return []
    likes = " OR ".join("CAST(request_body AS TEXT) LIKE ? ESCAPE '\\' OR CAST(response_body AS TEXT) LIKE ? ESCAPE '\\'"
                        for _ in patterns)
    params: list[Any] = [company.upper(), window]
    for p in patterns:
        params += [p, p]
    rows = conn.execute(
        f"SELECT {_META} FROM journal WHERE id IN (SELECT id FROM journal WHERE company_key = ? ORDER BY id DESC"
        f" LIMIT ?) AND ({likes}) ORDER BY id DESC", params).fetchall()
    return [to_dict(r, False) for r in rows]


# ---------------------------------------------------------------------------- metrics


def function_calls(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(function, status, count) over every journaled function."""
    return [tuple(r) for r in conn.execute(
        "SELECT json_extract(f.value, '$.name'), json_extract(f.value, '$.status'), COUNT(*)"
        " FROM journal, json_each(journal.functions) AS f GROUP BY 1, 2 ORDER BY 1, 2")]


def responses(conn: sqlite3.Connection) -> list[tuple[int, str, int]]:
    """(HTTP status, delivery, count)."""
    return [tuple(r) for r in conn.execute(
        "SELECT http_status, delivery, COUNT(*) FROM journal GROUP BY 1, 2 ORDER BY 1, 2")]


def faults_injected(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(action type, count) of faults that changed a response (a concurrency_limit only when busy)."""
    return [tuple(r) for r in conn.execute(
        "SELECT json_extract(f.value, '$.type'), COUNT(*) FROM journal, json_each(journal.faults) AS f"
        " WHERE json_extract(f.value, '$.type') != 'concurrency_limit' OR json_extract(f.value, '$.busy')"
        " GROUP BY 1 ORDER BY 1")]


def committed_without_ack(conn: sqlite3.Connection) -> int:
    return int(conn.execute(
        "SELECT COUNT(*) FROM journal WHERE committed = 1 AND (delivery != 'sent' OR http_status NOT BETWEEN 200 AND 299)").fetchone()[0])


def duration_histogram(conn: sqlite3.Connection, buckets_ms: Sequence[float]) -> tuple[list[int], int, float]:
    """(count at or under each bucket, total count, total milliseconds)."""
    cases = ", ".join(f"SUM(CASE WHEN duration_ms <= {float(b)} THEN 1 ELSE 0 END)" for b in buckets_ms)
    row = conn.execute(f"SELECT {cases}, COUNT(*), COALESCE(SUM(duration_ms), 0) FROM journal").fetchone()
    n = len(buckets_ms)
    return [int(v or 0) for v in row[:n]], int(row[n]), float(row[n + 1])
