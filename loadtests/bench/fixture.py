"""What a test pays for its own company: the pytest plugin's ``intacct_company`` timed as a test
suite meets it (an in-process emulator on a loopback port, real HTTP to the admin API), set up
and torn down ``reps`` times. The target is under 50 ms per test, so a suite of a few hundred
integration tests spends seconds, not minutes, on isolation."""

from __future__ import annotations

import statistics
import time

from intacct_mock.testing.company import fresh_company
from intacct_mock.testing.runner import running_emulator

TARGET_MS = 50.0
FAULT = {"match": {"function": "create", "object": "APBILL"}, "action": {"type": "drop_ack", "variant": "reset"}, "times": 1}


def fixture_cost(reps: int = 60, warmup: int = 5) -> dict:
    """Milliseconds per fresh company (create from the demo seed, one fault rule, delete)."""
    out: dict[str, list[float]] = {"company": [], "company + fault": []}
    with running_emulator() as emu:
        for n in range(warmup + reps):
            for label, faults in (("company", ()), ("company + fault", (FAULT,))):
                started = time.perf_counter()
                with fresh_company(emu.control, emu.base_url, faults=faults):
                    pass
                if n >= warmup:
                    out[label].append((time.perf_counter() - started) * 1000)
    return {label: {"median_ms": statistics.median(ms), "p90_ms": statistics.quantiles(ms, n=10)[-1],
                    "max_ms": max(ms), "reps": len(ms)} for label, ms in out.items()}


def report_lines(cost: dict) -> list[str]:
    lines = ["### Per-test company (the pytest plugin's `intacct_company`: create from a demo seed, delete)", "",
             "| setup | median ms | p90 ms | max ms | runs | under 50 ms? |", "|---|---:|---:|---:|---:|---|"]
    for label, c in cost.items():
        lines.append(f"| {label} | {c['median_ms']:.1f} | {c['p90_ms']:.1f} | {c['max_ms']:.1f} | {c['reps']} | "
                     f"{'yes' if c['median_ms'] < TARGET_MS else '**no**'} |")
    lines += ["", "In-process emulator (a thread, real HTTP on loopback), demo seed 7 (106 records: accounts, "
              "dimensions, 25 customers and vendors, documents); the generated records are cached per seed, so "
              "the cost is the inserts and the admin round trips.", ""]
    return lines
