"""The ``/objects`` operations on one object, as Sage's REST API does them: a collection GET lists
references (at most 100), ``GET .../1,2`` reads records, ``POST`` creates (an array: one each, 207
when some fail), ``PATCH`` updates, ``DELETE`` deletes; a named path (``document::Sales Invoice``)
reaches its own documents only. The request's life (faults, unit of work, journal) is
``service.RestApi``'s; these run inside it on one ``CallContext``, through the same
``functions/writes.py`` the XML gateway uses.
"""

from __future__ import annotations

from typing import Any, Callable

from ..errors import IntacctError, UpdateMissingError
from ..functions import writes
from ..functions.context import CallContext
from . import codec
from .answer import Answer
from .errors import MethodNotAllowedError, NotFoundPathError, RestError, error_body
from .objects import LINE_OBJECTS, RestObject, rest_object
from .query import path_filter
from .references import resolve_references

MAX_KEYS = 500  # GET /objects/x/1,2,3 ... (Sage: up to 500)
LIST_LIMIT = 100  # a collection GET lists at most this many references
MAX_BATCH = 100  # records in one array body (chosen: docs/fidelity.md)


def dispatch(ctx: CallContext, rest: RestObject, method: str, keys: str | None, body: Any) -> Answer:
    """One ``/objects/<path>[/<keys>]`` call: what the method does on the collection or the records."""
    obj = rest.object
    if method == "GET" and keys is None:
        ctx.require("READ", obj)
        where = path_filter(ctx, rest)
        rows = ctx.books.find(obj, where, limit=LIST_LIMIT + 1)
        refs = [codec.reference(rest, row) for row in rows[:LIST_LIMIT]]
        return Answer(200, {"ia::result": refs, "ia::meta": {"totalCount": ctx.books.count(obj, where), "start": 1,
                                                               "pageSize": LIST_LIMIT,
                                                               "next": LIST_LIMIT + 1 if len(rows) > LIST_LIMIT
                                                               else None, "previous": None}})
    if method == "GET":
        ctx.require("READ", obj)
        records = [read(ctx, rest, key) for key in _keys(keys)]
        found = [r for r in records if r is not None]
        if len(records) == 1:
            if not found:
                raise NotFoundPathError(f"There is no {rest.path} with key {keys}.")
            return Answer(200, {"ia::result": found[0], "ia::meta": meta(1, 1)})
        return Answer(200, {"ia::result": found, "ia::meta": meta(len(records), len(found))})
    batch_patch = method == "PATCH" and keys is None and isinstance(body, list)
    if method not in allowed_methods(rest, "0" if batch_patch else keys):  # an array PATCH: what one record allows
        raise MethodNotAllowedError(f"{method} is not allowed on /objects/{rest.path}" + ("/{key}" if keys else "") + ".")
    if method == "POST" and keys is None:
        if isinstance(body, list):
            return batch(ctx, 201, [lambda item=item: create(ctx, rest, item) for item in _items(body)])
        return Answer(201, {"ia::result": create(ctx, rest, body), "ia::meta": meta(1, 1)})
    if batch_patch:
        return batch(ctx, 200, [lambda item=item: update(ctx, rest, _item_key(item), item)
                                      for item in _items(body)])
    if method == "PATCH" and keys is not None:
        return Answer(200, {"ia::result": update(ctx, rest, _one_key(keys), body), "ia::meta": meta(1, 1)})
    if method == "DELETE" and keys is not None:
        several = _keys(keys)
        if len(several) == 1:
            writes.delete_record(ctx, obj, _path_key(ctx, rest, several[0]), keys)
            return Answer(204)
        answer = batch(ctx, 204, [lambda key=key: writes.delete_record(ctx, obj, _path_key(ctx, rest, key),
                                                                             str(key)) or {"key": str(key)}
                                        for key in several])
        return Answer(204) if answer.status == 204 else answer
    raise MethodNotAllowedError(f"{method} is not allowed on /objects/{rest.path}" + ("/{key}" if keys else "") + ".")


def create(ctx: CallContext, rest: RestObject, body: Any) -> dict[str, Any]:
    body = resolve_references(ctx, rest, body)
    record = [*codec.to_record(rest, body, ctx.fields_of(rest.object)), *rest.fixed]
    written = writes.create(ctx, rest.object, record)
    return codec.reference(rest, ctx.books.get(rest.object, written.recordno))


def update(ctx: CallContext, rest: RestObject, key: int, body: Any) -> dict[str, Any]:
    obj = rest.object
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k != "key"}  # an array member names its record in the body
    body = resolve_references(ctx, rest, body)
    record = codec.to_record(rest, body, ctx.fields_of(obj), creating=False)
    if not _in_path(ctx, rest, key):
        raise UpdateMissingError(obj.name, "RECORDNO", str(key))
    writes.update(ctx, obj, [*[(k, v) for k, v in record if k != "RECORDNO"], ("RECORDNO", str(key))])
    return codec.reference(rest, ctx.books.get(obj, key))


def batch(ctx: CallContext, success: int, steps: list[Callable[[], dict[str, Any]]]) -> Answer:
    """Several records in one call, each in its own savepoint: what succeeded stays, each
    failure is answered in its place. All succeeded: ``success``; some: 207 Multi-Status;
    none: the first failure's status."""
    results: list[dict[str, Any]] = []
    failures: list[int] = []
    for step in steps:
        try:
            with ctx.unit.savepoint():
                results.append(step())
        except IntacctError as err:
            status, payload = error_body(err)
            failures.append(status)
            results.append(payload["ia::result"])
    counts = meta(len(steps), len(steps) - len(failures))
    status = success if not failures else 207 if len(failures) < len(steps) else failures[0]
    return Answer(status, {"ia::result": results, "ia::meta": counts})


def read(ctx: CallContext, rest: RestObject, key: int) -> dict[str, Any] | None:
    obj = rest.object
    row = ctx.books.get(obj, key, showprivate=False)
    if row is None or not _fits(rest, row):
        return None
    lines = ctx.books.lines(obj.lines.object, key) if rest.lines is not None and obj.lines is not None else None
    return codec.to_json(rest, row, ctx.fields_of(obj), lines)


def _fits(rest: RestObject, row: dict[str, Any]) -> bool:
    """A named path reaches its own documents only: a Sales Order is not at ``document::Sales Invoice/<key>``."""
    return all(str(row.get(stored) or "") == value for stored, value in rest.fixed)


def _in_path(ctx: CallContext, rest: RestObject, key: int) -> bool:
    row = ctx.books.get(rest.object, key)
    return row is not None and _fits(rest, row)


def _path_key(ctx: CallContext, rest: RestObject, key: int) -> int | None:
    """``key`` for a write through ``rest``'s path, or None (the write's own "not found") outside it."""
    return key if not rest.fixed or _in_path(ctx, rest, key) else None


def split_object_path(rest_path: str) -> tuple[str, str | None]:
    """``accounts-payable/bill/12,13`` -> (``accounts-payable/bill``, ``12,13``)."""
    rest_path = rest_path.strip("/")
    if rest_object(rest_path) is not None:
        return rest_path, None
    head, _, tail = rest_path.rpartition("/")
    return (head, tail) if head else (rest_path, None)


def allowed_methods(rest: RestObject, keys: str | None) -> tuple[str, ...]:
    """The methods Sage publishes for the object's collection (``keys`` None) or one record. A
    line is written through its document here (``lines`` in the bill's body), so line objects
    answer reads and refuse the rest with 405 and an ``Allow`` header."""
    published = rest.collection_methods if keys is None else rest.item_methods
    if rest.path in LINE_OBJECTS:
        return tuple(m for m in published if m == "GET")
    return published


def meta(total: int, success: int) -> dict[str, int]:
    return {"totalCount": total, "totalSuccess": success, "totalError": total - success}


def _items(body: list) -> list[Any]:
    if not body or len(body) > MAX_BATCH:
        raise RestError(f"An array body holds 1 to {MAX_BATCH} records.", target="/")
    return body


def _item_key(item: Any) -> int:
    key = item.get("key") if isinstance(item, dict) else None
    if key is None or not str(key).isdigit():
        raise RestError("Each record of a PATCH array names its 'key'.", target="/key")
    return int(key)


def _keys(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or len(parts) > MAX_KEYS:
        raise RestError(f"Give between 1 and {MAX_KEYS} keys.", target="/key")
    out = []
    for p in parts:
        if not p.isdigit() or len(p) > 18:
            raise NotFoundPathError(f"'{p}' is not a record key.", target="/key")
        out.append(int(p))
    return out


def _one_key(text: str) -> int:
    keys = _keys(text)
    if len(keys) != 1:
        raise RestError("Give one key.", target="/key")
    return keys[0]
