"""The filter compiler, run against a real SQLite table so the semantics (not the SQL text) are tested."""

from __future__ import annotations

import sqlite3

import pytest

from intacct_mock.errors import EnumValueError, QueryError
from intacct_mock.objects.fields import Column, choice, day, money, status, text
from intacct_mock.gateway.filters import parse_filter_element
from intacct_mock.query.legacy import parse_legacy_query
from intacct_mock.store.compile import compile_filter, register_sql_functions

FIELDS = {
    "NAME": text("NAME"),
    "STATUS": status(),
    "STATE": choice("STATE", (("A", "Posted"), ("D", "Paid"))),
    "TOTALDUE": money("TOTALDUE"),
    "WHENDUE": day("WHENDUE"),
}
ROWS = [
    (1, "Acme", "T", "A", 100.0, "2026-03-01"),
    (2, "acme lower", "T", "D", 0.0, "2026-03-15"),
    (3, "Erin's Software", "F", "A", 55.5, None),
    (4, "Hooli_X", "T", "A", 10.0, "2026-04-01"),
]


@pytest.fixture(scope="module")
def conn():
    c = sqlite3.connect(":memory:")
    register_sql_functions(c)
    c.execute("CREATE TABLE t (RECORDNO INTEGER, NAME TEXT, STATUS TEXT, STATE TEXT, TOTALDUE REAL, WHENDUE TEXT)")
    c.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", ROWS)
    return c


def resolve(name: str) -> Column:
    key = name.upper()
    if key not in FIELDS:
        raise QueryError(f"Field '{key}' does not exist")
    return Column(f't."{key}"', FIELDS[key])


def legacy(conn, query: str) -> list[int]:
    compiled = compile_filter(parse_legacy_query(query), resolve, dialect="readByQuery")
    rows = conn.execute(f"SELECT RECORDNO FROM t WHERE {compiled.where} ORDER BY RECORDNO", compiled.params).fetchall()
    found = [r[0] for r in rows]
    return found[: compiled.limit] if compiled.limit is not None else found


def newer(conn, xml: str, case_insensitive: bool = False) -> list[int]:
    from lxml import etree

    node = parse_filter_element(etree.fromstring(f"<filter>{xml}</filter>"))
    compiled = compile_filter(node, resolve, dialect="query", case_insensitive=case_insensitive)
    rows = conn.execute(f"SELECT RECORDNO FROM t WHERE {compiled.where} ORDER BY RECORDNO", compiled.params).fetchall()
    return [r[0] for r in rows]


def test_empty_query_matches_all(conn):
    assert legacy(conn, "") == [1, 2, 3, 4]


def test_string_equality_is_case_sensitive(conn):
    assert legacy(conn, "NAME = 'acme lower'") == [2]
    assert legacy(conn, "NAME = 'ACME LOWER'") == []


def test_like_is_case_sensitive_with_both_wildcards(conn):
    assert legacy(conn, "NAME LIKE 'Ac%'") == [1]
    assert legacy(conn, "NAME LIKE 'Hool_%'") == [4]
    assert legacy(conn, "NAME NOT LIKE 'A%'") == [2, 3, 4]


def test_like_treats_regex_characters_literally(conn):
    assert legacy(conn, r"NAME LIKE 'Erin\'s%'") == [3]
    assert legacy(conn, "NAME LIKE 'Acm.'") == []


def test_readbyquery_compares_stored_codes(conn):
    assert legacy(conn, "STATUS = 'F'") == [3]
    assert legacy(conn, "STATE IN ('D')") == [2]
    assert legacy(conn, "STATE = 'Posted'") == []  # labels match nothing here, as on Intacct


def test_numbers_and_dates(conn):
    assert legacy(conn, "TOTALDUE > 50") == [1, 3]
    assert legacy(conn, "WHENDUE >= '03/15/2026'") == [2, 4]
    assert legacy(conn, "WHENDUE IS NULL") == [3]


def test_iso_date_literal_is_dl02000001(conn):
    with pytest.raises(QueryError):
        legacy(conn, "WHENDUE >= '2026-03-15'")


def test_unknown_field_is_dl02000001(conn):
    with pytest.raises(QueryError) as caught:
        legacy(conn, "NOPE = '1'")
    assert caught.value.first.errorno == "DL02000001"


def test_dotted_names_are_refused_by_readbyquery(conn):
    with pytest.raises(QueryError):
        legacy(conn, "VENDOR.NAME = 'x'")


def test_rownum_limits(conn):
    assert legacy(conn, "rownum = 1") == [1]
    assert legacy(conn, "STATUS = 'T' AND rownum < 3") == [1, 2]
    assert legacy(conn, "rownum <= 3") == [1, 2, 3]


def test_rownum_inside_or_is_refused(conn):
    with pytest.raises(QueryError):
        legacy(conn, "STATUS = 'T' OR rownum < 3")


def test_not_and_parentheses(conn):
    assert legacy(conn, "NOT (STATUS = 'T' AND TOTALDUE > 50)") == [2, 3, 4]


def test_query_dialect_takes_labels(conn):
    assert newer(conn, "<equalto><field>STATE</field><value>Paid</value></equalto>") == [2]
    assert newer(conn, "<equalto><field>STATUS</field><value>inactive</value></equalto>") == [3]


def test_query_dialect_refuses_codes_with_the_enum_error(conn):
    with pytest.raises(EnumValueError) as caught:
        newer(conn, "<equalto><field>STATE</field><value>A</value></equalto>")
    assert caught.value.first.description2 == (
        "There's an error with the value for field STATE. Value: [A]. Expected values: [Posted, Paid]."
    )


def test_case_insensitive_option(conn):
    xml = "<equalto><field>NAME</field><value>ACME</value></equalto>"
    assert newer(conn, xml) == []
    assert newer(conn, xml, case_insensitive=True) == [1]
    assert newer(conn, "<like><field>NAME</field><value>ACME%</value></like>", case_insensitive=True) == [1, 2]


def test_between(conn):
    assert newer(conn, "<between><field>TOTALDUE</field><value>10</value><value>60</value></between>") == [3, 4]


def test_values_never_reach_sql_text(conn):
    hostile = "NAME = 'a\\' OR \\'1\\'=\\'1'"
    compiled = compile_filter(parse_legacy_query(hostile), resolve, dialect="readByQuery")
    assert "OR" not in compiled.where and compiled.params == ("a' OR '1'='1",)
    assert legacy(conn, hostile) == []
