"""``serve --workers 2``: gunicorn processes over one SQLite file behave as one emulator."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from intacct_mock.admin_client import EmulatorControl
from tests.support import Gateway, fn, record_xml

CLI = [sys.executable, "-m", "intacct_mock"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    port = free_port()
    db = tmp_path_factory.mktemp("mw") / "mw.db"
    proc = subprocess.Popen([*CLI, "serve", "--workers", "2", "--port", str(port), "--db", str(db), "--quiet",
                             "--fault-header"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/_mock/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(proc.stdout.read() if proc.stdout else "server did not start")
    yield base
    proc.terminate()
    proc.wait(15)


def test_documents_written_through_different_workers_are_all_readable(workers):
    control = EmulatorControl(workers)
    gw = Gateway(workers + "/ia/xml/xmlgw.phtml")
    pids: set[str] = set()
    recordnos: list[str] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        for i in range(10):
            client = Gateway(gw.url)  # a new connection per request: gunicorn spreads them over workers
            reply = client.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': f'MW-{n}-{i}', 'NAME': 'Worker test'})}</create>"))
            with lock:
                pids.add(reply.headers["X-Mock-Server-Pid"])
                recordnos.append(reply.result().findtext("data/vendor/RECORDNO"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # gunicorn's sync workers race for each connection; a worker quick enough can win all 40. Keep
    # writing (bounded) until the other one has answered too, so the test does not depend on luck.
    extra = 0
    while len(pids) < 2 and extra < 200:
        write_one = Gateway(gw.url).ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': f'MW-X-{extra}', 'NAME': 'Worker test'})}</create>"))
        pids.add(write_one.headers["X-Mock-Server-Pid"])
        recordnos.append(write_one.result().findtext("data/vendor/RECORDNO"))
        extra += 1
    assert len(pids) == 2, "both workers must have served writes"
    assert len(recordnos) == 40 + extra and len(set(recordnos)) == 40 + extra  # no record number reused
    stored = [v for v in control.books("DEMO", "VENDOR") if v["VENDORID"].startswith("MW-")]
    assert sorted(str(v["RECORDNO"]) for v in stored) == sorted(recordnos)


def test_fault_rules_and_clocks_are_shared_by_the_workers(workers):
    control = EmulatorControl(workers)
    control.add_fault({"company": "DEMO", "match": {"controlid": "shared-*"}, "action": "http_status=503", "times": 3})
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def call(n: int) -> None:
        for i in range(5):  # concurrent connections, so both workers take some
            reply = Gateway(workers + "/ia/xml/xmlgw.phtml").call(fn("<getAPISession/>", f"shared-{n}-{i}"))
            with lock:
                results.append((reply.status, reply.headers["X-Mock-Server-Pid"]))

    threads = [threading.Thread(target=call, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    statuses = [status for status, _ in results]
    assert len({pid for _, pid in results}) == 2, "both workers must have answered"
    assert statuses.count(503) == 3 and len(statuses) == 20  # one rule, one counter, whichever worker
    assert control.faults("DEMO")[0]["fired"] == 3
    control.set_clock("DEMO", today="2026-06-30")
    seen = {requests.get(workers + "/_mock/clock", params={"company": "DEMO"}, timeout=5).json()["now"][:10]
            for _ in range(6)}
    assert seen == {"2026-06-30"}


def test_lost_acknowledgements_work_under_gunicorn(workers):
    control = EmulatorControl(workers)
    gw = Gateway(workers + "/ia/xml/xmlgw.phtml")
    from tests.support import envelope

    body = envelope([fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'MW-DROP', 'NAME': 'Dropped'})}</create>")],
                    login=("ws_user", "DEMO", "ws_user_pw"))
    with pytest.raises(requests.ConnectionError):
        gw.post(body, **{"X-Mock-Fault": "drop_ack=reset"})
    assert len(control.books("DEMO", "VENDOR", VENDORID="MW-DROP")) == 1


def test_workers_on_a_port_the_kernel_picks_print_that_port(tmp_path):
    from tests.support import served

    with served(CLI, tmp_path / "picked.db", "--workers", "2", "--quiet") as base:
        assert not base.endswith(":0") and requests.get(base + "/_mock/health", timeout=10).json()["status"] == "ok"
