"""The newer ``query`` function: select, filter, orderby, offset paging, aggregates (notes 7.7).

Each page is a fresh query at an offset, as on the real gateway. Values in filters are labels,
not stored codes; a code raises the enum error integrators meet. Aggregate names follow the
docs: ``COUNT.X``, plain ``X`` for sum, ``AVG.X``/``MIN.X``/``MAX.X`` (the last three unverified).
"""

from __future__ import annotations

from lxml import etree

from ...errors import QueryError, RequestValidationError
from ...xmlsafe import child, parse_bool, text_of
from ...objects.fields import Column, Field, FieldType, integer, parse_whole
from ..filters import parse_filter_element
from ...store.books import Selected
from ...store.columns import resolver
from ...store.compile import compile_filter
from ..call import XmlCall
from ..formats import raw_reply
from .reads import object_for, page_size, with_docparid
from ..registry import function
from ..replies import RecordsReply, Reply

AGGREGATES = {"count": "COUNT", "sum": "SUM", "avg": "AVG", "min": "MIN", "max": "MAX"}
_COUNT_FIELD = integer("COUNT")


def _output_name(kind: str, field: str) -> str:
    if kind == "field" or kind == "sum":
        return field
    return f"{AGGREGATES[kind]}.{field}"


@function("query")
def handle_query(ctx: XmlCall, el: etree._Element) -> Reply:
    """Select fields or aggregates with a filter tree, order and offset paging."""
    obj = object_for(ctx, el, "READ_BY_QUERY")
    options = child(el, "options")
    case_insensitive = parse_bool(text_of(child(options, "caseinsensitive")) if options is not None else None, False)
    showprivate = parse_bool(text_of(child(options, "showprivate")) if options is not None else None, False)
    fmt = ((text_of(child(options, "returnformat")) if options is not None else None) or "xml").lower()
    if fmt not in ("xml", "json", "csv"):
        raise RequestValidationError(f"Invalid returnformat '{fmt}'.", correction="Use xml, json or csv.")
    resolve = resolver(obj, ctx.fields_of(obj))

    select = child(el, "select")
    items = [c for c in (select if select is not None else []) if isinstance(c.tag, str)]
    if not items:
        raise RequestValidationError("<query> requires <select> with at least one <field>.", correction="Select fields.")
    selection: list[Selected] = []
    outputs: list[tuple[str, Field]] = []
    for item in items:
        kind = item.tag.lower()
        name = (text_of(item) or "").upper()
        if kind != "field" and kind not in AGGREGATES:
            raise RequestValidationError(f"Invalid select element <{item.tag}>.", correction="Use field, count, sum, avg, min or max.")
        if name == "*":
            raise QueryError("'*' is not allowed in <select>; name each field.")
        col = resolve(name)
        if kind == "field":
            selection.append(Selected(col))
            outputs.append((name, col.field))
        else:
            if kind in ("sum", "avg") and col.field.type not in (FieldType.DECIMAL, FieldType.INTEGER):
                raise QueryError(f"{kind} needs a numeric field; {name} is {col.field.type.value}.")
            selection.append(Selected(col, AGGREGATES[kind]))
            outputs.append((_output_name(kind, name), _COUNT_FIELD if kind == "count" else col.field))

    filter_el = child(el, "filter")
    node = with_docparid(obj, el, parse_filter_element(filter_el) if filter_el is not None else None)
    compiled = compile_filter(node, resolve, dialect="query", case_insensitive=case_insensitive)

    order: list[tuple[Column, bool]] = []
    orderby = child(el, "orderby")
    for item in (orderby if orderby is not None else []):
        if item.tag != "order":
            continue
        order.append((resolve(text_of(child(item, "field")) or ""), child(item, "descending") is not None))
    pagesize = page_size(el, 100, 2000)
    offset_text = text_of(child(el, "offset")) or "0"
    parsed_offset = parse_whole(offset_text)
    if parsed_offset is None:
        raise RequestValidationError(f"Invalid offset '{offset_text}'.", correction="Use a whole number of records to skip.")
    offset = parsed_offset
    total, rows = ctx.books.select(obj, selection, compiled, order, limit=pagesize, offset=offset,
                                   showprivate=showprivate)

    records = []
    for row in rows:
        entries = [(name, f.to_output(value) if value is not None else "") for (name, f), value in zip(outputs, row)]
        records.append((obj.name, entries))
    if fmt != "xml":
        flat = [{name: value for name, value in entries} for _, entries in records]
        return raw_reply(fmt, flat, [name for name, _ in outputs])
    attrs = {"listtype": obj.name, "totalcount": total, "offset": offset, "count": len(records),
             "numremaining": max(total - offset - len(records), 0)}
    return RecordsReply(attrs, records)

