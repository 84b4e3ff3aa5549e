"""Company clocks: each company's "today", frozen at an instant or shifted from the base clock.

The settings live in SQLite so every server process agrees; each process keeps them parsed and
reloads them when the shared clock version moves.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

from ..clock import Clock
from . import shared


def _version(conn: sqlite3.Connection) -> int:
    return shared.get(conn, shared.CLOCK_VERSION)


def load(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(company key or '*', mode 'frozen' | 'offset', value) for every company with a setting."""
    return [(r[0], r[1], r[2]) for r in conn.execute("SELECT company_key, mode, value FROM company_clocks")]


def save(conn: sqlite3.Connection, key: str, mode: str, value: str) -> int:
    """Set one company's clock; returns the new shared version."""
    conn.execute("INSERT INTO company_clocks (company_key, mode, value) VALUES (?, ?, ?)"
                 " ON CONFLICT(company_key) DO UPDATE SET mode = excluded.mode, value = excluded.value",
                 [key, mode, value])
    return shared.bump(conn, shared.CLOCK_VERSION)


def delete(conn: sqlite3.Connection, key: str | None) -> int:
    """Back to the system clock: one company, or every company (``None``); returns the new version."""
    if key is None:
        conn.execute("DELETE FROM company_clocks")
    else:
        conn.execute("DELETE FROM company_clocks WHERE company_key = ?", [key])
    return shared.bump(conn, shared.CLOCK_VERSION)


class CompanyClocks:
    """Each company's "today": the base clock, shifted by an offset or frozen at an instant.

    ``PUT /_mock/clock`` sets it so a scenario can post into a closed period or move a payment
    sync's lookback window without touching other tenants. Sessions and the journal keep the
    base clock; business dates, WHENCREATED and WHENMODIFIED use the company's. With a database
    the settings are shared by every server process (``refresh`` picks up other processes'
    changes; the pipeline calls it once per request).
    """

    def __init__(self, base: Clock, db=None) -> None:
        self.base = base
        self.db = db
        self._shift: dict[str, tuple[str, timedelta | datetime]] = {}
        self._version = -1
        self._lock = threading.Lock()
        self.refresh()

    # ------------------------------------------------------------------ shared storage

    def refresh(self, version: int | None = None) -> None:
        """Reload the settings when another process changed them (``version``: the shared clock
        version when the caller has just read it, to save the statement)."""
        if self.db is None:
            return
        conn = self.db.connection()
        if version is None:
            version = _version(conn)
        if version == self._version:
            return
        shift: dict[str, tuple[str, timedelta | datetime]] = {}
        for key, mode, value in load(conn):
            if mode == "frozen":
                shift[key] = ("frozen", datetime.fromisoformat(value))
            else:
                shift[key] = ("offset", timedelta(seconds=float(value)))
        with self._lock:
            self._shift, self._version = shift, version

    def _store(self, key: str, value: tuple[str, timedelta | datetime] | None) -> None:
        if self.db is None:
            return
        with self.db.transaction(write=True) as conn:
            if value is None:
                self._version = delete(conn, None if key == "" else key)
            else:
                mode, v = value
                self._version = save(conn, key, mode, v.isoformat() if isinstance(v, datetime) else str(v.total_seconds()))

    # ------------------------------------------------------------------ reading and setting

    def now(self, company_key: str | None) -> datetime:
        with self._lock:
            shift = self._shift.get(company_key or "") or self._shift.get("*")
        if shift is None:
            return self.base.now()
        kind, value = shift
        if kind == "frozen":
            assert isinstance(value, datetime)
            return value
        assert isinstance(value, timedelta)
        return self.base.now() + value

    def for_company(self, company_key: str | None) -> "Clock":
        return _CompanyClock(self, company_key)

    def set(self, company_key: str | None, at: datetime, *, frozen: bool) -> None:
        """Make the company's now ``at``; ``frozen`` stops it there, otherwise it keeps ticking."""
        at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
        key = company_key or "*"
        value: tuple[str, timedelta | datetime] = ("frozen", at) if frozen else ("offset", at - self.base.now())
        with self._lock:
            self._shift[key] = value
        self._store(key, value)

    def reset(self, company_key: str | None = None) -> None:
        with self._lock:
            if company_key is None:
                self._shift.clear()
            else:
                self._shift.pop(company_key, None)
        self._store(company_key or "", None)

    def describe(self, company_key: str | None) -> dict:
        self.refresh()
        with self._lock:
            shift = self._shift.get(company_key or "*")
        mode = "system" if shift is None else shift[0]
        return {"company": company_key, "now": self.now(company_key).isoformat(), "mode": mode}


class _CompanyClock:
    def __init__(self, clocks: CompanyClocks, key: str | None) -> None:
        self._clocks = clocks
        self._key = key

    def now(self) -> datetime:
        return self._clocks.now(self._key)
