"""Workflow actions over real HTTP (``POST /workflows/<application>/<object>/<action>``): a draft
bill submitted and read back posted on both doors, a bill reversed with a date and then refused
payment, the same rules' errors as XML's reverse_bill, unknown actions and keys in the REST shape,
published actions the books do not model refused with 422, and a lost acknowledgement after the
books changed."""

from __future__ import annotations

import pytest
import requests

from tests.rest.test_objects import Rest, error_of
from tests.support import Gateway, fn

BILL = {"vendor": {"id": "V-1"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
        "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "100.00"}]}


def bill(rest: Rest, number: str, *, posted: bool = True, **extra) -> str:
    """A bill: created (a draft, as Sage creates it), then submitted unless ``posted=False``."""
    reply = rest.call("POST", "/objects/accounts-payable/bill", {"billNumber": number, **BILL, **extra})
    assert reply.status_code == 201, reply.text
    key = reply.json()["ia::result"]["key"]
    if posted:
        assert rest.call("POST", "/workflows/accounts-payable/bill/submit", {"key": key}).status_code == 200
    return key


def state(rest: Rest, path: str, key: str) -> str:
    reply = rest.call("GET", f"/objects/{path}/{key}")
    assert reply.status_code == 200, reply.text
    return reply.json()["ia::result"]["state"]


def xml_state(gateway_url: str, company: str, key: str) -> str:
    gw = Gateway(gateway_url, company=company)
    read = gw.ok(fn(f"<readByQuery><object>APBILL</object><fields>RECORDNO,STATE</fields>"
                    f"<query>RECORDNO = {key}</query></readByQuery>"))
    return read.result().find("data/apbill/STATE").text


def test_a_draft_bill_submitted_is_posted_on_both_doors(rest, gateway_url, company):
    key = bill(rest, "WF-1", posted=False)
    assert state(rest, "accounts-payable/bill", key) == "draft"
    reply = rest.call("POST", "/workflows/accounts-payable/bill/submit", {"key": key})
    assert reply.status_code == 200, reply.text
    assert reply.json()["ia::result"] == {"key": key, "id": key, "href": f"/objects/accounts-payable/bill/{key}",
                                          "state": "posted"}
    assert reply.json()["ia::meta"] == {"totalCount": 1, "totalSuccess": 1, "totalError": 0}
    assert state(rest, "accounts-payable/bill", key) == "posted"
    assert xml_state(gateway_url, company, key) == "Posted"
    again = rest.call("POST", "/workflows/accounts-payable/bill/submit", {"key": key})
    assert again.status_code == 422 and "only a draft" in error_of(again)["message"]


def test_state_is_not_patched(rest):
    key = bill(rest, "WF-P", posted=False)
    rest.call("PATCH", f"/objects/accounts-payable/bill/{key}", {"state": "posted"})
    assert state(rest, "accounts-payable/bill", key) == "draft"


def test_a_reversed_bill_cannot_be_paid(rest, control, company):
    key = bill(rest, "WF-2")
    early = rest.call("POST", "/workflows/accounts-payable/bill/reverse", {"key": key, "reverseDate": "2026-03-01"})
    assert early.status_code == 422 and "before" in str(error_of(early))  # the XML rule's error
    reply = rest.call("POST", "/workflows/accounts-payable/bill/reverse",
                      {"key": key, "reverseDate": "2026-03-10", "notes": "Entered twice"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["ia::result"]["state"] == "reversed"
    assert state(rest, "accounts-payable/bill", key) == "reversed"
    entry = control.journal(company=company, function="POST workflows/accounts-payable/bill/reverse")[-1]
    assert entry["committed"] is True and entry["functions"][0]["status"] == "success"
    paid = rest.call("POST", "/objects/accounts-payable/payment", {
        "financialEntity": {"entityId": "BOA"}, "paymentMethod": "Printed Check", "vendor": {"id": "V-1"},
        "paymentDate": "2026-03-20", "details": [{"bill": {"key": key}, "txnCurrency": {"paymentAmount": "10.00"}}]})
    assert paid.status_code == 422, paid.text
    twice = rest.call("POST", "/workflows/accounts-payable/bill/reverse", {"key": key, "reverseDate": "2026-03-10"})
    assert twice.status_code == 422 and "already reversed" in str(error_of(twice))


def test_a_paid_bill_is_not_reversed_until_its_payment_is(rest):
    key = bill(rest, "WF-3")
    paid = rest.call("POST", "/objects/accounts-payable/payment", {
        "financialEntity": {"entityId": "BOA"}, "paymentMethod": "Printed Check", "vendor": {"id": "V-1"},
        "paymentDate": "2026-03-20", "details": [{"bill": {"key": key}, "txnCurrency": {"paymentAmount": "100.00"}}]})
    assert paid.status_code == 201, paid.text
    payment = paid.json()["ia::result"]["key"]
    refused = rest.call("POST", "/workflows/accounts-payable/bill/reverse", {"key": key, "reverseDate": "2026-03-25"})
    assert refused.status_code == 422 and "payments applied" in str(error_of(refused))
    undone = rest.call("POST", "/workflows/accounts-payable/payment/reverse",
                       {"key": payment, "paymentDate": "2026-03-25", "description": "Lost check"})
    assert undone.status_code == 200, undone.text
    assert undone.json()["ia::result"]["state"] == "reversed"
    assert state(rest, "accounts-payable/bill", key) == "posted"
    assert rest.call("POST", "/workflows/accounts-payable/bill/reverse",
                     {"key": key, "reverseDate": "2026-03-25"}).status_code == 200


def test_an_invoice_submitted_then_reversed(rest):
    made = rest.call("POST", "/objects/accounts-receivable/invoice", {
        "invoiceNumber": "WI-1", "customer": {"id": "C-1"}, "invoiceDate": "2026-03-02", "dueDate": "2026-04-01",
        "state": "draft", "lines": [{"glAccount": {"id": "4000"}, "txnAmount": "60"}]})
    assert made.status_code == 201, made.text
    key = made.json()["ia::result"]["key"]
    assert rest.call("POST", "/workflows/accounts-receivable/invoice/submit", {"key": key}).status_code == 200
    assert state(rest, "accounts-receivable/invoice", key) == "posted"
    reply = rest.call("POST", "/workflows/accounts-receivable/invoice/reverse",
                      {"key": key, "reversedDate": "2026-03-05", "memo": "Duplicate"})
    assert reply.status_code == 200, reply.text
    assert state(rest, "accounts-receivable/invoice", key) == "reversed"


def test_unknown_actions_missing_keys_and_bad_bodies_in_the_rest_shape(rest):
    unknown = rest.call("POST", "/workflows/accounts-payable/bill/frobnicate", {"key": "1"})
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "notFound"
    missing = rest.call("POST", "/workflows/accounts-payable/bill/submit", {"key": "999999"})
    assert missing.status_code == 404 and error_of(missing)["code"] == "notFound"
    missing = rest.call("POST", "/workflows/accounts-payable/bill/reverse", {"key": "999999", "reverseDate": "2026-03-10"})
    assert missing.status_code == 404, missing.text
    no_key = rest.call("POST", "/workflows/accounts-payable/bill/submit", {})
    assert no_key.status_code == 400 and error_of(no_key)["details"][0]["target"] == "/key"
    extra = rest.call("POST", "/workflows/accounts-payable/bill/submit", {"key": "1", "state": "posted"})
    assert extra.status_code == 400
    no_date = rest.call("POST", "/workflows/accounts-payable/bill/reverse", {"key": "1"})
    assert no_date.status_code == 400 and "reverseDate" in error_of(no_date)["message"]
    get = rest.call("GET", "/workflows/accounts-payable/bill/submit")
    assert get.status_code == 405 and "ia::result" in get.json()


def test_published_actions_the_books_do_not_model_are_refused_with_422(rest):
    key = bill(rest, "WF-4")
    reply = rest.call("POST", "/workflows/accounts-payable/bill/approve", {"key": key})
    assert reply.status_code == 422 and "not emulated" in error_of(reply)["message"]
    assert state(rest, "accounts-payable/bill", key) == "posted"


def test_a_lost_acknowledgement_after_the_submit_committed(rest, control, company):
    key = bill(rest, "WF-5", posted=False)
    control.add_fault({"company": company, "match": {"protocol": "rest", "path": "workflows/accounts-payable/bill/submit"},
                       "times": 1, "action": {"type": "drop_ack", "variant": "reset"}})
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        rest.call("POST", "/workflows/accounts-payable/bill/submit", {"key": key},
                  **{"Idempotency-Key": "wf-5"}).json()
    assert state(rest, "accounts-payable/bill", key) == "posted"  # the books changed before the answer was lost
    lost = control.journal(company=company, function="POST workflows/accounts-payable/bill/submit")[-1]
    assert (lost["committed"], lost["delivery"]) == (True, "reset")
    retry = rest.call("POST", "/workflows/accounts-payable/bill/submit", {"key": key}, **{"Idempotency-Key": "wf-5"})
    assert retry.status_code == 200 and retry.headers["X-IA-Idempotent-Replay"] == "true"
    assert retry.json()["ia::result"]["state"] == "posted"


def test_documents_are_created_as_drafts_and_posted_by_the_workflow_only(rest):
    key = bill(rest, "WF-D", posted=False)  # no state: a draft, as Sage creates it
    assert state(rest, "accounts-payable/bill", key) == "draft"
    for path, body in (("accounts-payable/bill", {"billNumber": "WF-X", **BILL, "state": "posted"}),
                       ("accounts-receivable/invoice", {"invoiceNumber": "WF-Y", "customer": {"id": "C-1"},
                                                        "invoiceDate": "2026-03-02", "dueDate": "2026-04-01",
                                                        "state": "submitted",
                                                        "lines": [{"glAccount": {"id": "4000"}, "txnAmount": "5"}]})):
        refused = rest.call("POST", f"/objects/{path}", body)
        assert refused.status_code == 400, refused.text
        assert error_of(refused)["message"] == "State must be draft or not included in the request."
        assert error_of(refused)["details"][0]["target"] == "/state"
