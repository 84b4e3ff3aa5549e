"""The ledger check itself: it passes on consistent books and fails on each planted inconsistency."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intacct_mock.loadtests.ledger import check, read_ledger
from tests.support import Gateway, fn, record_xml

ROOT = Path(__file__).resolve().parents[2]


def bill(number: str, vendor: str = "V-1") -> dict:
    return {"VENDORID": vendor, "RECORDID": number, "WHENCREATED": "03/02/2026", "WHENDUE": "04/01/2026",
            "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "10.00"}]}}


def create(gw: Gateway, data: dict, controlid: str, **kw) -> str:
    reply = gw.ok(fn(f"<create>{record_xml('APBILL', data)}</create>", controlid), **kw)
    return reply.result().findtext("data/apbill/RECORDNO")


@pytest.fixture
def books(make_company, gateway_url, control):
    cid = make_company(reject_duplicate_document_numbers=False)
    return cid, Gateway(gateway_url, company=cid), control


def entry(company: str, number: str, recordno: str, vendor: str = "V-1") -> dict:
    return {"event": "exported", "company": company, "kind": "bill", "party": vendor, "number": number,
            "recordno": recordno, "how": "created", "controlid": f"bill-{vendor}-{number}"}


def test_consistent_books_pass(books):
    cid, gw, control = books
    recordno = create(gw, bill("L-1"), "bill-V-1-L-1")
    report = check(control, [cid], [entry(cid, "L-1", recordno)])
    assert report.ok, report.table()
    assert "LEDGER CHECK PASSED" in report.table()


def test_a_planted_duplicate_fails(books):
    cid, gw, control = books
    first = create(gw, bill("DUP-1"), "bill-V-1-DUP-1")
    create(gw, bill("DUP-1"), "someone-else")  # the company allows duplicate numbers: a second copy
    report = check(control, [cid], [entry(cid, "DUP-1", first)])
    assert not report.ok and any("duplicate APBILL ('V-1', 'DUP-1') x2" in v for v in report.violations)


def test_a_missing_document_fails(books):
    cid, gw, control = books
    report = check(control, [cid], [entry(cid, "NEVER-SENT", "999999")])
    assert not report.ok and any("NEVER-SENT" in v and "books have None" in v for v in report.violations)


def test_an_unreconciled_lost_ack_fails(books):
    cid, gw, control = books
    control.add_fault({"company": cid, "match": {"function": "create"}, "action": "drop_ack=close", "times": 1})
    with pytest.raises(Exception):
        create(gw, bill("LOST-1"), "bill-V-1-LOST-1")
    report = check(control, [cid], [])
    assert not report.ok and any("bill-V-1-LOST-1 lost its ack and no client reconciled it" in v for v in report.violations)
    recordno = control.books(cid, "APBILL", RECORDID="LOST-1")[0]["RECORDNO"]
    assert check(control, [cid], [entry(cid, "LOST-1", str(recordno))]).ok  # reconciled: fine


def test_client_errors_fail_the_check(books, tmp_path):
    cid, _, control = books
    (tmp_path / "ledger-1.jsonl").write_text(json.dumps({"event": "error", "company": cid, "operation": "export_bill",
                                                         "error": "BL01001973: boom"}) + "\n")
    report = check(control, [cid], read_ledger(tmp_path))
    assert not report.ok and "unexpected client error" in report.violations[0]


def test_a_short_real_locust_run_passes_the_ledger_check():
    """Bounded: 8 s of load with the fault profile, a 2-worker emulator, then the ledger check."""
    result = subprocess.run([sys.executable, "-m", "intacct_mock.loadtests.run", "--duration", "8s", "--users", "6",
                             "--profile", "mixed", "--companies", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "LEDGER CHECK PASSED" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["none", "mixed"])
def test_make_load_profile(profile):
    result = subprocess.run([sys.executable, "-m", "intacct_mock.loadtests.run", "--duration", "45s", "--profile", profile],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
