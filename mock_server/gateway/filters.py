"""Parser for the ``query`` function's XML ``<filter>`` (protocol notes 7.7).

The documented grammar: one top-level operator; ``and``/``or`` nest; comparisons carry one
``<field>`` and one ``<value>``; ``between`` exactly two values; ``in``/``notin`` one to 1000;
``isnull``/``isnotnull`` only a field. Some clients repeat a comparison element where they meant
"all of these"; repeated siblings are read as an implicit AND (a documented leniency).
"""

from __future__ import annotations

from lxml import etree

from ..errors import RequestValidationError
from ..xmlsafe import elements, text_of
from ..query.ast import And, Between, Compare, In, IsNull, Like, Node, Or

MAX_IN_VALUES = 1000
_COMPARE = {
    "equalto": "=",
    "notequalto": "!=",
    "lessthan": "<",
    "lessthanorequalto": "<=",
    "greaterthan": ">",
    "greaterthanorequalto": ">=",
}
OPERATORS = (*_COMPARE, "between", "in", "notin", "like", "notlike", "isnull", "isnotnull", "and", "or")


def _bad(message: str) -> RequestValidationError:
    return RequestValidationError(message, correction="Check the <filter> against the query function's documented grammar.")


def _field_and_values(el: etree._Element) -> tuple[str, list[str]]:
    field = None
    values: list[str] = []
    for c in elements(el):
        if c.tag == "field":
            if field is not None:
                raise _bad(f"<{el.tag}> takes one <field>.")
            field = (text_of(c) or "").strip()
        elif c.tag == "value":
            values.append(c.text or "")  # whitespace inside a value is data
        else:
            raise _bad(f"Unexpected <{c.tag}> inside <{el.tag}>.")
    if not field:
        raise _bad(f"<{el.tag}> requires a <field>.")
    return field, values


def _operator(el: etree._Element) -> Node:
    tag = el.tag
    if tag in ("and", "or"):
        items = [_operator(c) for c in elements(el)]
        if not items:
            raise _bad(f"<{tag}> requires conditions.")
        if len(items) == 1:  # the schema wants two; a lone condition means itself (leniency)
            return items[0]
        return And(tuple(items)) if tag == "and" else Or(tuple(items))
    if tag not in OPERATORS:
        raise _bad(f"Unknown filter operator <{tag}>.")
    field, values = _field_and_values(el)
    if tag in ("isnull", "isnotnull"):
        if values:
            raise _bad(f"<{tag}> takes no <value>.")
        return IsNull(field, negate=tag == "isnotnull")
    if tag in ("in", "notin"):
        if not 1 <= len(values) <= MAX_IN_VALUES:
            raise _bad(f"<{tag}> takes 1 to {MAX_IN_VALUES} <value> elements.")
        return In(field, tuple(values), negate=tag == "notin")
    if tag == "between":
        if len(values) != 2:
            raise _bad("<between> takes exactly two <value> elements.")
        return Between(field, values[0], values[1])
    if len(values) != 1:
        raise _bad(f"<{tag}> takes exactly one <value>.")
    if tag in ("like", "notlike"):
        return Like(field, values[0], negate=tag == "notlike")
    return Compare(field, _COMPARE[tag], values[0])


def parse_filter_element(filter_el: etree._Element) -> Node | None:
    """Build the filter tree; ``None`` for an empty ``<filter/>``."""
    items = [_operator(c) for c in elements(filter_el)]
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))
