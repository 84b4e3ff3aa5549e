"""The invariants the fuzzer checks really catch bugs: plant one, and the harness must say so."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from intacct_mock.fuzz.corpus import envelope
from intacct_mock.fuzz.harness import GatewayHarness
from intacct_mock.errors import BusinessRuleError
from intacct_mock.gateway import registry
from intacct_mock.gateway.handlers.generic import handle_create

BILL = ("<create><APBILL><VENDORID>V-0001</VENDORID><RECORDID>PLANT-1</RECORDID><WHENCREATED>03/02/2026"
        "</WHENCREATED><WHENDUE>04/01/2026</WHENDUE><APBILLITEMS><APBILLITEM><ACCOUNTNO>6220</ACCOUNTNO>"
        "<TRX_AMOUNT>1</TRX_AMOUNT></APBILLITEM></APBILLITEMS></APBILL></create>")


@pytest.fixture
def harness():
    logging.disable(logging.CRITICAL)
    h = GatewayHarness()
    yield h
    logging.disable(logging.NOTSET)
    h.db.close()


def test_a_raw_exception_in_a_handler_is_caught_by_the_harness(harness, monkeypatch):
    def broken(ctx, el):
        raise RuntimeError("planted bug")

    monkeypatch.setitem(registry._REGISTRY, "create", replace(registry.lookup("create"), handler=broken))
    assert harness.check(envelope(BILL)) == "HTTP 500 without a fault"


def test_a_partial_commit_is_caught_by_the_harness(harness, monkeypatch):
    def writes_then_fails(ctx, el):
        handle_create(ctx, el)  # the write happens ...
        raise BusinessRuleError("planted failure after a write")  # ... and then the function fails

    monkeypatch.setitem(registry._REGISTRY, "create", replace(registry.lookup("create"), handler=writes_then_fails))
    assert harness.check(envelope(BILL)) is None  # the savepoint rolls the write back: nothing to find

    original_execute = harness.db.connection().execute

    class NoRollback:
        """A connection that keeps what it should undo (ROLLBACK TO ignored, ROLLBACK committed):
        the planted partial-commit bug."""

        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            if sql.startswith("ROLLBACK TO"):
                return None
            if sql == "ROLLBACK":
                return self._conn.execute("COMMIT")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)

    real_connection = harness.db.connection
    monkeypatch.setattr(harness.db, "connection", lambda: NoRollback(real_connection()))
    assert harness.check(envelope(BILL.replace("PLANT-1", "PLANT-2"))) == \
        "books changed although no write function succeeded"
    assert original_execute
