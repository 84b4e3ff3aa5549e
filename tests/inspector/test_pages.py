"""The Inspector over real HTTP: every page renders from the live server, forms change state (POST then
redirect), lost acknowledgements stand out, XML is escaped, nothing secret shows, strangers are refused."""

from __future__ import annotations

import re
import time

import pytest
import requests

from intacct_mock.app import create_app
from intacct_mock.config import Settings
from intacct_mock.inspector import runs
from intacct_mock.inspector.xmlview import highlight
from intacct_mock.web import emulator_of
from tests.support import fn, record_xml

SECRETS = ("ws_user_pw", "mock-sender-pw")


def bill_fn(number: str, controlid: str | None = None) -> str:
    data = {"VENDORID": "V-1", "RECORDID": number, "WHENCREATED": "03/01/2026", "WHENDUE": "03/31/2026",
            "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "75.50"}]}}
    return fn(f"<create>{record_xml('APBILL', data)}</create>", controlid)


def legacy_bill_fn(number: str) -> str:
    return fn(f"<create_bill><vendorid>V-1</vendorid><datecreated><year>2026</year><month>03</month><day>01</day>"
              f"</datecreated><datedue><year>2026</year><month>03</month><day>31</day></datedue>"
              f"<billno>{number}</billno><billitems><lineitem><glaccountno>6220</glaccountno><amount>10</amount>"
              f"</lineitem></billitems></create_bill>")


@pytest.fixture
def ui(live_server) -> str:
    return live_server.base_url + "/_mock/ui"


def get(url: str, **params) -> requests.Response:
    r = requests.get(url, params=params, timeout=30)
    assert r.status_code == 200, (url, r.status_code, r.text[:500])
    assert r.headers["Content-Type"].startswith("text/html")
    for secret in SECRETS:
        assert secret not in r.text
    return r


def rows(html: str) -> dict[int, str]:
    return {int(m.group(1)): m.group(0) for m in re.finditer(r'<tr class="[^"]*" data-entry="(\d+)">.*?</tr>', html, re.S)}


@pytest.fixture
def lost_bill(company, control):
    """A bill committed whose acknowledgement was reset: (company id, journal entry, RECORDNO)."""
    control.add_fault({"company": company.company, "match": {"object": "APBILL"}, "action": "drop_ack=reset", "times": 1})
    with pytest.raises(requests.ConnectionError):
        company.call(bill_fn("LOST-1", "ctl-lost-1"))
    [entry] = control.journal(company=company.company, controlid="ctl-lost-1")
    assert entry["committed"] and not entry["acknowledged"]
    [bill] = control.books(company.company, "APBILL", RECORDID="LOST-1")
    return company.company, entry, bill["RECORDNO"]


def test_journal_lists_entries_and_flags_committed_but_not_acknowledged(ui, company, lost_bill):
    cid, entry, _ = lost_bill
    company.ok(bill_fn("FINE-1", "ctl-fine-1"))
    html = get(ui + "/", company=cid).text
    found = rows(html)
    assert entry["id"] in found and len(found) == 2
    lost_row = found[entry["id"]]
    assert 'class="lost-ack' in lost_row and "COMMITTED, NOT ACKNOWLEDGED" in lost_row
    assert "drop_ack=reset" in lost_row and "create APBILL: success" in lost_row and ">reset<" in lost_row
    other = next(r for i, r in found.items() if i != entry["id"])
    assert "lost-ack" not in other and "COMMITTED, NOT ACKNOWLEDGED" not in other
    # filters are plain GET parameters
    assert list(rows(get(ui + "/journal", company=cid, delivery="reset").text)) == [entry["id"]]
    assert list(rows(get(ui + "/journal", company=cid, unacknowledged="true").text)) == [entry["id"]]
    assert entry["id"] not in rows(get(ui + "/journal", company=cid, committed="false").text)
    assert len(rows(get(ui + "/journal", company=cid, function="create").text)) == 2
    assert rows(get(ui + "/journal", company=cid, function="readByQuery").text) == {}


def test_entry_detail_pretty_prints_escaped_xml_and_links_the_record(ui, lost_bill):
    cid, entry, recordno = lost_bill
    html = get(f"{ui}/journal/{entry['id']}").text
    assert "COMMITTED, NOT ACKNOWLEDGED" in html
    assert '<span class="x-tag">&lt;RECORDID</span><span class="x-tag">&gt;</span><span class="x-text">LOST-1</span>' in html
    assert "<RECORDID>" not in html and "<request>" not in html  # every tag is escaped
    assert '<span class="x-text">***</span>' in html  # passwords were redacted in the journal
    assert f'href="/_mock/ui/books/{cid}/APBILL/{recordno}"' in html


def test_books_page_shows_records_with_state_and_links_back_to_the_journal(ui, lost_bill):
    cid, entry, recordno = lost_bill
    html = get(f"{ui}/books/{cid}").text
    for heading in ("Customers", "Vendors", "Bills", "Invoices", "AR payments", "AP payments"):
        assert f"<h2>{heading} " in html
    row = re.search(rf'<tr id="APBILL-{recordno}">.*?</tr>', html, re.S).group(0)
    assert "LOST-1" in row and "Posted" in row and "75.50" in row
    assert re.search(r'<tr id="VENDOR-\d+">.*?V-1.*?Initech', html, re.S)
    record = get(f"{ui}/books/{cid}/APBILL/{recordno}").text
    assert entry["id"] in rows(record)
    assert "LOST-1" in record and "6220" in record  # fields and lines
    assert requests.get(f"{ui}/books/{cid}/APBILL/999999", timeout=10).status_code == 404
    assert requests.get(f"{ui}/books/NO-SUCH-CO", timeout=10).status_code == 404


def test_legacy_create_links_through_its_key(ui, company):
    reply = company.ok(legacy_bill_fn("LEG-1"))
    key = reply.result().findtext("key")
    html = get(ui + "/journal", company=company.company, function="create_bill").text
    [entry_id] = rows(html)
    detail = get(f"{ui}/journal/{entry_id}").text
    assert f'href="/_mock/ui/books/{company.company}/APBILL/{key}"' in detail
    assert entry_id in rows(get(f"{ui}/books/{company.company}/APBILL/{key}").text)


def test_faults_page_adds_disables_enables_and_removes_rules(ui, make_company):
    cid = make_company()
    r = requests.post(ui + "/faults", data={"company": cid, "function": "create", "object": "APBILL",
                                            "action": "drop_ack=close", "times": "2"}, timeout=10, allow_redirects=False)
    assert r.status_code == 303 and "/_mock/ui/faults?" in r.headers["Location"]
    html = get(ui + "/faults").text
    rule_id = re.search(r'<tr id="fault-(f\d+)">\s*<td>f\d+</td><td>' + cid, html).group(1)
    assert "Added fault " + rule_id in requests.get(ui + r.headers["Location"].split("/_mock/ui", 1)[1]).text
    row = re.search(rf'<tr id="fault-{rule_id}">.*?</tr>', html, re.S).group(0)
    assert "drop_ack" in row and "close" in row and "1 / 2" in row and "APBILL" in row
    # a bad rule is refused with a message, nothing added
    bad = requests.post(ui + "/faults", data={"company": cid, "action": "drop_ack=sideways"}, timeout=10)
    assert "Fault not added" in bad.text and "sideways" in bad.text
    # disable (removed from the engine, kept on the page), enable (added again), remove
    requests.post(f"{ui}/faults/{rule_id}/disable", timeout=10)
    html = get(ui + "/faults").text
    assert re.search(rf'<tr id="fault-{rule_id}" class="disabled">', html)
    assert rule_id not in [f["id"] for f in requests.get(ui.replace("/ui", "/faults"), timeout=10).json()["faults"]]
    enabled = requests.post(f"{ui}/faults/{rule_id}/enable", timeout=10).text
    new_id = re.search(r"again as (f\d+)", enabled).group(1)
    requests.post(f"{ui}/faults/{new_id}/remove", timeout=10)
    html = get(ui + "/faults").text
    assert f'id="fault-{new_id}"' not in html and f'id="fault-{rule_id}"' not in html


def test_clock_form_sets_and_resets_a_company_today(ui, make_company, control):
    cid = make_company()
    requests.post(ui + "/clock", data={"company": cid, "today": "2026-01-31", "frozen": "1"}, timeout=10)
    assert control.call("GET", "/clock", params={"company": cid})["now"].startswith("2026-01-31T12:00")
    html = get(ui + "/faults").text
    assert re.search(rf'<tr id="clock-{cid}"><td>{cid}</td><td>2026-01-31T12:00:00\+00:00</td><td>frozen</td>', html)
    bad = requests.post(ui + "/clock", data={"company": cid, "today": "31/01/2026"}, timeout=10).text
    assert "today must be YYYY-MM-DD" in bad
    requests.post(ui + "/clock", data={"company": cid, "reset": "1"}, timeout=10)
    assert control.call("GET", "/clock", params={"company": cid})["mode"] == "system"


def test_scenarios_page_runs_one_library_scenario_and_links_its_journal_slice(ui):
    runs.clear_runs()
    assert "No runs yet" in get(ui + "/scenarios").text
    r = requests.post(ui + "/scenarios/run", data={"scenario": "closed-period.yaml"}, timeout=10)
    assert "Started 1 scenario" in r.text
    deadline = time.monotonic() + 60
    while not runs.recent_runs() and time.monotonic() < deadline:
        time.sleep(0.2)
    [run] = runs.recent_runs()
    assert run["passed"], run
    html = get(ui + "/scenarios").text
    assert "PASS" in html and "closed-period.yaml" in html
    assert f'href="/_mock/ui/journal?company={run["company"]}"' in html
    assert rows(get(ui + "/journal", company=run["company"]).text)
    missing = requests.post(ui + "/scenarios/run", data={"scenario": "no-such.yaml"}, timeout=10).text
    assert "No scenario" in missing


def test_bundle_form_downloads_the_company_range(ui, demo, lost_bill):
    demo.ok(fn("<getAPISession/>", "bundle-probe"))
    r = requests.get(ui + "/bundle", params={"company": "DEMO", "since": "2000-01-01T00:00", "until": ""}, timeout=30)
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"], r.text[:300]
    bundle = r.json()
    assert bundle["format"] == "intacct-mock-incident/1" and bundle["company"]["id"] == "DEMO"
    assert "bundle-probe" in [e["controlid"] for e in bundle["requests"]] or bundle["requests"]
    assert not any(secret in r.text for secret in SECRETS)
    # a company made without the emulator's provisioning has no origin: the page says why
    cid, _, _ = lost_bill
    assert "No bundle" in requests.get(ui + "/bundle", params={"company": cid}, timeout=10).text
    assert "No bundle" in requests.get(ui + "/bundle", params={"company": "NO-SUCH"}, timeout=10).text
    assert "must be date-times" in requests.get(ui + "/bundle", params={"company": "DEMO", "since": "yesterday"},
                                                timeout=10).text


def test_static_files_are_served_from_the_blueprint(ui):
    assert "lost-ack" in requests.get(ui + "/static/inspector.css", timeout=10).text
    assert "auto-refresh" in requests.get(ui + "/static/inspector.js", timeout=10).text


def test_non_loopback_callers_are_refused(tmp_path):
    app = create_app(Settings.load(env={}, db_path=str(tmp_path / "a.db")))
    client = app.test_client()
    for path in ("/_mock/ui/", "/_mock/ui/faults", "/_mock/ui/books/DEMO", "/_mock/ui/static/inspector.css"):
        assert client.get(path, environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
        assert client.get(path, environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200
    assert client.post("/_mock/ui/faults", data={"action": "drop_ack=reset"},
                       environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    emulator_of(app).db.close()


def test_with_an_admin_token_every_caller_must_present_it(tmp_path):
    app = create_app(Settings.load(env={}, db_path=str(tmp_path / "a.db"), admin_token="s3cret"))
    client = app.test_client()
    assert client.get("/_mock/ui/", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 401
    assert client.get("/_mock/ui/", headers={"Authorization": "Bearer s3cret"},
                      environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    emulator_of(app).db.close()


def test_highlight_escapes_and_never_resolves_entities():
    evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r a="&lt;b&gt;">&x;<c>1 &amp; 2</c></r>'
    html, parsed = highlight(evil)
    assert parsed and "root:" not in html and "<r" not in html and "<c>" not in html
    # shown as XML source (entities kept), then escaped for HTML
    assert '<span class="x-val">&#34;&amp;lt;b&amp;gt;&#34;</span>' in html and "1 &amp;amp; 2" in html
    raw, parsed = highlight("not <xml")
    assert not parsed and str(raw) == "not &lt;xml"
