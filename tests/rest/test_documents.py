"""A document's life over REST, on the books XML keeps: bills paid by REST payments, credits
(AP adjustments) applied, invoices received against, items and folders; each answer in the
published names, each balance the one XML reads back."""

from __future__ import annotations

import jwt
import pytest
import requests

from tests.rest.test_objects import Rest, error_of, submit


@pytest.fixture
def rest(live_server, make_company) -> Rest:
    return Rest(live_server.base_url, make_company())


DRAFTS_FIRST = ("accounts-payable/bill", "accounts-payable/adjustment", "accounts-receivable/invoice",
                "accounts-receivable/adjustment")


def post(rest: Rest, path: str, body: dict) -> str:
    """Create, and post a document through its submit workflow (Sage creates documents as drafts)."""
    reply = rest.call("POST", f"/objects/{path}", body)
    assert reply.status_code == 201, reply.text
    key = reply.json()["ia::result"]["key"]
    if path in DRAFTS_FIRST:
        submit(rest, path, key)
    return key


def get(rest: Rest, path: str, key: str) -> dict:
    reply = rest.call("GET", f"/objects/{path}/{key}")
    assert reply.status_code == 200, reply.text
    return reply.json()["ia::result"]


def test_a_bill_paid_by_a_rest_payment_with_a_credit_applied(rest):
    bill = post(rest, "accounts-payable/bill", {
        "billNumber": "PB-1", "vendor": {"id": "V-1"}, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
        "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "100.00"}]})
    credit = post(rest, "accounts-payable/adjustment", {
        "adjustmentNumber": "CR-1", "vendor": {"id": "V-1"}, "createdDate": "2026-03-03",
        "lines": [{"glAccount": {"id": "6220"}, "txnAmount": "-30.00"}]})
    assert get(rest, "accounts-payable/adjustment", credit)["lines"][0]["txnAmount"] == "-30.00"
    payment = post(rest, "accounts-payable/payment", {
        "financialEntity": {"entityId": "BOA"}, "paymentMethod": "Printed Check", "vendor": {"id": "V-1"},
        "paymentDate": "2026-03-20",
        "details": [{"bill": {"key": bill}, "txnCurrency": {"paymentAmount": "50.00"}},
                    {"bill": {"key": bill}, "apDebitAdjustment": {"key": credit},
                     "txnCurrency": {"adjustmentAmount": "30.00"}}]})
    paid = get(rest, "accounts-payable/payment", payment)
    assert [d["bill"]["key"] for d in paid["details"]] == [bill, bill]
    read = get(rest, "accounts-payable/bill", bill)
    assert (read["state"], read["totalTxnAmountDue"], read["paymentInformation"]["totalTxnAmountPaid"]) == (
        "partiallyPaid", "20.00", "80.00")


def test_an_invoice_received_against_over_rest(rest):
    invoice = post(rest, "accounts-receivable/invoice", {
        "invoiceNumber": "RI-1", "customer": {"id": "C-1"}, "invoiceDate": "2026-03-02", "dueDate": "2026-04-01",
        "lines": [{"glAccount": {"id": "4000"}, "txnAmount": "60"}]})
    post(rest, "accounts-receivable/payment", {
        "financialEntity": {"entityId": "BOA"}, "paymentMethod": "Cash", "customer": {"id": "C-1"},
        "paymentSummary": {"receiptDate": "2026-03-10"},
        "paymentDetails": [{"arInvoice": {"key": invoice}, "txnCurrency": {"paymentAmount": "60"}}]})
    assert get(rest, "accounts-receivable/invoice", invoice)["state"] == "paid"


def test_items_folders_and_what_the_books_do_not_take(rest):
    item = post(rest, "inventory-control/item", {"id": "I-REST", "name": "Rest widget", "itemType": "nonInventory"})
    assert get(rest, "inventory-control/item", item)["name"] == "Rest widget"
    folder = post(rest, "company-config/folder", {"id": "Receipts"})
    assert get(rest, "company-config/folder", folder)["id"] == "Receipts"
    entity = rest.call("POST", "/objects/company-config/entity", {"id": "E2", "name": "Two", "federalId": "1"})
    assert entity.status_code == 405 and entity.headers["Allow"] == "GET"
    missing = rest.call("POST", "/objects/accounts-payable/payment", {"vendor": {"id": "V-1"}})
    assert missing.status_code in (400, 422) and error_of(missing)["message"]


def test_a_journal_entry_over_rest_balances_or_is_refused(rest):
    entry = {"glJournal": {"id": "GJ"}, "description": "Accrual", "postingDate": "2026-03-10",
             "lines": [{"glAccount": {"id": "6220"}, "txnType": "debit", "txnAmount": "250.00",
                        "dimensions": {"department": {"id": "D100"}}},
                       {"glAccount": {"id": "1000"}, "txnType": "credit", "txnAmount": "250.00"}]}
    key = post(rest, "general-ledger/journal-entry", entry)
    read = get(rest, "general-ledger/journal-entry", key)
    assert (read["glJournal"]["id"], read["state"], [(line["txnType"], line["txnAmount"]) for line in read["lines"]],
            read["lines"][0]["dimensions"]["department"]["id"]) == (
        "GJ", "posted", [("debit", "250.00"), ("credit", "250.00")], "D100")
    entry["lines"][1]["txnAmount"] = "200.00"
    unbalanced = rest.call("POST", "/objects/general-ledger/journal-entry", entry)
    assert unbalanced.status_code in (400, 422) and "balance" in error_of(unbalanced)["message"].lower()


def test_an_entity_token_and_the_entity_header(live_server, make_company):
    from intacct_mock.company.model import Entity

    company = make_company(entities=[Entity("E100", "East"), Entity("E200", "West")])
    reply = requests.post(live_server.base_url + "/ia/api/v1/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "mock-client", "client_secret": "mock-client-secret",
        "username": f"ws_user@{company}|E100"}, timeout=10)
    assert reply.status_code == 200, reply.text
    token = reply.json()["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["entId"] == "E100"
    rest = Rest(live_server.base_url, company)
    west = rest.call("GET", "/objects/accounts-payable/vendor", **{"X-IA-API-Param-Entity": "E200"})
    assert west.status_code == 200
    nowhere = rest.call("GET", "/objects/accounts-payable/vendor", **{"X-IA-API-Param-Entity": "E999"})
    assert nowhere.status_code == 401 and "E999" in error_of(nowhere)["message"]


def test_an_order_entry_document_through_its_named_path(live_server, make_company):
    from tests.conftest import BASIC_RECORDS
    from tests.server.test_order_entry import ITEMS

    rest = Rest(live_server.base_url, make_company(BASIC_RECORDS + ITEMS))
    path = "/objects/order-entry/document::Sales Invoice"
    made = rest.call("POST", path, {"customer": {"id": "C-1"}, "txnDate": "2026-03-05", "documentNumber": "RI-500",
                                    "lines": [{"dimensions": {"item": {"id": "HOUR"}}, "unitQuantity": "4"},
                                              {"dimensions": {"item": {"id": "KIT"}}, "unitQuantity": "2",
                                               "unitPrice": "75.00"}]})
    assert made.status_code == 201, made.text
    ref = made.json()["ia::result"]
    assert ref["href"] == f"/objects/order-entry/document::Sales Invoice/{ref['key']}"
    doc = get(rest, "order-entry/document", ref["key"])
    assert (doc["documentType"], doc["total"], [line["unitQuantity"] for line in doc["lines"]]) == (
        "Sales Invoice", "750.00", ["4.00", "2.00"])
    invoice = get(rest, "accounts-receivable/invoice", doc["invoice"]["key"])  # the AR invoice it wrote
    assert invoice["totalTxnAmountDue"] == "750.00"
    plain = rest.call("POST", "/objects/order-entry/document", {"customer": {"id": "C-1"}})
    assert plain.status_code == 405 and plain.headers["Allow"] == "GET"


def test_a_named_path_reads_its_own_transaction_definition_only(live_server, make_company):
    from tests.conftest import BASIC_RECORDS
    from tests.server.test_order_entry import ITEMS

    rest = Rest(live_server.base_url, make_company(BASIC_RECORDS + ITEMS))
    made = {}
    for definition, number in (("Sales Order", "SO-1"), ("Sales Invoice", "SI-1"), ("Sales Invoice", "SI-2")):
        answer = rest.call("POST", f"/objects/order-entry/document::{definition}", {
            "customer": {"id": "C-1"}, "txnDate": "2026-03-05", "documentNumber": number,
            "lines": [{"dimensions": {"item": {"id": "HOUR"}}, "unitQuantity": "1"}]})
        assert answer.status_code == 201, answer.text
        made[number] = answer.json()["ia::result"]["key"]
    invoices = rest.call("GET", "/objects/order-entry/document::Sales Invoice").json()
    assert {r["key"] for r in invoices["ia::result"]} == {made["SI-1"], made["SI-2"]}
    assert invoices["ia::meta"]["totalCount"] == 2
    everything = rest.call("GET", "/objects/order-entry/document").json()
    assert everything["ia::meta"]["totalCount"] == 3  # the plain path still lists every sales document
    assert rest.call("GET", f"/objects/order-entry/document::Sales Invoice/{made['SO-1']}").status_code == 404
    queried = rest.call("POST", "/services/core/query", {"object": "order-entry/document::Sales Order",
                                                         "fields": ["documentNumber"]}).json()["ia::result"]
    assert [r["documentNumber"] for r in queried] == ["SO-1"]
    assert rest.call("PATCH", f"/objects/order-entry/document::Sales Invoice/{made['SO-1']}",
                     {"memo": "x"}).status_code == 404
    assert rest.call("DELETE", f"/objects/order-entry/document::Sales Invoice/{made['SO-1']}").status_code == 404
    assert rest.call("GET", f"/objects/order-entry/document::Sales Order/{made['SO-1']}").status_code == 200
