"""Parser for readByQuery's legacy query string (protocol notes 7.5).

The language is a SQL WHERE clause without joins or ORDER BY: comparisons, ``like``,
``in``, ``is [not] null``, ``AND``/``OR``/``NOT`` and parentheses; strings in single quotes with
backslash escapes; ``rownum`` as a limit. Two failure modes mirror the gateway: text the parser
cannot tokenise (a backtick, an unterminated string) gives "Unable to parse Query value", while
SQL it recognises but does not support (``ORDER BY``, a bare word as a value) gives DL02000001.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError, QueryParseError
from .ast import COMPARISONS, And, Compare, In, IsNull, Like, Node, Not, Or, Rownum

MAX_IN_VALUES = 1000

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>'(?:\\.|[^'\\])*')
  | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<punct>[(),])
  | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL", "ORDER", "BY", "GROUP", "SELECT"}


@dataclass(frozen=True)
class Token:
    kind: str  # string, number, op, punct, word, keyword, end
    text: str
    value: str


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None:
            raise QueryParseError(query)
        pos = m.end()
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "ws":
            continue
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", text[1:-1])
        elif kind == "word" and text.upper() in _KEYWORDS:
            kind, value = "keyword", text.upper()
        elif kind == "op":
            value = "!=" if text == "<>" else text
        else:
            value = text
        tokens.append(Token(kind, text, value))
    tokens.append(Token("end", "", ""))
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = tokenize(query)
        self.pos = 0

    # -------------------------------------------------------------- token helpers

    @property
    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def accept_keyword(self, *words: str) -> bool:
        if self.peek.kind == "keyword" and self.peek.value in words:
            self.pos += 1
            return True
        return False

    def expect(self, kind: str, value: str | None = None) -> Token:
        token = self.peek
        if token.kind != kind or (value is not None and token.value != value):
            self.fail(f"expected {value or kind}")
        return self.take()

    def fail(self, what: str) -> None:
        token = self.peek
        if token.kind == "keyword" and token.value in ("ORDER", "GROUP", "SELECT"):
            raise QueryError(f"{token.value} is not supported in a readByQuery query.")
        near = token.text or "end of query"
        raise QueryError(f"Invalid query near '{near}': {what}.")

    # -------------------------------------------------------------- grammar

    def parse(self) -> Node:
        node = self.disjunction()
        if self.peek.kind != "end":
            self.fail("expected AND, OR or the end of the query")
        return node

    def disjunction(self) -> Node:
        items = [self.conjunction()]
        while self.accept_keyword("OR"):
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self) -> Node:
        items = [self.unary()]
        while self.accept_keyword("AND"):
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        if self.accept_keyword("NOT"):
            return Not(self.unary())
        if self.peek.kind == "punct" and self.peek.value == "(":
            self.take()
            node = self.disjunction()
            self.expect("punct", ")")
            return node
        return self.predicate()

    def predicate(self) -> Node:
        if self.peek.kind != "word":
            self.fail("expected a field name")
        field = self.take().value
        if self.peek.kind == "op":
            op = self.take().value
            assert op in COMPARISONS
            value = self.literal()
            if field.upper() == "ROWNUM":
                if not value.isdigit():
                    raise QueryError("rownum must be compared with a whole number.")
                return Rownum(op, int(value))
            return Compare(field, op, value)
        if field.upper() == "ROWNUM":
            self.fail("rownum takes =, < or <=")
        negate = self.accept_keyword("NOT")
        if self.accept_keyword("LIKE"):
            return Like(field, self.literal(), negate)
        if self.accept_keyword("IN"):
            return In(field, self.value_list(), negate)
        if not negate and self.accept_keyword("IS"):
            is_not = self.accept_keyword("NOT")
            self.expect("keyword", "NULL")
            return IsNull(field, is_not)
        self.fail("expected an operator")
        raise AssertionError("unreachable")

    def literal(self) -> str:
        token = self.peek
        if token.kind in ("string", "number"):
            return self.take().value
        self.fail("expected a quoted value or a number")
        raise AssertionError("unreachable")

    def value_list(self) -> tuple[str, ...]:
        self.expect("punct", "(")
        values = [self.literal()]
        while self.peek.kind == "punct" and self.peek.value == ",":
            self.take()
            values.append(self.literal())
        self.expect("punct", ")")
        if len(values) > MAX_IN_VALUES:
            raise QueryError(f"An IN list may hold at most {MAX_IN_VALUES} values.")
        return tuple(values)


def parse_legacy_query(query: str) -> Node | None:
    """Parse a readByQuery ``<query>``; ``None`` for an empty one (list everything)."""
    if not query or not query.strip():
        return None
    return _Parser(query).parse()
