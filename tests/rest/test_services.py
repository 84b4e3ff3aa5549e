"""The core services beside /objects: the model service (from the same declarations as the codec)
and composite requests (sub-requests in order, later ones using earlier results)."""

from __future__ import annotations

import pytest

from tests.rest.test_objects import Rest


@pytest.fixture
def rest(live_server, make_company) -> Rest:
    return Rest(live_server.base_url, make_company())


def test_the_model_of_a_bill(rest):
    reply = rest.call("GET", "/services/core/model?name=accounts-payable/bill")
    assert reply.status_code == 200, reply.text
    bill = reply.json()["ia::result"]
    assert (bill["apiObject"], bill["type"], bill["idempotenceSupported"]) == ("accounts-payable/bill", "rootObject", True)
    assert bill["fields"]["billNumber"] == {"type": "string", "readOnly": False, "mutable": True, "nullable": True,
                                            "required": False, "x-mock-stored": True}
    assert bill["fields"]["dueDate"]["format"] == "date" and bill["fields"]["dueDate"]["required"] is True
    assert "partiallyPaid" in bill["fields"]["state"]["enum"]
    assert bill["refs"]["vendor"]["apiObject"] == "accounts-payable/vendor"
    assert bill["refs"]["vendor"]["fields"]["id"]["x-mock-stored"] is True
    assert bill["groups"]["audit"]["fields"]["createdDateTime"]["format"] == "date-time"
    assert bill["lists"] == {"lines": {"apiObject": "accounts-payable/bill-line"}}
    assert bill["httpMethods"] == "OPTIONS,GET,POST,PATCH,DELETE"
    listed = rest.call("GET", "/services/core/model").json()["ia::result"]
    assert {"apiObject": "general-ledger/journal-entry", "type": "rootObject",
            "href": "/services/core/model?name=general-ledger/journal-entry"} in listed
    assert rest.call("GET", "/services/core/model?name=nothing/here").status_code == 404


def test_a_composite_creates_a_vendor_then_its_bill_by_reference(rest):
    reply = rest.call("POST", "/services/core/composite", [
        {"method": "POST", "path": "/objects/accounts-payable/vendor", "body": {"id": "V-C", "name": "Composite"},
         "resultReference": "vendor"},
        {"method": "GET", "path": "/objects/accounts-payable/vendor/@{vendor.key}", "resultReference": "read"},
        {"method": "POST", "path": "/objects/accounts-payable/bill", "headers": {"Idempotency-Key": "c-1"},
         "body": {"billNumber": "CB-1", "vendor": {"id": "@{read.id}"}, "createdDate": "2026-03-02",
                  "dueDate": "2026-04-01", "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "5"}]}},
        {"method": "GET", "path": "/objects/accounts-payable/bill/@{nothing.key}"},
        {"method": "PUT", "path": "/objects/accounts-payable/vendor"},
    ])
    assert reply.status_code == 207, reply.text
    results = reply.json()["ia::result"]
    assert [r["ia::status"] for r in results] == [201, 200, 201, 400, 400]
    assert results[1]["ia::result"]["name"] == "Composite"
    assert reply.json()["ia::meta"] == {"totalCount": 5, "totalSuccess": 3, "totalError": 2}
    bill = rest.call("POST", "/services/core/query", {"object": "accounts-payable/bill",
                                                       "fields": ["billNumber", "vendor.id"]}).json()["ia::result"]
    assert bill == [{"billNumber": "CB-1", "vendor.id": "V-C"}]
    assert rest.call("POST", "/services/core/composite", {"not": "a list"}).status_code == 400
