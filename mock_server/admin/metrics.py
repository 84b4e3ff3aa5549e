"""``GET /metrics``: Prometheus text format, computed from the journal.

Reading the journal (not per-process counters) keeps the figures right under ``--workers``, where
any process may answer the scrape. With ``--journal off`` there is nothing to count. Same access
rule as the admin API (loopback, or the admin token).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from .blueprint import _guard

bp = Blueprint("metrics", __name__)
bp.before_request(_guard)

BUCKETS_MS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)


def _label(value: object) -> str:
    """A Prometheus label value: backslash, double quote and newline escaped."""
    return str(value).replace("\\", r"\\").replace('"', r'\"').replace("\n", r"\n")


@bp.get("/metrics")
def metrics() -> Response:
    db = current_app.config["DB"]
    out: list[str] = []
    with db.transaction(write=False) as conn:
        out += ["# HELP intacct_mock_function_calls_total Gateway functions by name and result status.",
                "# TYPE intacct_mock_function_calls_total counter"]
        for name, status, n in conn.execute(
                "SELECT json_extract(f.value, '$.name'), json_extract(f.value, '$.status'), COUNT(*)"
                " FROM journal, json_each(journal.functions) AS f GROUP BY 1, 2 ORDER BY 1, 2"):
            out.append(f'intacct_mock_function_calls_total{{function="{_label(name)}",status="{_label(status)}"}} {n}')
        out += ["# HELP intacct_mock_http_responses_total Gateway responses by HTTP status and delivery.",
                "# TYPE intacct_mock_http_responses_total counter"]
        for code, delivery, n in conn.execute(
                "SELECT http_status, delivery, COUNT(*) FROM journal GROUP BY 1, 2 ORDER BY 1, 2"):
            out.append(f'intacct_mock_http_responses_total{{code="{code}",delivery="{_label(delivery)}"}} {n}')
        out += ["# HELP intacct_mock_faults_injected_total Faults that changed a response, by action type"
                " (a concurrency_limit counts only when no slot was free).",
                "# TYPE intacct_mock_faults_injected_total counter"]
        for kind, n in conn.execute(
                "SELECT json_extract(f.value, '$.type'), COUNT(*) FROM journal, json_each(journal.faults) AS f"
                " WHERE json_extract(f.value, '$.type') != 'concurrency_limit' OR json_extract(f.value, '$.busy')"
                " GROUP BY 1 ORDER BY 1"):
            out.append(f'intacct_mock_faults_injected_total{{type="{_label(kind)}"}} {n}')
        committed_lost = conn.execute(
            "SELECT COUNT(*) FROM journal WHERE committed = 1 AND (delivery != 'sent' OR http_status != 200)"
        ).fetchone()[0]
        out += ["# HELP intacct_mock_committed_without_ack_total Writes committed whose answer the client never got.",
                "# TYPE intacct_mock_committed_without_ack_total counter",
                f"intacct_mock_committed_without_ack_total {committed_lost}"]
        cases = ", ".join(f"SUM(CASE WHEN duration_ms <= {b} THEN 1 ELSE 0 END)" for b in BUCKETS_MS)
        row = conn.execute(f"SELECT {cases}, COUNT(*), COALESCE(SUM(duration_ms), 0) FROM journal").fetchone()
    counts, total, total_ms = list(row[: len(BUCKETS_MS)]), row[len(BUCKETS_MS)], row[len(BUCKETS_MS) + 1]
    out += ["# HELP intacct_mock_request_duration_seconds Time to answer a gateway request (server side).",
            "# TYPE intacct_mock_request_duration_seconds histogram"]
    for bound, n in zip(BUCKETS_MS, counts):
        out.append(f'intacct_mock_request_duration_seconds_bucket{{le="{bound / 1000:g}"}} {n or 0}')
    out += [f'intacct_mock_request_duration_seconds_bucket{{le="+Inf"}} {total}',
            f"intacct_mock_request_duration_seconds_sum {total_ms / 1000:.6f}",
            f"intacct_mock_request_duration_seconds_count {total}"]
    return Response("\n".join(out) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8")
