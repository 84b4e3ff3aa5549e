"""``POST /services/core/query``: the REST query body compiled by the same query layer as XML's
``query`` (the filter tree of ``query/ast.py``, the store's compiler), over the REST names.

``filters`` are one-key objects (``{"$eq": {"vendor.id": "V-1"}}``), joined by ``filterExpression``
(``"(1 and 2) or 3"``; default: all of them, and); ``fields`` are REST names (``href`` too), results
are flat records keyed by the names asked for, pages are 1-based (``start``, ``size`` <= 4000).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Mapping

from ..query.ast import And, Between, Compare, In, IsNull, Like, Node, Not, Or
from ..store.books import Selected
from ..store.columns import resolver
from ..store.compile import CompiledFilter, compile_filter
from .errors import RestError
from .objects import RestField, RestObject, rest_object

MAX_SIZE = 4000
MAX_START = 2**53  # any page a real result set could reach (SQLite's offsets are 64-bit)
COMPARE = {"$eq": "=", "$ne": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}
LIKE = {"$contains": ("%{}%", False), "$notContains": ("%{}%", True), "$startsWith": ("{}%", False),
        "$notStartsWith": ("{}%", True), "$endsWith": ("%{}", False), "$notEndsWith": ("%{}", True)}


def within_path(rest: RestObject, node: Node | None) -> Node | None:
    """``node`` narrowed to what the path names: ``order-entry/document::Sales Invoice`` is the
    documents of that transaction definition only (``RestObject.fixed``), for reads as for writes."""
    fixed = tuple(Compare(stored, "=", value) for stored, value in rest.fixed)
    if not fixed:
        return node
    return And((*fixed, node)) if node is not None else (fixed[0] if len(fixed) == 1 else And(fixed))


def path_filter(ctx, rest: RestObject) -> CompiledFilter:
    """The compiled ``within_path`` of an unfiltered read (a collection GET)."""
    return compile_filter(within_path(rest, None), resolver(rest.object, ctx.fields_of(rest.object)), dialect="query")


def run_query(ctx, body: Any) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        raise RestError("The query must be a JSON object.", target="/")
    rest = rest_object(str(body.get("object") or ""))
    if rest is None:
        raise RestError(f"Unknown object '{body.get('object')}'.", target="/object")
    obj = rest.object
    ctx.require("READ", obj)
    names = body.get("fields") or ["key", "id", "href"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise RestError("'fields' must be an array of field names.", target="/fields")
    fields = ctx.fields_of(obj)
    resolve = resolver(obj, fields)
    stored = [(name, None if name == "href" else _field(rest, name, "/fields")) for name in names]
    selection = [Selected(resolve("RECORDNO"))] + [Selected(resolve(m.stored)) for _, m in stored
                                                   if m is not None and m.emulated]
    node = within_path(rest, _filters(rest, fields, body.get("filters") or [], body.get("filterExpression")))
    parameters = body.get("filterParameters") or {}
    case_insensitive = parameters.get("caseSensitiveComparison") is False if isinstance(parameters, Mapping) else False
    compiled = compile_filter(node, resolve, dialect="query", case_insensitive=case_insensitive)
    order = []
    for item in body.get("orderBy") or []:
        if not isinstance(item, Mapping) or len(item) != 1:
            raise RestError("Each orderBy entry is {field: 'asc' | 'desc'}.", target="/orderBy")
        (name, direction), = item.items()
        if direction not in ("asc", "desc"):
            raise RestError(f"Order '{direction}' is not asc or desc.", target="/orderBy")
        order.append((resolve(_field(rest, name, "/orderBy", stored=True).stored), direction == "desc"))
    start, size = _whole(body.get("start", 1), "/start"), _whole(body.get("size", 100), "/size")
    if not 1 <= start <= MAX_START or not 1 <= size <= MAX_SIZE:
        raise RestError(f"start is 1 to {MAX_START}, size 1 to {MAX_SIZE}.", target="/start" if size <= MAX_SIZE
                        and size >= 1 else "/size")
    total, rows = ctx.books.select(obj, selection, compiled, order, limit=size, offset=start - 1,
                                   showprivate=bool(isinstance(parameters, Mapping) and parameters.get("includePrivate")))
    # one plan per column, made once: (name, where its value is in the row, how it is typed);
    # a published property the books do not keep answers null, ``href`` is the record's link
    plan: list[tuple[str, int, Any]] = []
    column = 1
    for name, mapped in stored:
        if mapped is None:
            plan.append((name, 0, rest.href))
        elif mapped.emulated:
            plan.append((name, column, partial(mapped.to_json, f=fields.get(mapped.stored))))
            column += 1
        else:
            plan.append((name, -1, None))
    records = [{name: (convert(row[at]) if at >= 0 else None) for name, at, convert in plan} for row in rows]
    following = start + size if start - 1 + size < total else None
    return {"ia::result": records, "ia::meta": {"totalCount": total, "start": start, "pageSize": size, "next": following,
                                                "previous": max(start - size, 1) if start > 1 else None}}


def _field(rest: RestObject, name: str, where: str, *, stored: bool = False) -> RestField:
    mapped = rest.by_name.get(name)
    if mapped is None:
        raise RestError(f"'{name}' is not a field of {rest.path}.", target=f"{where}/{name}")
    if stored and not mapped.emulated:
        raise RestError(f"'{name}' is a field of {rest.path} the emulator does not keep, so it cannot filter or "
                        "order a query.", target=f"{where}/{name}")
    return mapped


def _value(mapped: RestField, fields, value: Any) -> str:
    """A REST filter value as the query dialect compares it (enumerations by their label)."""
    text = "true" if value is True else "false" if value is False else str(value)
    f = fields.get(mapped.stored)
    code = mapped.to_stored_text(text, f)
    return f.label_for(code) if f is not None and f.codes else code


def _condition(rest: RestObject, fields, n: int, item: Any) -> Node:
    if not isinstance(item, Mapping) or len(item) != 1:
        raise RestError("Each filter is one operator: {\"$eq\": {\"field\": value}}.", target=f"/filters/{n}")
    (op, operand), = item.items()
    if not isinstance(operand, Mapping) or len(operand) != 1:
        raise RestError(f"{op} takes one field and its value.", target=f"/filters/{n}")
    (name, value), = operand.items()
    mapped = _field(rest, name, f"/filters/{n}", stored=True)
    f = mapped.stored
    if op in COMPARE:
        if value is None:
            return IsNull(f, negate=op == "$ne")
        return Compare(f, COMPARE[op], _value(mapped, fields, value))
    if op in LIKE:
        pattern, negate = LIKE[op]
        return Like(f, pattern.format(_value(mapped, fields, value)), negate)
    if op in ("$in", "$notIn"):
        if not isinstance(value, list) or not value:
            raise RestError(f"{op} takes a non-empty array.", target=f"/filters/{n}")
        return In(f, tuple(_value(mapped, fields, v) for v in value), op == "$notIn")
    if op in ("$between", "$notBetween"):
        if not isinstance(value, list) or len(value) != 2:
            raise RestError(f"{op} takes an array of two values.", target=f"/filters/{n}")
        node = Between(f, _value(mapped, fields, value[0]), _value(mapped, fields, value[1]))
        return Not(node) if op == "$notBetween" else node
    raise RestError(f"Unknown filter operator '{op}'.", target=f"/filters/{n}")


TOKEN = re.compile(r"\s*(\d+|and|or|\(|\))", re.IGNORECASE)


def _filters(rest: RestObject, fields, filters: Any, expression: Any) -> Node | None:
    if not isinstance(filters, list):
        raise RestError("'filters' must be an array.", target="/filters")
    conditions = [_condition(rest, fields, n, item) for n, item in enumerate(filters)]
    if not conditions:
        return None
    text = (expression or "and").strip() if isinstance(expression, (str, type(None))) else None
    if text is None:
        raise RestError("'filterExpression' must be a string.", target="/filterExpression")
    if text.lower() in ("and", "or"):
        return (And if text.lower() == "and" else Or)(tuple(conditions)) if len(conditions) > 1 else conditions[0]
    tokens, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise RestError(f"Cannot read filterExpression at '{text[pos:]}'.", target="/filterExpression")
        tokens.append(m.group(1).lower())
        pos = m.end()
    node, rest_tokens = _expr(tokens, conditions)
    if rest_tokens:
        raise RestError(f"Unexpected '{rest_tokens[0]}' in filterExpression.", target="/filterExpression")
    return node


def _joined(tokens: list[str], conditions: list[Node], word: str, join, operand) -> tuple[Node, list[str]]:
    """Operands joined by ``word`` (``or`` of and-terms, ``and`` of atoms), one node for them."""
    node, tokens = operand(tokens, conditions)
    items = [node]
    while tokens and tokens[0] == word:
        node, tokens = operand(tokens[1:], conditions)
        items.append(node)
    return (join(tuple(items)) if len(items) > 1 else items[0]), tokens


def _expr(tokens: list[str], conditions: list[Node]) -> tuple[Node, list[str]]:
    """or-expression: and-terms joined by 'or' (and binds tighter)."""
    return _joined(tokens, conditions, "or", Or, _term)


def _term(tokens: list[str], conditions: list[Node]) -> tuple[Node, list[str]]:
    return _joined(tokens, conditions, "and", And, _atom)


def _atom(tokens: list[str], conditions: list[Node]) -> tuple[Node, list[str]]:
    if not tokens:
        raise RestError("filterExpression ends too soon.", target="/filterExpression")
    head = tokens[0]
    if head == "(":
        node, tokens = _expr(tokens[1:], conditions)
        if not tokens or tokens[0] != ")":
            raise RestError("A '(' in filterExpression is not closed.", target="/filterExpression")
        return node, tokens[1:]
    if head.isdigit() and 1 <= int(head) <= len(conditions):
        return conditions[int(head) - 1], tokens[1:]
    raise RestError(f"'{head}' in filterExpression names no filter (1 to {len(conditions)}).",
                    target="/filterExpression")


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RestError("A whole number is expected.", target=where)
    return value
