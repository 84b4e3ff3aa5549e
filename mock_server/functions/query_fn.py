"""The newer ``query`` function: select, filter, orderby, offset paging, aggregates (notes 7.7).

Each page is a fresh query at an offset, as on the real gateway. Values in filters are labels,
not stored codes; a code raises the enum error integrators meet. Aggregate names follow the
docs: ``COUNT.X``, plain ``X`` for sum, ``AVG.X``/``MIN.X``/``MAX.X`` (the last three unverified).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..errors import QueryError, RequestValidationError
from ..xmlsafe import child, parse_bool, text_of
from ..objects.fields import Field, FieldType, integer, parse_whole
from ..gateway.filters import parse_filter_element
from ..query.sql import compile_filter
from .columns import resolver
from .context import FunctionContext
from .formats import raw_reply
from .reads import object_for, page_size
from .registry import function
from .replies import RecordsReply, Reply

AGGREGATES = {"count": "COUNT", "sum": "SUM", "avg": "AVG", "min": "MIN", "max": "MAX"}
_COUNT_FIELD = integer("COUNT")


def _output_name(kind: str, field: str) -> str:
    if kind == "field" or kind == "sum":
        return field
    return f"{AGGREGATES[kind]}.{field}"


@function("query")
def handle_query(ctx: FunctionContext, el: etree._Element) -> Reply:
    obj = object_for(ctx, el, "READ_BY_QUERY")
    options = child(el, "options")
    case_insensitive = parse_bool(text_of(child(options, "caseinsensitive")) if options is not None else None, False)
    showprivate = parse_bool(text_of(child(options, "showprivate")) if options is not None else None, False)
    fmt = ((text_of(child(options, "returnformat")) if options is not None else None) or "xml").lower()
    if fmt not in ("xml", "json", "csv"):
        raise RequestValidationError(f"Invalid returnformat '{fmt}'.", correction="Use xml, json or csv.")
    resolve = resolver(obj, ctx)

    select = child(el, "select")
    items = [c for c in (select if select is not None else []) if isinstance(c.tag, str)]
    if not items:
        raise RequestValidationError("<query> requires <select> with at least one <field>.", correction="Select fields.")
    exprs: list[str] = []
    outputs: list[tuple[str, Field]] = []
    group_by: list[str] = []
    has_aggregate = False
    for n, item in enumerate(items):
        kind = item.tag.lower()
        name = (text_of(item) or "").upper()
        if kind != "field" and kind not in AGGREGATES:
            raise RequestValidationError(f"Invalid select element <{item.tag}>.", correction="Use field, count, sum, avg, min or max.")
        if name == "*":
            raise QueryError("'*' is not allowed in <select>; name each field.")
        col = resolve(name)
        alias = f"c{n}"
        if kind == "field":
            exprs.append(f"{col.sql} AS {alias}")
            group_by.append(col.sql)
            outputs.append((name, col.field))
        else:
            has_aggregate = True
            if kind in ("sum", "avg") and col.field.type not in (FieldType.DECIMAL, FieldType.INTEGER):
                raise QueryError(f"{kind} needs a numeric field; {name} is {col.field.type.value}.")
            exprs.append(f"{AGGREGATES[kind]}({col.sql}) AS {alias}")
            outputs.append((_output_name(kind, name), _COUNT_FIELD if kind == "count" else col.field))

    filter_el = child(el, "filter")
    node = parse_filter_element(filter_el) if filter_el is not None else None
    compiled = compile_filter(node, resolve, dialect="query", case_insensitive=case_insensitive)

    order_parts: list[str] = []
    orderby = child(el, "orderby")
    for order in (orderby if orderby is not None else []):
        if order.tag != "order":
            continue
        col = resolve(text_of(child(order, "field")) or "")
        order_parts.append(f"{col.sql} {'DESC' if child(order, 'descending') is not None else 'ASC'}")
    pagesize = page_size(el, 100, 2000)
    offset_text = text_of(child(el, "offset")) or "0"
    parsed_offset = parse_whole(offset_text)
    if parsed_offset is None:
        raise RequestValidationError(f"Invalid offset '{offset_text}'.", correction="Use a whole number of records to skip.")
    offset = parsed_offset

    books = ctx.books
    grouping = f" GROUP BY {', '.join(group_by)}" if has_aggregate and group_by else ""
    scope, sparams = books.scope(obj, showprivate=showprivate, alias="t")
    base = f"FROM \"{obj.name}\" AS t WHERE {scope} AND ({compiled.where}){grouping}"
    params: list[Any] = [*sparams, *compiled.params]
    if has_aggregate:
        total = int(books.conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base})", params).fetchone()[0])
    else:
        total = int(books.conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0])
    order_sql = ", ".join(order_parts) or ("1" if has_aggregate and not group_by else ("t.RECORDNO" if not has_aggregate else "1"))
    rows = books.conn.execute(
        f"SELECT {', '.join(exprs)} {base} ORDER BY {order_sql} LIMIT ? OFFSET ?", [*params, pagesize, offset]
    ).fetchall()

    records = []
    for row in rows:
        entries = [(name, f.to_output(row[f"c{i}"]) if row[f"c{i}"] is not None else "") for i, (name, f) in enumerate(outputs)]
        records.append((obj.name, entries))
    if fmt != "xml":
        flat = [{name: value for name, value in entries} for _, entries in records]
        return raw_reply(fmt, flat, [name for name, _ in outputs])
    attrs = {"listtype": obj.name, "totalcount": total, "offset": offset, "count": len(records),
             "numremaining": max(total - offset - len(records), 0)}
    return RecordsReply(attrs, records)

