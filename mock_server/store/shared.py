"""Small counters every server process must agree on (the ``shared_state`` table).

Versions tell a process when what it cached (fault rules, company clocks) was changed by
another process: one row read per request instead of re-reading the data.
"""

from __future__ import annotations

import sqlite3

FAULT_VERSION = "fault_version"
FAULT_NEXT_ID = "fault_next_id"
CLOCK_VERSION = "clock_version"


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
