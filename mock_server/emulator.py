"""The emulator without a protocol: settings, database, clocks, companies, faults and journal.

Front doors (the XML gateway today, REST next) take an ``Emulator`` and reach the same books,
rules, fault rules and journal through it; Flask only adapts it (``app.py``). Fuzzing, the
benchmark, bundle replay, the pytest plugin and in-process clients build one directly::

    emulator = Emulator(Settings.load(env={}, db_path=":memory:"))
    gateway = XmlGateway(emulator)
    reply = gateway.handle(body)

Nothing is created at import time; ``close()`` releases the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .auth.login import Authenticator
from .clock import Clock, SystemClock
from .config import Settings
from .faults import FaultEngine, FaultSpecError
from .faults.loader import load_fault_file
from .functions import companies as provision
from .functions.ledger import ControlIdLedger
from .heap import keep_heap_warm
from .journal import Journal
from .store.clocks import CompanyClocks
from .store.db import Database
from .store.refcache import ReferenceCache
from .store.tenants import CompanyStore


class Emulator:
    """One emulator over one database file.

    ``primary``: this process owns start-up (a server's only process, or a multi-worker server's
    master): it migrates and seeds, and fault rules and company clocks start from the
    ``--faults`` file only. Worker processes pass ``primary=False`` and share what the primary set up.

    ``books``: False for an emulator that keeps no companies of its own (``intacct-mock proxy``: its
    journal and fault rules serve another Intacct's traffic, so nothing is seeded and
    ``company_file`` describes the upstream for bundles instead of being loaded).
    """

    def __init__(self, settings: Settings | None = None, *, clock: Clock | None = None, primary: bool = True,
                 books: bool = True) -> None:
        self.settings = settings = settings or Settings.load()
        keep_heap_warm()  # large answers without a page fault per page (heap.py)
        self.clock: Clock = clock or SystemClock()
        self.db = Database(settings.db_path)
        self.companies = CompanyStore(self.clock)
        self.faults = FaultEngine(self.db, settings.seed, header_enabled=settings.fault_header)
        self.journal = Journal(self.db, settings.journal)
        self.clocks = CompanyClocks(self.clock, self.db)
        self.ledger = ControlIdLedger(settings.duplicate_controlid_errorno)
        self.auth = Authenticator(settings, self.companies, self.clock)
        self.refcache = ReferenceCache()  # reference rows between requests (store/refcache.py)
        self.books = books
        if primary:
            self._start_up()

    def _start_up(self) -> None:
        settings = self.settings
        self.faults.clear()  # rules are runtime state: a (re)start begins with the --faults file only
        if settings.faults_file:
            try:
                self.faults.add_many(load_fault_file(Path(settings.faults_file)), source="file")
            except FaultSpecError as exc:
                message = str(exc)
                raise FaultSpecError(message if message.startswith(settings.faults_file)
                                     else f"{settings.faults_file}: {message}") from None
        self.clocks.reset()  # like fault rules, company clocks are runtime state
        if not self.books:
            return
        with self.db.transaction(write=True) as conn:
            if settings.company_file:
                provision.load_company_file(conn, self.companies, self.clock, Path(settings.company_file))
            provision.seed_demo_company(conn, self.companies, self.clock, settings.seed)

    # ------------------------------------------------------------------ tenants

    def company_ids(self) -> list[str]:
        with self.db.transaction(write=False) as conn:
            return self.companies.ids(conn)

    def reset(self, company: str | None = None) -> dict[str, Any]:
        """Everything (``company`` None: every company, fault rule, clock and the journal) or one
        company back to how it was created. A company with no recorded origin is deleted.
        Raises KeyError for an unknown ``company``."""
        with self.db.transaction(write=True) as conn:
            known = self.companies.ids(conn)
            if company is not None and company.upper() not in known:
                raise KeyError(company)
            keys = [company.upper()] if company is not None else known
            done, removed = [], []
            for key in keys:
                if provision.remake(conn, self.companies, self.clock, key):
                    done.append(key)
                else:
                    provision.delete(conn, self.companies, key)
                    removed.append(key)
        for key in keys:
            self.faults.clear(key)
            self.clocks.reset(key)
        if company is None:
            self.faults.clear()
            self.clocks.reset()
            self.journal.clear()
        return {"reset": done, "deleted": removed}

    def delete_company(self, company: str) -> bool:
        """Remove a company, its books, rules and clock; False when there was none."""
        with self.db.transaction(write=True) as conn:
            if self.companies.get(conn, company) is None:
                return False
            provision.delete(conn, self.companies, company)
        self.faults.clear(company)
        self.clocks.reset(company.upper())
        return True

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        self.db.close()
