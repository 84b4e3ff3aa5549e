"""Generic 3.0 write functions: create, update, delete (protocol notes 7.1-7.3).

Several objects in one create/update are processed in order, each in its own savepoint: when one
fails, those before it stay committed and are listed in ``<data>`` (as in real captures) unless
the operation is transactional, and the objects after it are not attempted.
"""

from __future__ import annotations

from contextlib import nullcontext

from lxml import etree

from ...errors import IntacctError, OperationNotAllowedError, RequestValidationError, UnknownObjectError
from ...objects.base import ObjectType
from ...objects.fields import parse_whole
from ...objects.registry import find_object_type
from ..call import XmlCall
from ..records import write_result_record
from ..registry import function
from ..replies import RecordsReply, Reply
from ...functions import writes
from ...functions.writes import delete_record
from .. import codec
from ...xmlsafe import child, text_of


def _object_elements(ctx: XmlCall, el: etree._Element, verb: str) -> list[etree._Element]:
    items = [c for c in el if isinstance(c.tag, str)]
    if not items:
        raise RequestValidationError(f"<{verb}> needs at least one object element.", correction="Add the object to write.")
    if len(items) > ctx.settings.max_objects_per_write:
        raise RequestValidationError(
            f"Attempting to {verb} more than {ctx.settings.max_objects_per_write} records in one function.",
            correction="Split the records over several functions.",
        )
    return items


def _resolve(tag: str, operation: str, allowed: str) -> ObjectType:
    obj = find_object_type(tag)
    if obj is None:
        raise UnknownObjectError(tag, errorno="BL01001973")
    if obj.line_of or not getattr(obj, allowed):
        raise OperationNotAllowedError(operation, obj.name)
    return obj


def _write_each(ctx: XmlCall, el: etree._Element, verb: str) -> Reply:
    done: list = []
    assert ctx.unit is not None
    items = _object_elements(ctx, el, verb)
    for item in items:
        try:
            # one object: the function's own failure handling undoes it; several: each in a savepoint,
            # so the ones before a failure stay (notes 3.5)
            with ctx.unit.savepoint() if len(items) > 1 else nullcontext():
                if verb == "create":
                    obj = _resolve(item.tag, "CREATE", "generic_create")
                    written = writes.create(ctx, obj, codec.record(obj, item))
                else:
                    obj = _resolve(item.tag, "UPDATE", "generic_update")
                    written = writes.update(ctx, obj, codec.record(obj, item))
        except IntacctError as err:
            err.reply = RecordsReply({"listtype": "objects", "count": len(done)}, done)
            err.partial = bool(done)  # the objects before this one stay written (notes 3.5)
            raise
        done.append(write_result_record(obj, written))
    return RecordsReply({"listtype": "objects", "count": len(done)}, done)


@function("create", writes=True)
def handle_create(ctx: XmlCall, el: etree._Element) -> Reply:
    """Create one or more objects (each element names its object); earlier ones stay when a later one fails."""
    return _write_each(ctx, el, "create")


@function("update", writes=True)
def handle_update(ctx: XmlCall, el: etree._Element) -> Reply:
    """Update one or more objects by RECORDNO or ID; only the fields sent change."""
    return _write_each(ctx, el, "update")


@function("delete", writes=True)
def handle_delete(ctx: XmlCall, el: etree._Element) -> Reply:
    """Delete records of one object by RECORDNO (a comma-separated ``<keys>``)."""
    name, keys = text_of(child(el, "object")), text_of(child(el, "keys"))
    if not name:
        raise RequestValidationError("<delete> requires <object>.", correction="Name the object to delete from.")
    if not keys:
        raise RequestValidationError("<delete> requires <keys>.", correction="List the RECORDNOs to delete.")
    obj = find_object_type(name)
    if obj is None:
        raise UnknownObjectError(name, errorno="BL01001973")
    if obj.line_of or not obj.generic_delete:
        raise OperationNotAllowedError("DELETE", obj.name)
    for key in (k.strip() for k in keys.split(",")):
        if not key:
            continue
        delete_record(ctx, obj, parse_whole(key), key)
    return Reply()
