"""Legacy ``get_list`` of the objects that declare one (``ObjectType.legacy_list``): attachments
and their folders, the only way clients list them.

Answers ``<listtype start end total>`` then ``<data>`` with lower-case fields and MM/DD/YYYY
dates, as in the 2.1-era captures. Filters: one ``<expression>`` (field, operator, value) or a
``<logical logical_operator="and|or">`` of expressions.
"""

from __future__ import annotations

from typing import Mapping

from lxml import etree

from ...errors import RequestValidationError
from ...objects.base import ObjectType
from ...objects.registry import all_object_types
from ...xmlsafe import child, text_of
from ...store.compile import LIST_OPERATORS, ListFilter, compile_list_filter
from ..call import XmlCall
from ..registry import function
from ..replies import ListTypeReply, Reply

def _lists() -> dict[str, ObjectType]:
    """``get_list`` object name -> the object that declares it (``ObjectType.legacy_list``)."""
    return {obj.legacy_list.name: obj for obj in all_object_types() if obj.legacy_list is not None}


def _expression(el: etree._Element, columns: dict[str, str], aliases: Mapping[str, str]) -> ListFilter:
    if el.tag == "logical":
        op = (el.get("logical_operator") or "and").lower()
        if op not in ("and", "or"):
            raise RequestValidationError(f"Invalid logical_operator '{op}'.")
        parts = tuple(_expression(c, columns, aliases) for c in el if isinstance(c.tag, str))
        if not parts:
            raise RequestValidationError("<logical> needs at least one expression.")
        return (op, parts)
    if el.tag != "expression":
        raise RequestValidationError(f"Invalid filter element <{el.tag}>.")
    field = (text_of(child(el, "field")) or "").lower()
    field = aliases.get(field, field)
    operator = (text_of(child(el, "operator")) or "").lower()
    if field not in columns or operator not in LIST_OPERATORS:
        raise RequestValidationError(f"Invalid filter expression on '{field}' with operator '{operator}'.")
    return (field, operator, text_of(child(el, "value")) or "")


@function("get_list", legacy=True)
def handle_get_list(ctx: XmlCall, el: etree._Element) -> Reply:
    """List attachments or folders the 2.1 way: ``start``/``maxitems`` and a simple filter."""
    name = (el.get("object") or "").lower()
    obj = _lists().get(name)
    if obj is None:
        raise RequestValidationError(f"get_list of '{name}' is not supported by the emulator.",
                                     correction="Use readByQuery for 3.0 objects.")
    assert obj.legacy_list is not None
    ctx.require("READ", obj)
    mapping = obj.legacy_list.columns
    columns = dict(mapping)
    tree = None
    filter_el = child(el, "filter")
    if filter_el is not None:
        kids = [c for c in filter_el if isinstance(c.tag, str)]
        if len(kids) != 1:
            raise RequestValidationError("<filter> needs exactly one expression or logical element.")
        tree = _expression(kids[0], columns, obj.legacy_list.aliases)
    where = compile_list_filter(tree, columns)
    try:
        start, maxitems = int(el.get("start") or 0), int(el.get("maxitems") or 100)
    except ValueError:
        raise RequestValidationError("start and maxitems must be whole numbers.") from None
    total = ctx.books.count(obj, where, showprivate=True)
    rows = ctx.books.find(obj, where, limit=max(maxitems, 0), offset=max(start, 0), showprivate=True)
    fields = obj.fields
    records = [
        (name, [(legacy, fields[stored].to_output(row.get(stored)).split(" ")[0] if stored == "WHENCREATED"
                 else fields[stored].to_output(row.get(stored))) for legacy, stored in mapping])
        for row in rows
    ]
    end = start + len(records) - 1 if records else start
    return ListTypeReply(name, start, end, total, records)
