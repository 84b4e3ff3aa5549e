"""read, readByName, readByQuery and readMore (protocol notes 7.4-7.6).

readByQuery pages by RECORDNO (keyset), so a page costs the same at record 10 and record
1,000,000. The result set is a small row (query, position) written after the request's own
transaction commits, so reads never take SQLite's write lock. An XML page first fetches only
(RECORDNO, _REV) and takes the records it rendered before from the render cache
(``record_cache.py``); only the others are read whole and rendered.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import timedelta
from typing import Any

from lxml import etree

from ...clock import db_stamp
from ...errors import IntacctError, RequestValidationError, UnknownObjectError
from ...xmlsafe import child, text_of
from ...objects.base import ObjectType
from ...objects.fields import parse_whole
from ...objects.registry import find_object_type
from ...xmlwriter import flat_fragment
from ...query.ast import And, Compare
from ...query.legacy import parse_legacy_query
from ...store import result_sets
from ...store.columns import resolver
from ...store.compile import CompiledFilter, compile_filter
from ..call import XmlCall
from ..formats import raw_reply
from ..records import RowFormatter, field_values, full_record, select_fields
from ..registry import function
from ..replies import Record, RecordsReply, Reply, record_indent

READ_MAX_KEYS = 100


class ResultSetError(IntacctError):
    """readMore with a result id that is unknown, exhausted or expired: errorno and text as in a
    captured answer (intacct-sdk-php's 2016 SdkTest::testReadMoreFailure)."""

    errorno = "readMore failed"

    def __init__(self, result_id: str) -> None:
        super().__init__(f"Attempt to readMore with an invalid or expired resultId: {result_id}")


def object_for(ctx: XmlCall, el: etree._Element, operation: str, errorno: str = "Query Failed") -> ObjectType:
    name = text_of(child(el, "object"))
    if not name:
        raise RequestValidationError(f"<{el.tag}> requires <object>.", correction="Name the object to read.")
    obj = find_object_type(name)
    if obj is None:
        raise UnknownObjectError(name, errorno=errorno)
    ctx.require(operation, obj)
    return obj


def with_docparid(obj: ObjectType, el: etree._Element, node):
    """``<docparid>Sales Invoice</docparid>``: only that transaction definition's documents."""
    docparid = (text_of(child(el, "docparid")) or "").strip()
    field = getattr(obj, "docpar_field", None)
    if not docparid or field is None:
        return node
    clause = Compare(field, "=", docparid)
    return clause if node is None else And((node, clause))


def return_format(el: etree._Element) -> str:
    fmt = (text_of(child(el, "returnFormat")) or text_of(child(el, "returnformat")) or "xml").lower()
    if fmt not in ("xml", "json", "csv"):
        raise RequestValidationError(f"Invalid returnFormat '{fmt}'.", correction="Use xml, json or csv.")
    return fmt


def page_size(el: etree._Element, default: int, maximum: int) -> int:
    raw = text_of(child(el, "pagesize"))
    if not raw:
        return default
    try:
        size = int(raw)
    except ValueError:
        raise RequestValidationError(f"Invalid pagesize '{raw}'.", correction=f"Use a number from 1 to {maximum}.") from None
    if size < 1:
        raise RequestValidationError(f"Invalid pagesize '{raw}'.", correction=f"Use a number from 1 to {maximum}.")
    return min(size, maximum)  # the gateway clamps silently


def _keys(el: etree._Element, verb: str) -> list[str]:
    raw = text_of(child(el, "keys"))
    if raw is None:
        raise RequestValidationError(f"<{verb}> requires <keys>.", correction="List the keys to read.")
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if len(keys) > READ_MAX_KEYS:
        raise RequestValidationError(f"Attempting to read more than {READ_MAX_KEYS} records.", correction="Read fewer keys at a time.")
    return keys


def _read_rows(ctx: XmlCall, el: etree._Element, obj: ObjectType, rows: list[dict], verb: str) -> Reply:
    spec = text_of(child(el, "fields"))
    names = select_fields(obj, ctx, spec)
    fmt = return_format(el)
    if fmt != "xml":
        return raw_reply(fmt, [dict(field_values(ctx.fields_of(obj), row, names)) for row in rows], names)
    with_lines = spec is None or spec.strip() in ("", "*")
    records = [full_record(obj, ctx, row, names, with_lines) for row in rows]
    return RecordsReply({"listtype": obj.name, "count": len(records)}, records)


@function("read")
def handle_read(ctx: XmlCall, el: etree._Element) -> Reply:
    """Records by RECORDNO (missing keys are left out), with lines for ``*``."""
    obj = object_for(ctx, el, "READ", errorno="BL01001973")
    rows = []
    for key in _keys(el, "read"):
        recordno = parse_whole(key)
        row = ctx.books.get(obj, recordno) if recordno is not None else None
        if row is not None:
            rows.append(row)
    return _read_rows(ctx, el, obj, rows, "read")


@function("readByName")
def handle_read_by_name(ctx: XmlCall, el: etree._Element) -> Reply:
    """Records by their ID field."""
    obj = object_for(ctx, el, "READ", errorno="BL01001973")
    if not obj.id_field:
        raise RequestValidationError(f"{obj.name} has no name key; use read with RECORDNOs.")
    rows = [row for row in (ctx.books.by_id(obj, key) for key in _keys(el, "readByName")) if row is not None]
    return _read_rows(ctx, el, obj, rows, "readByName")


# ---------------------------------------------------------------------------- readByQuery / readMore


def _page(ctx: XmlCall, obj: ObjectType, spec: dict[str, Any], after: int, take: int) -> list[dict]:
    return ctx.books.find(obj, CompiledFilter.from_json(spec["filter"]), after=after, limit=take,
                          showprivate=spec["showprivate"])


class Page:
    """One page of a result set: the records to answer with and the last RECORDNO among them."""

    def __init__(self, records: list, last: int | None, rows: list[dict] | None = None) -> None:
        self.records, self.last, self.rows = records, last, rows

    def __len__(self) -> int:
        return len(self.records)


def _fetch_page(ctx: XmlCall, obj: ObjectType, spec: dict[str, Any], after: int, take: int) -> Page:
    if spec["format"] != "xml":
        rows = _page(ctx, obj, spec, after, take)
        return Page(rows, rows[-1]["RECORDNO"] if rows else None, rows)
    return _rendered_page(ctx, obj, spec, after, take)


def _rendered_page(ctx: XmlCall, obj: ObjectType, spec: dict[str, Any], after: int, take: int) -> Page:
    """The page as record texts: cached ones by (RECORDNO, _REV), the rest read and rendered now."""
    keys = ctx.books.page_keys(obj, CompiledFilter.from_json(spec["filter"]), after, take, showprivate=spec["showprivate"])
    if not keys:
        return Page([], None)
    names, tag, indent = spec["fields"], obj.name.lower(), record_indent(ctx.pretty)
    cache = ctx.record_cache if ctx.record_cache is not None and ctx.record_cache.enabled else None
    layout = cache.layout(obj.name, tag, names, ctx.custom_fields(obj.name), indent) if cache else 0
    records: list[str | Record | None] = cache.get_many(layout, keys) if cache else [None] * len(keys)
    missing = [recordno for (recordno, _), text in zip(keys, records) if text is None]
    if missing:
        rows = ctx.books.rows_by_recordno(obj, missing)
        formatter = RowFormatter(ctx.fields_of(obj), names)
        fresh = []
        for i, (recordno, rev) in enumerate(keys):
            if records[i] is not None:
                continue
            entries = formatter.entries(rows[recordno])  # same snapshot as page_keys: it is there
            text = flat_fragment(tag, entries, indent)
            if text is None:  # not a flat record (cannot happen for readByQuery fields; stay correct)
                records[i] = (tag, entries)
            else:
                records[i] = text
                fresh.append((recordno, rev, text))
        if cache:
            cache.put_many(layout, fresh)
    return Page(records, keys[-1][0])


def _query_reply(ctx: XmlCall, obj: ObjectType, spec: dict, page: Page, total: int, delivered: int, result_id: str) -> Reply:
    names = spec["fields"]
    if spec["format"] != "xml":
        formatter = RowFormatter(ctx.fields_of(obj), names)
        return raw_reply(spec["format"], [dict(formatter.entries(row)) for row in page.rows or []], names)
    tag = obj.name.lower()
    attrs = {
        "listtype": tag,
        "count": len(page),
        "totalcount": total,
        "numremaining": max(total - delivered, 0),
        "resultId": result_id,
    }
    return RecordsReply(attrs, page.records)


@function("readByQuery")
def handle_read_by_query(ctx: XmlCall, el: etree._Element) -> Reply:
    """The first page of a legacy query; a result set keeps the rest for readMore."""
    obj = object_for(ctx, el, "READ_BY_QUERY")
    names = select_fields(obj, ctx, text_of(child(el, "fields")))
    query_el = child(el, "query")
    if query_el is None:
        raise RequestValidationError("<readByQuery> requires <query> (it may be empty).", correction="Add <query/>.")
    pagesize = page_size(el, 100, 1000)
    compiled = compile_filter(with_docparid(obj, el, parse_legacy_query(text_of(query_el) or "")),
                              resolver(obj, ctx.fields_of(obj), joins=False), dialect="readByQuery")
    spec = {
        "object": obj.name, "fields": names, "filter": compiled.to_json(),
        "pagesize": pagesize, "showprivate": False, "format": return_format(el),
        "entity": ctx.entity or "", "owner": ctx.owner,
    }
    total = ctx.books.count(obj, compiled)
    if compiled.limit is not None:
        total = min(total, compiled.limit)
    page = _fetch_page(ctx, obj, spec, 0, min(pagesize, total))
    delivered = len(page)
    result_id = ""
    if delivered < total:
        every = (text_of(child(el, "fields")) or "").strip() in ("", "*")
        stored = {**spec, "fields": ALL_FIELDS} if every else spec  # '*' is 100+ names: keep the row small
        result_id = _new_result_set(ctx, stored, page.last, delivered, total)
    return _query_reply(ctx, obj, spec, page, total, delivered, result_id)


ALL_FIELDS = "*"
_result_sets_made = itertools.count(1)
PURGE_EVERY = 256  # result sets made by this process between sweeps of the company's expired ones


def _new_result_set(ctx: XmlCall, spec: dict, last: int, delivered: int, total: int) -> str:
    result_id = secrets.token_hex(14) + "X" + secrets.token_urlsafe(6)
    now = ctx.clock.now()
    expires = db_stamp(now + timedelta(seconds=ctx.settings.readmore_ttl_seconds))
    ctx.defer(result_sets.Create(result_id, ctx.books.company_key, spec, last, delivered, total, expires))
    if next(_result_sets_made) % PURGE_EVERY == 0:
        # A sync that stops after its first page leaves its result set behind; without a sweep
        # the table grows by one row per such query, forever. Expiry is the company's clock, as in readMore.
        ctx.defer(result_sets.PurgeExpired(ctx.books.company_key, db_stamp(now)))
    return result_id


def _find_result_set(ctx: XmlCall, el: etree._Element) -> tuple[str, result_sets.ResultSet | None]:
    result_id = text_of(child(el, "resultId")) or text_of(child(el, "resultid"))
    conn = ctx.books.conn
    if result_id:
        return result_id, result_sets.find(conn, result_id, ctx.books.company_key)
    name = text_of(child(el, "object"))
    if not name:
        raise RequestValidationError("<readMore> requires <resultId> or <object>.", correction="Pass the resultId of the readByQuery.")
    found = result_sets.latest(conn, ctx.books.company_key, name.upper(), ctx.owner)
    return (found.result_id if found else name), found


@function("readMore")
def handle_read_more(ctx: XmlCall, el: etree._Element) -> Reply:
    """The next page of a result set, by resultId or by object."""
    result_id, found = _find_result_set(ctx, el)
    now = db_stamp(ctx.clock.now())
    if found is None or found.expires_at < now or found.delivered >= found.totalcount:
        raise ResultSetError(result_id)
    spec = dict(found.spec)
    obj = find_object_type(spec["object"])
    assert obj is not None
    ctx.require("READ_BY_QUERY", obj)
    if spec["fields"] == ALL_FIELDS:  # (custom fields added since the first page show from here on)
        spec["fields"] = select_fields(obj, ctx, None)
    take = min(spec["pagesize"], found.totalcount - found.delivered)
    page = _fetch_page(ctx, obj, spec, found.last_recordno, take)
    delivered = found.delivered + len(page)
    total = found.totalcount if len(page) else delivered  # records deleted meanwhile end the set early
    if delivered >= total:
        ctx.defer(result_sets.Drop(found.result_id))
    else:
        ctx.defer(result_sets.Advance(found.result_id, page.last, delivered))
    return _query_reply(ctx, obj, spec, page, total, delivered, found.result_id)
