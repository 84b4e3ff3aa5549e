"""Each REST object and its names, declared once: the path (``accounts-payable/bill``), the book
it is (``APBILL``) and every REST property with the stored field it is (``vendor.id`` ->
VENDORID), its JSON type and whether a client may write it.

The declarations live in ``mapping.json``, distilled from Sage's published OpenAPI documents
(the module specs kept in ``lorenz-bus-service/node-intacct-rest-api``, ``spec/*.json``): for
each object its property paths, types, read-only flags, enumerations and required properties,
and the stored field each one is. A property the spec has but the books do not keep maps to
``""``: it is a valid name (accepted on writes, answered as ``null`` by the query service) but
nothing is stored. The codec, the query service, the model service and the OpenAPI document
read these; nothing else spells a REST name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Mapping

from ..objects.fields import Field, FieldType
from ..objects.registry import object_type

MAPPING = Path(__file__).with_name("mapping.json")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class RestField:
    name: str  # dotted REST property: "vendor.id"
    stored: str  # the stored (XML) field: "VENDORID"; "" when the books keep no such thing
    type: str = "string"  # string | decimal | percent | date | date-time | boolean | number | integer
    read_only: bool = False
    enum: tuple[str, ...] = ()  # the REST values, as published
    coded: tuple[tuple[str, str], ...] = ()  # REST value -> stored code, where labels do not say (TR_TYPE 1/-1)

    @property
    def emulated(self) -> bool:
        return bool(self.stored)

    def codes(self, f: Field | None) -> dict[str, str]:
        """REST enumeration value -> stored code, matched on the stored field's codes and labels
        (``partiallyPaid`` is the document state labelled "Partially Paid", code ``PP``)."""
        if self.coded:
            return dict(self.coded)
        if not self.enum or f is None or not f.codes:
            return {}
        return _codes(self.enum, f.codes)

    def to_json(self, value: Any, f: Field | None) -> Any:
        """A stored value typed as the published document types it."""
        if value is None or value == "" and self.type not in ("string",):
            return None
        if self.coded:
            found = next((rest for rest, code in self.coded if code == str(value)), None)
            return found if found is not None else str(value)
        if self.enum and f is not None and f.codes:
            found = _values(self.enum, f.codes).get(str(value))
            return found if found is not None else f.label_for(str(value))
        t = self.type
        if t in ("decimal", "percent"):
            return _decimal(value)
        if t == "number":
            number = float(value)
            return int(number) if number.is_integer() else number
        if t == "integer":
            return int(float(value))
        if t == "boolean":
            return str(value).lower() in ("t", "true", "1", "yes")
        if t == "date":
            return str(value)[:10]
        if t == "date-time":
            s = str(value)
            return f"{s[:10]}T{s[11:19] or '00:00:00'}Z"
        if f is not None and f.type is FieldType.ENUM:
            return f.label_for(str(value))
        if f is not None and f.type is FieldType.BOOLEAN:
            return "true" if value == "T" else "false"
        if f is not None and f.type is FieldType.DECIMAL:
            return _decimal(value)
        return str(value)

    def to_stored_text(self, text: str, f: Field | None) -> str:
        """A REST value back to the text the stored field reads (enumerations to their code)."""
        return self.codes(f).get(text, text)


@lru_cache(maxsize=1024)
def _codes(enum: tuple[str, ...], codes: tuple[tuple[str, str], ...]) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for code, label in codes:
        by_norm.setdefault(_norm(label), code)
        by_norm.setdefault(_norm(code), code)
    return {value: by_norm[_norm(value)] for value in enum if _norm(value) in by_norm}


@lru_cache(maxsize=1024)
def _values(enum: tuple[str, ...], codes: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Stored code -> REST value (the first published value that names it)."""
    out: dict[str, str] = {}
    for rest_value, code in _codes(enum, codes).items():
        out.setdefault(code, rest_value)
    return out


def _decimal(value: Any) -> str | None:
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RestLines:
    name: str  # the JSON array: "lines"
    path: str  # the line object's own REST path: "accounts-payable/bill-line"

    @property
    def object(self) -> "RestObject":
        return OBJECTS[self.path]

    @property
    def collection(self) -> str:
        """The owning object's line collection in the books (``APBILLITEMS``)."""
        owner = next(o for o in OBJECTS.values() if o.lines is self)
        assert owner.object.lines is not None
        return owner.object.lines.collection


@dataclass(frozen=True)
class RestObject:
    path: str
    object_name: str
    fields: tuple[RestField, ...]
    id_field: str | None = None  # the stored field REST calls ``id``
    lines: RestLines | None = None
    collection_methods: tuple[str, ...] = ("GET", "POST")
    item_methods: tuple[str, ...] = ("GET", "PATCH", "DELETE")
    required: tuple[str, ...] = ()
    source: str = ""
    fixed: tuple[tuple[str, str], ...] = ()  # stored values every write of this path carries (DOCPARID)

    @cached_property
    def by_name(self) -> dict[str, RestField]:
        return {f.name: f for f in self.fields}

    @cached_property
    def stored_fields(self) -> tuple[RestField, ...]:
        """The properties the books keep, in published order (what a read answers)."""
        return tuple(f for f in self.fields if f.emulated)

    @property
    def object(self):
        return object_type(self.object_name)

    def fields_of(self) -> dict[str, Field]:
        return self.object.fields

    def href(self, key: Any) -> str:
        return f"/objects/{self.path}/{key}"


def _load(path: Path = MAPPING) -> dict[str, RestObject]:
    declared: Mapping[str, Any] = json.loads(path.read_text())
    out = {}
    for rest_path, spec in declared.items():
        fields = tuple(RestField(row[0], row[1], row[2], bool(row[3]), tuple(row[4]) if len(row) > 4 else (),
                                 tuple(row[5].items()) if len(row) > 5 else ())
                       for row in spec["fields"])
        lines = spec.get("lines")
        out[rest_path] = RestObject(
            rest_path, spec["object"], fields, spec.get("id"),
            RestLines(lines["name"], lines["path"]) if lines else None,
            tuple(spec.get("collection", ("GET", "POST"))), tuple(spec.get("item", ("GET", "PATCH", "DELETE"))),
            tuple(spec.get("required", ())), spec.get("source", ""))
    return out


OBJECTS: dict[str, RestObject] = _load()
LINE_OBJECTS = frozenset(o.lines.path for o in OBJECTS.values() if o.lines is not None)


# Objects written through a named variant of their path: ``order-entry/document::Sales Invoice`` is
# an Order Entry document of that transaction definition (Sage publishes writes only there).
VARIANTS = {"order-entry/document": "DOCPARID"}


def rest_object(path: str) -> RestObject | None:
    found = OBJECTS.get(path)
    if found is not None or "::" not in path:
        return found
    base, _, name = path.partition("::")
    stored = VARIANTS.get(base)
    if stored is None or not name.strip() or "/" in name or base not in OBJECTS:
        return None  # (``document::Sales Invoice/12`` is that path and a key: split_object_path)
    return replace(OBJECTS[base], path=path, collection_methods=("GET", "POST"), item_methods=("GET", "PATCH", "DELETE"),
                   fixed=((stored, name.strip()),))
