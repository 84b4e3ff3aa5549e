"""Company configurations in the database, parsed once per version and shared by every request.

Stored as JSON so several worker processes see the same configuration; each request re-reads the
row (an indexed lookup) and reuses the parsed object while its JSON text has not changed.
"""

from __future__ import annotations

import json
import sqlite3
import threading

from ..clock import Clock, db_stamp
from ..objects.custom import custom_field_map
from ..objects.fields import Field
from .model import CompanyConfig


class CompanyStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._cache: dict[str, tuple[str, CompanyConfig, dict[str, dict[str, Field]]]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(company_id: str) -> str:
        return company_id.strip().upper()

    def get(self, conn: sqlite3.Connection, company_id: str) -> tuple[CompanyConfig, dict[str, dict[str, Field]]] | None:
        key = self.key(company_id)
        row = conn.execute("SELECT config FROM companies WHERE company_key = ?", [key]).fetchone()
        if row is None:
            return None
        text = row[0]
        cached = self._cache.get(key)
        if cached and cached[0] == text:
            return cached[1], cached[2]
        config = CompanyConfig.from_dict(json.loads(text))
        custom = custom_field_map(config)
        with self._lock:
            self._cache[key] = (text, config, custom)
        return config, custom

    def put(self, conn: sqlite3.Connection, config: CompanyConfig) -> None:
        conn.execute(
            "INSERT INTO companies (company_key, config, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT(company_key) DO UPDATE SET config = excluded.config",
            [self.key(config.company_id), json.dumps(config.to_dict(), sort_keys=True), db_stamp(self._clock.now())],
        )

    def ids(self, conn: sqlite3.Connection) -> list[str]:
        return [r[0] for r in conn.execute("SELECT company_key FROM companies ORDER BY company_key")]
