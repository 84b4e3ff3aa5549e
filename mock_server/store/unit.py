"""A unit of work: one request's transaction, its savepoints, and the writes it defers to the end.

A write request is one write transaction: every function (in a savepoint of its own when the
request has several), the writes deferred to the end and the journal row commit together. A read
request reads in one snapshot and defers its few writes (a result set's position, a session's
slid expiry) to the short write transaction that journals it, so reads never queue for SQLite's
write lock while they work. Deferred writes are typed values that apply themselves (defined by
the store module that owns the table); no SQL text travels outside ``store/``.
"""

from __future__ import annotations

import itertools
import sqlite3
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, Protocol

from . import shared

if TYPE_CHECKING:  # pragma: no cover
    from .db import Database


class Deferred(Protocol):
    """A write to apply when the unit commits (or, for a read request, with its journal row)."""

    def apply(self, conn: sqlite3.Connection) -> None: ...


_names = itertools.count(1)


class UnitOfWork:
    """Opened by ``Database.unit(write)``; the caller commits or rolls back exactly once."""

    def __init__(self, db: "Database", write: bool) -> None:
        self.db = db
        self.write = write
        self.conn = db.connection()
        self.deferred: list[Deferred] = []
        self.touched: list[dict[str, Any]] = []  # header records written (``Books._note``), for the journal
        self._open = False
        self._versions: dict[str, int] | None = None

    # ------------------------------------------------------------------ lifetime

    def begin(self) -> "UnitOfWork":
        self.db.begin(self.conn, self.write)
        self._open = True
        return self

    def commit(self) -> None:
        """Apply what was deferred (in a write transaction) and commit."""
        if self.write:
            self.flush()
        self._finish("COMMIT")

    def rollback(self) -> None:
        """Undo everything; deferred writes are kept for the caller to apply elsewhere."""
        self._finish("ROLLBACK")

    def _finish(self, verb: str) -> None:
        if not self._open:
            return
        self._open = False
        try:
            self.conn.execute(verb)
        finally:
            self.db.end(self.write)

    @property
    def open(self) -> bool:
        return self._open

    # ------------------------------------------------------------------ inside

    def versions(self) -> dict[str, int]:
        """The shared versions as this unit's transaction sees them (read once, on first use):
        what tells the process caches (company configurations, reference data) they still hold."""
        if self._versions is None:
            self._versions = shared.snapshot(self.conn)
        return self._versions

    def defer(self, write: Deferred) -> None:
        self.deferred.append(write)

    def flush(self) -> None:
        """Apply the deferred writes now (the unit must hold the write lock)."""
        pending, self.deferred = self.deferred, []
        for write in pending:
            write.apply(self.conn)

    @contextmanager
    def savepoint(self, keep: Callable[[BaseException], bool] | None = None) -> Iterator[None]:
        """Roll back what the block wrote when it raises, unless ``keep(error)`` says the error
        leaves its writes in place (a multi-object create keeps the objects before the failure)."""
        name = f"sp{next(_names)}"
        noted = len(self.touched)
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException as exc:
            if keep is None or not keep(exc):
                self.conn.execute(f"ROLLBACK TO {name}")
                del self.touched[noted:]  # what was undone is not in the books
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")


def apply_deferred(db: "Database", writes: list[Deferred]) -> None:
    """Deferred writes on their own, in a write transaction of their own."""
    if not writes:
        return
    with db.transaction(write=True) as conn:
        for write in writes:
            write.apply(conn)
