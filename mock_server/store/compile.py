"""Compile a filter tree (``query/ast.py``) to a parameterised SQLite WHERE clause.

Field names are resolved through the caller's ``resolve`` (which knows the object, custom
fields and relations and raises DL02000001 for anything else) so only declared columns reach
SQL; every literal travels as a parameter after coercion to the field's stored form. String
comparisons are case-sensitive as on Intacct; ``like`` uses a registered function because
SQLite's own LIKE ignores ASCII case.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Union

from ..errors import EnumValueError, QueryError
from ..objects.fields import Column, FieldType, ValueFormatError
from ..query.ast import And, Between, Compare, In, IsNull, Like, Node, Not, Or, Rownum
from .schema import q

Resolve = Callable[[str], Column]


@dataclass(frozen=True)
class CompiledFilter:
    where: str
    params: tuple[Any, ...]
    limit: int | None = None  # from readByQuery's rownum

    def to_json(self) -> dict[str, Any]:
        """What a result set keeps, to page on in readMore."""
        return {"where": self.where, "params": list(self.params)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CompiledFilter":
        return cls(data["where"], tuple(data["params"]))


MATCH_ALL = CompiledFilter("1=1", ())


@lru_cache(maxsize=512)
def _like_regex(pattern: str, case_insensitive: bool) -> re.Pattern[str]:
    parts = []
    for ch in pattern:
        parts.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if case_insensitive else 0))


def _intacct_like(value: Any, pattern: Any, case_insensitive: int) -> int | None:
    if value is None or pattern is None:
        return None
    return 1 if _like_regex(str(pattern), bool(case_insensitive)).fullmatch(str(value)) else 0


def register_sql_functions(conn: sqlite3.Connection) -> None:
    """Install the functions compiled filters call; done once per connection."""
    conn.create_function("intacct_like", 3, _intacct_like, deterministic=True)


class _Compiler:
    def __init__(self, resolve: Resolve, dialect: str, case_insensitive: bool) -> None:
        self.resolve = resolve
        self.dialect = dialect
        self.ci = case_insensitive
        self.params: list[Any] = []

    def column(self, name: str) -> Column:
        if self.dialect == "readByQuery" and "." in name:
            raise QueryError(f"Field '{name.upper()}' is a join; readByQuery cannot filter across objects.")
        return self.resolve(name)

    def literal(self, col: Column, text: str) -> Any:
        f = col.field
        try:
            return f.query_literal(text, dialect=self.dialect, case_insensitive=self.ci)
        except ValueFormatError as exc:
            if self.dialect == "query" and f.type in (FieldType.ENUM, FieldType.BOOLEAN):
                raise EnumValueError(f.name, text, f.labels) from None
            raise QueryError(f"Invalid value for {f.name}: {exc}") from None

    def text_side(self, col: Column) -> str:
        """Case folding only applies to text; numbers and dates compare as stored."""
        return f"lower({col.sql})" if self.ci and col.field.type is FieldType.TEXT else col.sql

    def bind(self, col: Column, value: Any) -> str:
        if self.ci and col.field.type is FieldType.TEXT and isinstance(value, str):
            value = value.lower()
        self.params.append(value)
        return "?"

    def compile(self, node: Node) -> str:
        if isinstance(node, And):
            return "(" + " AND ".join(self.compile(n) for n in node.items) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.compile(n) for n in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.compile(node.item)})"
        if isinstance(node, Rownum):
            raise QueryError("rownum can only limit the whole query (rownum = 1, rownum < N) joined with AND.")
        col = self.column(node.field)
        lhs = self.text_side(col)
        if isinstance(node, Compare):
            return f"{lhs} {node.op} {self.bind(col, self.literal(col, node.value))}"
        if isinstance(node, Between):
            low = self.bind(col, self.literal(col, node.low))
            high = self.bind(col, self.literal(col, node.high))
            return f"{lhs} BETWEEN {low} AND {high}"
        if isinstance(node, In):
            marks = ", ".join(self.bind(col, self.literal(col, v)) for v in node.values)
            return f"{lhs} {'NOT IN' if node.negate else 'IN'} ({marks})"
        if isinstance(node, IsNull):
            return f"{col.sql} IS {'NOT NULL' if node.negate else 'NULL'}"
        if isinstance(node, Like):
            self.params.append(node.pattern)
            expr = f"intacct_like({col.sql}, ?, {1 if self.ci else 0})"
            return f"NOT {expr}" if node.negate else expr
        raise AssertionError(f"unknown node {node!r}")


def _split_rownum(node: Node | None) -> tuple[Node | None, int | None]:
    """Take top-level ``rownum`` conjuncts out of the tree and return them as a row limit."""
    if isinstance(node, Rownum):
        return None, _limit(node)
    if isinstance(node, And):
        limits = [_limit(n) for n in node.items if isinstance(n, Rownum)]
        rest = tuple(n for n in node.items if not isinstance(n, Rownum))
        if limits:
            remaining: Node | None = rest[0] if len(rest) == 1 else (And(rest) if rest else None)
            return remaining, min(limits)
    return node, None


def _limit(node: Rownum) -> int:
    if node.op == "=":
        return 1 if node.value == 1 else 0  # Oracle: rownum = N > 1 matches nothing
    if node.op == "<":
        return max(node.value - 1, 0)
    if node.op == "<=":
        return node.value
    raise QueryError(f"rownum {node.op} {node.value} is not supported; use rownum < N or rownum <= N.")


def compile_filter(node: Node | None, resolve: Resolve, *, dialect: str, case_insensitive: bool = False) -> CompiledFilter:
    """Compile ``node`` for ``dialect`` ("readByQuery" or "query")."""
    if dialect not in ("readByQuery", "query"):
        raise ValueError(f"unknown dialect {dialect!r}")
    limit = None
    if dialect == "readByQuery":
        node, limit = _split_rownum(node)
    if node is None:
        return CompiledFilter("1=1", (), limit)
    compiler = _Compiler(resolve, dialect, case_insensitive)
    where = compiler.compile(node)
    return CompiledFilter(where, tuple(compiler.params), limit)


# ---------------------------------------------------------------------------- legacy get_list filters

LIST_OPERATORS = {"=": "=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "like": "LIKE"}

ListFilter = Union[tuple[str, str, str], tuple[str, tuple["ListFilter", ...]]]


def compile_list_filter(node: "ListFilter | None", columns: dict[str, str]) -> CompiledFilter:
    """Legacy ``get_list`` filters, compared as stored text: ``(column, operator, value)`` leaves
    under ``("and" | "or", (children ...))``. ``columns`` maps the legacy names to stored ones;
    callers have checked every name and operator against it and ``LIST_OPERATORS``."""
    if node is None:
        return MATCH_ALL
    params: list[Any] = []

    def walk(n) -> str:
        if n[0] in ("and", "or") and len(n) == 2:
            return "(" + f" {n[0].upper()} ".join(walk(c) for c in n[1]) + ")"
        field, operator, value = n
        params.append(value)
        return f"t.{q(columns[field])} {LIST_OPERATORS[operator]} ?"

    return CompiledFilter(walk(node), tuple(params))
