"""References by key over REST: ``{"vendor": {"key": "5"}}`` names the vendor with RECORDNO 5, as
Sage's REST objects allow; the books keep its id, so XML reads the same bill."""

from __future__ import annotations

from tests.rest.test_objects import Rest, error_of
from tests.support import Gateway


def key_of(rest: Rest, path: str, id_: str) -> str:
    found = rest.call("POST", "/services/core/query", {"object": path, "fields": ["key"], "filters": [{"$eq": {"id": id_}}]})
    return found.json()["ia::result"][0]["key"]


def bill(number: str, vendor: dict, line: dict) -> dict:
    return {"billNumber": number, "vendor": vendor, "createdDate": "2026-03-02", "dueDate": "2026-04-01",
            "lines": [{"txnAmount": "40.00", **line}]}


def test_a_bill_written_with_keys_is_the_bill_xml_reads(rest, company, gateway_url):
    vendor, account = key_of(rest, "accounts-payable/vendor", "V-1"), key_of(rest, "general-ledger/account", "6220")
    department = key_of(rest, "company-config/department", "D100")
    created = rest.call("POST", "/objects/accounts-payable/bill", bill(
        "KEY-1", {"key": vendor}, {"glAccount": {"key": account}, "dimensions": {"department": {"key": department}}}))
    assert created.status_code == 201, created.text
    read = rest.call("GET", f"/objects/accounts-payable/bill/{created.json()['ia::result']['key']}").json()["ia::result"]
    assert read["vendor"]["id"] == "V-1" and read["lines"][0]["glAccount"]["id"] == "6220"
    assert read["lines"][0]["dimensions"]["department"]["id"] == "D100"
    assert Gateway(gateway_url, company=company).query(  # the same books over XML
        "APBILL", "RECORDID = 'KEY-1'", fields="VENDORID").result().findtext("data/apbill/VENDORID") == "V-1"


def test_a_key_that_names_nothing_or_another_record_is_refused_with_its_target(rest):
    unknown = rest.call("POST", "/objects/accounts-payable/bill", bill("KEY-2", {"key": "987654"}, {"glAccount": {"id": "6220"}}))
    assert unknown.status_code == 422
    assert error_of(unknown)["details"][0]["target"] == "/vendor/key"
    account = key_of(rest, "general-ledger/account", "1000")
    mixed = rest.call("POST", "/objects/accounts-payable/bill",
                      bill("KEY-3", {"id": "V-1"}, {"glAccount": {"key": account, "id": "6220"}}))
    assert mixed.status_code == 422 and error_of(mixed)["details"][0]["target"] == "/lines/0/glAccount/key"
    assert "names '1000', not '6220'" in error_of(mixed)["message"]


def test_patch_takes_a_key_too(rest):
    vendor = key_of(rest, "accounts-payable/vendor", "V-1")
    created = rest.call("POST", "/objects/accounts-payable/bill", bill("KEY-4", {"id": "V-1"}, {"glAccount": {"id": "6220"}}))
    key = created.json()["ia::result"]["key"]
    patched = rest.call("PATCH", f"/objects/accounts-payable/bill/{key}", {"vendor": {"key": vendor}, "description": "by key"})
    assert patched.status_code == 200, patched.text
