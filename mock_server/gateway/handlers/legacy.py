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

from ...errors import EnvelopeError, UpdateMissingError
from ...functions import writes
from ...functions.writes import delete_record
from ...objects.base import ObjectType
from ...objects.fields import parse_whole
from ...objects.legacy import LegacyDelete, LegacyWrite
from ...objects.registry import all_object_types
from .. import codec
from ..call import XmlCall
from ..registry import function
from ..replies import KeyReply, Reply

Handler = Callable[[XmlCall, etree._Element], Reply]


def write_handler(obj: ObjectType, spec: LegacyWrite) -> Handler:
    def handle(ctx: XmlCall, el: etree._Element) -> Reply:
        header = codec.legacy_record(obj, el, spec.fields, spec.ignored, ctx.custom_fields)
        lines = None
        if spec.lines is not None:
            assert obj.lines is not None, f"{spec.name}: {obj.name} has no lines"
            lines = codec.legacy_lines(obj, el, spec.lines, ctx.custom_fields)
        if spec.update:
            return _update(ctx, obj, spec, header, lines)
        record = header if lines is None else [*header, (obj.lines.collection, lines)]  # type: ignore[union-attr]
        written = writes.create(ctx, obj, record)
        return KeyReply(str(written.recordno) if spec.answer == "RECORDNO" else dict(header).get(spec.answer, ""))

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
        names = list(spec.lines.fields.values())
        kept = [[(k, line[k]) for k in names] for line in ctx.books.lines(obj.lines.object, row["RECORDNO"])]
        record.append((obj.lines.collection, kept + lines))
    writes.update(ctx, obj, record)
    return KeyReply(str(row["RECORDNO"]) if spec.answer == "RECORDNO" else str(row.get(spec.answer) or ""))


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


def register_declared() -> None:
    """Register a handler for every legacy function an object declares."""
    for obj in all_object_types():
        for spec in obj.legacy:
            handler = write_handler(obj, spec) if isinstance(spec, LegacyWrite) else delete_handler(obj, spec)
            function(spec.name, writes=True, legacy=True, object=obj.name)(handler)


register_declared()
