"""Name -> ObjectType for every object the emulator knows; the schema and dispatch read this."""

from __future__ import annotations

from functools import lru_cache

from .base import ObjectType


@lru_cache(maxsize=1)
def _types() -> dict[str, ObjectType]:
    from . import ap, ar, gl, master, oe, supdoc, tax  # noqa: F401  (declarations register by listing here)

    found: dict[str, ObjectType] = {}
    for module in (master, ap, ar, gl, oe, supdoc, tax):
        for obj in module.OBJECTS:
            found[obj.name] = obj
            if obj.lines:
                found[obj.lines.object.name] = obj.lines.object
    return found


def all_object_types() -> list[ObjectType]:
    return list(_types().values())


def find_object_type(name: str) -> ObjectType | None:
    """Object names are matched case-insensitively (clients send APBILL, apbill, ApBill)."""
    types = _types()
    return types.get(name) or types.get(name.strip().upper())


def object_type(name: str) -> ObjectType:
    found = find_object_type(name)
    if found is None:
        raise KeyError(name)
    return found
