"""Legacy ``get_list`` for attachments and their folders (the only way clients list them).

Answers ``<listtype start end total>`` then ``<data>`` with lower-case fields and MM/DD/YYYY
dates, as in the 2.1-era captures. Filters: one ``<expression>`` (field, operator, value) or a
``<logical logical_operator="and|or">`` of expressions.
"""

from __future__ import annotations

from lxml import etree

from ...errors import RequestValidationError
from ...xmlsafe import child, text_of
from ...objects.registry import object_type
from ...store.compile import LIST_OPERATORS, ListFilter, compile_list_filter
from ..call import XmlCall
from ..registry import function
from ..replies import ListTypeReply, Reply

# legacy object -> (3.0 object, [(legacy field, stored field)])
LISTS = {
    "supdoc": ("SUPDOC", [("recordno", "RECORDNO"), ("supdocid", "SUPDOCID"), ("supdocname", "SUPDOCNAME"),
                          ("folder", "FOLDER"), ("description", "DESCRIPTION"), ("creationdate", "WHENCREATED"),
                          ("createdby", "CREATEDBY")]),
    "supdocfolder": ("SUPDOCFOLDER", [("recordno", "RECORDNO"), ("name", "NAME"), ("description", "DESCRIPTION"),
                                      ("parentfolder", "PARENTFOLDER"), ("creationdate", "WHENCREATED"),
                                      ("createdby", "CREATEDBY")]),
}
ALIASES = {"supdocfoldername": "name"}


def _expression(el: etree._Element, columns: dict[str, str]) -> ListFilter:
    if el.tag == "logical":
        op = (el.get("logical_operator") or "and").lower()
        if op not in ("and", "or"):
            raise RequestValidationError(f"Invalid logical_operator '{op}'.")
        parts = tuple(_expression(c, columns) for c in el if isinstance(c.tag, str))
        if not parts:
            raise RequestValidationError("<logical> needs at least one expression.")
        return (op, parts)
    if el.tag != "expression":
        raise RequestValidationError(f"Invalid filter element <{el.tag}>.")
    field = (text_of(child(el, "field")) or "").lower()
    field = ALIASES.get(field, field)
    operator = (text_of(child(el, "operator")) or "").lower()
    if field not in columns or operator not in LIST_OPERATORS:
        raise RequestValidationError(f"Invalid filter expression on '{field}' with operator '{operator}'.")
    return (field, operator, text_of(child(el, "value")) or "")


@function("get_list", legacy=True)
def handle_get_list(ctx: XmlCall, el: etree._Element) -> Reply:
    name = (el.get("object") or "").lower()
    if name not in LISTS:
        raise RequestValidationError(f"get_list of '{name}' is not supported by the emulator.",
                                     correction="Use readByQuery for 3.0 objects.")
    obj_name, mapping = LISTS[name]
    obj = object_type(obj_name)
    ctx.require("READ", obj)
    columns = dict(mapping)
    tree = None
    filter_el = child(el, "filter")
    if filter_el is not None:
        kids = [c for c in filter_el if isinstance(c.tag, str)]
        if len(kids) != 1:
            raise RequestValidationError("<filter> needs exactly one expression or logical element.")
        tree = _expression(kids[0], columns)
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
