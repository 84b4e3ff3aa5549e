"""The REST front door over real HTTP, over the same books as the XML gateway: OAuth tokens,
/objects CRUD, errors in the REST shape, and the cross-protocol reads an integration mid-migration
relies on (a bill posted over REST is the bill XML reads back)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from intacct_mock.company.model import User
from tests.support import Gateway, fn

CLIENT = {"client_id": "mock-client", "client_secret": "mock-client-secret"}


class Rest:
    def __init__(self, base: str, company: str, user: str = "ws_user") -> None:
        self.base = base + "/ia/api/v1"
        reply = requests.post(self.base + "/oauth2/token", data={"grant_type": "client_credentials",
                                                                 "username": f"{user}@{company}", **CLIENT}, timeout=10)
        assert reply.status_code == 200, reply.text
        self.token = reply.json()
        self.headers = {"Authorization": f"Bearer {self.token['access_token']}"}

    def call(self, method: str, path: str, body=None, **headers) -> requests.Response:
        return requests.request(method, self.base + path, json=body, headers={**self.headers, **headers}, timeout=10)


@pytest.fixture
def rest(live_server, make_company) -> Rest:
    return Rest(live_server.base_url, make_company())


def error_of(reply: requests.Response) -> dict:
    return reply.json()["ia::result"]["ia::error"]


def test_a_token_then_a_vendor_created_read_listed_changed_and_deleted(rest):
    assert rest.token["token_type"] == "Bearer" and rest.token["expires_in"] == 3600
    created = rest.call("POST", "/objects/accounts-payable/vendor",
                        {"id": "V-REST", "name": "Rest Supplies", "contacts": {"default": {"email1": "ap@rest.example"}}})
    assert created.status_code == 201, created.text
    ref = created.json()["ia::result"]
    assert ref["id"] == "V-REST" and ref["href"] == f"/objects/accounts-payable/vendor/{ref['key']}"
    vendor = rest.call("GET", f"/objects/accounts-payable/vendor/{ref['key']}").json()["ia::result"]
    assert (vendor["name"], vendor["status"], vendor["contacts"]["default"]["email1"]) == (
        "Rest Supplies", "active", "ap@rest.example")
    listed = rest.call("GET", "/objects/accounts-payable/vendor").json()
    assert {"key", "id", "href"} == set(listed["ia::result"][0]) and listed["ia::meta"]["totalCount"] == 3
    patched = rest.call("PATCH", f"/objects/accounts-payable/vendor/{ref['key']}", {"name": "Rest Supplies Ltd",
                                                                                      "status": "inactive"})
    assert patched.status_code == 200, patched.text
    vendor = rest.call("GET", f"/objects/accounts-payable/vendor/{ref['key']}").json()["ia::result"]
    assert (vendor["name"], vendor["status"]) == ("Rest Supplies Ltd", "inactive")
    assert rest.call("DELETE", f"/objects/accounts-payable/vendor/{ref['key']}").status_code == 204
    gone = rest.call("GET", f"/objects/accounts-payable/vendor/{ref['key']}")
    assert gone.status_code == 404 and error_of(gone)["code"] == "notFound"


def submit(rest: Rest, path: str, key: str) -> dict:
    """Post a draft document through its workflow (Sage creates bills, invoices, adjustments as drafts)."""
    reply = rest.call("POST", f"/workflows/{path}/submit", {"key": str(key)})
    assert reply.status_code == 200, reply.text
    return reply.json()["ia::result"]


def test_a_bill_posted_over_rest_is_the_bill_xml_reads_back(rest, gateway_url):
    body = {"billNumber": "RB-1", "vendor": {"id": "V-1"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
            "referenceNumber": "PO-1", "lines": [
                {"glAccount": {"id": "6220"}, "txnAmount": "100.50", "memo": "Seats",
                 "dimensions": {"department": {"id": "D100"}}},
                {"glAccount": {"id": "6400"}, "txnAmount": 20}]}
    created = rest.call("POST", "/objects/accounts-payable/bill", body)
    assert created.status_code == 201, created.text
    key = created.json()["ia::result"]["key"]
    assert rest.call("GET", f"/objects/accounts-payable/bill/{key}").json()["ia::result"]["state"] == "draft"
    assert submit(rest, "accounts-payable/bill", key)["state"] == "posted"
    bill = rest.call("GET", f"/objects/accounts-payable/bill/{key}").json()["ia::result"]
    assert (bill["state"], bill["totalTxnAmount"], bill["vendor"]["name"], bill["lines"][0]["dimensions"]["department"]["id"]) == (
        "posted", "120.50", "Initech", "D100")
    gw = Gateway(gateway_url, company=rest.headers and _company(rest))
    xml = gw.ok(fn(f"<read><object>APBILL</object><keys>{key}</keys><fields>RECORDID,VENDORID,TOTALENTERED,DOCNUMBER"
                   "</fields></read>")).result().find("data/APBILL")
    assert (xml.findtext("RECORDID"), xml.findtext("VENDORID"), xml.findtext("TOTALENTERED"), xml.findtext("DOCNUMBER")) == (
        "RB-1", "V-1", "120.50", "PO-1")


def _company(rest: Rest) -> str:
    import jwt

    return jwt.decode(rest.token["access_token"], options={"verify_signature": False})["cnyId"]


def test_an_invoice_written_by_xml_reads_over_rest(rest, gateway_url):
    gw = Gateway(gateway_url, company=_company(rest))
    key = gw.ok(fn("<create_invoice><customerid>C-1</customerid><datecreated><year>2026</year><month>3</month>"
                   "<day>2</day></datecreated><termname>N30</termname><invoiceno>XI-1</invoiceno><invoiceitems><lineitem>"
                   "<glaccountno>4000</glaccountno><amount>75.00</amount></lineitem></invoiceitems></create_invoice>")
                ).result().findtext("key")
    several = rest.call("GET", f"/objects/accounts-receivable/invoice/{key},999999").json()
    [invoice] = several["ia::result"]
    assert (invoice["invoiceNumber"], invoice["customer"]["id"], invoice["totalTxnAmountDue"], invoice["dueDate"]) == (
        "XI-1", "C-1", "75.00", "2026-04-01")
    assert several["ia::meta"] == {"totalCount": 2, "totalSuccess": 1, "totalError": 1}


def test_errors_in_the_rest_shape_with_their_status(rest):
    unknown = rest.call("POST", "/objects/accounts-payable/vendor", {"id": "V-X", "name": "X", "shoeSize": 9})
    assert unknown.status_code == 400 and error_of(unknown)["details"][0]["target"] == "/shoeSize"
    duplicate = rest.call("POST", "/objects/accounts-payable/vendor", {"id": "V-1", "name": "Again"})
    assert duplicate.status_code == 409
    assert error_of(duplicate)["additionalInfo"]["messageId"] == "BL34000061"
    bill = {"billNumber": "DUP-1", "vendor": {"id": "V-1"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
            "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "5"}]}
    assert rest.call("POST", "/objects/accounts-payable/bill", bill).status_code == 201
    collision = rest.call("POST", "/objects/accounts-payable/bill", bill)
    assert collision.status_code == 422
    assert error_of(collision)["message"] == "A transaction with the number 'DUP-1' already exists."
    assert error_of(collision)["details"][0]["message"] == "Could not create Bill record!"
    assert rest.call("GET", "/objects/accounts-payable/nothing").status_code == 404
    put = rest.call("PUT", "/objects/accounts-payable/vendor/1", {})
    assert put.status_code == 405 and put.headers["Allow"] == "GET, PATCH, DELETE"
    readonly = rest.call("PATCH", "/objects/accounts-payable/bill/1", {"state": "paid"})
    assert readonly.status_code == 400 and error_of(readonly)["details"][0]["target"] == "/state"


def test_tokens_bad_expired_refreshed_and_permissions(live_server, make_company, clock):
    company = make_company(users=[User("ws_user", "ws_user_pw"), User("viewer", "v_pw", permissions={"AP": "read"})])
    base = live_server.base_url + "/ia/api/v1"
    bad = requests.get(base + "/objects/accounts-payable/vendor", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert bad.status_code == 401 and error_of(bad)["errorId"] == "REST-2102"
    wrong = requests.post(base + "/oauth2/token", data={"grant_type": "client_credentials", "username": f"ws_user@{company}",
                                                        "client_id": "mock-client", "client_secret": "x"}, timeout=10)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    rest = Rest(live_server.base_url, company)
    start = clock.now()
    try:
        clock.set(start + timedelta(seconds=3601))
        expired = rest.call("GET", "/objects/accounts-payable/vendor")
        assert expired.status_code == 401 and error_of(expired)["message"] == "Token has expired"
        refreshed = requests.post(base + "/oauth2/token", json={"grant_type": "refresh_token", **CLIENT,
                                                                 "refresh_token": rest.token["refresh_token"]}, timeout=10)
        assert refreshed.status_code == 200, refreshed.text
        again = requests.post(base + "/oauth2/token", data={"grant_type": "refresh_token", **CLIENT,
                                                             "refresh_token": rest.token["refresh_token"]}, timeout=10)
        assert again.status_code == 401 and error_of(again)["code"] == "tokenInvalid"  # rotated: used once
        fresh = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
        assert requests.get(base + "/objects/accounts-payable/vendor", headers=fresh, timeout=10).status_code == 200
    finally:
        clock.set(start)
    viewer = Rest(live_server.base_url, company, user="viewer")
    assert viewer.call("GET", "/objects/accounts-payable/vendor").status_code == 200
    refused = viewer.call("POST", "/objects/accounts-payable/vendor", {"id": "V-NO", "name": "No"})
    assert refused.status_code == 403 and error_of(refused)["additionalInfo"]["messageId"] == "PL04000005"


def test_rest_calls_are_journaled_beside_xml_ones(rest, control):
    rest.call("POST", "/objects/accounts-payable/vendor", {"id": "V-J", "name": "Journaled"})
    entries = control.journal(company=_company(rest))
    assert entries[-1]["functions"][0]["name"] == "POST accounts-payable/vendor"
    assert entries[-1]["committed"] is True and entries[-1]["http_status"] == 201


def test_what_an_object_does_not_allow_is_405_with_allow(rest):
    line = rest.call("POST", "/objects/accounts-payable/bill-line", {"txnAmount": "1"})
    assert line.status_code == 405 and line.headers["Allow"] == "GET"
    patch = rest.call("PATCH", "/objects/accounts-payable/bill-line/1", {"memo": "x"})
    assert patch.status_code == 405 and patch.headers["Allow"] == "GET"


def test_an_idempotency_key_replays_the_first_answer_and_writes_nothing_more(rest, control):
    bill = {"billNumber": "IK-1", "vendor": {"id": "V-1"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
            "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "40"}]}
    first = rest.call("POST", "/objects/accounts-payable/bill", bill, **{"Idempotency-Key": "exp-77"})
    again = rest.call("POST", "/objects/accounts-payable/bill", bill, **{"Idempotency-Key": "exp-77"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["X-IA-Idempotent-Replay"] == "true"
    assert len(control.books(_company(rest), "APBILL", RECORDID="IK-1")) == 1
    other = rest.call("POST", "/objects/accounts-payable/bill", {**bill, "billNumber": "IK-2"},
                      **{"Idempotency-Key": "exp-77"})
    assert other.status_code == 409 and error_of(other)["errorId"] == "REST-1010"
    failed = rest.call("POST", "/objects/accounts-payable/bill", {**bill, "vendor": {"id": "V-NOPE"}},
                       **{"Idempotency-Key": "exp-78"})
    assert failed.status_code == 422
    fixed = rest.call("POST", "/objects/accounts-payable/bill", {**bill, "billNumber": "IK-3"},
                      **{"Idempotency-Key": "exp-78"})
    assert fixed.status_code == 201  # a failed write is not remembered: the corrected one goes through


def test_a_rest_minted_session_id_works_on_the_xml_gateway(rest, gateway_url):
    reply = rest.call("GET", "/services/core/session/id")
    assert reply.status_code == 200, reply.text
    minted = reply.json()["ia::result"]
    assert minted["expiresIn"] == 6 * 3600
    gw = Gateway(gateway_url, company=_company(rest))
    read = gw.ok(fn("<readByQuery><object>VENDOR</object><fields>VENDORID</fields><query></query></readByQuery>"),
                 session=minted["sessionId"])
    assert read.result().find("data").get("totalcount") == "2"


def test_the_query_service_filters_orders_and_pages_with_rest_names(rest):
    for n, amount in enumerate(("10", "250", "40"), start=1):
        made = rest.call("POST", "/objects/accounts-payable/bill", {
            "billNumber": f"Q-{n}", "vendor": {"id": "V-1" if n < 3 else "V-2"}, "createdDate": "2026-03-02",
            "dueDate": "2026-04-01", "lines": [{"glAccount": {"id": "6220"}, "txnAmount": amount}]})
        assert made.status_code == 201, made.text
        submit(rest, "accounts-payable/bill", made.json()["ia::result"]["key"])
    reply = rest.call("POST", "/services/core/query", {
        "object": "accounts-payable/bill", "fields": ["billNumber", "vendor.id", "totalTxnAmount", "state", "href"],
        "filters": [{"$eq": {"vendor.id": "V-1"}}, {"$gt": {"totalTxnAmount": "100"}}, {"$startsWith": {"billNumber": "Q-3"}}],
        "filterExpression": "(1 and 2) or 3", "orderBy": [{"billNumber": "desc"}]})
    assert reply.status_code == 200, reply.text
    result = reply.json()
    assert [(r["billNumber"], r["vendor.id"], r["totalTxnAmount"], r["state"]) for r in result["ia::result"]] == [
        ("Q-3", "V-2", "40.00", "posted"), ("Q-2", "V-1", "250.00", "posted")]
    assert result["ia::result"][0]["href"].startswith("/objects/accounts-payable/bill/")
    page = rest.call("POST", "/services/core/query", {"object": "accounts-payable/bill", "fields": ["billNumber"],
                                                       "orderBy": [{"billNumber": "asc"}], "start": 2, "size": 1}).json()
    assert page["ia::result"] == [{"billNumber": "Q-2"}]
    assert page["ia::meta"] == {"totalCount": 3, "start": 2, "pageSize": 1, "next": 3, "previous": 1}
    states = rest.call("POST", "/services/core/query", {"object": "accounts-payable/bill", "fields": ["billNumber"],
                                                         "filters": [{"$in": {"state": ["posted", "paid"]}}]}).json()
    assert states["ia::meta"]["totalCount"] == 3
    bad = rest.call("POST", "/services/core/query", {"object": "accounts-payable/bill", "fields": ["nope"]})
    assert bad.status_code == 400 and error_of(bad)["details"][0]["target"] == "/fields/nope"


def test_published_names_and_types_round_trip(rest):
    """Names and JSON types as Sage's OpenAPI documents publish them: booleans as booleans,
    credit limits as numbers, amounts as strings, nested contacts; a spec property the books do
    not keep is accepted and answered as null rather than refused."""
    created = rest.call("POST", "/objects/accounts-payable/vendor", {
        "id": "V-SPEC", "name": "Spec Supplies", "isOneTimeUse": True, "currency": "USD", "creditLimit": 5000,
        "vendorAccountNumber": "ACC-9", "notes": "net 30", "paymentPriority": "high", "billingType": "openItem",
        "isSystemGenerated": None, "contacts": {"default": {"mailingAddress": {"city": "Leeds"}}}})
    assert created.status_code == 201, created.text
    vendor = rest.call("GET", created.json()["ia::result"]["href"]).json()["ia::result"]
    assert (vendor["isOneTimeUse"], vendor["currency"], vendor["creditLimit"], vendor["vendorAccountNumber"],
            vendor["paymentPriority"], vendor["billingType"], vendor["contacts"]["default"]["mailingAddress"]["city"]) == (
        True, "USD", 5000, "ACC-9", "high", "openItem", "Leeds")
    bill = rest.call("POST", "/objects/accounts-payable/bill", {
        "billNumber": "SPEC-1", "vendor": {"id": "V-SPEC"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
        "state": "draft", "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "10.00", "memo": "m"}]})
    assert bill.status_code == 201, bill.text
    read = rest.call("GET", bill.json()["ia::result"]["href"]).json()["ia::result"]
    assert (read["state"], read["totalTxnAmount"], read["paymentInformation"]["totalTxnAmountPaid"],
            read["lines"][0]["memo"], read["lines"][0]["href"].startswith("/objects/accounts-payable/bill-line/")) == (
        "draft", "10.00", "0.00", "m", True)
    found = rest.call("POST", "/services/core/query", {
        "object": "accounts-payable/bill", "fields": ["billNumber", "state", "isSystemGenerated", "purchasing.id"],
        "filters": [{"$eq": {"state": "draft"}}]}).json()["ia::result"]
    assert found == [{"billNumber": "SPEC-1", "state": "draft", "isSystemGenerated": False, "purchasing.id": None}]


def test_arrays_create_update_and_delete_many_with_multi_status(rest):
    created = rest.call("POST", "/objects/company-config/department", [
        {"id": "D-A", "name": "A"}, {"id": "D100", "name": "taken"}, {"id": "D-B", "name": "B"}])
    assert created.status_code == 207, created.text
    results, meta = created.json()["ia::result"], created.json()["ia::meta"]
    assert meta == {"totalCount": 3, "totalSuccess": 2, "totalError": 1}
    assert [r.get("id") for r in results] == ["D-A", None, "D-B"] and results[1]["ia::error"]["code"] == "conflict"
    keys = [results[0]["key"], results[2]["key"]]
    patched = rest.call("PATCH", "/objects/company-config/department", [{"key": k, "name": "Renamed"} for k in keys])
    assert patched.status_code == 200 and patched.json()["ia::meta"]["totalSuccess"] == 2
    several = rest.call("GET", f"/objects/company-config/department/{','.join(keys)}").json()["ia::result"]
    assert [d["name"] for d in several] == ["Renamed", "Renamed"]
    assert rest.call("DELETE", f"/objects/company-config/department/{','.join(keys)}").status_code == 204
    none = rest.call("POST", "/objects/company-config/department", [{"id": "D100", "name": "taken"}])
    assert none.status_code == 409 and none.json()["ia::meta"]["totalError"] == 1


def test_http_level_refusals_are_rest_shaped(rest):
    nowhere = rest.call("GET", "/services/nothing")
    assert nowhere.status_code == 404 and error_of(nowhere)["code"] == "notFound"
    wrong = rest.call("DELETE", "/services/core/query")
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "OPTIONS, POST" and error_of(wrong)["errorId"] == "REST-1005"
    far = rest.call("POST", "/services/core/query", {"object": "accounts-payable/vendor", "start": 2**70})
    assert far.status_code == 400 and error_of(far)["details"][0]["target"] == "/start"


def test_the_journal_names_the_front_door(rest, control, gateway_url):
    rest.call("POST", "/objects/accounts-payable/vendor", {"id": "V-P", "name": "Protocol"})
    Gateway(gateway_url, company=_company(rest)).ok(fn("<getAPISession/>"))
    entries = control.journal(company=_company(rest))
    assert [e["protocol"] for e in entries[-2:]] == ["rest", "xml"]
    assert entries[-2]["acknowledged"] is True  # a 201 is an acknowledgement
    only_rest = requests.get(control.base_url + "/_mock/journal", params={"company": _company(rest), "protocol": "rest"},
                             timeout=10).json()["entries"]
    assert only_rest and {e["protocol"] for e in only_rest} == {"rest"}
