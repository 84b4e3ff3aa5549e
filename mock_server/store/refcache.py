"""Reference rows (accounts, vendors, customers, dimensions ...) kept per process between requests.

Why: a bill's rules look up its vendor, its lines' accounts and every dimension value on them,
and an integration posts bill after bill against the same few. Each lookup is an indexed query
(~10-15 µs), but a 5-line bill asked ~5 of them per request, about a third of its statements.

A cached answer is valid for one ``refdata_version``: the counter every insert, update or delete
of a reference object's rows moves on (a trigger, ``upkeep.py``), whoever writes and in whichever
process. A unit of work reads the version inside its own transaction (``UnitOfWork.versions``) and
uses the entries of that version only; a unit that writes reference data stops using the cache
for the rest of its transaction (``Books``), so nothing it did before a rollback is remembered.
"""

from __future__ import annotations

import threading
from typing import Any

MAX_ENTRIES = 10_000  # past this the cache starts over (a company with that many references is rare)


class ReferenceCache:
    def __init__(self) -> None:
        self._version: int | None = None
        self._entries: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def view(self, version: int | None) -> dict[tuple, Any] | None:
        """The entries valid at ``version``, or None when the caller's snapshot is older than what
        the cache holds (another thread already moved on) or there is no version to trust."""
        if version is None:
            return None
        with self._lock:
            if self._version != version:
                if self._version is not None and version < self._version:
                    return None
                self._version, self._entries = version, {}
            elif len(self._entries) > MAX_ENTRIES:
                self._entries = {}
            return self._entries
