"""Read models for the admin API and the inspector: the books of a company as stored, unscoped.

Intacct's own reads go through ``Books`` (entity visibility, custom fields, paging by query);
these answer an operator's questions ("what is in the books?") across every entity.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Mapping

from ..objects.base import ObjectType
from ..objects.registry import all_object_types
from .books import row_to_dict
from .schema import q


def record_counts(conn: sqlite3.Connection, company_key: str) -> dict[str, int]:
    """Records per header object (lines are not counted)."""
    return {obj.name: conn.execute(f"SELECT COUNT(*) FROM {q(obj.name)} WHERE _COMPANY = ?", [company_key]).fetchone()[0]
            for obj in all_object_types() if not obj.line_of}


def records(conn: sqlite3.Connection, obj: ObjectType, company_key: str, *, after: int = 0,
            equal: Mapping[str, Any] | None = None, limit: int = 100, newest_first: bool = False) -> list[dict[str, Any]]:
    """Stored rows (custom fields merged in), by RECORDNO; ``equal``: stored field values to match."""
    equal = equal or {}
    where = "".join(f" AND {q(f)} = ?" for f in equal)
    if newest_first:
        sql = f"SELECT * FROM {q(obj.name)} WHERE _COMPANY = ?{where} ORDER BY RECORDNO DESC LIMIT ?"
        args = [company_key, *equal.values(), limit]
    else:
        sql = f"SELECT * FROM {q(obj.name)} WHERE _COMPANY = ? AND RECORDNO > ?{where} ORDER BY RECORDNO LIMIT ?"
        args = [company_key, after, *equal.values(), limit]
    return [row_to_dict(r) for r in conn.execute(sql, args)]


def record(conn: sqlite3.Connection, obj: ObjectType, company_key: str, recordno: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT * FROM {q(obj.name)} WHERE _COMPANY = ? AND RECORDNO = ?",
                       [company_key, recordno]).fetchone()
    return row_to_dict(row) if row else None


def lines(conn: sqlite3.Connection, line_obj: ObjectType, parent: int) -> list[dict[str, Any]]:
    return [row_to_dict(r) for r in conn.execute(f"SELECT * FROM {q(line_obj.name)} WHERE _PARENT = ? ORDER BY _LINE",
                                                 [parent])]


def count(conn: sqlite3.Connection, obj: ObjectType, company_key: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {q(obj.name)} WHERE _COMPANY = ?", [company_key]).fetchone()[0])


def fingerprint(conn: sqlite3.Connection, company_key: str) -> tuple:
    """Something that changes whenever any of a company's records is written (the fuzzer's check
    that a failed request left the books alone): per table, count, latest WHENMODIFIED, RECORDNO sum."""
    return tuple(tuple(conn.execute(
        f"SELECT COUNT(*), COALESCE(MAX(WHENMODIFIED), ''), COALESCE(SUM(RECORDNO), 0) FROM {q(obj.name)}"
        " WHERE _COMPANY = ?", [company_key]).fetchone()) for obj in all_object_types())
