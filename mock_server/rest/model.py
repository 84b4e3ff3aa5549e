"""``GET /services/core/model?name=<application>/<object>``: an object's model, from the same
declarations the codec reads (``mapping.json``), shaped as Sage's model service answers it: the
object's own ``fields``, ``groups`` of nested properties (``audit``, ``currency``), ``refs`` to
other objects (``vendor``, ``glAccount``) with the object each names, ``lists`` (``lines``), the
HTTP methods and whether ``Idempotency-Key`` is honoured. Each field also says whether the
emulator keeps it (``x-mock-stored``), so a developer sees at once what round-trips here."""

from __future__ import annotations

from typing import Any

from .objects import OBJECTS, RestField, RestObject

# the object a reference names, by the reference's name (the last part of its path)
REFERENCES = {
    "vendor": "accounts-payable/vendor", "customer": "accounts-receivable/customer", "bill": "accounts-payable/bill",
    "arInvoice": "accounts-receivable/invoice", "invoice": "accounts-receivable/invoice",
    "apDebitAdjustment": "accounts-payable/adjustment", "arAdjustment": "accounts-receivable/adjustment",
    "glAccount": "general-ledger/account", "overrideOffsetGLAccount": "general-ledger/account",
    "defaultExpenseGLAccount": "general-ledger/account", "closeToGLAccount": "general-ledger/account",
    "department": "company-config/department", "location": "company-config/location", "class": "company-config/class",
    "project": "projects/project", "item": "inventory-control/item", "attachment": "company-config/attachment",
    "folder": "company-config/folder", "entity": "company-config/entity", "contact": "company-config/contact",
    "journalEntry": "general-ledger/journal-entry",
}
JSON_TYPES = {"decimal": ("string", "decimal-precision-2"), "percent": ("string", "percent-precision-2"),
              "date": ("string", "date"), "date-time": ("string", "date-time")}


def model(rest: RestObject) -> dict[str, Any]:
    root: dict[str, Any] = {"fields": {}, "groups": {}, "refs": {}, "lists": {}}
    for f in rest.fields:
        _place(root, f.name.split("."), f, rest)
    if rest.lines is not None:
        root["lists"][rest.lines.name] = {"apiObject": rest.lines.path}
    methods = sorted(set(rest.collection_methods) | set(rest.item_methods), key="GET POST PATCH DELETE".split().index)
    return {**{k: v for k, v in root.items() if v}, "httpMethods": ",".join(["OPTIONS", *methods]),
            "idempotenceSupported": True, "apiObject": rest.path, "type": "rootObject"}


def _place(node: dict[str, Any], parts: list[str], f: RestField, rest: RestObject) -> None:
    if len(parts) == 1:
        node.setdefault("fields", {})[parts[0]] = _field(f, rest)
        return
    head = parts[0]
    here = f"{_prefix(f.name, parts)}{head}"
    is_ref = head in REFERENCES or f"{here}.key" in rest.by_name or f"{here}.id" in rest.by_name
    kind = "refs" if is_ref else "groups"
    child = node.setdefault(kind, {}).setdefault(head, {})
    if is_ref and "apiObject" not in child:
        child["apiObject"] = REFERENCES.get(head, rest.path if head == "parent" else None)
    _place(child, parts[1:], f, rest)


def _prefix(name: str, parts: list[str]) -> str:
    """The dotted path above ``parts`` in ``name`` ("dimensions." for "dimensions.department.id")."""
    whole = name.split(".")
    return ".".join(whole[: len(whole) - len(parts)]) + ("." if len(whole) > len(parts) else "")


def _field(f: RestField, rest: RestObject) -> dict[str, Any]:
    json_type, fmt = JSON_TYPES.get(f.type, (f.type, None))
    out: dict[str, Any] = {"type": json_type}
    if fmt:
        out["format"] = fmt
    if f.enum:
        out["enum"] = list(f.enum)
    out.update(readOnly=f.read_only, mutable=not f.read_only and f.name != "id", nullable=f.name not in ("key", "id"),
               required=f.name in rest.required, **{"x-mock-stored": f.emulated})
    return out


def known_models() -> list[dict[str, str]]:
    """What ``GET /services/core/model`` without a name lists: every object this emulator serves."""
    return [{"apiObject": path, "type": "rootObject", "href": f"/services/core/model?name={path}"} for path in OBJECTS]
