"""Small counters every server process must agree on (the ``shared_state`` table).

Versions tell a process when what it cached was changed, by itself or by another process: fault
rules and company clocks (bumped by the code that changes them), company configurations and
reference data (bumped by triggers, so a row written by hand counts too). A request reads them
all in one statement (``snapshot``) instead of re-reading what they describe.
"""

from __future__ import annotations

import sqlite3

FAULT_VERSION = "fault_version"
FAULT_NEXT_ID = "fault_next_id"
CLOCK_VERSION = "clock_version"
COMPANY_VERSION = "company_version"  # any company configuration changed
REFDATA_VERSION = "refdata_version"  # any row of a reference object (accounts, vendors, dimensions ...) changed


def snapshot(conn: sqlite3.Connection) -> dict[str, int]:
    """Every counter, in one statement (a handful of rows)."""
    return {key: int(value) for key, value in conn.execute("SELECT key, value FROM shared_state")}


def bump_sql(key: str) -> str:
    """The statement a trigger runs to move ``key`` on (the row exists from schema creation)."""
    return f"UPDATE shared_state SET value = value + 1 WHERE key = '{key}'"


def get(conn: sqlite3.Connection, key: str, default: int = 0) -> int:
    row = conn.execute("SELECT value FROM shared_state WHERE key = ?", [key]).fetchone()
    return int(row[0]) if row else default


def put(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute("INSERT INTO shared_state (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def bump(conn: sqlite3.Connection, key: str) -> int:
    """Add one (from 0); returns the new value."""
    row = conn.execute("INSERT INTO shared_state (key, value) VALUES (?, 1)"
                       " ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value", [key]).fetchone()
    return int(row[0])
