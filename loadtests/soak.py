"""``make soak``: a long, bounded Locust run with the fault profile, watching the emulator's memory and descriptors.

    python -m intacct_mock.loadtests.soak [--minutes 60] [--sample-seconds 60] [--users 16]

Every sample records the resident memory and open file descriptors of the emulator's processes
(master and workers, from /proc). The run fails when the ledger check fails, or when memory or
descriptors keep growing: the last third of the samples must stay within 1.5x (memory) and
+64 (descriptors) of the samples taken after the first tenth of the run (warm-up).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from intacct_mock.loadtests.ledger import check, read_ledger
from intacct_mock.loadtests.run import LOCUSTFILE, start_emulator
from intacct_mock.admin_client import EmulatorControl


def process_tree(pid: int) -> list[int]:
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            children = []
        for child in map(int, children):
            pids.append(child)
            frontier.append(child)
    return pids


def sample(pid: int) -> tuple[int, int]:
    """(resident bytes, open descriptors) summed over the emulator's processes."""
    rss = fds = 0
    for p in process_tree(pid):
        try:
            pages = int(Path(f"/proc/{p}/statm").read_text().split()[1])
            rss += pages * os.sysconf("SC_PAGE_SIZE")
            fds += len(os.listdir(f"/proc/{p}/fd"))
        except OSError:
            pass
    return rss, fds


def verdict(samples: list[tuple[float, int, int]]) -> list[str]:
    if len(samples) < 6:
        return []
    base = samples[max(1, len(samples) // 10):][: max(1, len(samples) // 5)]
    tail = samples[-max(1, len(samples) // 3):]
    base_rss = max(s[1] for s in base)
    base_fds = max(s[2] for s in base)
    problems = []
    if max(s[1] for s in tail) > 1.5 * base_rss:
        problems.append(f"memory grew from {base_rss / 2**20:.0f} MiB to {max(s[1] for s in tail) / 2**20:.0f} MiB")
    if max(s[2] for s in tail) > base_fds + 64:
        problems.append(f"open descriptors grew from {base_fds} to {max(s[2] for s in tail)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 60)))
    parser.add_argument("--sample-seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="intacct-soak-"))
    emulator, base = start_emulator(workdir, args.workers)
    samples: list[tuple[float, int, int]] = []
    stop = threading.Event()

    def watch() -> None:
        started = time.monotonic()
        while not stop.is_set():
            rss, fds = sample(emulator.pid)
            samples.append((time.monotonic() - started, rss, fds))
            print(f"soak {samples[-1][0] / 60:5.1f} min  memory {rss / 2**20:7.1f} MiB  descriptors {fds}", flush=True)
            stop.wait(args.sample_seconds)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    run_id = time.strftime("S%H%M%S")
    try:
        locust = subprocess.run([sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--host", base, "--headless",
                                 "-u", str(args.users), "-r", "4", "-t", f"{int(args.minutes * 60)}s",
                                 "--fault-profile", "mixed", "--companies", "2", "--run-id", run_id,
                                 "--ledger-dir", str(workdir / "ledger"), "--only-summary",
                                 "--exit-code-on-error", "0", "--stop-timeout", "10"], check=False)
        stop.set()
        watcher.join(5)
        samples.append((samples[-1][0] if samples else 0, *sample(emulator.pid)))
        control = EmulatorControl(base)
        report = check(control, [f"LOAD-{run_id}-{n}" for n in (1, 2)], read_ledger(workdir / "ledger"))
        print(report.table())
        metrics = control.http.get(base + "/metrics", timeout=30).text
        served = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                     if line.startswith("intacct_mock_http_responses_total"))
        faults = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                     if line.startswith("intacct_mock_faults_injected_total"))
        problems = verdict(samples)
        first, last = samples[0], samples[-1]
        print(f"SOAK SUMMARY: {args.minutes:g} min, {served:.0f} requests served, {faults:.0f} faults injected, "
              f"memory {first[1] / 2**20:.0f} -> {last[1] / 2**20:.0f} MiB, descriptors {first[2]} -> {last[2]}")
        for p in problems:
            print(f"  GROWTH: {p}")
        return 0 if report.ok and not problems and locust.returncode == 0 else 1
    finally:
        stop.set()
        emulator.terminate()
        try:
            emulator.wait(20)
        except subprocess.TimeoutExpired:
            emulator.kill()


if __name__ == "__main__":
    sys.exit(main())
