"""Bookkeeping SQLite keeps for itself, with triggers: row revisions and row counts.

Why triggers rather than code in ``Books``: the benchmark and some tests write rows straight
into the SQLite file, and an operator may too. Anything derived from the rows (a cached rendering,
a count) stays right only if every write maintains it, whoever does it.

- ``_REV``: a random number drawn again whenever the row changes (any UPDATE that leaves it alone
  gets a new one from the trigger). Random, not a counter: a write rolled back after a read
  rendered it, or a RECORDNO reused after a rollback, must not meet its old cache entry again.
  The record render cache (``gateway/record_cache.py``) keys on (RECORDNO, _REV).
- ``refdata_version`` (``shared_state``): moved on by every insert, update or delete of a
  reference object's rows (accounts, vendors, customers, dimensions, attachments: what rules look
  up), so the per-process reference cache (``refcache.py``) knows when to forget.
- ``row_counts``: rows per (object, company, entity). An unfiltered readByQuery needs the
  ``totalcount`` of the company, which ``COUNT(*)`` finds by walking the index: 230 ms at a
  million records. Line objects are not counted (they are always read through their parent or
  filtered), so a line insert costs no extra statement.
"""

from __future__ import annotations

import sqlite3

from ..objects.base import ObjectType
from . import shared

ROW_COUNTS_DDL = """
CREATE TABLE IF NOT EXISTS row_counts (
    tbl         TEXT NOT NULL,
    company_key TEXT NOT NULL,
    entity      TEXT NOT NULL,               -- '' for top-level rows
    n           INTEGER NOT NULL,
    PRIMARY KEY (tbl, company_key, entity)
)
"""

REV_COLUMN = "_REV INTEGER NOT NULL DEFAULT (random())"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _trigger_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]).fetchone() is not None


def add_rev_column(conn: sqlite3.Connection, obj: ObjectType, columns: set[str]) -> None:
    """Older database files: add ``_REV`` (ALTER TABLE only takes a constant default, so the
    existing rows get random revisions by one UPDATE)."""
    if "_REV" in columns:
        return
    table = _q(obj.name)
    conn.execute(f"ALTER TABLE {table} ADD COLUMN _REV INTEGER NOT NULL DEFAULT 0")
    conn.execute(f"UPDATE {table} SET _REV = random()")


def install(conn: sqlite3.Connection, obj: ObjectType) -> None:
    """Create the object's triggers if missing; a new count trigger starts from a real count.

    Runs inside the caller's write transaction, so two processes starting together do this once.
    """
    table, name = _q(obj.name), obj.name
    rev = f"trg_{name}_rev"
    if not _trigger_exists(conn, rev):
        conn.execute(
            f"CREATE TRIGGER {_q(rev)} AFTER UPDATE ON {table} FOR EACH ROW WHEN NEW._REV = OLD._REV"
            f" BEGIN UPDATE {table} SET _REV = random() WHERE RECORDNO = OLD.RECORDNO; END"
        )
    if obj.reference:
        for event in ("INSERT", "UPDATE", "DELETE"):
            trig = f"trg_{name}_refdata_{event.lower()}"
            if not _trigger_exists(conn, trig):
                conn.execute(f"CREATE TRIGGER {_q(trig)} AFTER {event} ON {table} FOR EACH ROW"
                             f" BEGIN {shared.bump_sql(shared.REFDATA_VERSION)}; END")
    if obj.line_of:
        return
    ins, dele, move = f"trg_{name}_count_ins", f"trg_{name}_count_del", f"trg_{name}_count_move"
    if _trigger_exists(conn, ins) and _trigger_exists(conn, dele) and _trigger_exists(conn, move):
        return
    for trig in (ins, dele, move):
        conn.execute(f"DROP TRIGGER IF EXISTS {_q(trig)}")
    tbl = _lit(name)
    add = ("INSERT INTO row_counts (tbl, company_key, entity, n) VALUES ({tbl}, NEW._COMPANY, coalesce(NEW._ENTITY, ''), 1)"
           " ON CONFLICT (tbl, company_key, entity) DO UPDATE SET n = n + 1;").format(tbl=tbl)
    sub = ("UPDATE row_counts SET n = n - 1 WHERE tbl = {tbl} AND company_key = OLD._COMPANY"
           " AND entity = coalesce(OLD._ENTITY, '');").format(tbl=tbl)
    conn.execute(f"CREATE TRIGGER {_q(ins)} AFTER INSERT ON {table} FOR EACH ROW BEGIN {add} END")
    conn.execute(f"CREATE TRIGGER {_q(dele)} AFTER DELETE ON {table} FOR EACH ROW BEGIN {sub} END")
    conn.execute(
        f"CREATE TRIGGER {_q(move)} AFTER UPDATE OF _COMPANY, _ENTITY ON {table} FOR EACH ROW"
        f" WHEN NEW._COMPANY IS NOT OLD._COMPANY OR NEW._ENTITY IS NOT OLD._ENTITY BEGIN {sub} {add} END"
    )
    conn.execute("DELETE FROM row_counts WHERE tbl = ?", [name])
    conn.execute(
        f"INSERT INTO row_counts (tbl, company_key, entity, n)"
        f" SELECT ?, _COMPANY, coalesce(_ENTITY, ''), COUNT(*) FROM {table} GROUP BY _COMPANY, coalesce(_ENTITY, '')",
        [name],
    )


def counted_rows(conn: sqlite3.Connection, obj: ObjectType, company_key: str, entities: tuple[str, ...] | None) -> int | None:
    """Rows of ``obj`` in the company, from the maintained counts: ``entities`` limits the entity
    column ('' = top level); ``None`` counts them all. ``None`` back for line objects (not counted)."""
    if obj.line_of:
        return None
    if entities is None:
        row = conn.execute("SELECT total(n) FROM row_counts WHERE tbl = ? AND company_key = ?", [obj.name, company_key]).fetchone()
    else:
        marks = ", ".join("?" * len(entities))
        row = conn.execute(f"SELECT total(n) FROM row_counts WHERE tbl = ? AND company_key = ? AND entity IN ({marks})",
                           [obj.name, company_key, *entities]).fetchone()
    return int(row[0])
