"""Fault rule rows and their counters, shared by every server process.

A process keeps the parsed rules and reloads them when the shared fault version moves; the
``matched``/``fired`` counters are updated in the database so ``nth`` and ``times`` count every
process's calls.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from . import shared


def version(conn: sqlite3.Connection) -> int:
    return shared.get(conn, shared.FAULT_VERSION)


def bump(conn: sqlite3.Connection) -> None:
    shared.bump(conn, shared.FAULT_VERSION)


def load(conn: sqlite3.Connection) -> list[tuple[str, dict[str, Any], str]]:
    """(id, spec as given, source) in the order the rules were added."""
    return [(r["id"], json.loads(r["spec"]), r["source"]) for r in conn.execute(
        "SELECT id, spec, source FROM fault_rules ORDER BY seq")]


def counters(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    return {r["id"]: (r["matched"], r["fired"]) for r in conn.execute("SELECT id, matched, fired FROM fault_rules")}


def next_id(conn: sqlite3.Connection) -> int:
    """Take the next rule number (``f1``, ``f2`` ...); never reused, even after a clear."""
    number = shared.get(conn, shared.FAULT_NEXT_ID, default=1)
    shared.put(conn, shared.FAULT_NEXT_ID, number + 1)
    return number


def exists(conn: sqlite3.Connection, rule_id: str) -> bool:
    return conn.execute("SELECT 1 FROM fault_rules WHERE id = ?", [rule_id]).fetchone() is not None


def insert(conn: sqlite3.Connection, rule_id: str, company: str | None, spec: dict[str, Any], source: str) -> None:
    conn.execute("INSERT INTO fault_rules (id, company_key, spec, source) VALUES (?, ?, ?, ?)",
                 [rule_id, company, json.dumps(spec), source])


def remove(conn: sqlite3.Connection, rule_id: str, company: str | None = None) -> bool:
    if company is None:
        gone = conn.execute("DELETE FROM fault_rules WHERE id = ?", [rule_id]).rowcount
    else:
        gone = conn.execute("DELETE FROM fault_rules WHERE id = ? AND company_key = ?", [rule_id, company]).rowcount
    return bool(gone)


def clear(conn: sqlite3.Connection, company: str | None = None) -> list[str]:
    """Remove every rule (or a company's); returns the ids removed."""
    if company is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM fault_rules")]
        conn.execute("DELETE FROM fault_rules")
    else:
        ids = [r[0] for r in conn.execute("SELECT id FROM fault_rules WHERE company_key = ?", [company])]
        conn.execute("DELETE FROM fault_rules WHERE company_key = ?", [company])
    return ids


def count_match(conn: sqlite3.Connection, rule_id: str) -> tuple[int, int] | None:
    """One more matching call; (matched, fired) after it, or None when the rule is gone."""
    row = conn.execute("UPDATE fault_rules SET matched = matched + 1 WHERE id = ? RETURNING matched, fired",
                       [rule_id]).fetchone()
    return (row[0], row[1]) if row else None


def count_fire(conn: sqlite3.Connection, rule_id: str) -> None:
    conn.execute("UPDATE fault_rules SET fired = fired + 1 WHERE id = ?", [rule_id])
