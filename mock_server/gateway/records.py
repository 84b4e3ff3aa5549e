"""Turn stored rows into response records, in each function's style (protocol notes 7).

read/readByName: upper-case tags, nested groups, owned lines. readByQuery/readMore: lower-case
tags, dotted names flat. query: upper-case, only the selected names. create/update: lower-case,
RECORDNO plus the ID (or RECORD_URL for transactions).
"""

from __future__ import annotations

from collections.abc import Sequence as SequenceABC
from operator import itemgetter
from typing import Any, Sequence

from ..errors import UnknownFieldError
from ..functions.writes import Written
from ..objects.base import ObjectType, nest
from ..objects.fields import Field, FieldType
from .call import XmlCall
from .replies import Entry, Record

RECORD_URL = "https://www.intacct.com/ia/acct/ur.phtml?.r={}"


def output_fields(obj: ObjectType, ctx: XmlCall) -> list[str]:
    return obj.output_names(ctx.custom_fields(obj.name))


def select_fields(obj: ObjectType, ctx: XmlCall, spec: str | None) -> list[str]:
    """Parse a ``<fields>`` list; '*' or empty means every field; unknown names are DL02000001."""
    if spec is None or spec.strip() in ("", "*"):
        return output_fields(obj, ctx)
    known = ctx.fields_of(obj)
    names: list[str] = []
    for raw in spec.split(","):
        name = raw.strip().upper()
        if not name:
            continue
        if name not in known:
            raise UnknownFieldError(name, obj.name)
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


class RowFormatter:
    """``field_values`` for many rows with the same names: the per-field decisions are made once.

    A readByQuery page of 100 records x 108 fields is 10,800 values; deciding each field's output
    conversion once per page instead of once per value keeps the list path cheap (see
    docs/performance.md). The output is identical to ``field_values``.
    """

    __slots__ = ("names", "_fields", "_get", "_convert", "_url_at")

    def __init__(self, fields: dict[str, Field], names: Sequence[str]) -> None:
        self.names = tuple(names)
        self._fields = fields
        self._get = itemgetter(*self.names) if len(self.names) > 1 else None
        self._convert = [(i, f.to_output) for i, f in enumerate(fields.get(n) for n in self.names)
                         if f is not None and f.type is not FieldType.TEXT]
        self._url_at = self.names.index("RECORD_URL") if "RECORD_URL" in self.names else -1

    def values(self, row: dict[str, Any]) -> list[str]:
        if self._get is None:
            return [value for _, value in field_values(self._fields, row, self.names)]
        try:
            vals = list(self._get(row))
        except KeyError:  # a name the row does not carry (a custom field never set)
            return [value for _, value in field_values(self._fields, row, self.names)]
        for i, convert in self._convert:
            v = vals[i]
            vals[i] = "" if v is None else convert(v)
        if self._url_at >= 0 and row.get("RECORDNO") is not None:
            vals[self._url_at] = RECORD_URL.format(row["RECORDNO"])
        # text fields (and names without a declared field): None -> "", anything else -> str
        return ["" if v is None else v if v.__class__ is str else str(v) for v in vals]

    def entries(self, row: dict[str, Any]) -> "FlatEntries":
        return FlatEntries(self.names, self.values(row))


class FlatEntries(SequenceABC):
    """A flat record's (name, text) pairs, kept as two sequences: the renderer
    (``XmlBuilder.flat_element``) takes them as they are, anything else iterates the pairs."""

    __slots__ = ("names", "texts")

    def __init__(self, names: Sequence[str], texts: Sequence[str]) -> None:
        self.names, self.texts = names, texts

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return list(zip(self.names[index], self.texts[index]))
        return self.names[index], self.texts[index]

    def __iter__(self):
        return zip(self.names, self.texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, FlatEntries)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FlatEntries({list(self)!r})"


def full_record(obj: ObjectType, ctx: XmlCall, row: dict[str, Any], names: Sequence[str], with_lines: bool) -> Record:
    entries: list[Entry] = nest(field_values(ctx.fields_of(obj), row, names))
    if with_lines and obj.lines:
        line_obj = obj.lines.object
        line_names = output_fields(line_obj, ctx)
        items = [
            (line_obj.name.lower(), nest(field_values(ctx.fields_of(line_obj), line, line_names)))
            for line in ctx.books.lines(line_obj, row["RECORDNO"])
        ]
        entries.append((obj.lines.collection, items))
    return obj.name, entries


def write_result_record(obj: ObjectType, written: Written) -> Record:
    """What create/update answer per object: RECORDNO plus the ID, or RECORD_URL for documents."""
    entries: list[Entry] = [("RECORDNO", str(written.recordno))]
    if obj.id_field:
        entries.append((obj.id_field, written.id or ""))
    elif obj.lines is not None or "RECORD_URL" in obj.fields:
        entries.append(("RECORD_URL", RECORD_URL.format(written.recordno)))
    return obj.result_tag, entries
