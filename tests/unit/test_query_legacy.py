"""The readByQuery string parser: what it accepts, what it refuses and with which error."""

from __future__ import annotations

import pytest

from intacct_mock.errors import QueryError, QueryParseError
from intacct_mock.query.ast import And, Compare, In, IsNull, Like, Not, Or, Rownum
from intacct_mock.query.legacy import parse_legacy_query


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_query_lists_everything(text):
    assert parse_legacy_query(text) is None


def test_comparison_with_a_quoted_value():
    assert parse_legacy_query("VENDORID = 'V-0001'") == Compare("VENDORID", "=", "V-0001")


@pytest.mark.parametrize("op", ["=", "!=", "<", ">", "<=", ">="])
def test_every_comparison_operator(op):
    assert parse_legacy_query(f"TOTALDUE {op} 10.5") == Compare("TOTALDUE", op, "10.5")


def test_sql_not_equal_spelling_is_normalised():
    assert parse_legacy_query("STATE <> 'A'") == Compare("STATE", "!=", "A")


def test_backslash_escapes_an_apostrophe():
    assert parse_legacy_query(r"NAME = 'Erin\'s Software'") == Compare("NAME", "=", "Erin's Software")


def test_and_binds_tighter_than_or_and_parentheses_group():
    node = parse_legacy_query("A = '1' OR B = '2' AND C = '3'")
    assert node == Or((Compare("A", "=", "1"), And((Compare("B", "=", "2"), Compare("C", "=", "3")))))
    grouped = parse_legacy_query("(A = '1' OR B = '2') AND C = '3'")
    assert grouped == And((Or((Compare("A", "=", "1"), Compare("B", "=", "2"))), Compare("C", "=", "3")))


def test_keywords_are_case_insensitive():
    node = parse_legacy_query("name like 'Ac%' and status is not null")
    assert node == And((Like("name", "Ac%"), IsNull("status", negate=True)))


def test_not_like_not_in_and_not_prefix():
    assert parse_legacy_query("NAME NOT LIKE '%x'") == Like("NAME", "%x", negate=True)
    assert parse_legacy_query("STATE NOT IN ('A', 'D')") == In("STATE", ("A", "D"), negate=True)
    assert parse_legacy_query("NOT VENDORID = 'V1234'") == Not(Compare("VENDORID", "=", "V1234"))


def test_is_null():
    assert parse_legacy_query("PARENTID IS NULL") == IsNull("PARENTID")


def test_rownum_becomes_a_limit_node():
    assert parse_legacy_query("rownum < 5") == Rownum("<", 5)


@pytest.mark.parametrize("text", ["BookID != `ACCRUAL`", "NAME = 'unterminated", "NAME = 'a' ; DROP TABLE x", "NAME # 'a'"])
def test_text_the_tokeniser_cannot_read_is_a_parse_error(text):
    with pytest.raises(QueryParseError) as caught:
        parse_legacy_query(text)
    assert caught.value.first.description2 == f"Unable to parse Query value: {text}"


@pytest.mark.parametrize("text", [
    "VENDORID = 'V1' ORDER BY RECORDNO",
    "VENDORID = ACCRUAL",
    "VENDORID =",
    "(VENDORID = 'V1'",
    "VENDORID IN ()",
    "= 'x'",
    "rownum like '1'",
    "rownum = 'a'",
])
def test_sql_it_recognises_but_refuses_is_dl02000001(text):
    with pytest.raises(QueryError) as caught:
        parse_legacy_query(text)
    assert caught.value.first.errorno == "DL02000001"


def test_in_list_is_bounded():
    values = ", ".join(f"'{n}'" for n in range(1001))
    with pytest.raises(QueryError):
        parse_legacy_query(f"VENDORID IN ({values})")
