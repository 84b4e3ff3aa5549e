"""Tenants: company configurations, how each company was made (its origin), and wiping its data.

Configurations are stored as JSON so several worker processes see the same configuration; each
request re-reads the row (an indexed lookup) and reuses the parsed object while its JSON text has
not changed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

from ..clock import Clock, db_stamp
from ..company.model import CompanyConfig
from ..objects.custom import custom_field_map
from ..objects.fields import Field
from ..objects.registry import all_object_types
from .schema import q

# Per-company rows outside the object tables, removed with the company's books.
COMPANY_TABLES = ("sessions", "controlid_ledger", "result_sets", "journal")


class CompanyStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        # key -> (company version it was read at, JSON text, parsed config, custom fields)
        self._cache: dict[str, tuple[int | None, str, CompanyConfig, dict[str, dict[str, Field]]]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(company_id: str) -> str:
        return company_id.strip().upper()

    def get(self, conn: sqlite3.Connection, company_id: str, *,
            version: int | None = None) -> tuple[CompanyConfig, dict[str, dict[str, Field]]] | None:
        """The company's configuration and custom fields. ``version``: the shared company version
        the caller's transaction sees (``UnitOfWork.versions``); a configuration cached at that
        version is returned without a statement (any change to ``companies`` moves it on)."""
        key = self.key(company_id)
        cached = self._cache.get(key)
        if version is not None and cached is not None and cached[0] == version:
            return cached[2], cached[3]
        row = conn.execute("SELECT config FROM companies WHERE company_key = ?", [key]).fetchone()
        if row is None:
            return None
        text = row[0]
        if cached and cached[1] == text:
            config, custom = cached[2], cached[3]
        else:
            config = CompanyConfig.from_dict(json.loads(text))
            custom = custom_field_map(config)
        with self._lock:
            self._cache[key] = (version, text, config, custom)
        return config, custom

    def put(self, conn: sqlite3.Connection, config: CompanyConfig) -> None:
        conn.execute(
            "INSERT INTO companies (company_key, config, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT(company_key) DO UPDATE SET config = excluded.config",
            [self.key(config.company_id), json.dumps(config.to_dict(), sort_keys=True), db_stamp(self._clock.now())],
        )
        self._sync_entities(conn, config)
        self._sync_roles(conn, config)

    def _sync_roles(self, conn: sqlite3.Connection, config: CompanyConfig) -> None:
        """A role-based company's roles read as ROLES records (name, the modules they grant, the users
        they are assigned to); written from the configuration on every change of it."""
        key, now = self.key(config.company_id), db_stamp(self._clock.now())
        conn.execute("DELETE FROM ROLES WHERE _COMPANY = ?", [key])
        for name, grants in config.roles.items():
            users = [u.userid for u in config.users if name in u.roles]
            conn.execute('INSERT INTO ROLES (_COMPANY, "NAME", "DESCRIPTION", "ROLETYPE", "APPLYTO", "USERS",'
                         ' "WHENMODIFIED", "CREATEDBY", "MODIFIEDBY") VALUES (?, ?, ?, \'Enterprise\', ?, ?, ?,'
                         ' \'System\', \'System\')',
                         [key, name, ", ".join(f"{m}: {level}" for m, level in grants.items()),
                          "Role-based" if config.security == "role" else "Not in effect (user-based security)",
                          ",".join(users), now])

    def _sync_entities(self, conn: sqlite3.Connection, config: CompanyConfig) -> None:
        """A company's entities read as LOCATIONENTITY records (a client checks its configured entity
        name against them): configured ones are there, others are not."""
        key, now = self.key(config.company_id), db_stamp(self._clock.now())
        wanted = {e.id: e.name for e in config.entities}
        have = {r[0]: r[1] for r in conn.execute('SELECT "LOCATIONID", "NAME" FROM LOCATIONENTITY WHERE _COMPANY = ?', [key])}
        for gone in set(have) - set(wanted):
            conn.execute('DELETE FROM LOCATIONENTITY WHERE _COMPANY = ? AND "LOCATIONID" = ?', [key, gone])
        for entity_id, name in wanted.items():
            if entity_id not in have:
                conn.execute('INSERT INTO LOCATIONENTITY (_COMPANY, "LOCATIONID", "NAME", "STATUS", "WHENMODIFIED",'
                             ' "WHENCREATED", "CREATEDBY", "MODIFIEDBY") VALUES (?, ?, ?, \'T\', ?, ?, \'System\', \'System\')',
                             [key, entity_id, name, now, now])
            elif have[entity_id] != name:
                conn.execute('UPDATE LOCATIONENTITY SET "NAME" = ?, "WHENMODIFIED" = ? WHERE _COMPANY = ? AND "LOCATIONID" = ?',
                             [name, now, key, entity_id])

    def ids(self, conn: sqlite3.Connection) -> list[str]:
        return [r[0] for r in conn.execute("SELECT company_key FROM companies ORDER BY company_key")]

    def delete(self, conn: sqlite3.Connection, company_id: str) -> bool:
        """Forget the configuration (the books are wiped separately); True when there was one."""
        return conn.execute("DELETE FROM companies WHERE company_key = ?", [self.key(company_id)]).rowcount > 0

    # ------------------------------------------------------------------ origins

    def origin(self, conn: sqlite3.Connection, company_id: str) -> dict[str, Any] | None:
        """How the company was made (``{"demo_seed": n}`` or a spec with records), for reset and bundles."""
        row = conn.execute("SELECT spec FROM company_origins WHERE company_key = ?", [self.key(company_id)]).fetchone()
        return json.loads(row[0]) if row else None

    def set_origin(self, conn: sqlite3.Connection, company_id: str, spec: dict[str, Any]) -> None:
        conn.execute("INSERT INTO company_origins (company_key, spec) VALUES (?, ?) ON CONFLICT(company_key)"
                     " DO UPDATE SET spec = excluded.spec", [self.key(company_id), json.dumps(spec)])

    def drop_origin(self, conn: sqlite3.Connection, company_id: str) -> None:
        conn.execute("DELETE FROM company_origins WHERE company_key = ?", [self.key(company_id)])

    # ------------------------------------------------------------------ data

    @staticmethod
    def wipe(conn: sqlite3.Connection, company_key: str, *, keep_journal: bool = False) -> None:
        """Delete everything a company owns except its configuration row and origin."""
        key = company_key.upper()
        for obj in all_object_types():
            conn.execute(f"DELETE FROM {q(obj.name)} WHERE _COMPANY = ?", [key])
        for table in COMPANY_TABLES:
            if keep_journal and table == "journal":
                continue
            conn.execute(f"DELETE FROM {table} WHERE company_key = ?", [key])
