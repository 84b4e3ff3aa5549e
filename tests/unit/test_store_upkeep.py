"""Row revisions, row counts and the render cache's own rules, on a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from intacct_mock.gateway.record_cache import RecordCache
from intacct_mock.gateway.replies import RecordsReply, record_indent
from intacct_mock.objects.fields import Field, FieldType
from intacct_mock.store.db import Database
from intacct_mock.xmlwriter import XmlBuilder, flat_fragment


def _counts(conn: sqlite3.Connection, table: str) -> dict[tuple[str, str], int]:
    return {(c, e): n for c, e, n in conn.execute("SELECT company_key, entity, n FROM row_counts WHERE tbl = ? AND n > 0", [table])}


def _real_counts(conn: sqlite3.Connection, table: str) -> dict[tuple[str, str], int]:
    return {(c, e): n for c, e, n in conn.execute(
        f"SELECT _COMPANY, coalesce(_ENTITY, ''), COUNT(*) FROM {table} GROUP BY 1, 2")}


def test_counts_and_revisions_follow_inserts_updates_moves_and_deletes(tmp_path):
    db = Database(str(tmp_path / "books.db"))
    with db.transaction(write=True) as conn:
        for n in range(6):
            conn.execute("INSERT INTO CLASS (_COMPANY, _ENTITY, CLASSID, NAME) VALUES (?, ?, ?, 'x')",
                         ["A" if n < 4 else "B", "E1" if n % 2 else None, f"K{n}"])
        rev = conn.execute("SELECT _REV FROM CLASS WHERE CLASSID = 'K0'").fetchone()[0]
        conn.execute("UPDATE CLASS SET NAME = 'y' WHERE CLASSID = 'K0'")
        assert conn.execute("SELECT _REV FROM CLASS WHERE CLASSID = 'K0'").fetchone()[0] != rev
        conn.execute("UPDATE CLASS SET _ENTITY = 'E2' WHERE CLASSID = 'K2'")  # moves between counts
        conn.execute("UPDATE CLASS SET _COMPANY = 'B' WHERE CLASSID = 'K3'")
        conn.execute("DELETE FROM CLASS WHERE CLASSID = 'K5'")
        assert _counts(conn, "CLASS") == _real_counts(conn, "CLASS") == {
            ("A", ""): 1, ("A", "E1"): 1, ("A", "E2"): 1, ("B", ""): 1, ("B", "E1"): 1}
    db.close()


def test_an_older_database_gets_revisions_and_counts_when_opened(tmp_path):
    path = str(tmp_path / "old.db")
    db = Database(path)
    with db.transaction(write=True) as conn:
        for n in range(5):
            conn.execute("INSERT INTO VENDOR (_COMPANY, VENDORID, NAME) VALUES ('OLD', ?, 'v')", [f"V{n}"])
    db.close()
    conn = sqlite3.connect(path)  # make it look like a file from before store/upkeep.py
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("DROP TABLE row_counts")
    conn.execute("ALTER TABLE VENDOR DROP COLUMN _REV")
    conn.commit()
    conn.close()

    db = Database(path)
    with db.transaction(write=True) as conn:
        revs = [r for (r,) in conn.execute("SELECT _REV FROM VENDOR")]
        assert len(revs) == 5 and len(set(revs)) == 5  # random, not the constant the ALTER gave them
        assert _counts(conn, "VENDOR") == {("OLD", ""): 5}
        conn.execute("INSERT INTO VENDOR (_COMPANY, VENDORID, NAME) VALUES ('OLD', 'V9', 'v')")
        assert _counts(conn, "VENDOR") == {("OLD", ""): 6}
    db.close()


FIELDS = {"A": Field("A"), "B": Field("B", FieldType.ENUM, codes=(("x", "Ex"),))}


def test_the_cache_is_bounded_by_characters_and_evicts_the_least_recent():
    cache = RecordCache(max_chars=30)
    layout = cache.layout("T", "t", ("A",), FIELDS, None)
    cache.put_many(layout, [(1, 10, "a" * 10), (2, 20, "b" * 10), (3, 30, "c" * 10)])
    assert cache.get_many(layout, [(1, 10)]) == ["a" * 10]  # 1 is now the most recent
    cache.put_many(layout, [(4, 40, "d" * 10)])
    assert cache.get_many(layout, [(1, 10), (2, 20), (3, 30), (4, 40)]) == ["a" * 10, None, "c" * 10, "d" * 10]
    assert cache.get_many(layout, [(1, 11)]) == [None]  # another revision is another record
    assert cache.stats()["chars"] <= 30
    assert not RecordCache(0).enabled


def test_a_layout_changes_with_anything_that_shapes_the_text():
    cache = RecordCache(1000)
    base = cache.layout("T", "t", ("A", "B"), FIELDS, None)
    assert cache.layout("T", "t", ["A", "B"], dict(FIELDS), None) == base
    relabelled = {**FIELDS, "B": Field("B", FieldType.ENUM, codes=(("x", "Other"),))}
    retyped = {**FIELDS, "A": Field("A", FieldType.DATE)}
    others = [cache.layout("T", "t", ("A", "B"), relabelled, None),
              cache.layout("T", "t", ("A", "B"), retyped, None),
              cache.layout("T", "t", ("A", "B"), {}, None),
              cache.layout("T", "t", ("B", "A"), FIELDS, None),
              cache.layout("T", "t", ("A", "B"), FIELDS, record_indent(True)),
              cache.layout("U", "t", ("A", "B"), FIELDS, None)]
    assert base not in others and len(set(others)) == len(others)


@pytest.mark.parametrize("pretty", [False, True])
def test_a_pre_rendered_record_is_the_same_as_one_written_in_place(pretty):
    entries = [("A", "1 & 2"), ("B", "")]
    built = XmlBuilder(pretty=pretty)
    for tag in ("response", "operation", "result"):
        built.open(tag)
    RecordsReply({"count": 1}, [("t", entries)]).write(built)
    fragment = flat_fragment("t", entries, record_indent(pretty))
    again = XmlBuilder(pretty=pretty)
    for tag in ("response", "operation", "result"):
        again.open(tag)
    RecordsReply({"count": 1}, [fragment]).write(again)
    assert built.to_bytes() == again.to_bytes()


def test_a_pre_rendered_record_at_the_wrong_depth_is_refused():
    xml = XmlBuilder(pretty=True)
    xml.open("response").open("operation")
    with pytest.raises(RuntimeError):
        RecordsReply({}, [flat_fragment("t", [("A", "1")], record_indent(True))]).write(xml)
    with pytest.raises(RuntimeError):
        RecordsReply({}, [flat_fragment("t", [("A", "1")], None)]).write(XmlBuilder(pretty=True).open("a").open("b").open("c"))
