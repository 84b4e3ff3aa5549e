"""Request XML to plain records: the 3.0 object elements and the legacy (2.1) element maps.

The core takes a record as ``(field, value)`` pairs in document order (``objects/base.py``);
this module is the only place that knows how XML spells one. 3.0 elements carry the stored field
names, groups nest (``<DISPLAYCONTACT><PRINTAS>`` is ``DISPLAYCONTACT.PRINTAS``) and the line
collection wraps one element per line. Legacy functions use lower-case names mapped onto the same
fields, ``<year>/<month>/<day>`` date blocks and ``<customfields>`` lists; an element a legacy DTD
does not allow fails schema validation of the whole request (XL03000003), as on the real gateway.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable, Mapping

from lxml import etree

from ..errors import EnvelopeError, InvalidFieldValueError, QueryError, RequestValidationError
from ..objects.base import LineSpec, ObjectType
from ..objects.legacy import LegacyLines
from ..objects.fields import Field, ValueFormatError, parse_mdy, parse_whole
from ..xmlsafe import child, text_of

Pairs = list[tuple[str, Any]]
CustomOf = Callable[[str], Mapping[str, Field]]

# ---------------------------------------------------------------------------- 3.0


def record(obj: ObjectType, el: etree._Element) -> Pairs:
    """A 3.0 object element (``<APBILL>...</APBILL>``) as a record."""
    out: Pairs = []
    collection = obj.lines.collection if obj.lines else None
    for c in el:
        tag = c.tag
        if tag.__class__ is not str:  # a comment or processing instruction
            continue
        if tag == collection:
            assert obj.lines is not None
            out.append((tag, _lines(obj.lines, c)))
        elif len(c):
            out.extend(_flatten(c))
        else:  # a plain field: the common case, without the generator
            out.append((tag, c.text or ""))
    return out


def _lines(spec: LineSpec, collection: etree._Element) -> list[Pairs]:
    lines = [record(spec.object, item) for item in collection if item.tag == spec.element]
    stray = [item.tag for item in collection if isinstance(item.tag, str) and item.tag != spec.element]
    if stray:
        raise QueryError(f"{stray[0]} is not a valid child of {spec.collection}")
    return lines


def _flatten(el: etree._Element, prefix: str = "") -> Iterable[tuple[str, str]]:
    """``<DISPLAYCONTACT><PRINTAS>x</PRINTAS></DISPLAYCONTACT>`` -> ('DISPLAYCONTACT.PRINTAS', 'x')."""
    name = prefix + el.tag
    kids = [c for c in el if isinstance(c.tag, str)]
    if not kids:
        yield name, (el.text or "")
        return
    for c in kids:
        yield from _flatten(c, name + ".")


# ---------------------------------------------------------------------------- legacy (2.1)

DATE_ELEMENTS = {"datecreated", "dateposted", "datedue", "datereceived", "datereversed", "exchratedate"}


def legacy_date(el: etree._Element) -> str:
    """``<datecreated><year/><month/><day/></datecreated>`` (or a plain MM/DD/YYYY text) -> ISO date."""
    if len(el):
        parts = {c.tag: (c.text or "").strip() for c in el}
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat()
        except (KeyError, ValueError, OverflowError):
            raise RequestValidationError(
                f"Invalid date in <{el.tag}>.", correction="Use <year>, <month> and <day> with a real date."
            ) from None
    try:
        return parse_mdy(text_of(el) or "").isoformat()
    except ValueFormatError as exc:
        raise RequestValidationError(f"Invalid date in <{el.tag}>: {exc}.") from None


def not_expected(tag: str, parent: str) -> EnvelopeError:
    return EnvelopeError.schema(f"Element '{tag}': This element is not expected (in '{parent}').", 1871)


def legacy_record(obj: ObjectType, el: etree._Element, mapping: Mapping[str, str], ignored: Iterable[str],
                  custom_of: CustomOf) -> Pairs:
    """Mapped legacy children as a record of stored field names; values are checked here so the
    error names the legacy element (``Check <amount>.``), then parsed again by the object.
    ``custom_of(object name)``: the company's custom fields of an object."""
    out: Pairs = []
    skip = set(ignored)
    custom = custom_of(obj.name)
    fields = obj.all_fields(custom)
    for c in el:
        if not isinstance(c.tag, str) or c.tag in skip:
            continue
        if c.tag == "customfields":
            out.extend(_custom_fields(obj, c, custom))
            continue
        target = mapping.get(c.tag)
        if target is None and len(c) and any(k.startswith(c.tag + "/") for k in mapping):
            out.extend(_nested_legacy(c, c.tag, mapping, fields))  # <taxentries><taxentry><detailid>
            continue
        if target is None:
            raise not_expected(c.tag, el.tag)
        if c.tag in DATE_ELEMENTS:
            out.append((target, legacy_date(c)))
            continue
        out.append(_leaf(c, target, fields))
    return out


def _leaf(c: etree._Element, target: str, fields: Mapping[str, Field]) -> tuple[str, str]:
    """One legacy element's text for its field, checked here so the error names the element."""
    value = text_of(c) or ""
    try:
        fields[target].from_input(value)
    except ValueFormatError as exc:
        raise InvalidFieldValueError(target, str(exc), correction=f"Check <{c.tag}>.") from None
    return target, value


def _nested_legacy(el: etree._Element, path: str, mapping: Mapping[str, str], fields: Mapping[str, Field]) -> Pairs:
    """Leaves of a nested legacy group, mapped by their path (``taxentries/taxentry/detailid``)."""
    out: Pairs = []
    for c in el:
        if not isinstance(c.tag, str):
            continue
        here = f"{path}/{c.tag}"
        if len(c):
            out.extend(_nested_legacy(c, here, mapping, fields))
            continue
        target = mapping.get(here)
        if target is None:
            raise not_expected(c.tag, el.tag)
        out.append(_leaf(c, target, fields))
    return out


def _custom_fields(obj: ObjectType, el: etree._Element, custom: Mapping[str, Field]) -> Pairs:
    out: Pairs = []
    for cf in el:
        if cf.tag != "customfield":
            continue
        name = (text_of(child(cf, "customfieldname")) or "").upper()
        if name not in custom:
            raise QueryError(f"Custom field '{name}' does not exist on object {obj.name}")
        value = text_of(child(cf, "customfieldvalue")) or ""
        try:
            custom[name].from_input(value)
        except ValueFormatError as exc:
            raise RequestValidationError(str(exc)) from None
        out.append((name, value))
    return out


LineChange = tuple[int | None, Pairs]  # (one-based line number to change, or None to add; its values)


def legacy_line_changes(obj: ObjectType, el: etree._Element, spec: LegacyLines,
                        custom_of: CustomOf) -> list[LineChange] | None:
    """An update's line changes (``<updatebillitems>``: ``<updatelineitem line_num="2">`` changes
    line 2, ``<lineitem>`` adds one), or None when the collection was not sent."""
    assert obj.lines is not None and spec.collection is not None and spec.changes is not None
    coll = child(el, spec.collection)
    if coll is None:
        return None
    changes: list[LineChange] = []
    for item in coll:
        if not isinstance(item.tag, str):
            continue
        if item.tag not in (spec.element, spec.changes):
            raise not_expected(item.tag, coll.tag)
        number = None
        if item.tag == spec.changes:
            number = parse_whole((item.get("line_num") or "").strip())
            if number is None or number < 1:
                raise EnvelopeError.schema(
                    f"Element '{item.tag}', attribute 'line_num': '{item.get('line_num') or ''}' is not a valid value "
                    "of the atomic type 'xs:positiveInteger'.", 1824)
        changes.append((number, legacy_record(obj.lines.object, item, spec.fields, spec.ignored, custom_of)))
    return changes


def legacy_lines(obj: ObjectType, el: etree._Element, spec: LegacyLines, custom_of: CustomOf) -> list[Pairs] | None:
    """A legacy function's lines (``<billitems><lineitem>``, or line elements directly in the
    function), or None when a collection was not sent and the declaration allows that."""
    assert obj.lines is not None
    line_obj = obj.lines.object
    if spec.collection is None:
        return [legacy_record(line_obj, item, spec.fields, spec.ignored, custom_of) for item in el if item.tag == spec.element]
    coll = child(el, spec.collection)
    if coll is None:
        return [] if spec.always else None
    lines = []
    for item in coll:
        if not isinstance(item.tag, str):
            continue
        if item.tag != spec.element:
            raise not_expected(item.tag, coll.tag)
        lines.append(legacy_record(line_obj, item, spec.fields, spec.ignored, custom_of))
    return lines
