"""Passwords, sender passwords and session ids never appear in any output the emulator produces.

One server (a subprocess, so its log is captured too) goes through logins, wrong passwords,
sessions, faults, errors and an incident export; then every output is searched for the secrets.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import requests

from intacct_mock.admin_client import EmulatorControl
from tests.support import Gateway, envelope, fn, record_xml

SECRETS = ["ws_user_pw", "mock-sender-pw", "Sup3r-Secret!", "wrong-Pa55"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_output_contains_a_secret(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "intacct_mock", "serve", "--port", str(port), "--db",
                             str(tmp_path / "s.db"), "--fault-header"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    outputs: list[str] = []
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/_mock/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        control = EmulatorControl(base)
        control.create_company({"company": {"company_id": "SECRET-CO", "users": [{"userid": "ws_user",
                                                                                 "password": "Sup3r-Secret!"}]},
                                "records": {"VENDOR": [{"VENDORID": "V-1", "NAME": "Initech"}],
                                            "GLACCOUNT": [{"ACCOUNTNO": "6220", "TITLE": "Software",
                                                           "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit"}]}})
        url = base + "/ia/xml/xmlgw.phtml"
        gw = Gateway(url, company="SECRET-CO", user=("ws_user", "Sup3r-Secret!"))
        sid = gw.session()
        SECRETS.append(sid)
        replies = [
            gw.call(fn("<getAPISession/>"), session=sid),
            gw.call(fn("<readByQuery><object>VENDOR</object><query>NOPE = 1</query></readByQuery>")),
            Gateway(url, company="SECRET-CO", user=("ws_user", "wrong-Pa55")).call(fn("<getAPISession/>")),
            gw.call(fn("<getAPISession/>"), sender=("mock-sender", "wrong-Pa55")),
            gw.call(fn("<getAPISession/>"), session=sid + "x"),
            gw.post(b"<request><control><password>Sup3r-Secret!</password>"),  # malformed, with a secret in it
            gw.post(envelope([fn("<getAPISession/>")], session=sid), **{"X-Mock-Fault": "http_status=502"}),
            gw.call(fn(f"<create>{record_xml('APBILL', {'VENDORID': 'V-1', 'RECORDID': 'B1', 'WHENCREATED': '03/02/2026', 'WHENDUE': '04/01/2026', 'APBILLITEMS': {'APBILLITEM': [{'ACCOUNTNO': '6220', 'TRX_AMOUNT': '5'}]}})}</create>")),
        ]
        # A successful getAPISession answer is the one place a session id must appear: it is how the client gets it.
        outputs += [r.body.decode("utf-8", "replace") for r in replies[1:]]
        outputs.append(json.dumps(control.journal(company="SECRET-CO", bodies=True, limit=1000)))
        outputs += [json.dumps(control.journal_entry(e["id"])) for e in control.journal(company="SECRET-CO")]
        outputs.append(json.dumps(control.call("GET", "/journal/export", params={"company": "SECRET-CO"})))
        outputs.append(json.dumps(control.call("GET", "/companies/SECRET-CO")))
        outputs.append(json.dumps(control.call("GET", "/companies")))
        outputs.append(json.dumps(control.faults()))
        outputs.append(requests.get(base + "/metrics", timeout=5).text)
        outputs.append(json.dumps(control.health()))
    finally:
        proc.send_signal(signal.SIGTERM)
        log, _ = proc.communicate(timeout=20)
        outputs.append(log)
    assert sum(len(o) for o in outputs) > 5000  # the outputs are real, not empty
    for secret in SECRETS:
        leaks = [o[max(0, o.find(secret) - 80): o.find(secret) + 80] for o in outputs if secret in o]
        assert not leaks, f"{secret!r} leaked: {leaks[:2]}"
    # The company can still be reconfigured from what the admin API shows (hidden passwords are kept).
