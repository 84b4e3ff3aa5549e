"""The exporter: 100 bills through lost acknowledgements, a killed run resumed, states and the CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from intacct_mock.client import Operations
from intacct_mock.client.cli import main as client_cli
from intacct_mock.client.exporter import ExportStore, Exporter, RunStopped


def bills(prefix: str, n: int) -> list[dict]:
    return [{"vendor_id": "V-1" if i % 2 else "V-2", "number": f"{prefix}-{i:03d}", "date": "2026-03-02",
             "due_date": "2026-04-01", "po_number": f"PO-{i}",
             "lines": [{"account": "6220", "amount": f"{10 + i}.25", "department": "D100"}]} for i in range(n)]


def check_books_match(control, tenant: str, store: ExportStore, prefix: str, n: int) -> None:
    stored = [b for b in control.books(tenant, "APBILL") if b["RECORDID"].startswith(prefix + "-")]
    by_number = {}
    for b in stored:
        assert b["RECORDID"] not in by_number, f"duplicate bill {b['RECORDID']}"
        by_number[b["RECORDID"]] = str(b["RECORDNO"])
    assert len(by_number) == n
    docs = store.documents()
    assert len(docs) == n and all(d.state == "exported" for d in docs), store.counts()
    for d in docs:
        assert d.recordno == by_number[d.key.rsplit(":", 1)[1]], d


@pytest.mark.parametrize("variant", ["reset", "close", "hang", "gateway_error", "truncate"])
def test_100_bills_with_random_ack_losses_end_as_exactly_100_bills(variant, client_for, tenant, control, tmp_path):
    action = {"type": "drop_ack", "variant": variant}
    if variant == "hang":
        action["hang_seconds"] = 5
    control.add_fault({"company": tenant, "match": {"function": "create"}, "probability": 0.15 if variant == "hang" else 0.3,
                       "seed": 42, "action": action})
    client = client_for(tenant, timeout=0.4 if variant == "hang" else 5.0)
    store = ExportStore(tmp_path / "state.db")
    exporter = Exporter(Operations(client), store)
    exporter.load("bill", bills(variant.upper(), 100))
    counts = exporter.run()
    assert counts["exported"] == 100
    check_books_match(control, tenant, store, variant.upper(), 100)
    lost = control.journal(company=tenant, function="create", delivery=variant if variant != "gateway_error" else "gateway_error",
                           limit=1000)
    assert lost and all(e["committed"] for e in lost)  # acks really were lost after real commits
    assert {d.how for d in store.documents()} >= {"created", "reconciled"}


def test_states_failed_and_needs_attention_carry_intacct_words(client_for, tenant, control, tmp_path):
    store = ExportStore(tmp_path / "s.db")
    exporter = Exporter(Operations(client_for(tenant)), store)
    good, bad_vendor, unknowable = bills("ST", 3)
    bad_vendor["vendor_id"] = "V-NOPE"
    exporter.load("bill", [good, bad_vendor, unknowable])
    control.add_fault({"company": tenant, "match": {"function": "create", "controlid": "*ST-002"},
                       "action": "http_status=524"})
    counts = exporter.run()
    assert counts == {"ready": 0, "in_progress": 0, "exported": 1, "failed": 1, "needs_attention": 1}
    failed = next(d for d in store.documents() if d.state == "failed")
    assert failed.error == "Invalid Vendor 'V-NOPE' specified." and failed.errorno == "BL01001973"
    attention = next(d for d in store.documents() if d.state == "needs_attention")
    assert "may have been committed" in attention.error and attention.correction


def test_wrong_credentials_stop_the_run_and_leave_documents_ready(client_for, tenant, tmp_path):
    store = ExportStore(tmp_path / "s.db")
    exporter = Exporter(Operations(client_for(tenant, password="rotated")), store)
    exporter.load("bill", bills("AUTH", 3))
    with pytest.raises(RunStopped):
        exporter.run()
    assert store.counts()["ready"] == 3


def test_reloading_the_same_file_changes_nothing(client_for, tenant, tmp_path, control):
    store = ExportStore(tmp_path / "s.db")
    exporter = Exporter(Operations(client_for(tenant)), store)
    exporter.load("bill", bills("RL", 2))
    exporter.run()
    exporter.load("bill", bills("RL", 2))
    assert exporter.run()["exported"] == 2
    assert len([b for b in control.books(tenant, "APBILL") if b["RECORDID"].startswith("RL-")]) == 2


def _env(gateway_url: str, tenant: str) -> dict[str, str]:
    return {**os.environ, "INTACCT_ENDPOINT_URL": gateway_url, "INTACCT_SENDER_ID": "mock-sender",
            "INTACCT_SENDER_PASSWORD": "mock-sender-pw", "INTACCT_COMPANY_ID": tenant, "INTACCT_USER_ID": "ws_user",
            "INTACCT_USER_PASSWORD": "ws_user_pw", "INTACCT_TIMEOUT": "5"}


def test_a_killed_export_resumes_to_completion_without_duplicates(gateway_url, tenant, control, tmp_path):
    source = tmp_path / "bills.json"
    source.write_text(json.dumps({"bills": bills("KILL", 100)}))
    state = tmp_path / "state.db"
    control.add_fault({"company": tenant, "match": {"function": "create"}, "action": {"type": "latency", "ms": 25}})
    cmd = [sys.executable, "-m", "intacct_mock.client.cli", "export", str(source), "--state", str(state)]
    env = _env(gateway_url, tenant)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=Path(__file__).resolve().parents[2])
    deadline = time.monotonic() + 60
    exported = 0
    while time.monotonic() < deadline and exported < 20:
        time.sleep(0.1)
        if state.exists():
            try:
                with sqlite3.connect(state) as conn:
                    exported = conn.execute("SELECT COUNT(*) FROM documents WHERE state = 'exported'").fetchone()[0]
            except sqlite3.OperationalError:
                pass
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert 20 <= exported < 100, "the export must be killed in the middle"
    control.clear_faults(tenant)

    resumed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                             cwd=Path(__file__).resolve().parents[2])
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "exported: 100" in resumed.stdout
    store = ExportStore(state)
    check_books_match(control, tenant, store, "KILL", 100)


def test_cli_exports_csv_and_reports_a_summary(gateway_url, tenant, control, tmp_path, monkeypatch):
    csv_file = tmp_path / "bills.csv"
    csv_file.write_text("vendor_id,number,date,due_date,account,amount,department\n"
                        "V-1,CSV-1,2026-03-02,2026-04-01,6220,10.00,D100\n"
                        "V-1,CSV-1,2026-03-02,2026-04-01,6400,5.00,\n"
                        "V-NOPE,CSV-2,2026-03-02,2026-04-01,6220,1.00,\n")
    for k, v in _env(gateway_url, tenant).items():
        if k.startswith("INTACCT_"):
            monkeypatch.setenv(k, v)
    result = CliRunner().invoke(client_cli, ["export", str(csv_file), "--state", str(tmp_path / "s.db")])
    assert result.exit_code == 1, result.output  # one document failed
    assert "bill:V-1:CSV-1" in result.output and "exported" in result.output
    assert "Invalid Vendor 'V-NOPE' specified." in result.output
    [stored] = control.books(tenant, "APBILL", RECORDID="CSV-1")
    assert stored["TOTALENTERED"] == "15.00" and len(stored["APBILLITEMS"]) == 2
    status = CliRunner().invoke(client_cli, ["status", "--state", str(tmp_path / "s.db")])
    assert "exported: 1" in status.output and "failed: 1" in status.output


def test_cli_explains_bad_input(tmp_path, monkeypatch):
    monkeypatch.delenv("INTACCT_SENDER_ID", raising=False)
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2")
    result = CliRunner().invoke(client_cli, ["export", str(bad)])
    assert result.exit_code == 2 and "not JSON" in result.output
    listed = tmp_path / "l.json"
    listed.write_text("[]")
    result = CliRunner().invoke(client_cli, ["export", str(listed)])
    assert result.exit_code == 2 and "--kind" in result.output
    good = tmp_path / "g.json"
    good.write_text(json.dumps({"bills": bills("X", 1)}))
    result = CliRunner().invoke(client_cli, ["export", str(good), "--state", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "INTACCT_SENDER_ID" in result.output


# ---------------------------------------------------------------------------- correct, regenerate, closed periods


def one_bill(number: str, account: str = "6220", day: str = "2026-03-02") -> dict:
    return {"vendor_id": "V-1", "number": number, "date": day, "due_date": "2026-04-01",
            "lines": [{"account": account, "amount": "25.00"}]}


def test_a_failed_document_takes_its_corrected_payload_an_exported_one_does_not(ops, control, tenant, tmp_path):
    store = ExportStore(tmp_path / "x.db")
    exporter = Exporter(ops, store)
    exporter.load("bill", [one_bill("FX-1", "6999")])
    assert exporter.run()["failed"] == 1
    exporter.load("bill", [one_bill("FX-1")])  # corrected
    assert store.get("bill:V-1:FX-1").state == "ready"
    assert exporter.run()["exported"] == 1
    exporter.load("bill", [one_bill("FX-1", "6400")])  # a later edit of an exported bill changes nothing
    assert json.loads(store.row("bill:V-1:FX-1")["payload"])["lines"][0]["account"] == "6220"
    assert store.get("bill:V-1:FX-1").state == "exported"


def test_regenerate_only_what_intacct_no_longer_has(ops, control, tenant, tmp_path):
    store = ExportStore(tmp_path / "r.db")
    exporter = Exporter(ops, store)
    exporter.load("bill", [one_bill("RG-1")])
    exporter.run()
    with pytest.raises(ValueError, match="still in Intacct"):
        exporter.regenerate("bill:V-1:RG-1")
    [stored] = control.books(tenant, "APBILL", RECORDID="RG-1")
    ops.client.delete("APBILL", [stored["RECORDNO"]])
    exporter.regenerate("bill:V-1:RG-1")
    assert exporter.run()["exported"] == 1
    state = store.get("bill:V-1:RG-1")
    assert state.generation == 1 and state.recordno != str(stored["RECORDNO"])
    with pytest.raises(ValueError, match="only an exported document"):
        exporter.regenerate("bill:V-1:NOPE")


def test_closed_period_policy_next_open(ops, make_company, client_for, tmp_path):
    tenant = make_company(closed_through="2026-03-31")
    exporter = Exporter(Operations(client_for(tenant)), ExportStore(tmp_path / "c.db"), closed_period="next_open")
    exporter.load("bill", [one_bill("CP-1", day="2026-02-10")])
    assert exporter.run()["exported"] == 1
    assert exporter.store.get("bill:V-1:CP-1").posted_on == "2026-04-01"  # March and February closed: April
    with pytest.raises(ValueError):
        Exporter(ops, ExportStore(tmp_path / "d.db"), closed_period="sometimes")


def test_a_store_from_before_regeneration_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, state TEXT"
                 " NOT NULL, recordno TEXT, how TEXT, errorno TEXT, error TEXT, correction TEXT, attempts INTEGER NOT"
                 " NULL DEFAULT 0, seq INTEGER NOT NULL, updated_at TEXT NOT NULL)")
    conn.commit()
    conn.close()
    store = ExportStore(path)
    store.add("bill", one_bill("OLD-1"))
    assert store.get("bill:V-1:OLD-1").generation == 0
