"""``make fuzz``: a bounded fuzzing budget over the gateway, in parallel processes, failures saved to files.

    python -m intacct_mock.fuzz.run [--requests 100000] [--processes 2] [--seed 1] [--out .intacct-mock/fuzz-failures]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


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
    args = parser.parse_args(argv)
    per = -(-args.requests // args.processes)
    started = time.monotonic()
    with ProcessPoolExecutor(args.processes) as pool:
        results = list(pool.map(_work, [(per, args.seed + n, args.out) for n in range(args.processes)]))
    total = sum(r[0] for r in results)
    failures = [f for r in results for f in r[1]]
    elapsed = time.monotonic() - started
    print(f"fuzz: {total} requests in {elapsed:.0f}s ({total / elapsed:.0f}/s) over {args.processes} processes, "
          f"{len(failures)} failure(s)")
    for reason, data in failures[:20]:
        print(f"  {reason}: {data[:160]!r}")
    if failures:
        print(f"reproducing inputs saved in {args.out}/ (each .xml with its .txt reason)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
