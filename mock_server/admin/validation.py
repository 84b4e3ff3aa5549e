"""Every admin request checked against the admin API's OpenAPI document.

The document (``openapi.yaml`` plus the generated fault-action schemas) is the contract: a query or
path parameter it does not allow is refused before a view runs, and every JSON body is checked by
``blueprint.json_body`` (or, where a view's own checks name the problem better, right after them
and before anything is written), with a 400 that names where and why, in the admin error shape.
So no view meets a value of a type it did not expect (a list where a company id goes, a number
beyond SQLite's integers) and what the server accepts is what the document says. Views keep their
own checks for what a schema cannot say (a role a user names must exist).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping

from datetime import date, datetime

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .openapi import document

BASE = "urn:intacct-mock:admin"
_RULE_PARAM = re.compile(r"<(?:[a-z_]+:)?([A-Za-z_][A-Za-z0-9_]*)>")


def openapi_path(rule: str) -> str:
    """A Flask rule as its OpenAPI path: ``/_mock/journal/<int:entry_id>`` -> ``/_mock/journal/{entry_id}``."""
    return _RULE_PARAM.sub(r"{\1}", rule)


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _formats() -> FormatChecker:
    """The standard formats, with ``date-time`` and ``date`` read as the views read them
    (``datetime.fromisoformat``, ``Z`` accepted, no offset meaning UTC): RFC 3339's checker would
    refuse ``2026-03-05T09:00:00``, which every admin caller sends and the document describes."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        return not isinstance(value, str) or bool(datetime.fromisoformat(value.replace("Z", "+00:00")))

    @checker.checks("date", raises=ValueError)
    def _date(value: object) -> bool:
        return not isinstance(value, str) or bool(date.fromisoformat(value))

    return checker


FORMATS = _formats()


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return Registry().with_resource(BASE, Resource.from_contents(document(), default_specification=DRAFT202012))


@lru_cache(maxsize=None)
def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{BASE}#/{pointer}"}, registry=_registry(),
                                format_checker=FORMATS)


@lru_cache(maxsize=None)
def _operation(method: str, path: str) -> dict[str, Any] | None:
    item = document()["paths"].get(path)
    if item is None or method.lower() not in item:
        return None
    op = item[method.lower()]
    params: dict[tuple[str, str], str] = {}
    for where, found in (("", item.get("parameters") or []), (method.lower(), op.get("parameters") or [])):
        for n, p in enumerate(found):
            base = ("paths", path, *((where,) if where else ()), "parameters", str(n))
            if "$ref" in p:
                name = p["$ref"].rsplit("/", 1)[-1]
                p, base = document()["components"]["parameters"][name], ("components", "parameters", name)
            params[(p["in"], p["name"])] = _pointer(*base, "schema")
    content = ((op.get("requestBody") or {}).get("content") or {})
    body = _pointer("paths", path, method.lower(), "requestBody", "content", "application/json", "schema") \
        if "application/json" in content else None
    return {"params": params, "body": body, "body_required": bool((op.get("requestBody") or {}).get("required"))}


def _typed(text: str, schema: Mapping[str, Any]) -> Any:
    """A query or path value as the type its schema names (query strings are text)."""
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds and re.fullmatch(r"-?[0-9]+", text.strip()):
        return int(text)
    if "number" in kinds:
        try:
            return float(text)
        except ValueError:
            return text
    if "boolean" in kinds and text.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return text.strip().lower() in ("true", "1", "yes")
    return text


def _resolved(pointer: str) -> Mapping[str, Any]:
    node: Any = document()
    for part in pointer.split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    while isinstance(node, Mapping) and "$ref" in node and len(node) == 1:
        node = _resolved(node["$ref"].lstrip("#/"))
    return node


def _first_error(validator: Draft202012Validator, value: Any) -> str | None:
    errors = sorted(validator.iter_errors(value), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return None
    error = errors[0]
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where + ': ' if where else ''}{error.message[:300]}"


def check_parameters(method: str, rule: str | None, args: Mapping[str, str],
                     view_args: Mapping[str, Any]) -> str | None:
    """What is wrong with the query and path parameters by the document, or None."""
    op = _operation(method, openapi_path(rule)) if rule else None
    if op is None:
        return None
    for (where, name), pointer in op["params"].items():
        value = args.get(name) if where == "query" else view_args.get(name) if where == "path" else None
        if value is None:
            continue
        problem = _first_error(_validator(pointer), _typed(str(value), _resolved(pointer)))
        if problem:
            return f"{where} parameter {name}: {problem}"
    return None


def check_body(method: str, rule: str | None, body: Any) -> str | None:
    """What is wrong with a parsed JSON body by the document, or None."""
    op = _operation(method, openapi_path(rule)) if rule else None
    if op is None or op["body"] is None:
        return None
    problem = _first_error(_validator(op["body"]), body)
    return f"body: {problem}" if problem else None
