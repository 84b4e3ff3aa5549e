"""Turn stored rows into response records, in each function's style (protocol notes 7).

read/readByName: upper-case tags, nested groups, owned lines. readByQuery/readMore: lower-case
tags, dotted names flat. query: upper-case, only the selected names. create/update: lower-case,
RECORDNO plus the ID (or RECORD_URL for transactions).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import QueryError
from ..objects.base import ObjectType, nest
from ..objects.fields import Field
from .context import FunctionContext
from .replies import Entry, Record

RECORD_URL = "https://www.intacct.com/ia/acct/ur.phtml?.r={}"


def output_fields(obj: ObjectType, ctx: FunctionContext) -> list[str]:
    return [name for name, f in obj.all_fields(ctx).items() if not f.writeonly]


def select_fields(obj: ObjectType, ctx: FunctionContext, spec: str | None) -> list[str]:
    """Parse a ``<fields>`` list; '*' or empty means every field; unknown names are DL02000001."""
    if spec is None or spec.strip() in ("", "*"):
        return output_fields(obj, ctx)
    known = obj.all_fields(ctx)
    names: list[str] = []
    for raw in spec.split(","):
        name = raw.strip().upper()
        if not name:
            continue
        if name not in known:
            raise QueryError(f"Field '{name}' does not exist on object {obj.name}")
        names.append(name)
    return names


def field_values(fields: dict[str, Field], row: dict[str, Any], names: Sequence[str]) -> list[tuple[str, str]]:
    out = []
    for name in names:
        if name == "RECORD_URL" and row.get("RECORDNO") is not None:
            out.append((name, RECORD_URL.format(row["RECORDNO"])))
            continue
        f = fields.get(name)
        value = row.get(name)
        out.append((name, f.to_output(value) if f else ("" if value is None else str(value))))
    return out


def flat_record(obj: ObjectType, ctx: FunctionContext, row: dict[str, Any], names: Sequence[str], tag: str) -> Record:
    return tag, field_values(obj.all_fields(ctx), row, names)


def full_record(obj: ObjectType, ctx: FunctionContext, row: dict[str, Any], names: Sequence[str], with_lines: bool) -> Record:
    entries: list[Entry] = nest(field_values(obj.all_fields(ctx), row, names))
    if with_lines and obj.lines:
        line_obj = obj.lines.object
        line_names = output_fields(line_obj, ctx)
        items = [
            (line_obj.name.lower(), nest(field_values(line_obj.all_fields(ctx), line, line_names)))
            for line in ctx.books.lines(line_obj, row["RECORDNO"])
        ]
        entries.append((obj.lines.collection, items))
    return obj.name, entries


def write_result_record(obj: ObjectType, row: dict[str, Any]) -> Record:
    """What create/update answer per object: RECORDNO plus the ID, or RECORD_URL for documents."""
    entries: list[Entry] = [("RECORDNO", str(row["RECORDNO"]))]
    if obj.id_field:
        entries.append((obj.id_field, str(row.get(obj.id_field) or "")))
    elif obj.lines is not None or "RECORD_URL" in obj.fields:
        entries.append(("RECORD_URL", RECORD_URL.format(row["RECORDNO"])))
    return obj.result_tag, entries
