"""Incident bundles: export a journal range, replay it on a fresh company, get the same outcomes."""

from __future__ import annotations

import itertools

import pytest
import requests

from intacct_mock.admin_client import AdminAPIError
from tests.support import Gateway, fn, record_xml

_ids = itertools.count(1)


def bill(number: str) -> str:
    return fn(f"<create>{record_xml('APBILL', {'VENDORID': 'V-9', 'RECORDID': number, 'WHENCREATED': '03/01/2026', 'WHENDUE': '03/31/2026', 'APBILLITEMS': {'APBILLITEM': [{'ACCOUNTNO': '6000', 'TRX_AMOUNT': '50'}]}})}</create>")


def vandelay(control, cid: str) -> None:
    """A company with an origin (so it can be exported): one user, one vendor, one expense account."""
    control.create_company({
        "company": {"company_id": cid, "users": [{"userid": "ws_user", "password": "pw"}]},
        "records": {"VENDOR": [{"VENDORID": "V-9", "NAME": "Vandelay"}],
                    "GLACCOUNT": [{"ACCOUNTNO": "6000", "TITLE": "Rent", "ACCOUNTTYPE": "incomestatement",
                                   "NORMALBALANCE": "debit"}]},
    })


@pytest.fixture
def incident(control, gateway_url):
    """A company where a bill's ack was lost, the user retried, and a password then changed."""
    cid = f"INC-{next(_ids)}"
    vandelay(control, cid)
    gw = Gateway(gateway_url, company=cid, user=("ws_user", "pw"))
    gw.ok(bill("SETUP-1"))  # before the incident window
    since = control.journal(company=cid)[-1]["at"]
    control.add_fault({"company": cid, "match": {"object": "APBILL"}, "action": "drop_ack=reset", "times": 1})
    with pytest.raises(requests.ConnectionError):
        gw.call(bill("INC-1"))
    gw.call(bill("INC-1"))  # the retry collides
    Gateway(gateway_url, company=cid, user=("ws_user", "old-password")).call(fn("<getAPISession/>"))
    return cid, since


def test_export_holds_origin_setup_and_the_range(control, incident):
    cid, since = incident
    bundle = control.call("GET", "/journal/export", params={"company": cid, "since": since})
    assert bundle["format"] == "intacct-mock-incident/1" and bundle["company"]["id"] == cid
    assert bundle["company"]["origin"]["records"]["VENDOR"][0]["VENDORID"] == "V-9"
    # 'at' has one-second resolution on the frozen test clock, so the setup write lands in the range too;
    # either way every request appears exactly once.
    assert len(bundle["setup"]) + len(bundle["requests"]) >= 4
    deliveries = [r["delivery"] for r in bundle["requests"]]
    assert "reset" in deliveries
    assert all("pw</password>" not in r["request_body"] for r in bundle["requests"])
    assert '"pw"' not in str(bundle).replace("'", '"')  # no user password anywhere in the bundle


def test_replay_reproduces_every_outcome_in_a_new_company(control, incident):
    cid, since = incident
    bundle = control.call("GET", "/journal/export", params={"company": cid})
    report = control.call("POST", "/replay", json={"bundle": bundle, "as_company": cid + "-R"})
    assert report["requests"] == len(bundle["requests"]) and report["matched"] == report["requests"], report
    kinds = [(r["actual"]["delivery"], r["actual"]["http_status"]) for r in report["results"]]
    assert ("reset", 200) in kinds and ("sent", 401) in kinds
    # The replayed books hold the same bills: the committed-but-unacknowledged one exactly once.
    numbers = sorted(b["RECORDID"] for b in control.books(cid + "-R", "APBILL"))
    assert numbers == sorted(b["RECORDID"] for b in control.books(cid, "APBILL")) == ["INC-1", "SETUP-1"]


def test_replay_into_an_existing_company_is_refused(control, incident):
    cid, _ = incident
    bundle = control.call("GET", "/journal/export", params={"company": cid})
    with pytest.raises(AdminAPIError) as caught:
        control.call("POST", "/replay", json={"bundle": bundle, "as_company": cid})
    assert caught.value.status == 409


@pytest.mark.parametrize("body", [{"bundle": {"format": "zip"}, "as_company": "X"}, {"as_company": "X"},
                                  {"bundle": {"format": "intacct-mock-incident/1"}, "as_company": "X"}])
def test_bad_bundles_are_400(control, body):
    with pytest.raises(AdminAPIError) as caught:
        control.call("POST", "/replay", json=body)
    assert caught.value.status == 400


def test_export_needs_a_company_with_an_origin(control, make_company):
    with pytest.raises(AdminAPIError) as caught:
        control.call("GET", "/journal/export", params={"company": make_company()})
    assert caught.value.status == 409 and "origin" in caught.value.message
    with pytest.raises(AdminAPIError) as caught:
        control.call("GET", "/journal/export", params={"company": "NOPE"})
    assert caught.value.status == 404


def test_rest_calls_are_exported_and_replayed_through_the_rest_api(control, live_server):
    """A REST bill whose answer was lost, its retry under the same key, a bad-token call: the
    replay signs the recorded user in, applies the recorded drop, and gets the same outcomes."""
    cid = f"INC-{next(_ids)}"
    vandelay(control, cid)
    base = live_server.base_url + "/ia/api/v1"
    token = requests.post(base + "/oauth2/token", data={"grant_type": "client_credentials", "client_id": "mock-client",
                                                        "client_secret": "mock-client-secret",
                                                        "username": f"ws_user@{cid}"}, timeout=10).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "bill-V-9-RB-1"}
    bill = {"billNumber": "RB-1", "vendor": {"id": "V-9"}, "createdDate": "2026-03-01", "dueDate": "2026-03-31",
            "lines": [{"glAccount": {"id": "6000"}, "txnAmount": "50"}]}
    control.add_fault({"company": cid, "match": {"protocol": "rest", "object": "APBILL"}, "action": "drop_ack=reset",
                       "times": 1})
    with pytest.raises(requests.ConnectionError):
        requests.post(base + "/objects/accounts-payable/bill", json=bill, headers=headers, timeout=10)
    assert requests.post(base + "/objects/accounts-payable/bill", json=bill, headers=headers, timeout=10).status_code == 201
    assert requests.get(base + "/objects/accounts-payable/vendor", headers={"Authorization": "Bearer stale"},
                        timeout=10).status_code == 401
    bundle = control.call("GET", "/journal/export", params={"company": cid})
    rest_entries = [e for e in bundle["requests"] if e.get("protocol") == "rest"]
    assert [e["functions"][0]["name"] for e in rest_entries] == [
        "POST accounts-payable/bill", "POST accounts-payable/bill"] and bundle["omitted"] == {"token_grants": 1}
    # the bad-token call names no company (no valid token), so it is not in this company's journal
    report = control.call("POST", "/replay", json={"bundle": bundle, "as_company": cid + "-R"})
    assert report["requests"] == 2 and report["matched"] == 2, report
    assert [r["actual"]["delivery"] for r in report["results"]] == ["reset", "sent"]
    replayed = control.journal(company=cid + "-R")
    assert [e["functions"][0]["status"] for e in replayed[-2:]] == ["success", "replayed"]
