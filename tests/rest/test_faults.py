"""Fault rules on the REST front door, over real HTTP: the same rules as XML (a rule on APBILL
fires on a REST bill, since ``POST`` is ``create``), narrowed by ``protocol``/``method``/``path``,
and every phase in REST terms: front-end answers, forced Intacct errors, expired tokens,
latency, and lost acknowledgements after the commit, which an ``Idempotency-Key`` retry survives."""

from __future__ import annotations

import pytest
import requests

from tests.rest.test_objects import Rest, error_of
from tests.support import Gateway, fn

BILL = {"billNumber": "F-1", "vendor": {"id": "V-1"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
        "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "10"}]}


def bills(rest: Rest) -> list[str]:
    found = rest.call("POST", "/services/core/query", {"object": "accounts-payable/bill", "fields": ["billNumber"]})
    return [r["billNumber"] for r in found.json()["ia::result"]]


@pytest.mark.parametrize("variant", ["reset", "close", "truncate"])
def test_a_lost_acknowledgement_then_a_retry_with_the_same_key_leaves_one_bill(rest, control, company, variant):
    control.add_fault({"company": company, "match": {"object": "APBILL"}, "times": 1,
                       "action": {"type": "drop_ack", "variant": variant}})
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        reply = rest.call("POST", "/objects/accounts-payable/bill", BILL, **{"Idempotency-Key": "bill-f-1"})
        reply.json()  # a truncated body fails here, when read
    assert bills(rest) == ["F-1"]  # committed before the answer was lost
    lost = control.journal(company=company, function="POST accounts-payable/bill")[-1]
    assert (lost["committed"], lost["delivery"], lost["faults"][0]["type"]) == (True, variant, "drop_ack")
    retry = rest.call("POST", "/objects/accounts-payable/bill", BILL, **{"Idempotency-Key": "bill-f-1"})
    assert retry.status_code == 201 and retry.headers["X-IA-Idempotent-Replay"] == "true"
    assert bills(rest) == ["F-1"]


def test_a_gateway_page_replaces_a_committed_answer(rest, control, company):
    control.add_fault({"company": company, "match": {"protocol": "rest", "method": "POST"}, "times": 1,
                       "action": {"type": "drop_ack", "variant": "gateway_error", "status": 502}})
    reply = rest.call("POST", "/objects/accounts-payable/bill", BILL)
    assert reply.status_code == 502 and reply.headers["Content-Type"].startswith("text/html")
    assert bills(rest) == ["F-1"]
    entry = control.journal(company=company, function="POST accounts-payable/bill")[-1]
    assert entry["delivery"] == "gateway_error"


def test_front_end_answers_in_the_rest_shape_and_only_on_the_door_named(rest, control, company, gateway_url):
    control.add_fault({"company": company, "match": {"protocol": "rest"}, "times": 1,
                       "action": {"type": "http_status", "status": 429, "retry_after": 7}})
    Gateway(gateway_url, company=company).ok(fn("<getAPISession/>"))  # the XML door is not matched
    limited = rest.call("GET", "/objects/accounts-payable/vendor")
    assert limited.status_code == 429 and error_of(limited)["additionalInfo"]["messageId"] == "GW-0010"
    assert limited.headers["Retry-After"] == "7" and limited.headers["X-IA-Throttle-Limit-Retry-After"] == "7"
    assert rest.call("GET", "/objects/accounts-payable/vendor").status_code == 200


def test_a_forced_intacct_error_is_rendered_as_rest(rest, control, company):
    control.add_fault({"company": company, "match": {"function": "create", "object": "APBILL"}, "times": 1,
                       "action": {"type": "intacct_error", "preset": "numbering_collision"}})
    refused = rest.call("POST", "/objects/accounts-payable/bill", BILL)
    assert refused.status_code == 422, refused.text
    assert "F-1" in error_of(refused)["message"]
    assert bills(rest) == []


def test_an_expired_token_and_latency(rest, control, company):
    control.add_fault({"company": company, "match": {"method": "PATCH", "path": "objects/accounts-payable/vendor/*"},
                       "times": 1, "action": {"type": "session_expire"}})
    key = rest.call("GET", "/objects/accounts-payable/vendor").json()["ia::result"][0]["key"]
    expired = rest.call("PATCH", f"/objects/accounts-payable/vendor/{key}", {"name": "Later"})
    assert expired.status_code == 401 and error_of(expired)["code"] == "tokenInvalid"
    control.add_fault({"company": company, "match": {"protocol": "rest"}, "times": 1,
                       "action": {"type": "latency", "ms": 50}})
    assert rest.call("GET", f"/objects/accounts-payable/vendor/{key}").status_code == 200
    assert control.journal(company=company)[-1]["faults"][0]["delay_ms"] == 50
