"""JSON <-> the books' records, through each object's REST mapping (``rest/objects.py``).

A REST body is nested JSON (``{"vendor": {"id": "V-1"}, "lines": [{"glAccount": {"id": "6220"}}]}``);
the write path takes ``(field, text)`` pairs like every front door, so this codec flattens the
body to the dotted REST names, maps each onto its stored field and writes its value as the text
the field reads (numbers and booleans as text, dates ISO). A property the mapping does not know
is refused with its ``target``, as Sage's REST API does. Output goes the other way: stored
values typed as the published documents type them (``RestField.to_json``: amounts and keys as
strings, dates ISO, booleans true/false, enumerations as their REST value).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..objects.documents import DocumentType
from ..objects.fields import Field
from .errors import RestError
from .objects import RestObject


class UnknownPropertyError(RestError):
    status, code, error_id = 400, "invalidRequest", "REST-1043"


def _flatten(body: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in body.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
        else:
            yield name, value


def _text(value: Any, f: Field | None) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


STATE_ON_CREATE = {"draft": "Draft", "posted": "Submit", "submitted": "Submit"}


class StateOnCreateError(RestError):
    """A document (bill, invoice, adjustment) created in another state than draft: Sage answers this
    text for an AR invoice (an integrator's notes quote it); documents post through
    ``POST /workflows/<object>/submit``."""

    status, code, error_id = 400, "invalidRequest", "REST-1001"


def to_record(rest: RestObject, body: Any, fields: Mapping[str, Field], *, at: str = "",
              creating: bool = True) -> list[tuple[str, Any]]:
    """A JSON object -> (stored field, text) pairs; line arrays -> the object's line collection."""
    if not isinstance(body, Mapping):
        raise RestError("The request body must be a JSON object.", target=at or "/")
    document = creating and isinstance(rest.object, DocumentType)  # drafts first, then the submit workflow
    out: list[tuple[str, Any]] = []
    for name, value in _flatten(body):
        if value is None and name not in rest.by_name and any(n.startswith(name + ".") for n in rest.by_name):
            continue  # "customer": null, an empty reference: nothing to write
        if rest.lines is not None and name == rest.lines.name:
            if not isinstance(value, list):
                raise RestError(f"'{name}' must be an array of line objects.", target=f"{at}/{name}")
            line_fields = rest.lines.object.fields_of
            out.append((rest.lines.collection, [to_record(rest.lines.object, item, line_fields(), at=f"{at}/{name}/{n}",
                                                          creating=creating) for n, item in enumerate(value)]))
            continue
        mapped = rest.by_name.get(name)
        if mapped is None and (name == "href" or name.endswith(".href")):
            continue  # a link a read answered, sent back by a read-modify-write client
        if mapped is None:
            raise UnknownPropertyError(f"'{name}' is not a field of {rest.path}.",
                                       target=f"{at}/{name.replace('.', '/')}")
        if mapped.read_only and mapped.stored != "STATE":
            continue  # what the books compute (totals, audit, names): a round-tripped read, not an edit
        if isinstance(value, (list, dict)):
            raise RestError(f"'{name}' takes a single value.", target=f"{at}/{name.replace('.', '/')}")
        if not mapped.emulated or mapped.stored == "RECORDNO":
            continue  # a published property the books do not keep; a record's key comes from its URL
        state = fields.get("STATE")
        if mapped.stored == "STATE" and state is not None and state.readonly:
            # a document's state is chosen when it is created (draft or posted), then moves by workflow
            if document and value != "draft":
                raise StateOnCreateError("State must be draft or not included in the request.",
                                         target=f"{at}/{name}")
            if not creating or "ACTION" not in fields or value not in STATE_ON_CREATE:
                raise UnknownPropertyError(
                    f"'{name}' of {rest.path} is 'draft' or 'posted' on create, then changes only through its "
                    "workflow actions.", target=f"{at}/{name}")
            out.append(("ACTION", STATE_ON_CREATE[value]))
            continue
        out.append((mapped.stored, mapped.to_stored_text(_text(value, fields.get(mapped.stored)),
                                                         fields.get(mapped.stored))))
    if document and not any(k == "ACTION" for k, _ in out):
        out.append(("ACTION", "Draft"))  # Sage: a document created without a state is a draft
    return out


def to_json(rest: RestObject, row: Mapping[str, Any], fields: Mapping[str, Field],
            lines: list[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A stored row (and its lines) -> the REST representation, nested by the dotted names."""
    out: dict[str, Any] = {"key": str(row["RECORDNO"]), "href": rest.href(row["RECORDNO"])}
    for mapped in rest.stored_fields:
        value = row.get(mapped.stored)
        _put(out, mapped.name, mapped.to_json(value, fields.get(mapped.stored)))
    if rest.lines is not None and lines is not None:
        line_fields = rest.lines.object.fields_of()
        out[rest.lines.name] = [to_json(rest.lines.object, line, line_fields) for line in lines]
    return out


def reference(rest: RestObject, row: Mapping[str, Any]) -> dict[str, Any]:
    """What a collection lists and a create answers: ``{key, id, href}``."""
    ref: dict[str, Any] = {"key": str(row["RECORDNO"])}
    if rest.id_field:
        ref["id"] = str(row.get(rest.id_field) or "")
    ref["href"] = rest.href(row["RECORDNO"])
    return ref


def _put(out: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        out = out.setdefault(part, {})
    out[parts[-1]] = value
