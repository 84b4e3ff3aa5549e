"""API session rows: who a session id belongs to and until when (auth/sessions.py holds the rules)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class SessionRow:
    sessionid: str
    company_key: str
    userid: str
    entity: str
    senderid: str
    endpoint: str
    created_at: str  # db stamps ('YYYY-MM-DD HH:MM:SS', UTC)
    expires_at: str


def insert(conn: sqlite3.Connection, row: SessionRow) -> None:
    conn.execute(
        "INSERT INTO sessions (sessionid, company_key, userid, entity, senderid, endpoint, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [row.sessionid, row.company_key, row.userid, row.entity, row.senderid, row.endpoint, row.created_at,
         row.expires_at],
    )


def find(conn: sqlite3.Connection, sessionid: str) -> SessionRow | None:
    row = conn.execute("SELECT sessionid, company_key, userid, entity, senderid, endpoint, created_at, expires_at"
                       " FROM sessions WHERE sessionid = ?", [sessionid]).fetchone()
    return SessionRow(*row) if row is not None else None


def owner(conn: sqlite3.Connection, sessionid: str) -> tuple[str, str] | None:
    """(company key, user id) of a session, expired or not: what a fault rule may match on."""
    row = conn.execute("SELECT company_key, userid FROM sessions WHERE sessionid = ?", [sessionid]).fetchone()
    return (row[0], row[1]) if row is not None else None


def delete(conn: sqlite3.Connection, sessionid: str) -> None:
    conn.execute("DELETE FROM sessions WHERE sessionid = ?", [sessionid])


@dataclass(frozen=True)
class Slide:
    """Deferred: push a session's expiry forward (written after the request's reads)."""

    sessionid: str
    expires_at: str

    def apply(self, conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE sessions SET expires_at = ? WHERE sessionid = ?", [self.expires_at, self.sessionid])
