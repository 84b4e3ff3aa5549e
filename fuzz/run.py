"""``make fuzz``: a bounded fuzzing budget over the gateway, in parallel processes, failures saved to files.

    python -m intacct_mock.fuzz.run [--requests 100000] [--processes 2] [--seed 1] [--out .intacct-mock/fuzz-failures]

With ``--wire`` it plays the HTTP slice instead (``wire.py``): corpus requests framed right and
wrong over raw loopback sockets, against a threaded emulator it starts, ``serve --workers N``
(gunicorn) with ``--workers N``, or a running one with ``--url`` (loopback only: the slice sends
broken requests on purpose).

    python -m intacct_mock.fuzz.run --wire [--exchanges 190] [--workers 2] [--url http://127.0.0.1:8085 --read-timeout 20]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _work(args: tuple[int, int, str]) -> tuple[int, list[tuple[str, bytes]], float]:
    count, seed, out = args
    logging.disable(logging.CRITICAL)  # expected rejections must not flood the terminal
    from intacct_mock.fuzz.harness import GatewayHarness

    result = GatewayHarness().run(count, seed, Path(out))
    return result.requests, [(f.reason, f.data[:2000]) for f in result.failures], result.seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=".intacct-mock/fuzz-failures")
    wire = parser.add_argument_group("the HTTP slice")
    wire.add_argument("--wire", action="store_true", help="play the HTTP slice instead of the in-process run")
    wire.add_argument("--exchanges", type=int, default=190, help="exchanges in the slice (10 of each framing kind)")
    wire.add_argument("--workers", type=int, default=0, help="play against `serve --workers N` (gunicorn)")
    wire.add_argument("--url", default=None, help="play against this running emulator (loopback only)")
    wire.add_argument("--read-timeout", type=float, default=None,
                      help="the server's read timeout (default: 1 s for a server this run starts; "
                           "the default setting, 20 s, with --url)")
    wire.add_argument("--concurrency", type=int, default=4)
    wire.add_argument("-v", "--verbose", action="store_true", help="print the answers per framing kind")
    args = parser.parse_args(argv)
    return run_wire(args) if args.wire else run_in_process(args)


def run_in_process(args: argparse.Namespace) -> int:
    per = -(-args.requests // args.processes)
    started = time.monotonic()
    with ProcessPoolExecutor(args.processes) as pool:
        results = list(pool.map(_work, [(per, args.seed + n, args.out) for n in range(args.processes)]))
    total = sum(r[0] for r in results)
    failures = [f for r in results for f in r[1]]
    elapsed = time.monotonic() - started
    print(f"fuzz: {total} requests in {elapsed:.0f}s ({total / elapsed:.0f}/s) over {args.processes} processes, "
          f"{len(failures)} failure(s)")
    return _report(failures, args.out, "each .xml with its .txt reason")


@contextmanager
def _target(args: argparse.Namespace) -> Iterator:
    from intacct_mock.config import Settings
    from intacct_mock.fuzz.servers import READ_TIMEOUT_SECONDS, gunicorn_emulator, threaded_emulator
    from intacct_mock.fuzz.wire import Target

    if args.url:
        url = urlsplit(args.url)
        if url.hostname not in LOOPBACK:
            raise SystemExit(f"--url must be a loopback address ({', '.join(LOOPBACK)}): the slice sends broken requests")
        yield Target(url.hostname, url.port or 80, args.read_timeout or Settings.read_timeout_seconds), "emulator"
    elif args.workers:
        with gunicorn_emulator(args.workers, args.read_timeout or READ_TIMEOUT_SECONDS) as target:
            yield target, f"gunicorn emulator (serve --workers {args.workers})"
    else:
        with threaded_emulator(args.read_timeout or READ_TIMEOUT_SECONDS) as (target, _server):
            yield target, "threaded emulator"


def run_wire(args: argparse.Namespace) -> int:
    from intacct_mock.fuzz.wire import WireHarness

    logging.disable(logging.CRITICAL)
    with _target(args) as (target, label):
        result = WireHarness(target, concurrency=args.concurrency).run(args.exchanges, args.seed, Path(args.out))
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
    print(f"fuzz --wire: {result.exchanges} exchanges against the {label} at {target.host}:{target.port} in "
          f"{result.seconds:.1f}s (slowest {result.slowest:.1f}s, read timeout {target.read_timeout:g}s), "
          f"{len(result.failures)} failure(s); answers {statuses}")
    if args.verbose:
        for kind, counts in result.by_kind.items():
            print(f"  {kind:24s} " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    return _report([(f.reason, f.data) for f in result.failures], args.out, "each wire-*.http with its .txt script")


def _report(failures: list[tuple[str, bytes]], out: str, what: str) -> int:
    for reason, data in failures[:20]:
        print(f"  {reason}: {data[:160]!r}")
    if failures:
        print(f"reproducing inputs saved in {out}/ ({what})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
