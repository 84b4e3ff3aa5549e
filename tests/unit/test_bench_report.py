"""The benchmark report: the ratio lines the issue asks for, and the size table's carry-over rules.

``make bench`` itself is not part of ``make test`` (it needs wrk and minutes of quiet CPU), so the
part that turns measurements into docs/performance.md is tested here on made-up figures.
"""

from __future__ import annotations

import argparse

from intacct_mock.loadtests.bench import report as run


def _args() -> argparse.Namespace:
    return argparse.Namespace(workers=2, connections=16, rounds=3, duration=5.0)


def _throughput() -> dict:
    latency = {"p50_us": 30_000, "p90_us": 35_000, "p99_us": 40_000, "max_us": 50_000, "rps": 1000}
    return {
        "answer_bytes": {"create": 924, "readByQuery": 550_901},
        "rounds": {"create": {"emulator": [1000, 1100, 900], "ceiling": [4000, 4400, 3600]},
                   "readByQuery": {"emulator": [600, 620, 580], "ceiling": [1000, 1000, 1000]}},
        "latency": {"emulator create": latency, "ceiling create": latency},
    }


def _size(records: int, first_ms: float) -> dict:
    return {"records": records, "first_page_ms": first_ms, "first_page_p90_ms": first_ms, "cold_page_ms": 3.5,
            "read_more_ms": 0.4, "bytes_per_record": 375, "max_rss_mb": 60, "insert_s": 1.0}


def test_one_ratio_line_per_workload_from_the_medians(monkeypatch):
    monkeypatch.setattr(run, "machine_notes", lambda: "test machine")
    section, ratios = run.render_report(_args(), _throughput(), None, None, previous="")
    assert ratios == ["ratio create 0.25", "ratio readByQuery 0.60"]
    assert "ratio create 0.25" in section and "2 gunicorn sync worker(s) each" in section


def test_sizes_not_measured_are_carried_over_and_measured_ones_replaced(monkeypatch):
    monkeypatch.setattr(run, "machine_notes", lambda: "test machine")
    first, _ = run.render_report(_args(), None, {"1000": _size(1025, 0.5), "1000000": _size(1_000_025, 0.6)}, None, "")
    second, _ = run.render_report(_args(), None, {"1000": _size(1025, 0.7)}, None, previous=first)
    rows = [line for line in second.splitlines() if line.startswith("| 1,")]
    assert rows[0].startswith("| 1,025 | 0.7 ") and "earlier run" not in rows[0]
    assert rows[1].startswith("| 1,000,025 | 0.6 ") and rows[1].endswith("(earlier run) |")
    assert len(rows) == 2


def test_rows_of_an_older_table_layout_are_not_carried_over(monkeypatch):
    monkeypatch.setattr(run, "machine_notes", lambda: "test machine")
    old_layout = "| 100,025 | 22.5 | 29.7 | 3.6 | 375 | 60 | 3.7 |"
    section, _ = run.render_report(_args(), None, {"1000": _size(1025, 0.5)}, None, previous=old_layout)
    assert "100,025" not in section
