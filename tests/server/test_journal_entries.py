"""GL journal entries (GLBATCH with GLENTRY lines) over real HTTP, in the official SDKs' shape."""

from __future__ import annotations

from typing import Any

from tests.server.test_document_life import errors
from tests.support import Gateway, fn, record_xml
from tests.support import read_record as read


def batch(lines: list[tuple[str, str, str]], journal: str = "GJ", when: str = "03/10/2026", **header: Any) -> str:
    """``lines``: (account, debit 1 / credit -1, amount)."""
    data: dict[str, Any] = {"JOURNAL": journal, "BATCH_DATE": when, "BATCH_TITLE": "Accrual", **header,
                            "ENTRIES": {"GLENTRY": [{"ACCOUNTNO": a, "TR_TYPE": t, "TRX_AMOUNT": amt,
                                                     "DESCRIPTION": f"line {n}"}
                                                    for n, (a, t, amt) in enumerate(lines, start=1)]}}
    return fn(f"<create>{record_xml('GLBATCH', data)}</create>")


BALANCED = [("6220", "1", "250.00"), ("1000", "-1", "250.00")]


def created(reply) -> int:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return int(result.findtext("data/glbatch/RECORDNO"))


def test_a_balanced_entry_posts_and_reads_back_with_its_lines(company):
    key = created(company.call(batch(BALANCED, REFERENCENO="ACC-3")))
    rec = read(company, "GLBATCH", key)
    assert (rec.findtext("JOURNAL"), rec.findtext("STATE"), rec.findtext("BATCH_DATE"), rec.findtext("BATCHNO"),
            rec.findtext("REFERENCENO")) == ("GJ", "Posted", "03/10/2026", str(key), "ACC-3")
    entries = [(e.findtext("ACCOUNTNO"), e.findtext("TR_TYPE"), e.findtext("TRX_AMOUNT")) for e in rec.find("ENTRIES")]
    assert entries == [("6220", "1", "250.00"), ("1000", "-1", "250.00")]
    lines = company.ok(fn("<query><object>GLENTRY</object><select><field>ACCOUNTNO</field><field>GLACCOUNT.TITLE</field>"
                          "</select><filter><equalto><field>TR_TYPE</field><value>1</value></equalto></filter></query>"))
    assert [(r.findtext("ACCOUNTNO"), r.findtext("GLACCOUNT.TITLE")) for r in lines.result().findall("data/GLENTRY")] == [
        ("6220", "Software")]


def test_an_unbalanced_entry_is_refused_but_a_draft_may_be_unbalanced(company):
    found = errors(company.call(batch([("6220", "1", "250.00"), ("1000", "-1", "240.00")])))
    assert found[0]["description2"] == "The journal entry is not balanced: debits 250.00, credits 240.00."
    assert found[-1]["description2"] == "Could not create Journal Entry record!"
    draft = created(company.call(batch([("6220", "1", "250.00")], STATE="Draft")))
    assert read(company, "GLBATCH", draft).findtext("STATE") == "Draft"


def test_unknown_journal_account_or_dimension_and_missing_fields(company):
    assert errors(company.call(batch(BALANCED, journal="XJ")))[0]["description2"] == "Invalid Journal 'XJ' specified."
    assert errors(company.call(batch([("9999", "1", "5"), ("1000", "-1", "5")])))[0]["description2"] == (
        "Invalid GL Account '9999' specified.")
    body = batch(BALANCED).replace("<DESCRIPTION>line 1</DESCRIPTION>", "<DEPARTMENT>D-NOPE</DEPARTMENT>")
    assert errors(company.call(body))[0]["description2"] == "Invalid Department 'D-NOPE' specified."
    assert "BATCH_TITLE" in errors(company.call(batch(BALANCED, BATCH_TITLE="")))[0]["description2"]
    assert errors(company.call(batch([("6220", "1", "-5"), ("1000", "-1", "-5")])))[0]["description2"].startswith(
        "Line 1: the amount must not be negative")


def test_closed_period_refuses_posting_and_deleting(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_through="2026-02-28"))
    assert "02/20/2026" in errors(gw.call(batch(BALANCED, when="02/20/2026")))[0]["description2"]
    key = created(gw.call(batch(BALANCED)))
    gw.ok(fn(f"<delete><object>GLBATCH</object><keys>{key}</keys></delete>"))
    assert gw.query("GLBATCH", fields="RECORDNO").result().find("data").get("totalcount") == "0"


def test_reverse_date_writes_the_reversing_entry(company):
    key = created(company.call(batch(BALANCED, REVERSEDATE="04/01/2026")))
    original = read(company, "GLBATCH", key)
    rev_key = int(original.findtext("REVERSEDKEY"))
    assert original.findtext("REVERSED") == "04/01/2026"
    rev = read(company, "GLBATCH", rev_key)
    assert (rev.findtext("BATCH_DATE"), rev.findtext("BATCH_TITLE"), rev.findtext("REVERSEDFROM")) == (
        "04/01/2026", "Reversal of: Accrual", str(key))
    assert [(e.findtext("ACCOUNTNO"), e.findtext("TR_TYPE")) for e in rev.find("ENTRIES")] == [("6220", "-1"),
                                                                                              ("1000", "1")]
    assert errors(company.call(batch(BALANCED, REVERSEDATE="03/01/2026")))[0]["description2"] == (
        "The reverse date 03/01/2026 must be after the posting date 03/10/2026.")
