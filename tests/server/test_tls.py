"""``serve --tls``: real HTTPS under the real host name, for Python and the official JavaScript SDK.

The name ``api.intacct.com`` is sent to 127.0.0.1 inside each client process only (``socket.getaddrinfo``
patched here, ``js/loopback.js`` preloaded into Node), never through /etc/hosts, so nothing leaves
loopback. Failing verification without the CA shows the TLS is real.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests

from intacct_mock.client import ClientConfig, IntacctClient
from intacct_mock.testing.runner import running_emulator
from tests.contract.sdk_js import SDK_DIR, SENDER, C, run_cases
from tests.support import envelope, fn

CLI = [sys.executable, "-m", "intacct_mock"]
HOST = "api.intacct.com"
LOGIN = ("ws_user", "DEMO", "ws_user_pw")
READ_VENDORS = fn("<readByQuery><object>VENDOR</object><fields>VENDORID,NAME</fields><query>STATUS = 'T'</query>"
                  "<pagesize>2</pagesize></readByQuery>")
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


def start(*args: str, wait_for: str = "then call ") -> tuple[subprocess.Popen, list[str]]:
    """``intacct-mock serve ARGS``; returns once the start-up message reached ``wait_for`` (bounded)."""
    proc = subprocess.Popen([*CLI, "serve", "--quiet", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    lines: list[str] = []
    for _ in range(60):
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        lines.append(line.rstrip("\n"))
        if wait_for in line:
            return proc, lines
    proc.kill()
    raise AssertionError("the server did not start:\n" + "\n".join(lines))


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One ``serve --tls`` process on a free port; the CA made beside its database."""
    folder = tmp_path_factory.mktemp("tls-serve")
    proc, lines = start("--tls", "--port", "0", "--db", str(folder / "mock.db"))
    port = int(lines[0].split("https://127.0.0.1:", 1)[1].split("/", 1)[0])
    yield {"port": port, "ca": folder / "tls" / "ca.pem", "lines": lines, "db": folder / "mock.db",
           "url": f"https://{HOST}:{port}/ia/xml/xmlgw.phtml"}
    stop(proc)


@pytest.fixture
def real_name_is_loopback(monkeypatch):
    """``api.intacct.com`` resolves to 127.0.0.1 in this process (every other name as usual)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.lower().rstrip(".") == HOST:
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for variable in PROXY_VARIABLES:  # a proxy would carry the request off the machine
        monkeypatch.delenv(variable, raising=False)


# ---------------------------------------------------------------------------- the command line


def test_start_up_says_how_to_trust_the_ca(served):
    text = "\n".join(served["lines"])
    ca = str(served["ca"])
    assert served["lines"][0].startswith("intacct-mock listening on https://")
    assert f"created a private CA: {ca}" in text
    for expected in (f"REQUESTS_CA_BUNDLE={ca}", f"NODE_EXTRA_CA_CERTS={ca}",
                     f"sudo cp {ca} /usr/local/share/ca-certificates/intacct-mock.crt && sudo update-ca-certificates",
                     f"sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain {ca}",
                     "127.0.0.1 api.intacct.com", served["url"]):
        assert expected in text, expected


def test_python_requests_under_the_real_name(served, real_name_is_loopback):
    reply = requests.post(served["url"], data=envelope(READ_VENDORS, login=LOGIN), timeout=10,
                          headers={"Content-Type": "application/xml"}, verify=str(served["ca"]))
    assert reply.status_code == 200
    assert b"<status>success</status>" in reply.content and b"<VENDORID>" in reply.content


def test_without_the_ca_verification_fails(served, real_name_is_loopback):
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(served["url"], data=envelope(READ_VENDORS, login=LOGIN), timeout=10)  # system CAs only


def test_get_api_session_answers_the_https_endpoint_called(served, real_name_is_loopback):
    reply = requests.post(served["url"], data=envelope(fn("<getAPISession/>"), login=LOGIN), timeout=10,
                          verify=str(served["ca"]))
    assert f"<endpoint>{served['url']}</endpoint>".encode() in reply.content


def test_the_reference_client_with_requests_ca_bundle(served, real_name_is_loopback, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(served["ca"]))  # what the start-up message says to do
    config = ClientConfig(sender_id=SENDER["id"], sender_password=SENDER["password"], company_id="DEMO",
                          user_id="ws_user", user_password="ws_user_pw", endpoint_url=served["url"],
                          timeout=10, max_attempts=1)
    client = IntacctClient(config)
    assert client.session()[1] == served["url"]  # the session's endpoint, followed from here on
    vendors = list(client.read_by_query("VENDOR", "STATUS = 'T'", fields="VENDORID,NAME", page_size=5))
    assert vendors and all(v["VENDORID"] for v in vendors)


def test_a_second_start_reuses_the_ca_and_certificate(served):
    folder = served["ca"].parent
    before = {p.name: p.read_bytes() for p in folder.glob("*.pem")}
    proc, lines = start("--tls", "--port", "0", "--db", str(served["db"]))
    stop(proc)
    assert not any("created" in line or "renewed" in line for line in lines), lines
    assert {p.name: p.read_bytes() for p in folder.glob("*.pem")} == before


def test_tls_from_the_environment(tmp_path, monkeypatch):
    """``MOCK_INTACCT_TLS_DIR`` does what ``--tls-dir`` does (a CI job sets the environment, not the command)."""
    monkeypatch.setenv("MOCK_INTACCT_TLS_DIR", str(tmp_path / "ca-here"))
    proc, lines = start("--port", "0", "--db", str(tmp_path / "env.db"))
    try:
        assert lines[0].startswith("intacct-mock listening on https://127.0.0.1:")
        assert (tmp_path / "ca-here" / "ca.pem").exists()
    finally:
        stop(proc)


def test_tls_with_gunicorn_workers(tmp_path, real_name_is_loopback):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc, lines = start("--tls", "--workers", "2", "--port", str(port), "--db", str(tmp_path / "mw.db"),
                        "--tls-dir", str(tmp_path / "certs"))
    try:
        url, ca = f"https://{HOST}:{port}/ia/xml/xmlgw.phtml", str(tmp_path / "certs" / "ca.pem")
        deadline = time.monotonic() + 20
        while True:  # the master announces before every worker is up
            try:
                reply = requests.post(url, data=envelope(fn("<getAPISession/>"), login=LOGIN), timeout=5, verify=ca)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert f"<endpoint>{url}</endpoint>".encode() in reply.content
    finally:
        stop(proc)


def test_without_cryptography_serve_says_what_to_install(tmp_path):
    blocked = ("import sys; sys.modules['cryptography'] = None; from intacct_mock.cli import main; "
               "sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", blocked, "serve", "--tls", "--port", "0", "--db", ":memory:",
                           "--tls-dir", str(tmp_path / "tls")], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "pip install 'intacct-mock[tls]'" in done.stderr and "Traceback" not in done.stderr


def test_a_ca_without_its_key_is_a_clear_error_not_a_new_ca(tmp_path):
    folder = tmp_path / "tls"
    folder.mkdir()
    (folder / "ca.pem").write_text("kept\n")
    done = subprocess.run([*CLI, "serve", "--tls", "--port", "0", "--db", ":memory:", "--tls-dir", str(folder)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "ca-key.pem does not" in done.stderr and "Traceback" not in done.stderr
    assert (folder / "ca.pem").read_text() == "kept\n"


# ---------------------------------------------------------------------------- the server in a thread


@pytest.fixture(scope="module")
def threaded(tmp_path_factory):
    with running_emulator(tls_dir=tmp_path_factory.mktemp("tls-thread")) as emu:
        yield emu


def test_running_emulator_serves_https_and_its_admin_handle_trusts_the_ca(threaded):
    assert threaded.base_url.startswith("https://127.0.0.1:") and threaded.ca_file
    assert "DEMO" in threaded.control.health()["companies"]


def test_a_silent_client_does_not_stall_the_others(threaded):
    with socket.create_connection(("127.0.0.1", int(threaded.base_url.rsplit(":", 1)[1]))):  # no ClientHello
        started = time.monotonic()
        reply = requests.get(threaded.base_url + "/_mock/health", verify=threaded.ca_file, timeout=5)
        assert reply.status_code == 200 and time.monotonic() - started < 3


def test_plain_http_to_the_https_port_is_told_to_use_https(threaded):
    reply = requests.get(threaded.base_url.replace("https://", "http://") + "/_mock/health", timeout=5)
    assert reply.status_code == 400 and "https://" in reply.text


def test_a_dropped_acknowledgement_is_a_real_reset_over_tls(threaded):
    vendor = ("<create><VENDOR><VENDORID>TLS-ACK</VENDORID><NAME>Tls</NAME>"
              "<DISPLAYCONTACT><PRINTAS>Tls</PRINTAS></DISPLAYCONTACT></VENDOR></create>")
    with pytest.raises(requests.ConnectionError):
        requests.post(threaded.url, data=envelope(fn(vendor), login=LOGIN), timeout=10, verify=threaded.ca_file,
                      headers={"X-Mock-Fault": "drop_ack=reset"})
    assert len(threaded.books("DEMO", "VENDOR", VENDORID="TLS-ACK")) == 1  # committed, answer lost


# ---------------------------------------------------------------------------- the official JavaScript SDK


def require_node_sdk() -> None:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: the JavaScript SDK over TLS needs it")
    if not SDK_DIR.is_dir():
        pytest.skip(f"@intacct/intacct-sdk is not installed in {SDK_DIR.parents[1]} (run `make js-sdk`)")


def js_cases() -> list[dict]:
    read = C("Common.ReadByQuery", objectName="VENDOR", fields=["VENDORID", "NAME"], pageSize=2)
    base = {"company": "DEMO", "user": "ws_user", "password": "ws_user_pw", "fn": read}
    return [{"id": "login", **base}, {"id": "session", "session": True, **base}]


def test_the_official_js_sdk_over_https_with_node_extra_ca_certs(served):
    require_node_sdk()
    # js/loopback.js (preloaded by run_cases) answers 127.0.0.1 for names under intacct.com in Node only.
    outcomes = run_cases(served["port"], js_cases(), endpoint=served["url"], timeout=60,
                         env_overrides={"NODE_EXTRA_CA_CERTS": str(served["ca"])})
    for case in ("login", "session"):
        assert outcomes[case].get("ok"), outcomes[case]
        assert outcomes[case]["result"]["status"] == "success" and outcomes[case]["result"]["data"]
    assert outcomes["session"]["session"]["endpoint"] == served["url"]  # getAPISession said https


def test_the_official_js_sdk_refuses_the_emulator_without_the_ca(served):
    require_node_sdk()
    outcomes = run_cases(served["port"], js_cases()[:1], endpoint=served["url"], timeout=60,
                         env_overrides={"NODE_EXTRA_CA_CERTS": None})
    assert not outcomes["login"].get("ok")
    assert "certificate" in outcomes["login"]["error"]["message"], outcomes["login"]

