"""The filter tree both query dialects compile to.

readByQuery's SQL-like string and query's XML ``<filter>`` describe the same handful of
predicates, so both parsers build these nodes and one compiler (``sql.py``) turns them into a
parameterised WHERE clause. Values stay raw text here: how a literal is coerced depends on the
field's type and on the dialect, which only the compiler knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

COMPARISONS = ("=", "!=", "<", ">", "<=", ">=")


@dataclass(frozen=True)
class Compare:
    field: str
    op: str  # one of COMPARISONS
    value: str


@dataclass(frozen=True)
class Like:
    field: str
    pattern: str
    negate: bool = False


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[str, ...]
    negate: bool = False


@dataclass(frozen=True)
class IsNull:
    field: str
    negate: bool = False


@dataclass(frozen=True)
class Between:
    field: str
    low: str
    high: str


@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    item: "Node"


@dataclass(frozen=True)
class Rownum:
    """readByQuery's ``rownum`` pseudo-field: a row limit, not a predicate."""

    op: str
    value: int


Node = Union[Compare, Like, In, IsNull, Between, And, Or, Not, Rownum]
