"""``make bench``: how close the emulator runs to the machine's limit, written to docs/performance.md.

    python -m intacct_mock.loadtests.bench.run [--rounds 3] [--duration 5] [--sizes 1000,100000,1000000] [--no-write]

1. Throughput ratio per workload: the emulator (gunicorn, ``--workers`` sync workers, 2 by
   default, journal ``meta``, a temporary database) against a *ceiling* on the same stack (as many
   gunicorn sync workers + Flask) that answers with the emulator's own answer bytes, captured first. Measured with wrk, interleaved
   emulator/ceiling for ``--rounds`` rounds after a warm-up; medians. Prints
   ``ratio create 0.NN`` and ``ratio readByQuery 0.NN``.
   - create: ``create`` of an APBILL with 5 lines, ``uniqueid=false``, a fresh RECORDID per
     request (a wrk Lua counter); every create is checked in the books afterwards.
   - readByQuery: ``readByQuery CUSTOMER``, fields ``*``, pagesize 100 (225 customers seeded).
   Both authenticate with one session id from ``getAPISession``, as real clients do.
2. p50/p99 latency at 32 connections (wrk ``--latency -c32``), both workloads, both servers.
3. readByQuery page time (first page, and a readMore deep in the set) and database bytes per
   record at 1k, 100k and 1M records (``--sizes``; the 1M step takes about a minute here), through
   the in-process Gateway, each size in its own process (so its peak RSS is its own).
4. Cost split per request (parse / auth / rules / store / render / journal),
   in-process with ``time.perf_counter`` wrappers, and the top functions from cProfile.

Every server started here is stopped in ``finally``; every wrk run is bounded (``--duration``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator


import requests  # noqa: E402

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"
SEEDED_CUSTOMERS = 200  # on top of the demo company's 25: readByQuery pages are full (100)

from .bodies import *  # noqa: E402,F401,F403
from .costs import *  # noqa: E402,F401,F403
from .costs import BUCKETS, cost_split, top_functions  # noqa: E402,F401
from .servers import *  # noqa: E402,F401,F403

# ---------------------------------------------------------------------------- throughput and latency


def throughput(args, workdir: Path) -> dict[str, Any]:
    db_path = workdir / "bench.db"
    print(f"preparing {db_path} (demo company + {SEEDED_CUSTOMERS} customers) ...", flush=True)
    prepare_database(db_path)
    answers = workdir / "answers"
    answers.mkdir()
    servers: list[Server] = []
    try:
        emulator = start_gunicorn(
            "emulator", "intacct_mock.wsgi:app",
            {"MOCK_INTACCT_DB_PATH": str(db_path), "MOCK_INTACCT_JOURNAL": "meta", "MOCK_INTACCT_LOG_LEVEL": "WARNING"},
            workdir, lambda base: requests.get(base + "/_mock/health", timeout=1).status_code == 200,
            workers=args.workers)
        servers.append(emulator)
        auth = session_auth(get_session(emulator.base))

        # Capture the emulator's real answers; the ceiling serves exactly these bytes.
        bodies = {"create": create_body(auth), "readByQuery": read_body(auth), "rest-create": rest_create_body(),
                  "rest-query": rest_query_body()}
        token = rest_token(emulator.base)
        rest_headers = {"Authorization": f"Bearer {token}"}
        captured = {
            "create": gateway_post(emulator.base, bodies["create"].replace(RECORDID_MARK, "CAPTURE-1")),
            "readByQuery": gateway_post(emulator.base, bodies["readByQuery"]),
        }
        for workload, answer in captured.items():
            if result_status(answer) != "success":
                raise SystemExit(f"{workload}: the emulator did not answer success:\n{answer.decode()[:3000]}")
            (answers / f"{workload}.xml").write_bytes(answer)
        for workload, path in REST_WORKLOADS.items():
            reply = requests.post(emulator.base + REST_PATH + path, headers={**rest_headers, "Content-Type":
                                                                             "application/json"},
                                  data=bodies[workload].replace(RECORDID_MARK, "CAPTURE-R1").encode(), timeout=30)
            if reply.status_code not in (200, 201):
                raise SystemExit(f"{workload}: the emulator answered {reply.status_code}:\n{reply.text[:3000]}")
            captured[workload] = reply.content
            (answers / f"{workload}.json").write_bytes(reply.content)
        if len(json.loads(captured["rest-query"])["ia::result"]) != 100:
            raise SystemExit("rest-query did not return a full page of 100 records")
        m = re.search(rb'<data listtype="customer" count="(\d+)" totalcount="(\d+)"', captured["readByQuery"])
        if not m or m.group(1) != b"100":
            raise SystemExit("readByQuery did not return a full page of 100 records")

        ceiling = start_gunicorn(
            "ceiling", "intacct_mock.loadtests.bench.ceiling:app", {"BENCH_CEILING_DIR": str(answers)}, workdir,
            lambda base: requests.post(base + "/ceiling/create", data=b"x", timeout=1).status_code == 200,
            workers=args.workers)
        servers.append(ceiling)
        urls = {("emulator", w): emulator.base + (REST_PATH + REST_WORKLOADS[w] if w in REST_WORKLOADS else GATEWAY_PATH)
                for w in WORKLOADS}
        urls.update({("ceiling", w): f"{ceiling.base}/ceiling/{w}" for w in WORKLOADS})

        seq = iter(range(1, 10_000))

        def measure(target: str, workload: str, duration: float, connections: int, latency: bool = False) -> dict:
            prefix = f"B{os.getpid()}R{next(seq)}-"
            rest = workload in REST_WORKLOADS
            script = wrk_script(workdir, f"{target}-{workload}", bodies[workload], prefix,
                                content_type="application/json" if rest else "application/xml",
                                headers=rest_headers if rest else None)
            stats = run_wrk(urls[target, workload], script, duration, connections, latency=latency)
            stats["avg_bytes"] = stats["bytes"] / max(stats["requests"], 1)
            if stats["errors"]:
                raise SystemExit(f"{target} {workload}: wrk saw errors: {stats}")
            if target == "emulator" and workload in ("create", "rest-create"):
                made = count_bills(db_path, prefix)  # every answered create is a bill in the books
                if not stats["requests"] <= made <= stats["requests"] + connections:
                    raise SystemExit(f"create: {stats['requests']} answered but {made} bills in the books")
                stats["checked"] = made
            if workload in ("readByQuery", "rest-query"):  # every answer was the full page, not a short error
                expected = len(captured[workload])
                if abs(stats["avg_bytes"] - expected) > 0.02 * expected + 400:
                    raise SystemExit(f"{target} readByQuery: {stats['avg_bytes']:.0f} bytes per answer, expected ~{expected}")
            return stats

        results: dict[str, Any] = {"answer_bytes": {w: len(captured[w]) for w in WORKLOADS}, "rounds": {}, "latency": {}}
        for workload in WORKLOADS:
            print(f"{workload}: warm-up ...", flush=True)
            for target in ("emulator", "ceiling"):
                measure(target, workload, args.warmup, args.connections)
            rounds = results["rounds"][workload] = {"emulator": [], "ceiling": []}
            for n in range(args.rounds):
                for target in ("emulator", "ceiling"):  # interleaved: A B A B ...
                    stats = measure(target, workload, args.duration, args.connections)
                    rounds[target].append(stats["rps"])
                    print(f"  round {n + 1} {target:8s} {stats['rps']:8.1f} req/s", flush=True)
            for target in ("emulator", "ceiling"):
                stats = measure(target, workload, args.duration, 32, latency=True)
                results["latency"][f"{target} {workload}"] = stats
                print(f"  latency c32 {target:8s} p50 {stats['p50_us'] / 1000:.2f} ms  p99 {stats['p99_us'] / 1000:.2f} ms",
                      flush=True)
        # One more check by hand, after the load: the answer is still a success.
        if result_status(gateway_post(emulator.base, bodies["create"].replace(RECORDID_MARK, "CAPTURE-2"))) != "success":
            raise SystemExit("create: the sample after the load did not succeed")
        return results
    finally:
        for server in reversed(servers):
            server.stop()


# ---------------------------------------------------------------------------- scale (one process per size)


def scale_step(n: int, workdir: Path, reps: int) -> dict[str, Any]:
    """Bulk-insert ``n`` customers into a fresh database, then time readByQuery and a deep readMore."""
    from intacct_mock.config import Settings
    from intacct_mock.emulator import Emulator
    from intacct_mock.gateway.pipeline import XmlGateway

    db_path = workdir / f"scale-{n}.db"
    from intacct_mock.gateway.record_cache import RecordCache

    settings = Settings.load(env={}, db_path=str(db_path), journal="meta")
    emulator = Emulator(settings)
    gateway, db = XmlGateway(emulator), emulator.db
    try:
        conn = db.connection()

        def file_bytes() -> int:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return sum(os.path.getsize(str(db_path) + s) for s in ("", "-wal") if os.path.exists(str(db_path) + s))

        template = dict(conn.execute('SELECT * FROM "CUSTOMER" WHERE _COMPANY = ? ORDER BY RECORDNO LIMIT 1',
                                     ["DEMO"]).fetchone())
        template.pop("RECORDNO")
        columns = list(template)
        varying = {"CUSTOMERID": "BULK-{:07d}", "NAME": "Bulk Customer {} & Sons", "DISPLAYCONTACT.PRINTAS": "Bulk Customer {}",
                   "DISPLAYCONTACT.EMAIL1": "ap{}@bulk.example.com"}
        fixed = [template[c] for c in columns]
        slots = [(columns.index(c), fmt) for c, fmt in varying.items()]

        def rows() -> Iterator[list]:
            for i in range(1, n + 1):
                row = fixed.copy()
                for index, fmt in slots:
                    row[index] = fmt.format(i)
                yield row

        before = file_bytes()
        started = time.perf_counter()
        sql = (f'INSERT INTO "CUSTOMER" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
               f'VALUES ({", ".join("?" * len(columns))})')
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows())
        conn.execute("COMMIT")
        insert_s = time.perf_counter() - started
        after = file_bytes()
        total = conn.execute('SELECT COUNT(*) FROM "CUSTOMER" WHERE _COMPANY = ?', ["DEMO"]).fetchone()[0]
        db.release()

        login_reply = gateway.handle(envelope('<function controlid="s"><getAPISession/></function>', LOGIN).encode())
        auth = session_auth(re.search(rb"<sessionid>([^<]+)</sessionid>", login_reply.body).group(1).decode())
        first = read_body(auth).encode()

        def timed(body: bytes) -> tuple[float, bytes]:
            t = time.perf_counter()
            reply = gateway.handle(body)
            return time.perf_counter() - t, reply.body

        for _ in range(3):  # warm the page cache and the code paths
            timed(first)
        first_times, answer = [], b""
        for _ in range(reps):
            elapsed, answer = timed(first)
            first_times.append(elapsed)
        assert result_status(answer) == "success", answer[:2000]
        cold_times, warm_cache = [], gateway.record_cache
        for _ in range(reps):  # the same page with an empty render cache: every record built from its row
            gateway.record_cache = RecordCache(settings.record_cache_mb * 1024 * 1024)
            cold_times.append(timed(first)[0])
        gateway.record_cache = warm_cache
        result_id = re.search(rb'resultId="([^"]+)"', answer).group(1).decode()
        deep_at = max(total - 300, 100)  # as if the client had paged to the last few pages
        deep_recordno = conn.execute('SELECT RECORDNO FROM "CUSTOMER" WHERE _COMPANY = ? ORDER BY RECORDNO LIMIT 1 OFFSET ?',
                                     ["DEMO", deep_at - 1]).fetchone()[0]
        db.release()
        more = read_more_body(auth, result_id).encode()
        more_times = []
        for i in range(reps + 3):
            with db.transaction(write=True) as c:  # rewind the result set to the same deep position
                c.execute("UPDATE result_sets SET last_recordno = ?, delivered = ? WHERE result_id = ?",
                          [deep_recordno, deep_at, result_id])
            db.release()
            elapsed, body = timed(more)
            assert result_status(body) == "success", body[:2000]
            if i >= 3:
                more_times.append(elapsed)
        return {
            "records": total, "insert_s": insert_s, "bytes_per_record": (after - before) / n, "db_bytes": after,
            "first_page_ms": statistics.median(first_times) * 1000, "first_page_p90_ms": sorted(first_times)[int(reps * 0.9) - 1] * 1000,
            "cold_page_ms": statistics.median(cold_times) * 1000,
            "read_more_ms": statistics.median(more_times) * 1000, "deep_position": deep_at,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    finally:
        db.close()


def scale(args, workdir: Path) -> dict[int, dict[str, Any]]:
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    out = {}
    for n in sizes:
        print(f"scale {n:,}: bulk insert, then readByQuery/readMore ...", flush=True)
        result_file = workdir / f"scale-{n}.json"
        proc = subprocess.run([sys.executable, "-m", "intacct_mock.loadtests.bench.run", "--scale-step", str(n), "--workdir",
                               str(workdir), "--reps", str(args.reps), "--result-file", str(result_file)],
                              cwd=ROOT, timeout=1800)  # noqa: F405
        if proc.returncode != 0:
            raise SystemExit(f"scale step {n} failed")
        out[n] = json.loads(result_file.read_text())
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(workdir / f"scale-{n}.db{suffix}")
        r = out[n]
        print(f"  {r['records']:,} records: first page {r['first_page_ms']:.1f} ms "
              f"({r['cold_page_ms']:.1f} ms with an empty render cache), deep readMore {r['read_more_ms']:.1f} ms, "
              f"{r['bytes_per_record']:.0f} B/record (insert {r['insert_s']:.1f} s)", flush=True)
    return out


from .fixture import fixture_cost  # noqa: E402
from .report import BEGIN, END, WORKLOADS, render_report, write_report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5, help="seconds per wrk run (at most 15)")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for the emulator and for the ceiling")
    parser.add_argument("--sizes", default="1000,100000,1000000",
                        help="record counts for the scale step (1M: ~1 min on a 2-core machine)")
    parser.add_argument("--reps", type=int, default=30, help="timed pages per size in the scale step")
    parser.add_argument("--split-reps", type=int, default=400)
    parser.add_argument("--only", choices=("throughput", "scale", "split", "fixture"), action="append")
    parser.add_argument("--out", default=str(Path.cwd() / "docs" / "performance.md"))  # make bench runs from the clone
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--scale-step", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.duration = min(args.duration, 15)
    args.warmup = min(args.warmup, 15)

    if args.scale_step:
        result = scale_step(args.scale_step, Path(args.workdir), args.reps)
        Path(args.result_file).write_text(json.dumps(result))
        return 0
    if shutil.which("wrk") is None and (not args.only or "throughput" in args.only):
        print("wrk is not installed: apt-get install -y wrk (Debian/Ubuntu)", file=sys.stderr)
        return 2

    only = set(args.only or ("throughput", "scale", "split", "fixture"))
    workdir = Path(tempfile.mkdtemp(prefix="intacct-bench-"))
    try:
        tp = throughput(args, workdir) if "throughput" in only else None
        sc = scale(args, workdir) if "scale" in only else None
        print("cost split ...", flush=True) if "split" in only else None
        split = cost_split(args, workdir) if "split" in only else None
        print("per-test company ...", flush=True) if "fixture" in only else None
        fixture = fixture_cost() if "fixture" in only else None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = Path(args.out)
    section, ratio_lines = render_report(args, tp, sc, split, out.read_text() if out.exists() else "", fixture)
    print()
    shown = section.replace(BEGIN, "").replace(END, "").strip()
    print("\n".join(line for line in shown.splitlines() if not line.startswith(("ratio ", "```"))))
    print()
    for line in ratio_lines:
        print(line)
    if not args.no_write:
        write_report(out, section)
        print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
