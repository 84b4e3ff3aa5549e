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


def _utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo is timezone.utc else dt.astimezone(timezone.utc)


def iso_offset(dt: datetime) -> str:
    """``2024-05-01T14:02:11+00:00``: the exact form pyintacct parses (never ``Z``, no fractions)."""
    u = _utc(dt)  # (formatted by hand: strftime costs several times as much, twice per request)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}+00:00"


def db_stamp(dt: datetime) -> str:
    u = _utc(dt)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d} {u.hour:02d}:{u.minute:02d}:{u.second:02d}"


def today(clock: Clock) -> date:
    return clock.now().date()
