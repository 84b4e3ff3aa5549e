"""``intacct-mock proxy`` in front of another emulator, over real loopback HTTP.

The upstream is an emulator of its own (``running_emulator``), the proxy a second server in front
of it; both are module-scoped, and each test starts with the proxy's rules and journal cleared.
What the proxy did is read from both sides: the proxy's admin API (its journal, its rules) and the
upstream's (its books, its journal).
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys

import pytest
import requests

from intacct_mock.admin_client import AdminAPIError, EmulatorControl
from intacct_mock.clock import FrozenClock
from intacct_mock.config import Settings
from intacct_mock.proxy import create_proxy_app
from intacct_mock.testing.runner import running_emulator
from intacct_mock.testing.server_thread import ServerThread
from intacct_mock.web import emulator_of
from tests.conftest import START
from tests.support import Gateway, envelope, fn, record_xml

SEED = 7  # the session live_server's seed too, so its demo company is the upstream's
_numbers = itertools.count(1)


def bill_fn(number: str, controlid: str | None = None) -> str:
    bill = {"VENDORID": "V-0001", "RECORDID": number, "WHENCREATED": "03/01/2026", "WHENDUE": "03/31/2026",
            "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "120.50"}]}}
    return fn(f"<create>{record_xml('APBILL', bill)}</create>", controlid)


def vendors_fn(controlid: str = "q-vendors") -> str:
    return fn("<readByQuery><object>VENDOR</object><fields>VENDORID,NAME</fields><query>VENDORID = 'V-0002'</query>"
              "<pagesize>1</pagesize></readByQuery>", controlid)


@pytest.fixture(scope="module")
def upstream():
    with running_emulator(seed=SEED, clock=FrozenClock(START)) as emu:
        yield emu


def start_proxy(upstream_url: str, **settings):
    app = create_proxy_app(Settings.load(env={}, db_path=":memory:", seed=SEED, **settings), upstream_url,
                           connect_timeout=2, read_timeout=5)
    return app, ServerThread(app).start()


@pytest.fixture(scope="module")
def served_proxy(upstream):
    app, server = start_proxy(upstream.url)
    yield server
    server.stop()
    emulator_of(app).close()


@pytest.fixture
def proxy(served_proxy) -> EmulatorControl:
    """The proxy's admin API, with no rules and an empty journal."""
    control = EmulatorControl(served_proxy.base_url)
    control.clear_faults()
    control.call("DELETE", "/journal")
    return control


@pytest.fixture
def via_proxy(proxy) -> Gateway:
    return Gateway(proxy.gateway_url)


def upstream_newest(upstream) -> dict | None:
    """The upstream's latest journal entry, with bodies (read off its emulator: no paging needed)."""
    found = emulator_of(upstream.app).journal.list(limit=1, newest_first=True, bodies=True)
    return found[0] if found else None


def last_upstream_id(upstream) -> int:
    entry = upstream_newest(upstream)
    return entry["id"] if entry else 0


def newest(control: EmulatorControl) -> dict:
    entries = control.journal(limit=1000)
    assert entries, "the journal is empty"
    return control.journal_entry(entries[-1]["id"])


def test_a_read_through_the_proxy_is_the_upstreams_answer_unchanged(via_proxy, proxy, upstream):
    reply = via_proxy.ok(vendors_fn())
    sent = upstream_newest(upstream)  # what the upstream answered, as its own journal kept it
    assert reply.body.decode() == sent["response_body"]
    assert reply.result().findtext("data/vendor/VENDORID") == "V-0002"
    entry = newest(proxy)
    assert (entry["company"], entry["user"], entry["committed"], entry["delivery"]) == ("DEMO", "ws_user", False, "sent")
    assert entry["functions"] == [{"name": "readByQuery", "controlid": "q-vendors", "object": "VENDOR",
                                   "status": "success"}]
    assert entry["response_body"] == sent["response_body"]


def test_drop_ack_reset_loses_the_answer_of_a_bill_the_upstream_committed(via_proxy, proxy, upstream):
    number = f"PX-{next(_numbers)}"
    proxy.add_fault({"company": "DEMO", "match": {"function": "create", "object": "APBILL"},
                     "action": {"type": "drop_ack", "variant": "reset"}, "times": 1})
    with pytest.raises(requests.ConnectionError):
        via_proxy.call(bill_fn(number))
    assert len(upstream.books("DEMO", "APBILL", RECORDID=number)) == 1  # the upstream has it; the client never knew
    entry = newest(proxy)
    assert (entry["delivery"], entry["committed"], entry["acknowledged"]) == ("reset", True, False)
    assert entry["functions"][0]["status"] == "success" and entry["faults"][0]["type"] == "drop_ack"
    assert "<password>***</password>" in entry["request_body"]
    assert "ws_user_pw" not in entry["request_body"] and "mock-sender-pw" not in entry["request_body"]
    [stored] = upstream.books("DEMO", "APBILL", RECORDID=number)  # the journal names the lost answer's RECORDNO
    assert (entry["functions"][0]["document"], entry["functions"][0]["recordno"]) == (number, stored["RECORDNO"])
    assert proxy.journal_count(document=number, committed=True) == 1
    # the retry collides with the bill the lost answer was about, as it would on Intacct
    retry = via_proxy.call(bill_fn(number))
    assert retry.result().findtext("status") == "failure"
    assert len(upstream.books("DEMO", "APBILL", RECORDID=number)) == 1


@pytest.mark.parametrize("variant", ["gateway_error", "truncate"])
def test_other_drop_variants_deliver_the_real_answer_damaged(via_proxy, proxy, upstream, variant):
    number = f"PX-{next(_numbers)}"
    proxy.add_fault({"match": {"object": "APBILL"}, "action": {"type": "drop_ack", "variant": variant}, "times": 1})
    if variant == "gateway_error":
        reply = via_proxy.call(bill_fn(number))
        assert reply.status == 504 and b"<html" in reply.body.lower()
    else:
        with pytest.raises(requests.RequestException):
            via_proxy.call(bill_fn(number))
    entry = newest(proxy)
    assert (entry["delivery"], entry["committed"]) == (variant, True)
    assert "<status>success</status>" in entry["response_body"]  # the journal keeps what the upstream answered
    assert len(upstream.books("DEMO", "APBILL", RECORDID=number)) == 1


def test_an_http_status_fault_is_answered_by_the_proxy_without_reaching_the_upstream(via_proxy, proxy, upstream):
    before = last_upstream_id(upstream)
    proxy.add_fault({"company": "DEMO", "action": "http_status=503"})
    reply = via_proxy.call(vendors_fn())
    assert reply.status == 503
    assert last_upstream_id(upstream) == before
    entry = newest(proxy)
    assert entry["http_status"] == 503 and entry["functions"][0]["status"] == "not run"


def test_an_injected_error_fails_one_function_and_the_other_goes_upstream(via_proxy, proxy, upstream):
    proxy.add_fault({"match": {"controlid": "q-fail"}, "action": {"type": "intacct_error", "preset": "unknown_field",
                                                                    "field": "NOSUCH"}})
    reply = via_proxy.call(vendors_fn("q-ok"), vendors_fn("q-fail"))
    statuses = [(r.findtext("controlid"), r.findtext("status")) for r in reply.results()]
    assert statuses == [("q-ok", "success"), ("q-fail", "failure")]
    assert reply.errornos() == ["DL02000001"]
    sent = upstream_newest(upstream)
    assert [f["controlid"] for f in sent["functions"]] == ["q-ok"]  # the failed one never left
    assert [f["status"] for f in newest(proxy)["functions"]] == ["success", "failure"]


def test_sessions_are_known_by_the_company_the_upstream_says(via_proxy, proxy, upstream, served_proxy):
    reply = via_proxy.ok(fn("<getAPISession/>"))
    assert reply.result().findtext("data/api/endpoint") == proxy.gateway_url  # so SDKs keep calling the proxy
    session = reply.result().findtext("data/api/sessionid")
    proxy.add_fault({"company": "DEMO", "match": {"session": True, "function": "readByQuery"},
                     "action": {"type": "intacct_error", "preset": "record_deleted"}, "times": 1})
    failed = via_proxy.call(vendors_fn(), session=session)
    assert failed.result().findtext("status") == "failure"  # the rule for DEMO matched a session call
    entry = newest(proxy)
    assert (entry["company"], entry["user"]) == ("DEMO", "ws_user")
    assert session not in entry["request_body"]  # session ids are cut to their tail
    assert via_proxy.ok(vendors_fn(), session=session).status == 200


def test_session_expire_is_refused_at_the_proxy(via_proxy, proxy, upstream):
    session = via_proxy.session()
    before = last_upstream_id(upstream)
    proxy.add_fault({"company": "DEMO", "action": "session_expire", "times": 1})
    reply = via_proxy.call(vendors_fn(), session=session)
    assert reply.text("operation/authentication/status") == "failure"
    assert "Invalid session" in reply.body.decode()
    assert last_upstream_id(upstream) == before
    again = via_proxy.call(vendors_fn(), session=session)  # expired stays expired, rule or not
    assert again.text("operation/authentication/status") == "failure"


def test_an_upstream_that_is_down_gets_an_intacct_shaped_502():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/ia/xml/xmlgw.phtml"  # nothing listens once closed
    app, server = start_proxy(closed)
    try:
        reply = Gateway(server.base_url + "/ia/xml/xmlgw.phtml").call(vendors_fn())
        assert reply.status == 502 and reply.xml.tag == "response"
        assert reply.errornos("errormessage/error") == ["GW-0502"]
        assert "not sent" in reply.body.decode() and "Traceback" not in reply.body.decode()
        entry = EmulatorControl(server.base_url).journal()[-1]
        assert entry["http_status"] == 502 and entry["functions"][0]["status"] == "not run"
    finally:
        server.stop()
        emulator_of(app).close()


def test_an_answer_lost_upstream_is_a_504_and_the_journal_says_unknown(via_proxy, proxy, upstream):
    number = f"PX-{next(_numbers)}"
    upstream.add_fault({"company": "DEMO", "match": {"object": "APBILL"}, "action": "drop_ack=reset", "times": 1})
    reply = via_proxy.call(bill_fn(number))
    assert reply.status == 504 and reply.errornos("errormessage/error") == ["GW-0504"]
    entry = newest(proxy)
    assert entry["functions"][0]["status"] == "unknown" and entry["committed"] is False
    assert len(upstream.books("DEMO", "APBILL", RECORDID=number)) == 1  # it had committed


def test_a_proxy_bundle_replays_on_an_emulator(via_proxy, proxy, upstream, control):
    """Read, a bill whose answer the proxy lost, its colliding retry, a 503: exported from the proxy,
    replayed on the session's emulator (same demo seed and day), every outcome reproduced."""
    number = f"PX-{next(_numbers)}"
    via_proxy.ok(vendors_fn())
    proxy.add_fault({"company": "DEMO", "match": {"object": "APBILL"}, "action": "drop_ack=reset", "times": 1})
    with pytest.raises(requests.ConnectionError):
        via_proxy.call(bill_fn(number))
    via_proxy.call(bill_fn(number))
    proxy.add_fault({"company": "DEMO", "match": {"function": "readByQuery"}, "action": "http_status=503", "times": 1})
    assert via_proxy.call(vendors_fn()).status == 503
    bundle = proxy.call("GET", "/journal/export", params={"company": "DEMO"})
    assert bundle["company"]["origin"] == {"demo_seed": SEED, "company_id": "DEMO"}
    assert bundle["proxy"]["upstream"] == upstream.url
    assert len(bundle["requests"]) == 4 and "ws_user_pw" not in str(bundle)
    replayed = f"PXR-{next(_numbers)}"
    report = control.call("POST", "/replay", json={"bundle": bundle, "as_company": replayed})
    assert (report["requests"], report["matched"]) == (4, 4), report
    kinds = [(r["actual"]["delivery"], r["actual"]["http_status"], r["actual"]["committed"]) for r in report["results"]]
    assert kinds == [("sent", 200, False), ("reset", 200, True), ("sent", 200, False), ("sent", 503, False)]
    assert len(control.books(replayed, "APBILL", RECORDID=number)) == 1


def test_replay_is_refused_on_the_proxy_and_export_needs_requests(proxy):
    with pytest.raises(AdminAPIError) as caught:
        proxy.call("POST", "/replay", json={"bundle": {"format": "intacct-mock-incident/1"}, "as_company": "X"})
    assert caught.value.status == 409 and "emulator" in caught.value.message
    with pytest.raises(AdminAPIError) as caught:
        proxy.call("GET", "/journal/export", params={"company": "NOBODY"})
    assert caught.value.status == 404


def test_a_body_the_parser_refuses_is_answered_by_the_upstream(proxy, upstream):
    before = last_upstream_id(upstream)
    reply = requests.post(proxy.gateway_url, data=b"<request><control>", timeout=10)
    assert reply.status_code == 200 and b"XL03000003" in reply.content
    assert last_upstream_id(upstream) == before + 1


def test_health_names_the_upstream(proxy, upstream):
    health = proxy.call("GET", "/health")
    assert health["proxy"]["upstream"] == upstream.url and health["companies"] == []


def test_a_foreign_sender_and_user_are_translated_for_the_replay(via_proxy, proxy):
    body = envelope([vendors_fn()], login=("Integration.Bot", "DEMO", "whatever"), sender=("acme-partner", "x"))
    assert via_proxy.post(body).status == 200  # the upstream refuses the sender; the proxy records it anyway
    bundle = proxy.call("GET", "/journal/export", params={"company": "DEMO"})
    assert bundle["proxy"]["senders"] == {"acme-partner": "mock-sender"}
    assert "<senderid>mock-sender</senderid>" in bundle["requests"][0]["request_body"]
    assert "integration.bot" in [u["userid"].lower() for u in bundle["company"]["config"]["users"]]


def test_rotate_password_refuses_the_old_password_at_the_proxy_until_reset(via_proxy, proxy, upstream):
    before = last_upstream_id(upstream)
    proxy.add_fault({"company": "DEMO", "match": {"user": "ws_user"}, "action": "rotate_password", "times": 1})
    assert via_proxy.call(vendors_fn()).status == 401  # the call that rotated it fails, as on the emulator
    refused = via_proxy.call(vendors_fn())
    assert refused.status == 401 and refused.errornos("errormessage/error") == ["XMLGW_JPP0002"]
    assert last_upstream_id(upstream) == before  # the upstream's password never changed: nothing was sent
    proxy.reset()
    assert via_proxy.ok(vendors_fn()).status == 200


# ---------------------------------------------------------------------------- the command line

CLI = [sys.executable, "-m", "intacct_mock"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args, message", [
    (("--upstream", "ftp://example.com/x"), "must be an http(s) URL"),
    (("--upstream", "http://127.0.0.1:9/ia/xml/xmlgw.phtml", "--company-file", "{file}"), "expected a mapping"),
])
def test_bad_proxy_options_are_clear_messages(tmp_path, args, message):
    bad = tmp_path / "company.yaml"
    bad.write_text("- just a list\n")
    done = run_cli("proxy", "--db", ":memory:", "--port", "0", *(a.format(file=bad) for a in args))
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr


def test_the_proxy_command_forwards_and_its_bundle_replays_with_the_bundle_commands(tmp_path, upstream):
    """The README's commands: proxy in front of an emulator, bundle export from the proxy, replay upstream."""
    proc = subprocess.Popen([*CLI, "proxy", "--upstream", upstream.url, "--port", "0", "--seed", str(SEED),
                             "--db", str(tmp_path / "proxy.db"), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    try:
        url = ""
        for _ in range(50):
            line = proc.stdout.readline()
            if "listening on" in line:
                url = line.split("listening on", 1)[1].strip()
                break
            if not line and proc.poll() is not None:
                break
        assert url.endswith("/ia/xml/xmlgw.phtml"), "the proxy did not start"
        assert Gateway(url).ok(vendors_fn()).status == 200
        base = url.removesuffix("/ia/xml/xmlgw.phtml")
        bundle = tmp_path / "incident.json"
        exported = run_cli("bundle", "export", "--company", "DEMO", "--url", base, "-o", str(bundle))
        assert exported.returncode == 0, exported.stderr
        replayed = run_cli("bundle", "replay", str(bundle), "--as-company", f"PXC-{next(_numbers)}",
                           "--url", upstream.base_url)
        assert replayed.returncode == 0 and "1/1 outcomes reproduced" in replayed.stdout, replayed.stdout
    finally:
        proc.terminate()
        proc.wait(10)


def test_the_proxy_serves_https_with_the_kept_ca(tmp_path, upstream):
    """``proxy --tls``: a client hard-wired to https reaches a sandbox through the proxy's fault rules."""
    pytest.importorskip("cryptography")
    tls = tmp_path / "tls"
    proc = subprocess.Popen([*CLI, "proxy", "--upstream", upstream.url, "--port", "0", "--db", str(tmp_path / "p.db"),
                             "--tls-dir", str(tls), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    try:
        lines = []
        for _ in range(80):
            lines.append(proc.stdout.readline())
            if "REQUESTS_CA_BUNDLE" in lines[-1] or (not lines[-1] and proc.poll() is not None):
                break
        url = next(line.split("listening on", 1)[1].strip() for line in lines if "listening on" in line)
        assert url.startswith("https://127.0.0.1:"), lines
        answer = requests.post(url, data=envelope([vendors_fn()], login=("ws_user", "DEMO", "ws_user_pw")),
                               headers={"Content-Type": "application/xml"}, verify=str(tls / "ca.pem"), timeout=10)
        assert answer.status_code == 200 and b"<status>success</status>" in answer.content
        with pytest.raises(requests.exceptions.SSLError):
            requests.post(url, data=b"<request/>", timeout=10)  # without the CA: real TLS
        control = EmulatorControl(url.removesuffix("/ia/xml/xmlgw.phtml"), verify=str(tls / "ca.pem"))
        assert [f["name"] for e in control.journal() for f in e["functions"]] == ["readByQuery"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_an_upstream_error_page_is_passed_on_and_its_functions_are_unknown(via_proxy, proxy, upstream):
    upstream.add_fault({"company": "DEMO", "match": {"controlid": "q-page"}, "action": "http_status=502", "times": 1})
    reply = via_proxy.call(vendors_fn("q-page"))
    assert reply.status == 502 and b"<html" in reply.body.lower()  # the upstream's page, as it sent it
    assert newest(proxy)["functions"][0]["status"] == "unknown"  # behind a CDN page, it may have run
