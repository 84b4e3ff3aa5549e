"""The readByQuery render cache and the store bookkeeping it relies on (store/upkeep.py).

The cache may only ever make a page cheaper, never different: every test here compares what a
page says against the books after a kind of write that could leave a stale text behind (through
the API, straight into SQLite, inside a transaction that rolled back, a custom field redefined).
"""

from __future__ import annotations

import dataclasses
import re
from contextlib import contextmanager

import pytest

from intacct_mock.company.model import CustomField, Entity
from intacct_mock.gateway.record_cache import RecordCache
from intacct_mock.gateway.views import xml_gateway_of
from intacct_mock.web import emulator_of
from tests.conftest import BASIC_RECORDS
from tests.support import Gateway, fn

DATA = re.compile(rb"<data .*</data>|<data [^>]*/>", re.S)
MANY = BASIC_RECORDS + [("CUSTOMER", {"CUSTOMERID": f"X-{n:03d}", "NAME": f"Customer \"{n}\" & Co's",
                                      "DISPLAYCONTACT": {"PRINTAS": f"C{n}"}}) for n in range(40)]


def page(gw: Gateway, obj: str = "CUSTOMER", fields: str = "*", pretty: bool = False, **kw) -> bytes:
    """The ``<data>`` element of a readByQuery page, byte for byte."""
    reply = gw.call(fn(f"<readByQuery><object>{obj}</object><fields>{fields}</fields><query/>"
                       f"<pagesize>1000</pagesize></readByQuery>", controlid="page"),
                    includewhitespace="true" if pretty else "false", **kw)
    assert reply.status == 200 and reply.result().findtext("status") == "success", reply.body.decode()
    found = DATA.search(reply.body)
    assert found, reply.body.decode()
    return found.group(0)


def names_in(data: bytes) -> list[str]:
    return re.findall(rb"<NAME>(.*?)</NAME>", data)


@contextmanager
def cache_off(app):
    gateway = xml_gateway_of(app)
    saved = gateway.record_cache
    gateway.record_cache = RecordCache(0)
    try:
        yield
    finally:
        gateway.record_cache = saved


@pytest.mark.parametrize("pretty", [False, True])
@pytest.mark.parametrize("fields", ["*", "CUSTOMERID,NAME,STATUS,WHENMODIFIED,DISPLAYCONTACT.PRINTAS"])
def test_cached_pages_are_byte_identical_to_rendered_ones(app, make_company, gateway_url, pretty, fields):
    gw = Gateway(gateway_url, company=make_company(MANY))
    with cache_off(app):
        uncached = page(gw, fields=fields, pretty=pretty)
    cold = page(gw, fields=fields, pretty=pretty)
    hits = xml_gateway_of(app).record_cache.hits
    warm = page(gw, fields=fields, pretty=pretty)
    assert xml_gateway_of(app).record_cache.hits >= hits + 42  # the second page came from the cache
    assert uncached == cold == warm
    assert b"Customer &quot;7&quot; &amp; Co&#039;s" in warm


def test_pretty_and_compact_pages_do_not_share_entries(company):
    compact = page(company)
    pretty = page(company, pretty=True)
    assert b"\n" not in compact and b"\n        <customer>\n          <RECORDNO>" in pretty
    assert page(company) == compact


def test_an_update_through_the_api_shows_on_the_next_page(company):
    assert b"Acme Corp" in page(company)
    company.ok(fn("<update><CUSTOMER><CUSTOMERID>C-1</CUSTOMERID><NAME>Acme Renamed</NAME></CUSTOMER></update>"))
    data = page(company)
    assert b"Acme Renamed" in data and b"Acme Corp</NAME>" not in data


def test_an_update_written_straight_into_sqlite_shows_on_the_next_page(app, company):
    assert b"Globex" in page(company)
    with emulator_of(app).db.transaction(write=True) as conn:
        conn.execute("UPDATE CUSTOMER SET NAME = 'Written by hand' WHERE _COMPANY = ? AND CUSTOMERID = 'C-2'",
                     [company.company])
    assert b"<NAME>Written by hand</NAME>" in page(company)


def test_a_rolled_back_update_seen_inside_its_transaction_never_comes_back(app, company):
    """The page read inside the transaction is cached (the answer then reports only the rollback);
    after the rollback and a real update the row's revision must not meet that entry again
    (revisions are random, not counters)."""
    cache = xml_gateway_of(app).record_cache
    kept = cache.stats()["records"]
    reply = company.call(
        fn("<update><CUSTOMER><CUSTOMERID>C-1</CUSTOMERID><NAME>Doomed</NAME></CUSTOMER></update>"),
        fn("<readByQuery><object>CUSTOMER</object><fields>*</fields><query/></readByQuery>"),
        fn("<create><CUSTOMER><NAME>no id and no name key</NAME><CUSTOMERID></CUSTOMERID></CUSTOMER></create>"),
        transaction="true",
    )
    assert [r.findtext("status") for r in reply.results()] == ["aborted", "aborted", "failure"], reply.body.decode()
    assert cache.stats()["records"] > kept  # the page inside the transaction was rendered and kept
    assert names_in(page(company))[:1] == [b"Acme Corp"]
    company.ok(fn("<update><CUSTOMER><CUSTOMERID>C-1</CUSTOMERID><NAME>Kept</NAME></CUSTOMER></update>"))
    assert names_in(page(company))[:1] == [b"Kept"]


def test_a_redefined_custom_field_is_shown_the_new_way(app, make_company, gateway_url):
    custom = {"CUSTOMER": [CustomField("KICKOFF", "date", "Kickoff")]}
    gw = Gateway(gateway_url, company=make_company(custom_fields=custom))
    gw.ok(fn("<update><CUSTOMER><CUSTOMERID>C-1</CUSTOMERID><KICKOFF>04/01/2026</KICKOFF></CUSTOMER></update>"))
    assert b"<KICKOFF>04/01/2026</KICKOFF>" in page(gw)
    db, companies = emulator_of(app).db, emulator_of(app).companies
    with db.transaction(write=True) as conn:
        config, _ = companies.get(conn, gw.company)
        companies.put(conn, dataclasses.replace(config, custom_fields={"CUSTOMER": [CustomField("KICKOFF", "text", "Kickoff")]}))
    assert b"<KICKOFF>2026-04-01</KICKOFF>" in page(gw)


def test_read_more_pages_through_cached_records_in_order(company):
    company.ok(*(fn(f"<create><CUSTOMER><CUSTOMERID>P-{n:02d}</CUSTOMERID><NAME>Paged {n}</NAME></CUSTOMER></create>")
                 for n in range(25)))
    for _ in range(2):  # cold, then warm
        first = company.ok(fn("<readByQuery><object>CUSTOMER</object><fields>CUSTOMERID</fields><query/>"
                              "<pagesize>10</pagesize></readByQuery>"))
        data = first.result().find("data")
        ids = [e.text for e in data.iter("CUSTOMERID")]
        result_id = data.get("resultId")
        while result_id:
            more = company.ok(fn(f"<readMore><resultId>{result_id}</resultId></readMore>")).result().find("data")
            ids += [e.text for e in more.iter("CUSTOMERID")]
            result_id = more.get("resultId") if int(more.get("numremaining")) else ""
        assert ids == ["C-1", "C-2"] + [f"P-{n:02d}" for n in range(25)]


# ------------------------------------------------------------------------------------------ counts


def _sql_count(app, company: str, obj: str, entity_clause: str = "", params: tuple = ()) -> int:
    with emulator_of(app).db.transaction(write=False) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {obj} WHERE _COMPANY = ?{entity_clause}", [company, *params]).fetchone()[0]


def _totalcount(gw: Gateway, obj: str, **kw) -> int:
    reply = gw.ok(fn(f"<readByQuery><object>{obj}</object><fields>RECORDNO</fields><query/>"
                     "<pagesize>1</pagesize></readByQuery>"), **kw)
    return int(reply.result().find("data").get("totalcount"))


def test_unfiltered_totalcount_follows_every_kind_of_write(app, make_company, gateway_url):
    company_id = make_company(entities=[Entity("L100", "Head office"), Entity("L200", "Branch")])
    top = Gateway(gateway_url, company=company_id)
    entity = ("ws_user", company_id, "ws_user_pw", "L100")
    top.ok(fn("<create><VENDOR><VENDORID>TOP-1</VENDORID><NAME>Top</NAME></VENDOR></create>"))
    top.ok(fn("<create><VENDOR><VENDORID>ENT-1</VENDORID><NAME>East</NAME></VENDOR></create>"), login=entity)
    top.ok(fn("<create><VENDOR><VENDORID>ENT-2</VENDORID><NAME>West</NAME></VENDOR></create>"),
           login=("ws_user", company_id, "ws_user_pw", "L200"))
    top.ok(fn("<delete><object>VENDOR</object><keys>"
              + top.ok(fn("<readByName><object>VENDOR</object><keys>V-2</keys><fields>RECORDNO</fields></readByName>"))
              .result().findtext("data/VENDOR/RECORDNO") + "</keys></delete>"))
    with emulator_of(app).db.transaction(write=True) as conn:  # a row written by hand counts too
        conn.execute("INSERT INTO VENDOR (_COMPANY, _ENTITY, VENDORID, NAME) VALUES (?, 'L100', 'HAND-1', 'Hand')",
                     [company_id])
    assert _totalcount(top, "VENDOR") == _sql_count(app, company_id, "VENDOR", " AND _ENTITY IS NULL") == 2
    assert _totalcount(top, "VENDOR", login=entity) == _sql_count(
        app, company_id, "VENDOR", " AND (_ENTITY IS NULL OR _ENTITY = ?)", ("L100",)) == 4
    # a filtered query still counts with SQL
    assert _totalcount(top, "GLACCOUNT") == 4


# ------------------------------------------------------------------------------ result-set upkeep


def test_expired_result_sets_are_swept_and_live_ones_kept(app, company, control, monkeypatch):
    from intacct_mock.gateway.handlers import reads

    monkeypatch.setattr(reads, "PURGE_EVERY", 1)
    company.ok(*(fn(f"<create><CUSTOMER><CUSTOMERID>R-{n}</CUSTOMERID><NAME>R {n}</NAME></CUSTOMER></create>")
                 for n in range(3)))

    def open_sets() -> list[str]:
        with emulator_of(app).db.transaction(write=False) as conn:
            return [r[0] for r in conn.execute("SELECT result_id FROM result_sets WHERE company_key = ?", [company.company])]

    def first_page() -> str:
        reply = company.ok(fn("<readByQuery><object>CUSTOMER</object><fields>*</fields><query/>"
                              "<pagesize>2</pagesize></readByQuery>"))
        return reply.result().find("data").get("resultId")

    old = first_page()
    assert open_sets() == [old]
    control.set_clock(company.company, now="2026-03-16T14:30:00+00:00")  # past the one-hour lifetime
    new = first_page()
    assert open_sets() == [new]
    more = company.ok(fn(f"<readMore><resultId>{new}</resultId></readMore>")).result().find("data")
    assert [e.text for e in more.iter("CUSTOMERID")] == ["R-0", "R-1"]  # (C-1 and C-2 came first)
    assert len(list(more.find("customer"))) > 50  # fields=* stored as '*' and expanded again
