"""Time as the emulator sees it, injectable so tests and scenarios can freeze or move it."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock UTC time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc).replace(microsecond=0)


class FrozenClock:
    """A clock that only moves when told to (tests, scenarios)."""

    def __init__(self, at: datetime) -> None:
        self._at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._at += timedelta(**delta)

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def iso_offset(dt: datetime) -> str:
    """``2024-05-01T14:02:11+00:00``: the exact form pyintacct parses (never ``Z``, no fractions)."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def db_stamp(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def today(clock: Clock) -> date:
    return clock.now().date()


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

    def refresh(self) -> None:
        if self.db is None:
            return
        conn = self.db.connection()
        row = conn.execute("SELECT value FROM shared_state WHERE key = 'clock_version'").fetchone()
        version = int(row[0]) if row else 0
        if version == self._version:
            return
        shift: dict[str, tuple[str, timedelta | datetime]] = {}
        for r in conn.execute("SELECT company_key, mode, value FROM company_clocks"):
            if r["mode"] == "frozen":
                shift[r["company_key"]] = ("frozen", datetime.fromisoformat(r["value"]))
            else:
                shift[r["company_key"]] = ("offset", timedelta(seconds=float(r["value"])))
        with self._lock:
            self._shift, self._version = shift, version

    def _store(self, key: str, value: tuple[str, timedelta | datetime] | None) -> None:
        if self.db is None:
            return
        with self.db.transaction(write=True) as conn:
            if value is None:
                if key == "":
                    conn.execute("DELETE FROM company_clocks")
                else:
                    conn.execute("DELETE FROM company_clocks WHERE company_key = ?", [key])
            else:
                mode, v = value
                text = v.isoformat() if isinstance(v, datetime) else str(v.total_seconds())
                conn.execute("INSERT INTO company_clocks (company_key, mode, value) VALUES (?, ?, ?)"
                             " ON CONFLICT(company_key) DO UPDATE SET mode = excluded.mode, value = excluded.value",
                             [key, mode, text])
            conn.execute("INSERT INTO shared_state (key, value) VALUES ('clock_version', 1)"
                         " ON CONFLICT(key) DO UPDATE SET value = value + 1")
            row = conn.execute("SELECT value FROM shared_state WHERE key = 'clock_version'").fetchone()
            self._version = int(row[0])

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
