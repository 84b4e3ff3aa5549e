"""/metrics in Prometheus text format, computed from the journal."""

from __future__ import annotations

import re

import pytest
import requests

from tests.support import fn, record_xml


def metric(text: str, name: str, **labels: str) -> float:
    label = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name + (f"{{{label}}}" if label else "")) + r" ([0-9.e+-]+)$"
    m = re.search(pattern, text, re.M)
    assert m, f"{name} {labels} not in:\n{text}"
    return float(m.group(1))


def test_metrics_count_functions_faults_and_lost_acks(live_server, company, control):
    url = live_server.base_url + "/metrics"
    before = requests.get(url, timeout=5).text
    base_calls = metric(before, "intacct_mock_function_calls_total", function="create", status="success") \
        if 'function="create",status="success"' in before else 0
    base_lost = metric(before, "intacct_mock_committed_without_ack_total")
    company.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'M-1', 'NAME': 'Metrics'})}</create>"))
    control.add_fault({"company": company.company, "match": {"function": "create"}, "action": "drop_ack=close", "times": 1})
    with pytest.raises(requests.ConnectionError):
        company.call(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'M-2', 'NAME': 'Metrics'})}</create>"))
    r = requests.get(url, timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = r.text
    assert metric(text, "intacct_mock_function_calls_total", function="create", status="success") == base_calls + 2
    assert metric(text, "intacct_mock_committed_without_ack_total") == base_lost + 1
    assert metric(text, "intacct_mock_faults_injected_total", type="drop_ack") >= 1
    assert metric(text, "intacct_mock_request_duration_seconds_count") >= metric(
        text, "intacct_mock_request_duration_seconds_bucket", le="0.005")
    assert "# TYPE intacct_mock_request_duration_seconds histogram" in text


def test_a_concurrency_gate_that_admits_is_not_counted_as_a_fault(live_server, company, control):
    """The gate rule 'fires' on every request it sees; only a refusal changed the response."""
    url = live_server.base_url + "/metrics"

    def gate_count() -> float:
        text = requests.get(url, timeout=5).text
        return metric(text, "intacct_mock_faults_injected_total", type="concurrency_limit") \
            if 'type="concurrency_limit"' in text else 0

    before = gate_count()
    control.add_fault({"company": company.company, "action": {"type": "concurrency_limit", "max": 4, "wait_seconds": 1}})
    for n in range(3):
        company.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': f'GATE-{n}', 'NAME': 'Gate'})}</create>"))
    assert gate_count() == before
