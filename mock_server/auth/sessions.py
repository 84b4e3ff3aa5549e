"""API sessions: issue, look up, slide and expire (notes 6). Stored in SQLite, shared by workers.

Sliding expiry is written at most once a minute per session and after the request commits, so
session-authenticated reads stay read-only transactions.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..clock import db_stamp

SLIDE_GRANULARITY = timedelta(seconds=60)


@dataclass(frozen=True)
class Session:
    sessionid: str
    company_key: str
    userid: str
    entity: str
    senderid: str
    endpoint: str
    expires_at: datetime


def new_session_id() -> str:
    """Opaque and ending in two dots, like every captured Intacct session id."""
    return secrets.token_urlsafe(30).replace("-", "Z").replace("_", "Q") + ".."


def _parse(stamp: str) -> datetime:
    """A ``db_stamp`` back to a datetime (``fromisoformat``: ~1 µs where ``strptime`` took ~25)."""
    return datetime.fromisoformat(stamp).replace(tzinfo=timezone.utc)


def issue(conn: sqlite3.Connection, *, company_key: str, userid: str, entity: str | None, senderid: str,
          endpoint: str, now: datetime, timeout: timedelta) -> Session:
    sid = new_session_id()
    expires = now + timeout
    conn.execute(
        "INSERT INTO sessions (sessionid, company_key, userid, entity, senderid, endpoint, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [sid, company_key, userid, entity or "", senderid, endpoint, db_stamp(now), db_stamp(expires)],
    )
    return Session(sid, company_key, userid, entity or "", senderid, endpoint, expires)


def lookup(conn: sqlite3.Connection, sessionid: str, now: datetime) -> Session | None:
    row = conn.execute("SELECT * FROM sessions WHERE sessionid = ?", [sessionid]).fetchone()
    if row is None:
        return None
    expires = _parse(row["expires_at"])
    if expires <= now:
        return None
    return Session(row["sessionid"], row["company_key"], row["userid"], row["entity"], row["senderid"],
                   row["endpoint"], expires)


def slide(session: Session, now: datetime, timeout: timedelta) -> tuple[str, tuple] | None:
    """The UPDATE that pushes expiry forward, or None when it moved less than a minute ago."""
    new_expiry = now + timeout
    if new_expiry - session.expires_at < SLIDE_GRANULARITY:
        return None
    return ("UPDATE sessions SET expires_at = ? WHERE sessionid = ?", (db_stamp(new_expiry), session.sessionid))


def expire(conn: sqlite3.Connection, sessionid: str) -> None:
    conn.execute("DELETE FROM sessions WHERE sessionid = ?", [sessionid])
