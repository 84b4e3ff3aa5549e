"""The reference client against the emulator core in the same process: no server, no socket, the
same answers and the same lost-acknowledgement handling (InProcessTransport over XmlGateway.handle)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from intacct_mock.client import Bill, ClientConfig, InProcessTransport, IntacctClient, Line, Operations
from intacct_mock.config import Settings
from intacct_mock.emulator import Emulator
from intacct_mock.gateway.pipeline import XmlGateway

ENDPOINT = "http://in-process.invalid/ia/xml/xmlgw.phtml"


@pytest.fixture
def emulator(tmp_path):
    emu = Emulator(Settings.load(env={}, db_path=str(tmp_path / "inproc.db"), seed=3))
    yield emu
    emu.close()


@pytest.fixture
def ops(emulator) -> Operations:
    config = ClientConfig("mock-sender", "mock-sender-pw", "DEMO", "ws_user", "ws_user_pw", endpoint_url=ENDPOINT,
                          max_attempts=2)
    return Operations(IntacctClient(config, transport=InProcessTransport(XmlGateway(emulator))))


def bill(number: str) -> Bill:
    return Bill("V-0001", number, date(2026, 3, 2), [Line("6220", Decimal("12.00"))], due_date=date(2026, 4, 1))


def test_a_bill_exported_in_process_is_in_the_books_and_found_again(ops):
    posted = ops.export_bill(bill("INPROC-1"))
    assert posted.how == "created"
    again = ops.export_bill(bill("INPROC-1"))
    assert (again.recordno, again.how) == (posted.recordno, "reconciled")
    assert ops.find_bill("V-0001", "INPROC-1")["RECORDNO"] == posted.recordno


def test_a_lost_acknowledgement_in_process_is_reconciled_not_posted_twice(ops, emulator):
    emulator.faults.add({"company": "DEMO", "match": {"function": "create"}, "action": "drop_ack=reset", "times": 1})
    posted = ops.export_bill(bill("INPROC-2"))
    assert posted.how == "reconciled"
    assert len(list(ops.client.read_by_query("APBILL", "RECORDID = 'INPROC-2'", fields="RECORDNO"))) == 1
    [lost] = emulator.journal.list(company="DEMO", delivery="reset")
    assert lost["committed"]


def test_the_session_answers_with_the_endpoint_the_client_called(ops):
    sessionid, endpoint = ops.client.session()
    assert sessionid.endswith("..") and endpoint == ENDPOINT
