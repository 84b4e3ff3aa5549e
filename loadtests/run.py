"""``make load``: start an emulator, run Locust headless for a bounded time, then the ledger check.

    python -m intacct_mock.loadtests.run [--profile none|mixed] [--duration 45s] [--users 16] [--workers 2]
                            [--distributed N] [--ui]

Exit status: non-zero when Locust saw unexpected failures or the ledger check found a broken
invariant. ``--ui`` starts the emulator and Locust's web UI instead (http://127.0.0.1:8089).
``--distributed N`` runs one Locust master and N workers on this machine: the way past one
Locust process (and, with ``--master-host`` on other machines' workers, past one machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from intacct_mock.loadtests.ledger import check, read_ledger
from intacct_mock.admin_client import EmulatorControl

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_emulator(workdir: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "intacct_mock", "serve", "--port", str(port), "--db", str(workdir / "load.db"),
           "--journal", "meta", "--quiet"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=open(workdir / "emulator.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/_mock/health", timeout=1).status_code == 200:
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"the emulator did not start; see {workdir / 'emulator.log'}")


def locust_cmd(base: str, args, ledger_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--host", base, "--companies", str(args.companies),
            "--fault-profile", args.profile, "--ledger-dir", str(ledger_dir), "--run-id", args.run_id, *extra]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", default=os.environ.get("FAULT_PROFILE", "none"))
    parser.add_argument("--duration", default="45s")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--spawn-rate", type=float, default=8)
    parser.add_argument("--companies", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="emulator worker processes")
    parser.add_argument("--distributed", type=int, default=0, help="Locust worker processes (0: one process)")
    parser.add_argument("--ui", action="store_true")
    parser.add_argument("--run-id", default=time.strftime("%H%M%S"))
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="intacct-load-"))
    ledger_dir = workdir / "ledger"
    emulator, base = start_emulator(workdir, args.workers)
    procs: list[subprocess.Popen] = []
    try:
        print(f"emulator {base} (workers: {args.workers}), fault profile: {args.profile}, work dir {workdir}")
        if args.ui:
            print("Locust web UI on http://127.0.0.1:8089 (Ctrl-C to stop)")
            subprocess.run(locust_cmd(base, args, ledger_dir, "--web-host", "127.0.0.1"), check=False)
            return 0
        headless = ["--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration,
                    "--stop-timeout", "10", "--only-summary"]
        if args.profile != "none":
            headless += ["--exit-code-on-error", "0"]  # injected faults fail HTTP exchanges by design
        if args.distributed:
            master_port = free_port()
            for _ in range(args.distributed):
                procs.append(subprocess.Popen(locust_cmd(base, args, ledger_dir, "--worker", "--master-host",
                                                         "127.0.0.1", "--master-port", str(master_port)),
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            headless += ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(master_port),
                         "--expect-workers", str(args.distributed), "--expect-workers-max-wait", "30"]
        started = time.monotonic()
        locust = subprocess.run(locust_cmd(base, args, ledger_dir, *headless), check=False)
        print(f"locust finished in {time.monotonic() - started:.0f}s with exit code {locust.returncode}")
        for p in procs:
            p.wait(30)
        companies = [f"LOAD-{args.run_id}-{n}".upper() for n in range(1, args.companies + 1)]
        report = check(EmulatorControl(base), companies, read_ledger(ledger_dir))
        print(report.table())
        return 0 if report.ok and locust.returncode == 0 else 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        emulator.terminate()
        try:
            emulator.wait(15)
        except subprocess.TimeoutExpired:
            emulator.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
