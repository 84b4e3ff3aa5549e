"""Build ``query`` filters without writing XML: ``all_of(eq("STATE", "Posted"), gte("WHENMODIFIED", "05/01/2026"))``."""

from __future__ import annotations

from lxml import etree


def _op(tag: str, field: str, *values: str) -> etree._Element:
    el = etree.Element(tag)
    etree.SubElement(el, "field").text = field
    for v in values:
        etree.SubElement(el, "value").text = str(v)
    return el


def eq(field: str, value: str) -> etree._Element:
    return _op("equalto", field, value)


def ne(field: str, value: str) -> etree._Element:
    return _op("notequalto", field, value)


def gte(field: str, value: str) -> etree._Element:
    return _op("greaterthanorequalto", field, value)


def lt(field: str, value: str) -> etree._Element:
    return _op("lessthan", field, value)


def is_in(field: str, *values: str) -> etree._Element:
    return _op("in", field, *values)


def all_of(*conditions: etree._Element) -> etree._Element:
    if len(conditions) == 1:
        return conditions[0]
    el = etree.Element("and")
    el.extend(conditions)
    return el


def any_of(*conditions: etree._Element) -> etree._Element:
    if len(conditions) == 1:
        return conditions[0]
    el = etree.Element("or")
    el.extend(conditions)
    return el
