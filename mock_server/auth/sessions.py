"""API sessions: issue, look up, slide and expire (notes 6). Stored in SQLite, shared by workers.

Sliding expiry is written at most once a minute per session and after the request's reads (a
deferred write), so session-authenticated reads stay read-only transactions.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime, timedelta

from ..store import sessions as rows
from ..store.sessions import Session

__all__ = ["Session", "expire", "issue", "lookup", "new_session_id", "slide"]

SLIDE_GRANULARITY = timedelta(seconds=60)


def new_session_id() -> str:
    """Opaque and ending in two dots, like every captured Intacct session id."""
    return secrets.token_urlsafe(30).replace("-", "Z").replace("_", "Q") + ".."


def issue(conn: sqlite3.Connection, *, company_key: str, userid: str, entity: str | None, senderid: str,
          endpoint: str, now: datetime, timeout: timedelta) -> Session:
    session = Session(new_session_id(), company_key, userid, entity or "", senderid, endpoint, now + timeout)
    rows.insert(conn, session, created_at=now)
    return session


def lookup(conn: sqlite3.Connection, sessionid: str, now: datetime) -> Session | None:
    session = rows.find(conn, sessionid)
    return session if session is not None and session.expires_at > now else None


def slide(session: Session, now: datetime, timeout: timedelta) -> rows.Slide | None:
    """The deferred write that pushes expiry forward, or None when it moved less than a minute ago."""
    new_expiry = now + timeout
    if new_expiry - session.expires_at < SLIDE_GRANULARITY:
        return None
    return rows.Slide(session.sessionid, new_expiry)


def expire(conn: sqlite3.Connection, sessionid: str) -> None:
    rows.delete(conn, sessionid)
