"""The query function's XML <filter>: documented grammar, its limits and the repeated-sibling leniency."""

from __future__ import annotations

import pytest
from lxml import etree

from intacct_mock.errors import RequestValidationError
from intacct_mock.query.ast import And, Between, Compare, In, IsNull, Like, Or
from intacct_mock.gateway.filters import parse_filter_element


def parse(xml: str):
    return parse_filter_element(etree.fromstring(f"<filter>{xml}</filter>"))


def test_empty_filter_is_no_filter():
    assert parse("") is None


def test_single_comparison():
    assert parse("<equalto><field>VENDORID</field><value>V-1</value></equalto>") == Compare("VENDORID", "=", "V-1")


def test_nested_and_or():
    node = parse(
        "<and><greaterthanorequalto><field>WHENMODIFIED</field><value>05/01/2024</value></greaterthanorequalto>"
        "<or><in><field>STATE</field><value>Posted</value><value>Partially Paid</value></in>"
        "<isnull><field>PARENTID</field></isnull></or></and>"
    )
    assert node == And((
        Compare("WHENMODIFIED", ">=", "05/01/2024"),
        Or((In("STATE", ("Posted", "Partially Paid")), IsNull("PARENTID"))),
    ))


def test_between_like_and_negations():
    assert parse("<between><field>TOTALDUE</field><value>1</value><value>9</value></between>") == Between("TOTALDUE", "1", "9")
    assert parse("<notlike><field>NAME</field><value>A%</value></notlike>") == Like("NAME", "A%", negate=True)
    assert parse("<isnotnull><field>NAME</field></isnotnull>") == IsNull("NAME", negate=True)
    assert parse("<notin><field>NAME</field><value>a</value></notin>") == In("NAME", ("a",), negate=True)


def test_repeated_top_level_operators_mean_and():
    node = parse("<equalto><field>A</field><value>1</value></equalto><equalto><field>B</field><value>2</value></equalto>")
    assert node == And((Compare("A", "=", "1"), Compare("B", "=", "2")))


def test_value_whitespace_is_kept():
    assert parse("<equalto><field>NAME</field><value> padded </value></equalto>") == Compare("NAME", "=", " padded ")


@pytest.mark.parametrize("xml", [
    "<equals><field>A</field><value>1</value></equals>",
    "<equalto><value>1</value></equalto>",
    "<equalto><field>A</field></equalto>",
    "<equalto><field>A</field><value>1</value><value>2</value></equalto>",
    "<between><field>A</field><value>1</value></between>",
    "<in><field>A</field></in>",
    "<isnull><field>A</field><value>1</value></isnull>",
    "<and></and>",
    "<equalto><field>A</field><field>B</field><value>1</value></equalto>",
    "<equalto><field>A</field><name>B</name><value>1</value></equalto>",
])
def test_malformed_filters_are_request_errors(xml):
    with pytest.raises(RequestValidationError):
        parse(xml)


def test_in_list_is_bounded_at_1000():
    values = "".join(f"<value>{n}</value>" for n in range(1001))
    with pytest.raises(RequestValidationError):
        parse(f"<in><field>A</field>{values}</in>")
