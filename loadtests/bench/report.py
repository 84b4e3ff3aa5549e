"""The ``make bench`` report: measurements in, the markdown section of docs/performance.md out.

Kept apart from the measuring (``run.py``) so it can be tested on made-up figures: the bench itself
needs wrk and minutes of quiet CPU and is not part of ``make test``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

from .bodies import WORKLOADS
from .costs import BUCKETS
from .fixture import report_lines

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def machine_notes() -> str:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    from importlib.metadata import version

    return (f"{os.cpu_count()} CPU(s) ({cpu}), Linux {platform.release()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, gunicorn {version('gunicorn')}, Flask {version('flask')}, "
            f"lxml {version('lxml')}, {(wrk[0].split(' [')[0] if wrk else 'wrk')}")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def render_report(args, tp: dict | None, sc: dict | None, split: dict | None, previous: str,
                  fixture: dict | None = None) -> tuple[str, list[str]]:
    lines: list[str] = [BEGIN, "", f"Run: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · `{' '.join(sys.argv[1:]) or 'make bench'}`  ",
                        f"Machine: {machine_notes()}", ""]
    ratio_lines: list[str] = []
    if tp:
        lines += ["### Throughput (wrk, POST, "
                  f"{args.workers} gunicorn sync worker(s) each, {args.connections} connections, {args.rounds} interleaved rounds of {args.duration:g} s, medians)", "",
                  "| workload | answer bytes | emulator req/s | ceiling req/s | ratio | rounds (emulator / ceiling) |",
                  "|---|---:|---:|---:|---:|---|"]
        for w in (w for w in WORKLOADS if w in tp["rounds"]):
            r = tp["rounds"][w]
            emu, ceil = median(r["emulator"]), median(r["ceiling"])
            ratio = emu / ceil
            ratio_lines.append(f"ratio {w} {ratio:.2f}")
            rounds = " · ".join(f"{a:.0f}/{b:.0f}" for a, b in zip(r["emulator"], r["ceiling"]))
            lines.append(f"| {w} | {tp['answer_bytes'][w]:,} | {emu:,.0f} | {ceil:,.0f} | **{ratio:.2f}** | {rounds} |")
        lines += ["", "```", *ratio_lines, "```", "",
                  f"### Latency at 32 connections (wrk --latency -c32, {args.duration:g} s)", "",
                  "| server | workload | req/s | p50 ms | p90 ms | p99 ms | max ms |", "|---|---|---:|---:|---:|---:|---:|"]
        for key, s in tp["latency"].items():
            target, w = key.split(" ")
            lines.append(f"| {target} | {w} | {s['rps']:,.0f} | {s['p50_us'] / 1000:.2f} | {s['p90_us'] / 1000:.2f} | "
                         f"{s['p99_us'] / 1000:.2f} | {s['max_us'] / 1000:.1f} |")
        lines.append("")
    if sc is not None:
        lines += ["### readByQuery page time and storage by size (in-process Gateway, CUSTOMER, fields *, pagesize 100)", "",
                  "| records | first page ms (median) | first page p90 ms | first page, empty render cache ms "
                  "| readMore near the end ms | DB bytes/record | peak RSS MB | bulk insert s |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        rows = {}
        for r in sc.values():
            rows[int(r["records"])] = (
                f"| {r['records']:,} | {r['first_page_ms']:.1f} | {r['first_page_p90_ms']:.1f} | {r['cold_page_ms']:.1f} | "
                f"{r['read_more_ms']:.1f} | {r['bytes_per_record']:.0f} | {r['max_rss_mb']:.0f} | {r['insert_s']:.1f} |")
        cells = rows and next(iter(rows.values())).count("|")
        for line in previous.splitlines():  # sizes not measured this time (see --sizes): keep the last figures
            m = re.match(r"^\| ([\d,]+) \|", line)
            same_columns = line.replace(" (earlier run) |", "").count("|") == cells
            if m and "readMore" not in line and same_columns:
                size = int(m.group(1).replace(",", ""))
                if not any(abs(size - k) < k * 0.01 for k in rows):
                    rows[size] = line if line.rstrip().endswith("(earlier run) |") else line.rstrip() + " (earlier run) |"
        lines += [rows[k] for k in sorted(rows)]
        lines += ["", "Sizes are the demo company's 25 customers plus the bulk-inserted ones. `(earlier run)`: "
                  "a size not measured this time (`--sizes`), carried over from the previous report.", ""]
    if split:
        lines += ["### Cost per request, in-process (XmlGateway.handle, no HTTP), exclusive µs", "",
                  "| workload | parse | auth | rules | store | render | journal | other | total (instrumented) | plain "
                  "| SQL statements |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for w, s in split.items():
            u = s["split_us"]
            total = s["instrumented_us"]
            cells = " | ".join(f"{u.get(b, 0):,.0f} ({u.get(b, 0) / total:.0%})" for b in (*BUCKETS, "other"))
            statements = f"{s['statements']:.1f}" if "statements" in s else "n/a"
            lines.append(f"| {w} | {cells} | {total:,.0f} | {s['plain_us']:,.0f} | {statements} |")
        lines += ["", "parse: envelope parsing · auth: control checks, fault facts, sign-in and session lookups · "
                  "rules: the function handler (validation, derived values) · store: SQLite statements, Books, "
                  "BEGIN/COMMIT · render: record building, render-cache lookups and the response document · journal: "
                  "the journal row (inside a write request's own transaction; for a read, one write transaction "
                  "with the deferred writes: result-set row, session slide) · other: fault evaluation, clocks, "
                  "control-id ledger, glue. `plain` is the same loop without the timers. SQL statements: executed "
                  "per request, BEGIN and COMMIT included, an `executemany` counted once.", ""]
        for w, s in split.items():
            lines += [f"Top functions by own time, {w} (cProfile):", "",
                      "| function | where | calls | own | cumulative |", "|---|---|---:|---:|---:|"]
            for r in s["top"]:
                lines.append(f"| `{r['function']}` | {r['where']} | {r['calls']:,} | {r['self_share']:.0%} | {r['cum_share']:.0%} |")
            lines.append("")
    if fixture:
        lines += report_lines(fixture)
    lines.append(END)
    return "\n".join(lines), ratio_lines


HEADER = """# Performance

`make bench` (`python -m intacct_mock.loadtests.bench.run`) measures the emulator against a ceiling on the same
stack and rewrites the section between the `bench:begin`/`bench:end` markers below; the text
outside the markers is kept.
"""


def write_report(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else HEADER + "\n" + BEGIN + "\n" + END + "\n"
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = head + section + tail
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)
