"""REST OAuth rows: the token signing key and the refresh tokens (rotating: each is used once).

Refresh tokens are kept as SHA-256 hashes, so the database never holds a usable token."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from ..clock import db_stamp


def signing_key(conn: sqlite3.Connection) -> str:
    """The HS256 key (made on first use and kept, so tokens survive restarts and every worker agrees)."""
    found = conn.execute("SELECT secret FROM oauth_keys WHERE name = 'access'").fetchone()
    if found is not None:
        return found[0]
    conn.execute("INSERT OR IGNORE INTO oauth_keys (name, secret) VALUES ('access', ?)", [secrets.token_urlsafe(48)])
    return conn.execute("SELECT secret FROM oauth_keys WHERE name = 'access'").fetchone()[0]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Refresh:
    company_key: str
    userid: str
    entity: str
    client_id: str


def save_refresh(conn: sqlite3.Connection, token: str, who: Refresh, expires_at: datetime) -> None:
    conn.execute("INSERT INTO oauth_refresh (token_hash, company_key, userid, entity, client_id, expires_at)"
                 " VALUES (?, ?, ?, ?, ?, ?)",
                 [_hash(token), who.company_key, who.userid, who.entity, who.client_id, db_stamp(expires_at)])


def take_refresh(conn: sqlite3.Connection, token: str, now: datetime) -> Refresh | None:
    """The refresh token's owner, marking it used; None when unknown, used or expired."""
    row = conn.execute("SELECT company_key, userid, entity, client_id, expires_at, used FROM oauth_refresh"
                       " WHERE token_hash = ?", [_hash(token)]).fetchone()
    if row is None or row[5] or datetime.fromisoformat(row[4]).replace(tzinfo=timezone.utc) <= now:
        return None
    conn.execute("UPDATE oauth_refresh SET used = 1 WHERE token_hash = ?", [_hash(token)])
    return Refresh(row[0], row[1], row[2], row[3])


def revoke_user(conn: sqlite3.Connection, company_key: str, userid: str, client_id: str) -> None:
    """A new authorisation for the same user and client invalidates the refresh tokens it had
    (the 'tokenInvalid after a second connection' incident)."""
    conn.execute("UPDATE oauth_refresh SET used = 1 WHERE company_key = ? AND userid = ? AND client_id = ?",
                 [company_key, userid, client_id])


@dataclass(frozen=True)
class Code:
    who: Refresh
    redirect_uri: str
    challenge: str
    method: str  # S256 | plain | "" (no PKCE)


def save_code(conn: sqlite3.Connection, code: str, grant: Code, expires_at: datetime) -> None:
    conn.execute("INSERT INTO oauth_codes (code_hash, company_key, userid, entity, client_id, redirect_uri, challenge,"
                 " method, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 [_hash(code), grant.who.company_key, grant.who.userid, grant.who.entity, grant.who.client_id,
                  grant.redirect_uri, grant.challenge, grant.method, db_stamp(expires_at)])


def take_code(conn: sqlite3.Connection, code: str, now: datetime) -> Code | None:
    """The code's grant, marking it used; None when unknown, used or expired (a code is good once)."""
    row = conn.execute("SELECT company_key, userid, entity, client_id, redirect_uri, challenge, method, expires_at, used"
                       " FROM oauth_codes WHERE code_hash = ?", [_hash(code)]).fetchone()
    if row is None or row[8] or datetime.fromisoformat(row[7]).replace(tzinfo=timezone.utc) <= now:
        return None
    conn.execute("UPDATE oauth_codes SET used = 1 WHERE code_hash = ?", [_hash(code)])
    return Code(Refresh(row[0], row[1], row[2], row[3]), row[4], row[5], row[6])


# ---------------------------------------------------------------------------- Idempotency-Key

@dataclass(frozen=True)
class Remembered:
    request: str
    status: int
    response: str | None


def remembered(conn: sqlite3.Connection, company_key: str, client_id: str, key: str) -> Remembered | None:
    row = conn.execute("SELECT request, status, response FROM rest_idempotency WHERE company_key = ? AND client_id = ?"
                       " AND key = ?", [company_key, client_id, key]).fetchone()
    return Remembered(row[0], row[1], row[2]) if row else None


def remember(conn: sqlite3.Connection, company_key: str, client_id: str, key: str, request: str, status: int,
             response: str | None, now: datetime) -> None:
    """Kept in the write's own transaction: a key is remembered exactly when its write committed."""
    conn.execute("INSERT INTO rest_idempotency (company_key, client_id, key, request, status, response, created_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", [company_key, client_id, key, request, status, response, db_stamp(now)])


def request_hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()
