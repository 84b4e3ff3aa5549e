"""The one write path: create, update and delete of any object, for every front door.

A front door hands over a record as plain values (``create(ctx, obj, record)``); the object
parses it (``ObjectType.parse``) and its rules run. Order matters and mirrors the real gateway:
permission, then the object's own rules (which may derive values), then the insert, then the
lines, then side effects on other records. A failure at any step raises a typed error before
anything is committed; the request's unit of work rolls the function back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..errors import BusinessRuleError, DuplicateIdError, EntityRestrictionError, RecordNotFoundError, UpdateMissingError
from ..objects.base import ObjectType, Parsed, Record
from ..objects.fields import FieldType
from .context import CallContext


@dataclass(frozen=True)
class Written:
    """What a write answers with: the record number and the object's ID (None when it has none)."""

    recordno: int
    id: str | None


def create(ctx: CallContext, obj: ObjectType, record: Record) -> Written:
    """Parse ``record`` and create it."""
    parsed = obj.parse(record, ctx.custom_fields(obj.name), _line_custom(ctx, obj))
    recordno = create_record(ctx, obj, parsed)
    return Written(recordno, _id(obj, parsed.values))


def update(ctx: CallContext, obj: ObjectType, record: Record) -> Written:
    """Parse ``record`` and update the record it names (RECORDNO, else the object's ID)."""
    parsed = obj.parse(record, ctx.custom_fields(obj.name), _line_custom(ctx, obj))
    existing = find_for_update(ctx, obj, parsed)
    recordno = update_record(ctx, obj, existing, parsed)
    return Written(recordno, _id(obj, existing))


def _line_custom(ctx: CallContext, obj: ObjectType):
    """The company's custom fields of the object's lines (APBILLITEM ...), which lines may carry."""
    return ctx.custom_fields(obj.lines.object.name) if obj.lines is not None else None


def _id(obj: ObjectType, values: dict) -> str | None:
    return str(values.get(obj.id_field) or "") if obj.id_field else None


def create_record(ctx: CallContext, obj: ObjectType, parsed: Parsed) -> int:
    ctx.require("CREATE", obj)
    obj.prepare(ctx, parsed, None)
    values = parsed.values
    for name, f in obj.fields.items():
        if f.default is not None and values.get(name) is None:
            values[name] = f.default
    if obj.fields.get("WHENCREATED") and obj.fields["WHENCREATED"].type is FieldType.TIMESTAMP:
        values["WHENCREATED"] = ctx.books.now
    try:
        recordno = ctx.books.insert(obj, values, parsed.custom)
    except sqlite3.IntegrityError:
        ident = str(values.get(obj.id_field or "", ""))
        # a concurrent writer won the unique index: answer as the object's own duplicate check would
        duplicate = getattr(obj, "duplicate_error", None)
        error = duplicate(ident) if duplicate else DuplicateIdError(obj.label, ident)
        raise error.with_also(obj.wrapper("create")) from None
    if obj.lines is not None and parsed.lines is not None:
        ctx.books.replace_lines(obj.lines.object, recordno, [(line.values, line.custom) for line in parsed.lines],
                                fresh=True)
    obj.after_write(ctx, recordno, parsed, None)
    return recordno


def _guard_entity(ctx: CallContext, obj: ObjectType, row: dict) -> None:
    if ctx.entity and obj.private_in_entity and not row.get("_ENTITY"):
        raise EntityRestrictionError(obj.label)


def update_record(ctx: CallContext, obj: ObjectType, row: dict, parsed: Parsed) -> int:
    ctx.require("UPDATE", obj)
    _guard_entity(ctx, obj, row)
    obj.prepare(ctx, parsed, row)
    recordno = int(row["RECORDNO"])
    parsed.values.pop("RECORDNO", None)
    ctx.books.update(obj, recordno, parsed.values, parsed.custom)
    if obj.lines is not None and parsed.lines is not None:
        ctx.books.replace_lines(obj.lines.object, recordno, [(line.values, line.custom) for line in parsed.lines])
    obj.after_write(ctx, recordno, parsed, row)
    return recordno


def find_for_update(ctx: CallContext, obj: ObjectType, parsed: Parsed) -> dict:
    """Update key: RECORDNO, else the object's ID field (protocol notes 7.2)."""
    recordno = parsed.values.get("RECORDNO")
    if recordno is not None:
        row = ctx.books.get(obj, int(recordno))
        if row is None:
            raise UpdateMissingError(obj.name, "RECORDNO", str(recordno))
        return row
    if obj.id_field and parsed.values.get(obj.id_field):
        row = ctx.books.by_id(obj, parsed.values[obj.id_field])
        if row is None:
            raise UpdateMissingError(obj.name, obj.id_field, parsed.values[obj.id_field])
        return row
    key = f"RECORDNO or {obj.id_field}" if obj.id_field else "RECORDNO"
    raise UpdateMissingError(obj.name, key, "")


def apply_record(ctx: CallContext, obj: ObjectType, recordno: int | None, key_text: str, when: str,
                 details: list[Record]) -> int:
    """Apply a payment's unapplied amount (or credits) to documents (``apply_arpayment``)."""
    ctx.require("UPDATE", obj)
    row = ctx.books.get(obj, recordno) if recordno is not None else None
    if row is None:
        raise RecordNotFoundError(f"Cannot find {obj.name.lower()} with key '{key_text}' to apply.")
    _guard_entity(ctx, obj, row)
    assert obj.lines is not None
    parsed = [obj.lines.object.parse(d, ctx.custom_fields(obj.lines.object.name)) for d in details]
    return obj.apply(ctx, row, when, parsed)


def reverse_record(ctx: CallContext, obj: ObjectType, recordno: int | None, key_text: str,
                   when: str | None, memo: str | None, *, void: bool = False) -> int:
    """Reverse (or void) a posted document or payment: its own rule decides what moves. Answers the
    record number the reply names (the reversing record, where one is created)."""
    ctx.require("UPDATE", obj)
    row = ctx.books.get(obj, recordno) if recordno is not None else None
    if row is None:
        raise RecordNotFoundError(f"Cannot find {obj.name.lower()} with key '{key_text}' to {'void' if void else 'reverse'}.")
    _guard_entity(ctx, obj, row)
    return obj.reverse(ctx, row, when, memo, void=void)


def submit_record(ctx: CallContext, obj: ObjectType, recordno: int | None, key_text: str) -> int:
    """Post a draft document (REST's ``submit`` workflow): the update XML's ``ACTION Submit`` makes,
    with its posting checks; anything but a draft is refused, since only a draft moves this way."""
    ctx.require("UPDATE", obj)
    row = ctx.books.get(obj, recordno) if recordno is not None else None
    if row is None:
        raise RecordNotFoundError(f"Cannot find {obj.name.lower()} with key '{key_text}' to submit.")
    _guard_entity(ctx, obj, row)
    if row.get("STATE") != "D":
        raise BusinessRuleError(
            f"The {obj.label.lower()} {row.get('RECORDID') or key_text} cannot be submitted because it is "
            f"{ctx.label_of(obj, 'STATE', row.get('STATE'))}: only a draft can be submitted.")
    return update(ctx, obj, [("ACTION", "Submit"), ("RECORDNO", str(row["RECORDNO"]))]).recordno


def delete_record(ctx: CallContext, obj: ObjectType, recordno: int | None, key_text: str) -> None:
    ctx.require("DELETE", obj)
    row = ctx.books.get(obj, recordno) if recordno is not None else None
    if row is None:
        raise RecordNotFoundError(f"Cannot find {obj.name.lower()} with key '{key_text}' to delete.")
    _guard_entity(ctx, obj, row)
    obj.before_delete(ctx, row)
    ctx.books.delete(obj, int(row["RECORDNO"]))
    obj.after_delete(ctx, row)
