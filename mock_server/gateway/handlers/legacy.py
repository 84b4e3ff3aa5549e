"""Legacy (2.1-style) functions, built from the declarations on each object (``objects/legacy.py``).

Each one maps lower-case legacy elements onto the same stored fields the 3.0 objects use
(``codec.legacy_record``) and then takes the one write path in ``functions/writes.py``, so a
bill written with ``create_bill`` and one written with ``create`` obey the same rules. An
element the DTD does not allow fails schema validation of the whole request, as on the real
gateway (XL03000003). Nothing here names an object: a declaration on the object is enough.
"""

from __future__ import annotations

from typing import Callable

from lxml import etree

from ...errors import BusinessRuleError, EnvelopeError, UpdateMissingError, could_not
from ...functions import writes
from ...functions.writes import apply_record, delete_record, reverse_record
from ...objects.base import ObjectType
from ...objects.fields import parse_whole
from ...objects.legacy import LegacyApply, LegacyDelete, LegacyReverse, LegacyWrite
from ...xmlsafe import child, text_of
from ...objects.registry import all_object_types
from .. import codec
from ..call import XmlCall
from ..registry import function
from ..replies import KeyReply, Reply

Handler = Callable[[XmlCall, etree._Element], Reply]


def write_handler(obj: ObjectType, spec: LegacyWrite) -> Handler:
    def handle(ctx: XmlCall, el: etree._Element) -> Reply:
        header = codec.legacy_record(obj, el, spec.fields, spec.ignored, ctx.custom_fields)
        if spec.key_attribute is not None:
            return _update_by_key(ctx, obj, spec, el, header)
        lines = None
        if spec.lines is not None:
            assert obj.lines is not None, f"{spec.name}: {obj.name} has no lines"
            lines = codec.legacy_lines(obj, el, spec.lines, ctx.custom_fields)
        if spec.update:
            return _update(ctx, obj, spec, header, lines)
        record = header if lines is None else [*header, (obj.lines.collection, lines)]  # type: ignore[union-attr]
        written = writes.create(ctx, obj, record)
        if spec.answer == "RECORDNO":
            return KeyReply(str(written.recordno))
        # the answered field as written (an ID the rules derive, such as SODOCUMENT's DOCID)
        return KeyReply(str((ctx.books.get(obj, written.recordno) or {}).get(spec.answer) or dict(header).get(spec.answer, "")))

    handle.__doc__ = f"``{spec.name}``: {'update' if spec.update else 'create'} {obj.name} from its 2.1 elements."
    return handle


def _update(ctx: XmlCall, obj: ObjectType, spec: LegacyWrite, header: codec.Pairs,
            lines: list[codec.Pairs] | None) -> Reply:
    """A legacy update names the record by its ID and adds the lines it sends to the ones it has."""
    assert obj.id_field is not None
    ident = (dict(header).get(obj.id_field) or "").strip()
    row = ctx.books.by_id(obj, ident)
    if row is None:
        raise UpdateMissingError(obj.name, obj.id_field, ident)
    record = [*header, ("RECORDNO", str(row["RECORDNO"]))]
    if lines is not None and obj.lines is not None and spec.lines is not None:
        record.append((obj.lines.collection, _kept_lines(ctx, obj, spec, int(row["RECORDNO"])) + lines))
    writes.update(ctx, obj, record)
    return KeyReply(str(row["RECORDNO"]) if spec.answer == "RECORDNO" else str(row.get(spec.answer) or ""))


def _kept_lines(ctx: XmlCall, obj: ObjectType, spec: LegacyWrite, recordno: int) -> list[codec.Pairs]:
    """The lines a record has, as the text values a write takes (what a read of them shows)."""
    assert obj.lines is not None and spec.lines is not None
    fields = obj.lines.object.fields
    names = list(spec.lines.fields.values())
    return [[(k, fields[k].to_output(line[k])) for k in names if line.get(k) is not None]
            for line in ctx.books.lines(obj.lines.object, recordno)]


def _update_by_key(ctx: XmlCall, obj: ObjectType, spec: LegacyWrite, el: etree._Element,
                   header: codec.Pairs) -> Reply:
    """``update_bill key="RECORDNO"`` (``externalkey="true"``: the key is the EXTERNALID): the header
    elements sent change, the line changes apply to the document's lines in order."""
    key = (el.get(spec.key_attribute or "") or "").strip()
    external = (el.get("externalkey") or "").strip().lower() == "true" and spec.external_key is not None
    if external:
        row = ctx.books.first_where(obj, spec.external_key, key) if key else None
    elif spec.key_field != "RECORDNO":
        row = ctx.books.by_id(obj, key) if key else None
    else:
        recordno = parse_whole(key)
        row = ctx.books.get(obj, recordno) if recordno is not None else None
    if row is None:
        raise UpdateMissingError(obj.name, spec.external_key if external else spec.key_field, key)
    record = [*header, ("RECORDNO", str(row["RECORDNO"]))]
    if spec.lines is not None and spec.lines.changes is not None and obj.lines is not None:
        changes = codec.legacy_line_changes(obj, el, spec.lines, ctx.custom_fields)
        if changes is not None:
            kept = _kept_lines(ctx, obj, spec, int(row["RECORDNO"]))
            for number, values in changes:
                if number is None:
                    kept.append(values)
                    continue
                if number > len(kept):
                    raise BusinessRuleError(
                        f"Line {number} does not exist on {obj.label.lower()} {row.get('RECORDID') or row['RECORDNO']}: "
                        f"it has {len(kept)} line(s).", correction="Use line_num 1 to the number of lines, or <lineitem> to add one.",
                    ).with_also(could_not("update", obj.label))
                kept[number - 1] = [*[(k, v) for k, v in kept[number - 1] if k not in dict(values)], *values]
            record.append((obj.lines.collection, kept))
    writes.update(ctx, obj, record)
    if spec.answer != "RECORDNO":
        return KeyReply(str((ctx.books.get(obj, int(row["RECORDNO"])) or row).get(spec.answer) or ""))
    return KeyReply(str(row["RECORDNO"]))


def delete_handler(obj: ObjectType, spec: LegacyDelete) -> Handler:
    def handle(ctx: XmlCall, el: etree._Element) -> Reply:
        key = (el.get(spec.attribute) or "").strip()
        if not key:
            raise EnvelopeError.schema(f"Element '{el.tag}': The attribute '{spec.attribute}' is required but missing.",
                                       1868)
        if spec.by_id:
            row = ctx.books.by_id(obj, key)
            recordno = int(row["RECORDNO"]) if row else None
        else:
            recordno = parse_whole(key)
        delete_record(ctx, obj, recordno, key)
        return Reply()

    handle.__doc__ = f"``{spec.name}``: delete {obj.name} by {'its ID' if spec.by_id else 'RECORDNO'}."
    return handle


def reverse_handler(obj: ObjectType, spec: LegacyReverse) -> Handler:
    def handle(ctx: XmlCall, el: etree._Element) -> Reply:
        if spec.keys is not None:
            holder = child(el, spec.keys[0])
            keys = [text_of(k) or "" for k in (holder if holder is not None else []) if k.tag == spec.keys[1]]
            if not keys:
                raise EnvelopeError.schema(f"Element '{el.tag}': Missing child element(s). Expected is ( {spec.keys[0]} ).",
                                           1871)
            for key in keys:
                reverse_record(ctx, obj, parse_whole(key.strip()), key.strip(), None, None, void=spec.void)
            return Reply()
        key = (el.get(spec.attribute) or "").strip()
        if not key:
            raise EnvelopeError.schema(f"Element '{el.tag}': The attribute '{spec.attribute}' is required but missing.",
                                       1868)
        dated = child(el, "datereversed")
        if dated is None:
            raise EnvelopeError.schema(f"Element '{el.tag}': Missing child element(s). Expected is ( datereversed ).",
                                       1871)
        when = codec.legacy_date(dated)
        memo = text_of(child(el, "description"))
        return KeyReply(str(reverse_record(ctx, obj, parse_whole(key), key, when, memo, void=spec.void)))

    handle.__doc__ = f"``{spec.name}``: {'void' if spec.void else 'reverse'} {obj.name} by RECORDNO."
    return handle


def apply_handler(obj: ObjectType, spec: LegacyApply) -> Handler:
    def handle(ctx: XmlCall, el: etree._Element) -> Reply:
        key = (text_of(child(el, spec.key)) or "").strip()
        dated = child(el, spec.date)
        holder = child(el, spec.items[0])
        if not key or dated is None or holder is None:
            missing = spec.key if not key else spec.date if dated is None else spec.items[0]
            raise EnvelopeError.schema(f"Element '{el.tag}': Missing child element(s). Expected is ( {missing} ).", 1871)
        for c in el:
            if isinstance(c.tag, str) and c.tag not in (spec.key, spec.date, spec.items[0], *spec.ignored):
                raise codec.not_expected(c.tag, el.tag)
        assert obj.lines is not None
        details = []
        for item in holder:
            if not isinstance(item.tag, str):
                continue
            if item.tag != spec.items[1]:
                raise codec.not_expected(item.tag, holder.tag)
            details.append(codec.legacy_record(obj.lines.object, item, spec.item_fields, (), ctx.custom_fields))
        return KeyReply(str(apply_record(ctx, obj, parse_whole(key), key, codec.legacy_date(dated), details)))

    handle.__doc__ = f"``{spec.name}``: apply {obj.name}'s unapplied amount to documents."
    return handle


def register_declared() -> None:
    """Register a handler for every legacy function an object declares."""
    for obj in all_object_types():
        for spec in obj.legacy:
            if isinstance(spec, LegacyWrite):
                handler = write_handler(obj, spec)
            elif isinstance(spec, LegacyReverse):
                handler = reverse_handler(obj, spec)
            elif isinstance(spec, LegacyApply):
                handler = apply_handler(obj, spec)
            else:
                handler = delete_handler(obj, spec)
            function(spec.name, writes=True, legacy=True, object=obj.name)(handler)


register_declared()
