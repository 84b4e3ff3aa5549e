"""Read-side helpers for the Inspector: newest-first journal pages, books tables, record links."""

from __future__ import annotations

import re
from typing import Any, Iterable

from lxml import etree
from markupsafe import escape

from .. import xmlsafe
from ..journal import Journal
from ..gateway import registry
from ..objects.base import ObjectType
from ..objects.registry import all_object_types, find_object_type
from ..store import journal as journal_rows
from ..store import reports

JOURNAL_PAGE_MAX = 1000
MENTION_WINDOW = 1000  # record -> journal links look at the company's latest entries only
BOOK_ROWS = 200



def book_objects() -> list[ObjectType]:
    """The objects the Books page lists: those that declare what a list of them shows."""
    return [obj for obj in all_object_types() if obj.summary_fields and not obj.line_of]


def _function_object(fn: dict[str, Any]) -> str:
    """The object a journaled function worked on (legacy functions: the object they are declared on)."""
    if fn.get("object"):
        return str(fn["object"]).upper()
    spec = registry.lookup(fn.get("name") or "")
    return (spec.object or "") if spec is not None else ""


_WRITE_NAME = re.compile(r"^(create|update|delete|apply|reverse|recall)", re.I)


# ---------------------------------------------------------------------------- journal


def latest_entries(db, *, company: str | None = None, function: str | None = None, committed: bool | None = None,
                   delivery: str | None = None, unacknowledged: bool = False, limit: int = 200,
                   document: str | None = None) -> list[dict[str, Any]]:
    """Newest first, with the same filters as ``Journal.list`` (which does the work); no bodies."""
    return Journal(db).list(company=company, function=function, committed=committed, delivery=delivery, document=document,
                            unacknowledged=unacknowledged, limit=min(int(limit), JOURNAL_PAGE_MAX),
                            newest_first=True)


def mentions(db, company: str, values: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Entries among the company's latest ``MENTION_WINDOW`` whose request or response has one of
    ``(tag, value)`` as an element, e.g. ``("RECORDNO", "11")`` or ``("RECORDID", "INV-778")``."""
    patterns = []
    for tag, value in values:
        if value in (None, ""):
            continue
        text = str(escape(str(value))).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        patterns.append(f"%<{tag}>{text}</{tag}>%")
    with db.transaction(write=False) as conn:
        return journal_rows.mentioning(conn, company, patterns, MENTION_WINDOW)


def written_records(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The records a journal entry's writes touched: ``{object, recordno, action, document, function,
    controlid, in_books}``, as the journal named them (``journal/documents.py``: there in ``meta``
    mode and for a lost acknowledgement too). Entries journaled before it named documents fall
    back to the write results in the stored response."""
    listed = {obj.name for obj in book_objects()}
    named = [{**r, "function": fn.get("name"), "controlid": fn.get("controlid"),
              "in_books": r["object"] in listed and r["action"] != "deleted"}
             for fn in entry.get("functions") or [] for r in fn.get("records") or []]
    if named or any("records" in fn or "recordno" in fn for fn in entry.get("functions") or []):
        return named
    return _records_in_response(entry)


def _records_in_response(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """``written_records`` for older entries: from each write function's result (``<RECORDNO>``, ``<key>``)."""
    body = entry.get("response_body")
    if not body:
        return []
    try:
        root = xmlsafe.parse(body.encode("utf-8"))
    except (etree.XMLSyntaxError, ValueError):
        return []
    results = root.findall("operation/result")
    listed = {obj.name for obj in book_objects()}
    out: list[dict[str, Any]] = []
    seen = set()
    for n, fn in enumerate(entry.get("functions") or []):
        name = fn.get("name") or ""
        if fn.get("status") != "success" or not _WRITE_NAME.match(name):
            continue
        result = next((r for r in results if (r.findtext("controlid") or "") == (fn.get("controlid") or "")), None)
        if result is None and n < len(results):
            result = results[n]
        if result is None:
            continue
        data = result.find("data")
        obj = _function_object(fn)
        numbers: list[tuple[str, str]] = []
        if data is not None:
            for item in data:
                if not isinstance(item.tag, str):
                    continue
                item_obj = obj or item.tag.upper()
                number = item.findtext("RECORDNO") or item.findtext("recordno")
                if number:
                    numbers.append((item_obj, number.strip()))
        for key in result.iter("key"):
            if key.text and key.text.strip():
                numbers.append((obj, key.text.strip()))
        for item_obj, number in numbers:
            if (item_obj, number) in seen or not number.isdigit():
                continue
            seen.add((item_obj, number))
            out.append({"object": item_obj, "recordno": int(number), "function": name,
                        "controlid": fn.get("controlid"), "in_books": item_obj in listed})
    return out


# ---------------------------------------------------------------------------- books


def _output(obj, data: dict[str, Any]) -> dict[str, Any]:
    record = {name: f.to_output(data.get(name)) if data.get(name) is not None else None
              for name, f in obj.fields.items() if not f.writeonly}
    record["RECORDNO"] = data["RECORDNO"]
    return record


def book_tables(db, company: str, limit: int = BOOK_ROWS) -> list[dict[str, Any]]:
    key = company.upper()
    tables = []
    with db.transaction(write=False) as conn:
        for obj in book_objects():
            columns = [c for c in obj.summary_fields if c in obj.fields]
            records = [_output(obj, row) for row in reports.records(conn, obj, key, limit=limit, newest_first=True)]
            tables.append({"object": obj.name, "heading": obj.plural_label, "columns": columns, "records": records,
                           "total": reports.count(conn, obj, key), "shown": len(records)})
    return tables


def book_record(db, company: str, object_name: str, recordno: int) -> tuple[Any, dict[str, Any] | None, list]:
    """``(object type, record or None, lines)``."""
    obj = find_object_type(object_name)
    if obj is None or obj.line_of:
        return None, None, []
    with db.transaction(write=False) as conn:
        row = reports.record(conn, obj, company.upper(), recordno)
        if row is None:
            return obj, None, []
        record = _output(obj, row)
        lines = []
        if obj.lines is not None:
            line_obj = obj.lines.object
            for data in reports.lines(conn, line_obj, record["RECORDNO"]):
                lines.append({n: f.to_output(data[n]) if data.get(n) is not None else None
                              for n, f in line_obj.fields.items() if not f.writeonly})
    return obj, record, lines


def filled_columns(rows: list[dict[str, Any]]) -> list[str]:
    """The columns at least one row has a value in (lines carry Intacct's whole field set, mostly empty)."""
    return [c for c in (rows[0] if rows else {}) if any(r.get(c) is not None for r in rows)]


def record_mentions(db, company: str, object_name: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries naming the record: by its ID field (RECORDID, VENDORID ...), or by its RECORDNO in an
    entry whose functions touch the same object (a bare number would match other objects too)."""
    name = object_name.upper()
    number = str(record["RECORDNO"])
    found = {e["id"]: e for e in mentions(db, company, [("RECORDNO", number), ("key", number), ("recordno", number)])
             if any(_function_object(f) == name for f in e["functions"])}
    declared = find_object_type(name)
    id_field = declared.document_key if declared is not None else None
    if id_field and record.get(id_field):
        found.update({e["id"]: e for e in mentions(db, company, [(id_field, str(record[id_field]))])})
    return sorted(found.values(), key=lambda e: e["id"], reverse=True)
