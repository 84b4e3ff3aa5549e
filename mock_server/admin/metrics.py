"""``GET /metrics``: Prometheus text format, computed from the journal.

Reading the journal (not per-process counters) keeps the figures right under ``--workers``, where
any process may answer the scrape. With ``--journal off`` there is nothing to count. Same access
rule as the admin API (loopback, or the admin token).
"""

from __future__ import annotations

from flask import Blueprint, Response

from ..store import journal as rows
from .blueprint import _guard
from ..web import current_emulator

bp = Blueprint("metrics", __name__)
bp.before_request(_guard)

BUCKETS_MS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)


def _label(value: object) -> str:
    """A Prometheus label value: backslash, double quote and newline escaped."""
    return str(value).replace("\\", r"\\").replace('"', r'\"').replace("\n", r"\n")


@bp.get("/metrics")
def metrics() -> Response:
    db = current_emulator().db
    out: list[str] = []
    with db.transaction(write=False) as conn:
        out += ["# HELP intacct_mock_function_calls_total Gateway functions by name and result status.",
                "# TYPE intacct_mock_function_calls_total counter"]
        for name, status, n in rows.function_calls(conn):
            out.append(f'intacct_mock_function_calls_total{{function="{_label(name)}",status="{_label(status)}"}} {n}')
        out += ["# HELP intacct_mock_http_responses_total Gateway responses by HTTP status and delivery.",
                "# TYPE intacct_mock_http_responses_total counter"]
        for code, delivery, n in rows.responses(conn):
            out.append(f'intacct_mock_http_responses_total{{code="{code}",delivery="{_label(delivery)}"}} {n}')
        out += ["# HELP intacct_mock_faults_injected_total Faults that changed a response, by action type"
                " (a concurrency_limit counts only when no slot was free).",
                "# TYPE intacct_mock_faults_injected_total counter"]
        for kind, n in rows.faults_injected(conn):
            out.append(f'intacct_mock_faults_injected_total{{type="{_label(kind)}"}} {n}')
        committed_lost = rows.committed_without_ack(conn)
        out += ["# HELP intacct_mock_committed_without_ack_total Writes committed whose answer the client never got.",
                "# TYPE intacct_mock_committed_without_ack_total counter",
                f"intacct_mock_committed_without_ack_total {committed_lost}"]
        counts, total, total_ms = rows.duration_histogram(conn, BUCKETS_MS)
    out += ["# HELP intacct_mock_request_duration_seconds Time to answer a gateway request (server side).",
            "# TYPE intacct_mock_request_duration_seconds histogram"]
    for bound, n in zip(BUCKETS_MS, counts):
        out.append(f'intacct_mock_request_duration_seconds_bucket{{le="{bound / 1000:g}"}} {n}')
    out += [f'intacct_mock_request_duration_seconds_bucket{{le="+Inf"}} {total}',
            f"intacct_mock_request_duration_seconds_sum {total_ms / 1000:.6f}",
            f"intacct_mock_request_duration_seconds_count {total}"]
    return Response("\n".join(out) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8")
