"""``make bench``: how close the emulator runs to the machine's limit, written to docs/performance.md.

    python -m loadtests.bench.run [--rounds 3] [--duration 5] [--sizes 1000,100000,1000000] [--no-write]

1. Throughput ratio per workload: the emulator (gunicorn, 2 sync workers, journal ``meta``, a
   temporary database) against a *ceiling* on the same stack (gunicorn 2 sync + Flask) that
   answers with the emulator's own answer bytes, captured first. Measured with wrk, interleaved
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
4. Cost split per request (parse / auth / rules / store / render / journal / after-commit),
   in-process with ``time.perf_counter`` wrappers, and the top functions from cProfile.

Every server started here is stopped in ``finally``; every wrk run is bounded (``--duration``).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import datetime as dt
import json
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # ``python loadtests/bench/run.py`` works too
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"
WORKLOADS = ("create", "readByQuery")
SEEDED_CUSTOMERS = 200  # on top of the demo company's 25: readByQuery pages are full (100)
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

# ---------------------------------------------------------------------------- request bodies

LOGIN = ("<authentication><login><userid>ws_user</userid><companyid>DEMO</companyid>"
         "<password>ws_user_pw</password></login></authentication>")


def envelope(content: str, auth: str, controlid: str = "bench") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<request><control><senderid>mock-sender</senderid>'
            f"<password>mock-sender-pw</password><controlid>{controlid}</controlid><uniqueid>false</uniqueid>"
            f"<dtdversion>3.0</dtdversion></control><operation>{auth}<content>{content}</content></operation>"
            "</request>")


def session_auth(sessionid: str) -> str:
    return f"<authentication><sessionid>{sessionid}</sessionid></authentication>"


BILL_LINES = "".join(
    f"<APBILLITEM><ACCOUNTNO>{acct}</ACCOUNTNO><TRX_AMOUNT>{amount}</TRX_AMOUNT>"
    f"<ENTRYDESCRIPTION>Line {n} &amp; more</ENTRYDESCRIPTION><DEPARTMENTID>D200</DEPARTMENTID>"
    f"<LOCATIONID>L100</LOCATIONID></APBILLITEM>"
    for n, (acct, amount) in enumerate([("6220", "240.00"), ("6400", "99.95"), ("6100", "12.50"),
                                        ("6200", "1000.00"), ("6300", "315.25")], start=1)
)
RECORDID_MARK = "@RECORDID@"


def create_body(auth: str) -> str:
    """An APBILL with 5 lines; RECORDID_MARK is where each request puts its own number."""
    return envelope(
        f'<function controlid="create-bill"><create><APBILL><VENDORID>V-0001</VENDORID>'
        f"<RECORDID>{RECORDID_MARK}</RECORDID><WHENCREATED>03/02/2026</WHENCREATED><WHENDUE>04/01/2026</WHENDUE>"
        f"<DESCRIPTION>bench bill</DESCRIPTION><APBILLITEMS>{BILL_LINES}</APBILLITEMS></APBILL></create></function>",
        auth)


def read_body(auth: str) -> str:
    return envelope('<function controlid="rbq"><readByQuery><object>CUSTOMER</object><fields>*</fields>'
                    "<query></query><pagesize>100</pagesize></readByQuery></function>", auth)


def read_more_body(auth: str, result_id: str) -> str:
    return envelope(f'<function controlid="more"><readMore><resultId>{result_id}</resultId></readMore></function>', auth)


def customers_body(auth: str, start: int, count: int) -> str:
    records = "".join(
        f"<CUSTOMER><CUSTOMERID>BC-{i:05d}</CUSTOMERID><NAME>Bench Customer {i} &amp; Sons</NAME>"
        f"<TERMNAME>N30</TERMNAME><DISPLAYCONTACT><PRINTAS>Bench Customer {i}</PRINTAS>"
        f"<EMAIL1>ap{i}@bench.example.com</EMAIL1><PHONE1>555-010-{i % 10000:04d}</PHONE1></DISPLAYCONTACT></CUSTOMER>"
        for i in range(start, start + count))
    return envelope(f'<function controlid="seed-{start}"><create>{records}</create></function>', auth)


def result_status(body: bytes) -> str:
    """The first <result>'s status ("" when there is none)."""
    m = re.search(rb"<result>\s*<status>(\w+)</status>", body)
    return m.group(1).decode() if m else ""


# ---------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass
class Server:
    name: str
    proc: subprocess.Popen
    base: str
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # gunicorn's master stops its workers on SIGTERM
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group this runner created
                self.proc.wait(5)


def start_gunicorn(name: str, app: str, env: dict[str, str], workdir: Path, ready: Callable[[str], bool],
                   workers: int = 2) -> Server:
    port = free_port()
    log = workdir / f"{name}.log"
    cmd = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
           "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--error-logfile", str(log), app]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    server = Server(name, proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if ready(server.base):
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    server.stop()
    raise SystemExit(f"{name} did not start; see {log}:\n{log.read_text() if log.exists() else ''}")


# ---------------------------------------------------------------------------- wrk

WRK_LUA = r"""
-- generated by loadtests/bench/run.py; the counter is fixed-width because wrk.format keeps the
-- first Content-Length it computed in wrk.headers
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/xml"
local pre = [==[@PRE@]==]
local post = [==[@POST@]==]
local prefix = "@PREFIX@"
local counted = @COUNTED@
local counter = 0
local n = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
end
if counted then
  request = function()
    counter = counter + 1
    return wrk.format(nil, nil, nil, pre .. prefix .. tid .. "-" .. string.format("%08d", counter) .. post)
  end
else
  wrk.body = pre
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def wrk_script(workdir: Path, name: str, body: str, prefix: str = "") -> Path:
    counted = RECORDID_MARK in body
    pre, _, post = body.partition(RECORDID_MARK)
    text = (WRK_LUA.replace("@PRE@", pre).replace("@POST@", post).replace("@PREFIX@", prefix)
            .replace("@COUNTED@", "true" if counted else "false"))
    path = workdir / f"{name}.lua"
    path.write_text(text)
    return path


def run_wrk(url: str, script: Path, duration: float, connections: int, threads: int = 2,
            latency: bool = False) -> dict[str, Any]:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "10s",
           "-s", str(script)]
    if latency:
        cmd.append("--latency")
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 30)
    m = re.search(r"^BENCH (\{.*\})$", out.stdout, re.M)
    if out.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout}\n{out.stderr}")
    stats = json.loads(m.group(1))
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    stats["errors"] = sum(stats[k] for k in ("connect", "read", "write", "status", "timeout"))
    return stats


# ---------------------------------------------------------------------------- preparation


def prepare_database(db_path: Path) -> None:
    """Schema, demo company, and 200 more customers, written through the gateway in this process."""
    from mock_server.app import create_app
    from mock_server.config import Settings

    app = create_app(Settings.load(env={}, db_path=str(db_path), journal="meta"))
    gateway, db = app.config["GATEWAY"], app.config["DB"]
    try:
        for start in range(1, SEEDED_CUSTOMERS + 1, 100):
            reply = gateway.handle(customers_body(LOGIN, start, 100).encode())
            if result_status(reply.body) != "success":
                raise SystemExit(f"seeding customers failed:\n{reply.body.decode()[:2000]}")
    finally:
        db.close()


def gateway_post(base: str, body: str) -> bytes:
    resp = requests.post(base + GATEWAY_PATH, data=body.encode(), headers={"Content-Type": "application/xml"}, timeout=30)
    resp.raise_for_status()
    return resp.content


def get_session(base: str) -> str:
    body = gateway_post(base, envelope('<function controlid="s"><getAPISession/></function>', LOGIN))
    m = re.search(rb"<sessionid>([^<]+)</sessionid>", body)
    if not m:
        raise SystemExit(f"getAPISession failed:\n{body.decode()[:2000]}")
    return m.group(1).decode()


def count_bills(db_path: Path, prefix: str) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute('SELECT COUNT(*) FROM "APBILL" WHERE RECORDID LIKE ?', [prefix + "%"]).fetchone()[0]
    finally:
        conn.close()


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
            "emulator", "mock_server.wsgi:app",
            {"MOCK_INTACCT_DB_PATH": str(db_path), "MOCK_INTACCT_JOURNAL": "meta", "MOCK_INTACCT_LOG_LEVEL": "WARNING"},
            workdir, lambda base: requests.get(base + "/_mock/health", timeout=1).status_code == 200)
        servers.append(emulator)
        auth = session_auth(get_session(emulator.base))

        # Capture the emulator's real answers; the ceiling serves exactly these bytes.
        bodies = {"create": create_body(auth), "readByQuery": read_body(auth)}
        captured = {
            "create": gateway_post(emulator.base, bodies["create"].replace(RECORDID_MARK, "CAPTURE-1")),
            "readByQuery": gateway_post(emulator.base, bodies["readByQuery"]),
        }
        for workload, answer in captured.items():
            if result_status(answer) != "success":
                raise SystemExit(f"{workload}: the emulator did not answer success:\n{answer.decode()[:3000]}")
            (answers / f"{workload}.xml").write_bytes(answer)
        m = re.search(rb'<data listtype="customer" count="(\d+)" totalcount="(\d+)"', captured["readByQuery"])
        if not m or m.group(1) != b"100":
            raise SystemExit("readByQuery did not return a full page of 100 records")

        ceiling = start_gunicorn(
            "ceiling", "loadtests.bench.ceiling:app", {"BENCH_CEILING_DIR": str(answers)}, workdir,
            lambda base: requests.post(base + "/ceiling/create", data=b"x", timeout=1).status_code == 200)
        servers.append(ceiling)
        urls = {("emulator", w): emulator.base + GATEWAY_PATH for w in WORKLOADS}
        urls.update({("ceiling", w): f"{ceiling.base}/ceiling/{w}" for w in WORKLOADS})

        seq = iter(range(1, 10_000))

        def measure(target: str, workload: str, duration: float, connections: int, latency: bool = False) -> dict:
            prefix = f"B{os.getpid()}R{next(seq)}-"
            script = wrk_script(workdir, f"{target}-{workload}", bodies[workload], prefix)
            stats = run_wrk(urls[target, workload], script, duration, connections, latency=latency)
            stats["avg_bytes"] = stats["bytes"] / max(stats["requests"], 1)
            if stats["errors"]:
                raise SystemExit(f"{target} {workload}: wrk saw errors: {stats}")
            if target == "emulator" and workload == "create":
                made = count_bills(db_path, prefix)  # every answered create is a bill in the books
                if not stats["requests"] <= made <= stats["requests"] + connections:
                    raise SystemExit(f"create: {stats['requests']} answered but {made} bills in the books")
                stats["checked"] = made
            if workload == "readByQuery":  # every answer was the full page, not a short error
                expected = len(captured["readByQuery"])
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
    from mock_server.app import create_app
    from mock_server.config import Settings

    db_path = workdir / f"scale-{n}.db"
    app = create_app(Settings.load(env={}, db_path=str(db_path), journal="meta"))
    gateway, db = app.config["GATEWAY"], app.config["DB"]
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
        proc = subprocess.run([sys.executable, "-m", "loadtests.bench.run", "--scale-step", str(n), "--workdir",
                               str(workdir), "--reps", str(args.reps), "--result-file", str(result_file)],
                              cwd=ROOT, timeout=1800)
        if proc.returncode != 0:
            raise SystemExit(f"scale step {n} failed")
        out[n] = json.loads(result_file.read_text())
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(workdir / f"scale-{n}.db{suffix}")
        r = out[n]
        print(f"  {r['records']:,} records: first page {r['first_page_ms']:.1f} ms, deep readMore {r['read_more_ms']:.1f} ms, "
              f"{r['bytes_per_record']:.0f} B/record (insert {r['insert_s']:.1f} s)", flush=True)
    return out


# ---------------------------------------------------------------------------- cost split and profile

BUCKETS = ("parse", "auth", "rules", "store", "render", "journal", "after-commit")


class Split:
    """Exclusive wall time per bucket: a nested bucket pauses its parent; 'absorbing' buckets keep
    everything under them (the journal's own transaction is journal time, not store time)."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys((*BUCKETS, "other"), 0.0)
        self.stack: list[list] = []  # [bucket, started, absorbing]

    @contextlib.contextmanager
    def bucket(self, name: str, absorbing: bool = False) -> Iterator[None]:
        now = time.perf_counter()
        if self.stack and self.stack[-1][2]:
            yield  # inside an absorbing bucket: charged to it
            return
        if self.stack:
            top = self.stack[-1]
            self.totals[top[0]] += now - top[1]
        self.stack.append([name, now, absorbing])
        try:
            yield
        finally:
            end = time.perf_counter()
            name_, started, _ = self.stack.pop()
            self.totals[name_] += end - started
            if self.stack:
                self.stack[-1][1] = end

    def wrap(self, fn: Callable, name: str, absorbing: bool = False) -> Callable:
        def wrapper(*a, **kw):
            with self.bucket(name, absorbing):
                return fn(*a, **kw)
        wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
        return wrapper


class _TimedConnection:
    """A sqlite3.Connection whose statements count as store time."""

    def __init__(self, conn: sqlite3.Connection, split: Split) -> None:
        self._conn, self._split = conn, split

    def execute(self, *a):
        with self._split.bucket("store"):
            return self._conn.execute(*a)

    def executemany(self, *a):
        with self._split.bucket("store"):
            return self._conn.executemany(*a)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def instrument(split: Split) -> Callable[[], None]:
    """Patch the pipeline's seams with timers; returns the function that undoes it."""
    from mock_server.functions import generic, reads, records, registry
    from mock_server.gateway import pipeline, render
    from mock_server.journal.store import Journal
    from mock_server.store.books import Books
    from mock_server.store.db import Database

    undo: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, name: str, absorbing: bool = False) -> None:
        original = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
        undo.append((owner, attr, original))
        setattr(owner, attr, split.wrap(original, name, absorbing))

    patch(pipeline, "parse_request", "parse")
    for attr in ("_check_control", "_facts", "_authenticate"):
        patch(pipeline.Gateway, attr, "auth")
    patch(pipeline.Gateway, "_apply_after_commit", "after-commit", absorbing=True)
    patch(Journal, "record", "journal", absorbing=True)
    for attr in ("get", "by_id", "exists_anywhere", "find", "count", "lines", "insert", "update", "delete", "replace_lines"):
        patch(Books, attr, "store")
    patch(render, "render_response", "render")
    for module in (reads, generic, records):  # record building: names imported into each module
        for attr in ("flat_record", "full_record", "write_result_record", "field_values", "flat_records"):
            if hasattr(module, attr) and callable(getattr(module, attr)):
                patch(module, attr, "render")

    original_connection = Database.connection
    undo.append((Database, "connection", original_connection))
    Database.connection = lambda self: _TimedConnection(original_connection(self), split)  # type: ignore[method-assign]
    original_transaction = Database.transaction
    undo.append((Database, "transaction", original_transaction))

    @contextlib.contextmanager
    def transaction(self, write: bool):
        cm = original_transaction(self, write)
        with split.bucket("store"):
            conn = cm.__enter__()
        try:
            yield conn
        except BaseException:
            with split.bucket("store"):
                if not cm.__exit__(*sys.exc_info()):
                    raise
        else:
            with split.bucket("store"):
                cm.__exit__(None, None, None)

    Database.transaction = transaction  # type: ignore[method-assign]
    registry._load()
    for name in ("create", "readByQuery"):
        spec = registry._REGISTRY[name]
        undo.append((registry._REGISTRY, name, spec))
        registry._REGISTRY[name] = dataclasses.replace(spec, handler=split.wrap(spec.handler, "rules"))

    def restore() -> None:
        for owner, attr, original in reversed(undo):
            if isinstance(owner, dict):
                owner[attr] = original
            else:
                setattr(owner, attr, original)

    return restore


def cost_split(args, workdir: Path) -> dict[str, Any]:
    from mock_server.app import create_app
    from mock_server.config import Settings

    db_path = workdir / "split.db"
    prepare_database(db_path)
    app = create_app(Settings.load(env={}, db_path=str(db_path), journal="meta"))
    gateway, db = app.config["GATEWAY"], app.config["DB"]
    out: dict[str, Any] = {}
    try:
        reply = gateway.handle(envelope('<function controlid="s"><getAPISession/></function>', LOGIN).encode())
        auth = session_auth(re.search(rb"<sessionid>([^<]+)</sessionid>", reply.body).group(1).decode())
        counter = iter(range(1, 1_000_000))
        makers = {
            "create": lambda: create_body(auth).replace(RECORDID_MARK, f"SPLIT-{next(counter)}").encode(),
            "readByQuery": lambda: read_body(auth).encode(),
        }
        reps = {"create": args.split_reps, "readByQuery": max(args.split_reps // 4, 50)}
        for workload in WORKLOADS:
            make = makers[workload]

            def call() -> None:
                body = make()
                reply = gateway.handle(body)
                db.release()  # as the WSGI app's teardown does
                if result_status(reply.body) != "success":
                    raise SystemExit(f"{workload}: failed during the split:\n{reply.body.decode()[:2000]}")

            for _ in range(20):
                call()
            # Plain wall time per request, no instrumentation.
            t = time.perf_counter()
            for _ in range(reps[workload]):
                call()
            plain = (time.perf_counter() - t) / reps[workload]
            # The split.
            split = Split()
            restore = instrument(split)
            try:
                t = time.perf_counter()
                for _ in range(reps[workload]):
                    with split.bucket("other"):
                        call()
                timed_total = (time.perf_counter() - t) / reps[workload]
            finally:
                restore()
            per = {k: v / reps[workload] for k, v in split.totals.items()}
            # cProfile: the functions that dominate.
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(reps[workload] // 2):
                call()
            profiler.disable()
            out[workload] = {"plain_us": plain * 1e6, "instrumented_us": timed_total * 1e6,
                             "split_us": {k: v * 1e6 for k, v in per.items()}, "top": top_functions(profiler, 8)}
    finally:
        db.close()
    return out


def top_functions(profiler: cProfile.Profile, n: int) -> list[dict[str, Any]]:
    stats = pstats.Stats(profiler)
    total = stats.total_tt or 1
    rows = []
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).resolve().relative_to(ROOT)}:{line}" if file.startswith(str(ROOT)) else (
            f"{Path(file).name}:{line}" if line else "")
        rows.append({"where": where, "function": func, "calls": calls, "self_share": tottime / total,
                     "cum_share": cumtime / total})
    rows.sort(key=lambda r: r["self_share"], reverse=True)
    return rows[:n]


# ---------------------------------------------------------------------------- report


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


def render_report(args, tp: dict | None, sc: dict | None, split: dict | None, previous: str) -> tuple[str, list[str]]:
    lines: list[str] = [BEGIN, "", f"Run: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · `{' '.join(sys.argv[1:]) or 'make bench'}`  ",
                        f"Machine: {machine_notes()}", ""]
    ratio_lines: list[str] = []
    if tp:
        lines += ["### Throughput (wrk, POST, "
                  f"{args.connections} connections, {args.rounds} interleaved rounds of {args.duration:g} s, medians)", "",
                  "| workload | answer bytes | emulator req/s | ceiling req/s | ratio | rounds (emulator / ceiling) |",
                  "|---|---:|---:|---:|---:|---|"]
        for w in WORKLOADS:
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
                  "| records | first page ms (median) | first page p90 ms | readMore near the end ms | DB bytes/record | peak RSS MB | bulk insert s |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        rows = {}
        for n, r in sc.items():
            rows[int(n)] = (f"| {r['records']:,} | {r['first_page_ms']:.1f} | {r['first_page_p90_ms']:.1f} | {r['read_more_ms']:.1f} | "
                            f"{r['bytes_per_record']:.0f} | {r['max_rss_mb']:.0f} | {r['insert_s']:.1f} |")
        for line in previous.splitlines():  # sizes not measured this time (see --sizes): keep the last figures
            m = re.match(r"^\| ([\d,]+) \|", line)
            if m and "readMore" not in line:
                size = int(m.group(1).replace(",", ""))
                if not any(abs(size - k) < k * 0.01 for k in rows):
                    rows[size] = line if line.rstrip().endswith("(earlier run) |") else line.rstrip() + " (earlier run) |"
        lines += [rows[k] for k in sorted(rows)]
        lines += ["", "Sizes are the demo company's 25 customers plus the bulk-inserted ones. `(earlier run)`: "
                  "a size not measured this time (`--sizes`), carried over from the previous report.", ""]
    if split:
        lines += ["### Cost per request, in-process (Gateway.handle, no HTTP), exclusive µs", "",
                  "| workload | parse | auth | rules | store | render | journal | after-commit | other | total (instrumented) | plain |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for w, s in split.items():
            u = s["split_us"]
            total = s["instrumented_us"]
            cells = " | ".join(f"{u.get(b, 0):,.0f} ({u.get(b, 0) / total:.0%})" for b in (*BUCKETS, "other"))
            lines.append(f"| {w} | {cells} | {total:,.0f} | {s['plain_us']:,.0f} |")
        lines += ["", "parse: envelope parsing · auth: control checks, session lookups · rules: the function handler "
                  "(validation, derived values) · store: SQLite statements, Books, BEGIN/COMMIT · render: record "
                  "building and the response document · journal: the `meta` journal row and its commit · "
                  "after-commit: result-set row, session slide · other: fault evaluation, clocks, control-id ledger, "
                  "glue. `plain` is the same loop without the timers.", ""]
        for w, s in split.items():
            lines += [f"Top functions by own time, {w} (cProfile):", "",
                      "| function | where | calls | own | cumulative |", "|---|---|---:|---:|---:|"]
            for r in s["top"]:
                lines.append(f"| `{r['function']}` | {r['where']} | {r['calls']:,} | {r['self_share']:.0%} | {r['cum_share']:.0%} |")
            lines.append("")
    lines.append(END)
    return "\n".join(lines), ratio_lines


HEADER = """# Performance

`make bench` (`python -m loadtests.bench.run`) measures the emulator against a ceiling on the same
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5, help="seconds per wrk run (at most 15)")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sizes", default="1000,100000,1000000",
                        help="record counts for the scale step (1M: ~1 min on a 2-core machine)")
    parser.add_argument("--reps", type=int, default=30, help="timed pages per size in the scale step")
    parser.add_argument("--split-reps", type=int, default=400)
    parser.add_argument("--only", choices=("throughput", "scale", "split"), action="append")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
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

    only = set(args.only or ("throughput", "scale", "split"))
    workdir = Path(tempfile.mkdtemp(prefix="intacct-bench-"))
    try:
        tp = throughput(args, workdir) if "throughput" in only else None
        sc = scale(args, workdir) if "scale" in only else None
        print("cost split ...", flush=True) if "split" in only else None
        split = cost_split(args, workdir) if "split" in only else None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out = Path(args.out)
    section, ratio_lines = render_report(args, tp, sc, split, out.read_text() if out.exists() else "")
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
