"""The admin API over real HTTP: tenants, books, reset, clock, access rules, start-up options."""

from __future__ import annotations

import textwrap

import pytest
import requests

from intacct_mock.app import create_app
from intacct_mock.config import Settings
from intacct_mock.faults import FaultSpecError
from intacct_mock.admin_client import AdminAPIError
from intacct_mock.testing.runner import running_emulator
from intacct_mock.web import emulator_of
from tests.support import Gateway, fn, record_xml

VENDOR = {"VENDORID": "V-9", "NAME": "Vandelay Industries", "DISPLAYCONTACT": {"PRINTAS": "Vandelay"}}


def spec(company_id: str, **settings) -> dict:
    return {"company": {"company_id": company_id, "users": [{"userid": "ws_user", "password": "pw"}], **settings},
            "records": {"VENDOR": [VENDOR],
                        "GLACCOUNT": [{"ACCOUNTNO": "6000", "TITLE": "Rent", "ACCOUNTTYPE": "incomestatement",
                                       "NORMALBALANCE": "debit"}]}}


def test_create_read_configure_and_delete_a_company(control, gateway_url):
    created = control.create_company(spec("ADM-1"))
    assert created["company_id"] == "ADM-1" and created["origin"] == "spec"
    gw = Gateway(gateway_url, company="ADM-1", user=("ws_user", "pw"))
    assert gw.ok(fn("<readByName><object>VENDOR</object><keys>V-9</keys></readByName>")).status == 200
    assert control.books("ADM-1")["VENDOR"] == 1
    [vendor] = control.books("ADM-1", "VENDOR")
    assert vendor["NAME"] == "Vandelay Industries" and vendor["STATUS"] == "active"

    control.configure_company("ADM-1", users=[{"userid": "ws_user", "password": "pw",
                                               "permissions": {"AP": "read"}}])
    denied = gw.call(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-10', 'NAME': 'No'})}</create>"))
    assert denied.errors()[0]["errorno"] == "PL04000005"

    control.delete_company("ADM-1")
    assert gw.call(fn("<getAPISession/>")).status == 401
    with pytest.raises(AdminAPIError) as caught:
        control.books("ADM-1")
    assert caught.value.status == 404


def test_demo_seeded_tenants_are_independent_copies(control, gateway_url):
    control.create_company({"demo_seed": 5, "company_id": "CI-JOB-A"})
    control.create_company({"demo_seed": 5, "company_id": "CI-JOB-B"})
    a, b = (Gateway(gateway_url, company=c) for c in ("CI-JOB-A", "CI-JOB-B"))
    a.ok(fn(f"<create>{record_xml('VENDOR', VENDOR)}</create>"))
    assert control.books("CI-JOB-A")["VENDOR"] == control.books("CI-JOB-B")["VENDOR"] + 1
    names_a = [v["NAME"] for v in control.books("CI-JOB-A", "CUSTOMER")]
    assert names_a == [v["NAME"] for v in control.books("CI-JOB-B", "CUSTOMER")]  # same seed, same books
    assert b.call(fn("<readByName><object>VENDOR</object><keys>V-9</keys></readByName>")).result().find(
        "data").get("count") == "0"


@pytest.mark.parametrize("body, message", [
    ({"company": {"name": "no id"}}, "company_id is required"),
    ({"company": {"company_id": "X", "ar_payment_summary_frequency": "Hourly"}}, "ar_payment_summary_frequency"),
    ({"company": {"company_id": "X"}, "records": {"VENDOR": [{"VENDORID": "A", "NAME": "A", "COLOUR": "red"}]}},
     "record 1 (VENDOR)"),
    ({"demo_seed": "seven"}, "demo_seed must be a whole number"),
    ({"colour": "red"}, "unknown key(s) colour"),
])
def test_bad_company_specs_are_400_with_the_reason(control, body, message):
    with pytest.raises(AdminAPIError) as caught:
        control.create_company(body)
    assert caught.value.status == 400 and message in caught.value.message


def test_creating_an_existing_company_is_a_conflict(control):
    control.create_company(spec("ADM-DUP"))
    with pytest.raises(AdminAPIError) as caught:
        control.create_company(spec("ADM-DUP"))
    assert caught.value.status == 409


def test_company_reset_restores_the_books_and_clears_its_faults_and_journal(control, gateway_url):
    control.create_company(spec("ADM-RESET"))
    gw = Gateway(gateway_url, company="ADM-RESET", user=("ws_user", "pw"))
    gw.ok(fn(f"<create>{record_xml('VENDOR', {**VENDOR, 'VENDORID': 'V-11'})}</create>"))
    control.add_fault({"company": "ADM-RESET", "action": "latency=1"})
    control.create_company(spec("ADM-OTHER"))
    other = Gateway(gateway_url, company="ADM-OTHER", user=("ws_user", "pw"))
    other.ok(fn("<getAPISession/>"))
    assert control.reset("ADM-RESET") == {"reset": ["ADM-RESET"], "deleted": []}
    assert control.books("ADM-RESET")["VENDOR"] == 1
    assert control.faults("ADM-RESET") == [] and control.journal(company="ADM-RESET") == []
    assert len(control.journal(company="ADM-OTHER")) == 1  # other tenants untouched


def test_books_filters_and_pages(control, demo):
    bills = control.books("DEMO", "APBILL")
    assert len(bills) == 10 and all(b["APBILLITEMS"] for b in bills)
    first = control.call("GET", "/companies/DEMO/books/APBILL", params={"limit": 3})
    assert first["count"] == 3 and first["next_after"] == first["records"][-1]["RECORDNO"]
    assert [b["RECORDID"] for b in control.books("DEMO", "APBILL", RECORDID="BILL-2001")] == ["BILL-2001"]
    with pytest.raises(AdminAPIError) as caught:
        control.books("DEMO", "APBILL", COLOUR="red")
    assert caught.value.status == 400
    with pytest.raises(AdminAPIError):
        control.books("DEMO", "NOTANOBJECT")


def test_company_clock_moves_business_dates_of_that_company_only(control, gateway_url, make_company):
    cid = make_company(closed_through="2026-04-30")
    gw = Gateway(gateway_url, company=cid)
    state = control.set_clock(cid, today="2026-06-15")
    assert state["now"].startswith("2026-06-15") and state["mode"] == "frozen"
    reply = gw.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'CLK', 'NAME': 'Clock Co'})}</create>"))
    [vendor] = control.books(cid, "VENDOR", VENDORID="CLK")
    assert vendor["WHENMODIFIED"].startswith("06/15/2026")
    assert control.call("GET", "/clock", params={"company": "DEMO"})["mode"] == "system"
    control.call("DELETE", "/clock", params={"company": cid})
    assert control.call("GET", "/clock", params={"company": cid})["mode"] == "system"
    assert reply.status == 200


@pytest.mark.parametrize("body", [{"company": "DEMO"}, {"today": "15/06/2026"}, {"now": "yesterday"},
                                  {"today": "2026-06-15", "frozen": "yes"}])
def test_bad_clock_bodies_are_400(control, body):
    with pytest.raises(AdminAPIError) as caught:
        control.call("PUT", "/clock", json=body)
    assert caught.value.status == 400


def test_admin_errors_are_json_for_bad_bodies(live_server):
    r = requests.post(live_server.base_url + "/_mock/faults", data=b"{not json", timeout=5,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "The body is not valid JSON."


# ---------------------------------------------------------------------------- access and start-up


def test_admin_token_is_required_when_configured():
    with running_emulator(admin_token="tok") as emu:
        base = emu.base_url + "/_mock"
        assert requests.get(base + "/faults", timeout=5).status_code == 401
        assert requests.get(base + "/faults", headers={"Authorization": "Bearer nope"}, timeout=5).status_code == 401
        assert requests.get(base + "/faults", headers={"Authorization": "Bearer tok"}, timeout=5).status_code == 200
        # The gateway itself never needs the admin token.
        assert Gateway(emu.url).ok(fn("<getAPISession/>")).status == 200


def test_without_a_token_only_loopback_callers_are_served(tmp_path):
    # A second address cannot be reached over loopback-only test networking, so this one check runs
    # through Flask's test client with a foreign REMOTE_ADDR; every other admin test is real HTTP.
    app = create_app(Settings.load(env={}, db_path=str(tmp_path / "a.db")))
    client = app.test_client()
    assert client.get("/_mock/health", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    assert client.get("/_mock/health", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    assert client.get("/_mock/health", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    emulator_of(app).db.close()


def test_fault_header_is_ignored_unless_enabled():
    with running_emulator(fault_header=False) as emu:
        gw = Gateway(emu.url)
        from tests.support import envelope

        body = envelope([fn("<getAPISession/>")], login=("ws_user", "DEMO", "ws_user_pw"))
        assert gw.post(body, **{"X-Mock-Fault": "http_status=503"}).status == 200
        assert emu.journal()[-1]["faults"] == []


def test_faults_file_is_loaded_at_start_up(tmp_path):
    path = tmp_path / "faults.yaml"
    path.write_text(textwrap.dedent("""\
        - company: DEMO
          match: {function: getAPISession}
          action: {type: http_status, status: 503}
          times: 1
        """))
    with running_emulator(faults_file=str(path)) as emu:
        gw = Gateway(emu.url)
        assert [gw.call(fn("<getAPISession/>")).status for _ in range(2)] == [503, 200]
        assert emu.control.faults()[0]["source"] == "file"


def test_bad_faults_file_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "faults.yaml"
    path.write_text("- action: {type: drop_ack, variant: sideways}\n")
    with pytest.raises(FaultSpecError) as caught:
        create_app(Settings.load(env={}, db_path=":memory:", faults_file=str(path)))
    assert str(path) in str(caught.value) and "action.variant" in str(caught.value)
