"""The installed ``intacct-mock`` command: help, a real serve process, clean errors for bad input."""

import os
import subprocess
import sys
from pathlib import Path

import requests

from tests.support import envelope, fn

CLI = [sys.executable, "-m", "intacct_mock"]
LOGIN = ("ws_user", "DEMO", "ws_user_pw")


def run(*args, **kw):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60, **kw)


def test_help_explains_every_command_and_option():
    top = run("--help")
    assert top.returncode == 0 and "serve" in top.stdout
    serve = run("serve", "--help")
    for option in ("--host", "--port", "--db", "--seed", "--company-file", "--config", "--public-url", "--faults",
                   "--fault-header", "--admin-token", "--journal", "--tls", "--tls-dir"):
        assert option in serve.stdout
    for command in (("faults", "add"), ("faults", "list"), ("faults", "clear"), ("journal",), ("bundle", "export"),
                    ("bundle", "replay")):
        helped = run(*command, "--help")
        assert helped.returncode == 0 and "--url" in helped.stdout, command


def start_server(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([*CLI, "serve", "--port", "0", "--db", str(tmp_path / "cli.db"), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    for _ in range(50):
        line = proc.stdout.readline()
        if "listening on" in line:
            return proc, line.split("listening on", 1)[1].strip()
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("server did not start")


def test_serve_answers_on_the_gateway_path_and_keeps_data_across_restarts(tmp_path):
    proc, url = start_server(tmp_path)
    try:
        assert url.endswith("/ia/xml/xmlgw.phtml")
        r = requests.post(url, data=envelope(fn("<getAPISession/>"), login=LOGIN), timeout=10)
        assert r.status_code == 200 and b"<status>success</status>" in r.content
        assert url.encode() in r.content  # endpoint = the URL called
        vendor = ("<create><VENDOR><VENDORID>CLI-1</VENDORID><NAME>Cli</NAME>"
                  "<DISPLAYCONTACT><PRINTAS>Cli</PRINTAS></DISPLAYCONTACT></VENDOR></create>")
        assert b"<status>success</status>" in requests.post(url, data=envelope(fn(vendor), login=LOGIN), timeout=10).content
    finally:
        proc.terminate()
        proc.wait(10)
    proc, url = start_server(tmp_path)
    try:
        body = envelope(fn("<readByName><object>VENDOR</object><keys>CLI-1</keys></readByName>"), login=LOGIN)
        assert b"<VENDORID>CLI-1</VENDORID>" in requests.post(url, data=body, timeout=10).content
    finally:
        proc.terminate()
        proc.wait(10)


def test_company_file_creates_a_company(tmp_path):
    company = tmp_path / "acme.yaml"
    company.write_text(
        "company:\n  company_id: ACME\n  users: [{userid: u1, password: p1}]\n"
        "records:\n  VENDOR:\n    - {VENDORID: AV1, NAME: Acme Vendor, DISPLAYCONTACT: {PRINTAS: Acme}}\n"
    )
    proc, url = start_server(tmp_path, "--company-file", str(company))
    try:
        body = envelope(fn("<readByName><object>VENDOR</object><keys>AV1</keys></readByName>"), login=("u1", "ACME", "p1"))
        assert b"<NAME>Acme Vendor</NAME>" in requests.post(url, data=body, timeout=10).content
    finally:
        proc.terminate()
        proc.wait(10)


def test_bad_company_file_is_a_clear_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("company:\n  company_id: X\n  bogus_setting: 1\n")
    result = run("serve", "--db", str(tmp_path / "x.db"), "--port", "0", "--company-file", str(bad))
    assert result.returncode != 0
    assert "bogus_setting" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_record_in_company_file_names_the_record(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("company:\n  company_id: Y\nrecords:\n  VENDOR:\n    - {VENDORID: 'A#1', NAME: n}\n")
    result = run("serve", "--db", str(tmp_path / "y.db"), "--port", "0", "--company-file", str(bad))
    assert result.returncode != 0 and "record 1 (VENDOR)" in result.stderr and "Traceback" not in result.stderr
