"""The ``uniqueid`` control-id ledger (protocol notes 4.6).

A write function whose control id already completed for the company and sender is refused
without running again; one that another request is running right now is refused as "in process".
Completed ids live in SQLite (they survive restarts and are shared by worker processes);
in-process claims live in memory, per process (docs/fidelity.md). Protocol-free: a front door
says which control ids a request claims and under which scope.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Iterable

from ..errors import ControlIdInProcessError, DuplicateControlIdError
from ..store import ledger as rows


@dataclass
class Claims:
    """Write control ids this request holds in process (uniqueid=true), and ones another request holds."""

    scope: str
    senderid: str
    owned: set[str] = field(default_factory=set)
    contested: set[str] = field(default_factory=set)


class ControlIdLedger:
    def __init__(self, errorno: str) -> None:
        self.errorno = errorno
        self._inflight: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    def claim(self, scope: str, senderid: str, controlids: Iterable[str]) -> Claims:
        """Mark write control ids as in process under ``scope`` (the company, or the session for a
        session request); one already claimed by a running request is contested."""
        claims = Claims(scope, senderid)
        with self._lock:
            for cid in controlids:
                key = (scope, senderid, cid)
                if key in self._inflight:
                    claims.contested.add(cid)
                else:
                    self._inflight.add(key)
                    claims.owned.add(cid)
        return claims

    def release(self, claims: Claims) -> None:
        with self._lock:
            for cid in claims.owned:
                self._inflight.discard((claims.scope, claims.senderid, cid))

    def check(self, conn: sqlite3.Connection, company_key: str, senderid: str, controlid: str, claims: Claims) -> None:
        if controlid in claims.contested:
            raise ControlIdInProcessError(controlid, self.errorno)
        if rows.completed(conn, company_key, senderid, controlid):
            raise DuplicateControlIdError(controlid, self.errorno)

    @staticmethod
    def record(conn: sqlite3.Connection, company_key: str, senderid: str, controlid: str, function: str, now: str) -> None:
        rows.record(conn, company_key, senderid, controlid, function, now)
