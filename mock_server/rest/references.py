"""REST references by key: ``{"vendor": {"key": "5"}}`` means the vendor whose record number is 5.

Sage's REST objects name a related record by ``key`` (its record number) or by ``id`` (its
vendor id, account number ...), and clients that read a record and write another often carry the
``key`` they were given. The books store the id (``VENDORID``), so before a body reaches the codec
each reference that has a ``key`` and no ``id`` gets the id of the record that key names; a key
that names nothing is refused as Intacct refuses an unknown id (``InvalidReferenceError``, a 422
with the property as its target). A reference with both keeps the id; the key is then only
checked to name the same record, so a stale key is not silently ignored.

Which object a reference points at comes from the declarations: the ``id`` property's stored
field is that object's ID field (``vendor.id`` -> ``VENDORID`` -> VENDOR).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from ..functions.context import CallContext
from ..objects.base import ObjectType
from ..objects.registry import all_object_types
from .errors import RestError
from .objects import RestObject


class UnknownReferenceError(RestError):
    status, code, error_id = 422, "operationFailed", "REST-1064"


@lru_cache(maxsize=1)
def _by_id_field() -> dict[str, ObjectType]:
    """Stored ID field -> the one object it identifies (fields several objects share are left out)."""
    seen: dict[str, list[ObjectType]] = {}
    for obj in all_object_types():
        if obj.id_field and obj.id_field != "RECORDNO" and not obj.line_of:
            seen.setdefault(obj.id_field, []).append(obj)
    return {name: found[0] for name, found in seen.items() if len(found) == 1}


@lru_cache(maxsize=256)
def _references(rest: RestObject) -> tuple[tuple[tuple[str, ...], ObjectType], ...]:
    """(path of the reference in the body, the object it names) for each ``X.key`` + ``X.id`` pair."""
    out = []
    for f in rest.fields:
        if not f.name.endswith(".id") or not f.stored:
            continue
        prefix = f.name[: -len(".id")]
        target = _by_id_field().get(f.stored)
        if target is not None and f"{prefix}.key" in rest.by_name:
            out.append((tuple(prefix.split(".")), target))
    return tuple(out)


def resolve_references(ctx: CallContext, rest: RestObject, body: Any, at: str = "") -> Any:
    """``body`` with each reference's ``id`` filled in from its ``key`` (lines too); a copy when changed."""
    if not isinstance(body, Mapping):
        return body
    out: dict[str, Any] = dict(body)
    for path, target in _references(rest):
        _resolve(ctx, out, path, target, at)
    if rest.lines is not None and isinstance(out.get(rest.lines.name), list):
        out[rest.lines.name] = [resolve_references(ctx, rest.lines.object, line, f"{at}/{rest.lines.name}/{n}")
                                for n, line in enumerate(out[rest.lines.name])]
    return out


def _resolve(ctx: CallContext, body: dict[str, Any], path: tuple[str, ...], target: ObjectType, at: str) -> None:
    holder = body
    for part in path[:-1]:  # copy each level on the way down: the caller's body is never changed
        inner = holder.get(part)
        if not isinstance(inner, Mapping):
            return
        holder[part] = holder = dict(inner)
    ref = holder.get(path[-1])
    if not isinstance(ref, Mapping) or ref.get("key") in (None, ""):
        return
    key = str(ref["key"]).strip()
    where = f"{at}/{'/'.join(path)}/key"
    row = ctx.books.get(target, int(key)) if key.isdigit() and len(key) <= 18 else None
    if row is None or not row.get(target.id_field):
        raise UnknownReferenceError(f"Invalid {target.label.lower()} key '{key}' specified.", target=where)
    named = str(row[target.id_field])
    given = ref.get("id")
    if given not in (None, "") and str(given) != named:
        raise UnknownReferenceError(f"The {target.label.lower()} key '{key}' names '{named}', not '{given}'.",
                                    target=where)
    holder[path[-1]] = {**ref, "id": named}
