"""SIGKILL in the middle of a stream of writes, restart on the same file: nothing lost, nothing half-written.

And SIGTERM: the server stops accepting, lets in-flight requests finish, and exits cleanly.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from intacct_mock.client import Bill, ClientConfig, IntacctClient, Line, Operations
from intacct_mock.client.errors import IntacctError
from intacct_mock.admin_client import EmulatorControl
from tests.support import Gateway, fn

CLI = [sys.executable, "-m", "intacct_mock"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([*CLI, "serve", "--port", str(port), "--db", str(db), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/_mock/health", timeout=1).status_code == 200:
                return proc
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


def test_sigkill_mid_stream_then_restart_loses_nothing(tmp_path):
    db, port = tmp_path / "crash.db", free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(db, port)
    acknowledged: dict[str, str] = {}  # bill number -> RECORDNO the client was told
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        config = ClientConfig("mock-sender", "mock-sender-pw", "DEMO", "ws_user", "ws_user_pw",
                              endpoint_url=base + "/ia/xml/xmlgw.phtml", timeout=2, max_attempts=1)
        ops = Operations(IntacctClient(config))
        i = 0
        while not stop.is_set():
            i += 1
            number = f"CRASH-{n}-{i}"
            bill = Bill("V-0001", number, date(2026, 3, 2), [Line("6220", Decimal("10.00")), Line("6300", Decimal("2.50"))],
                        due_date=date(2026, 4, 1))
            try:
                posted = ops.export_bill(bill)
            except IntacctError:
                return  # the server died under us
            with lock:
                acknowledged[number] = posted.recordno

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    stop.set()
    for t in threads:
        t.join(20)
    assert len(acknowledged) > 20, "the stream must have been running when the server died"

    proc = start(db, port)
    try:
        control = EmulatorControl(base)
        stored = [b for b in control.books("DEMO", "APBILL") if b["RECORDID"].startswith("CRASH-")]
        by_number: dict[str, dict] = {}
        for b in stored:
            assert b["RECORDID"] not in by_number, f"duplicate {b['RECORDID']}"
            by_number[b["RECORDID"]] = b
        for number, recordno in acknowledged.items():  # every acknowledged document, exactly once, same number
            assert str(by_number[number]["RECORDNO"]) == recordno
        for b in stored:  # nothing half-written
            lines = b["APBILLITEMS"]
            assert len(lines) == 2 and Decimal(b["TOTALENTERED"]) == sum(Decimal(l["TRX_AMOUNT"]) for l in lines)
        with sqlite3.connect(db) as conn:
            orphans = conn.execute('SELECT COUNT(*) FROM "APBILLITEM" WHERE _PARENT NOT IN (SELECT RECORDNO FROM "APBILL")')
            assert orphans.fetchone()[0] == 0
            highest = conn.execute('SELECT MAX(RECORDNO) FROM "APBILL"').fetchone()[0]
        # record numbers continue without reuse
        reply = Gateway(base + "/ia/xml/xmlgw.phtml").ok(fn(
            "<create><APBILL><VENDORID>V-0001</VENDORID><RECORDID>AFTER-RESTART</RECORDID><WHENCREATED>03/02/2026"
            "</WHENCREATED><WHENDUE>04/01/2026</WHENDUE><APBILLITEMS><APBILLITEM><ACCOUNTNO>6220</ACCOUNTNO>"
            "<TRX_AMOUNT>1</TRX_AMOUNT></APBILLITEM></APBILLITEMS></APBILL></create>"))
        assert int(reply.result().findtext("data/apbill/RECORDNO")) > highest
        # the journal agrees with the books: one committed entry per stored bill, and no committed entry without a bill
        journal: list[dict] = []  # every committed entry (the stream may have written more than one page)
        while True:
            page = control.journal(company="DEMO", committed=True, limit=1000,
                                   after_id=journal[-1]["id"] if journal else None)
            journal += page
            if len(page) < 1000:
                break
        journaled = {f["controlid"] for e in journal for f in e["functions"] if f["controlid"].startswith("bill-")}
        assert journaled == {f"bill-V-0001-{number}" for number in by_number}
        assert {e["delivery"] for e in journal} <= {"sent", "unknown"}
    finally:
        proc.terminate()
        proc.wait(15)


def test_sigterm_lets_in_flight_requests_finish(tmp_path):
    port = free_port()
    proc = start(tmp_path / "term.db", port)
    base = f"http://127.0.0.1:{port}"
    EmulatorControl(base).add_fault({"company": "DEMO", "action": {"type": "latency", "ms": 1500}, "times": 1})
    result: dict = {}

    def slow_call() -> None:
        result["reply"] = Gateway(base + "/ia/xml/xmlgw.phtml").call(fn("<getAPISession/>"))

    t = threading.Thread(target=slow_call)
    t.start()
    time.sleep(0.4)
    proc.send_signal(signal.SIGTERM)
    t.join(15)
    assert proc.wait(15) == 0
    assert result["reply"].status == 200 and result["reply"].result().findtext("status") == "success"
    output = proc.stdout.read() if proc.stdout else ""
    assert "stopped" in output
    with pytest.raises(requests.ConnectionError):
        requests.get(base + "/_mock/health", timeout=1)
