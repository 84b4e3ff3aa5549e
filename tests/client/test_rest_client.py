"""The reference client over REST, against the live emulator (real HTTP, real faults): the same
operations as over XML, and the discipline that keeps the books whole when acknowledgements are
lost: 100 bills through every drop_ack variant, exactly 100 in the books."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from intacct_mock.client import Bill, Invoice, Line, Payment
from intacct_mock.client.errors import NumberingCollision, OutcomeUnknown
from intacct_mock.client.rest import RestClient, RestConfig, RestOperations
from intacct_mock.client.retry import RetryPolicy


@pytest.fixture
def rest_for(live_server):
    def make(company: str, **overrides) -> RestOperations:
        config = RestConfig(live_server.base_url + "/ia/api/v1", "mock-client", "mock-client-secret", company,
                            "ws_user", timeout=overrides.pop("timeout", 3.0), seed=1, **overrides)
        retry = RetryPolicy(config.max_attempts, config.retry_budget, 0.001, 0.01, 1, sleep=lambda s: None)
        return RestOperations(RestClient(config, retry=retry))
    return make


def bill(number: str, amount: str = "10.00") -> Bill:
    return Bill("V-1", number, date(2026, 3, 2), [Line("6220", Decimal(amount), "seats", department="D100")])


def numbers(ops: RestOperations) -> list[str]:
    return [r["billNumber"] for r in ops.client.query("accounts-payable/bill", ["billNumber"])]


def test_documents_and_master_data_over_rest(rest_for, make_company):
    ops = rest_for(make_company())
    posted = ops.export_bill(bill("RB-1", "120.50"))
    assert posted.how == "created" and ops.client.get("accounts-payable/bill", posted.recordno)["totalTxnAmount"] == "120.50"
    assert ops.export_bill(bill("RB-1", "120.50")).how in ("created", "already_exported")  # replayed by its key
    with pytest.raises(NumberingCollision):
        ops.export_bill(bill("RB-1", "99.00"), generation=1)  # another document under the same number
    invoice = ops.export_invoice(Invoice("C-1", "RI-1", date(2026, 3, 2), [Line("4000", Decimal("60"))]))
    ops.record_payment(Payment("C-1", "CHK-1", date(2026, 3, 10), Decimal("60"), {invoice.recordno: Decimal("60")},
                               bank_account="BOA", method="Cash"))
    assert ops.client.get("accounts-receivable/invoice", invoice.recordno)["state"] == "paid"
    keys = ops.import_vendors([{"id": "V-9", "name": "Nine"}, {"id": "V-1", "name": "Initech Renamed"}])
    assert ops.client.get("accounts-payable/vendor", keys["V-1"])["name"] == "Initech Renamed"


def test_a_hundred_bills_through_every_lost_acknowledgement_leave_exactly_a_hundred(rest_for, make_company, control):
    company = make_company(reject_duplicate_document_numbers=False)  # a duplicate would be stored, not refused
    ops = rest_for(company)
    for n, variant in enumerate(("reset", "close", "truncate", "gateway_error")):
        control.add_fault({"company": company, "match": {"protocol": "rest", "object": "APBILL", "method": "POST"},
                           "probability": 0.3, "seed": n, "action": {"type": "drop_ack", "variant": variant}})
    control.add_fault({"company": company, "match": {"protocol": "rest", "object": "APBILL", "method": "POST"},
                       "probability": 0.05, "seed": 9, "action": {"type": "drop_ack", "variant": "hang",
                                                                    "hang_seconds": 5}})
    posted = []
    for n in range(100):
        try:
            posted.append(ops.export_bill(bill(f"LB-{n:03d}")))
        except OutcomeUnknown:  # every attempt lost: reconciled on the next export run
            posted.append(ops.export_bill(bill(f"LB-{n:03d}")))
    on_books = numbers(ops)
    assert sorted(on_books) == [f"LB-{n:03d}" for n in range(100)]  # each once: none lost, none twice
    assert len({p.recordno for p in posted}) == 100
    lost = [e for e in control.journal(company=company, function="POST accounts-payable/bill", limit=1000)
            if e.get("delivery")]
    assert {e["delivery"] for e in lost} >= {"reset", "close", "truncate", "gateway_error"}
