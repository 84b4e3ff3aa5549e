"""Cost split per request (parse / auth / rules / store / render / journal) and the cProfile top list."""

from __future__ import annotations

import contextlib
import cProfile
import dataclasses
import pstats
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator


from .bodies import *  # noqa: F401,F403
from .servers import *  # noqa: F401,F403


# ---------------------------------------------------------------------------- cost split and profile

BUCKETS = ("parse", "auth", "rules", "store", "render", "journal")


class Split:
    """Exclusive wall time per bucket: a nested bucket pauses its parent; 'absorbing' buckets keep
    everything under them (the journal's own transaction is journal time, not store time)."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys((*BUCKETS, "other"), 0.0)
        self.stack: list[list] = []  # [bucket, started, absorbing]
        self.statements = 0  # SQL statements executed (all requests of the run)

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
    """A sqlite3.Connection whose statements count as store time, and are counted (an
    ``executemany`` is one statement: one preparation, however many rows)."""

    def __init__(self, conn: sqlite3.Connection, split: Split) -> None:
        self._conn, self._split = conn, split

    def execute(self, *a):
        self._split.statements += 1
        with self._split.bucket("store"):
            return self._conn.execute(*a)

    def executemany(self, *a):
        self._split.statements += 1
        with self._split.bucket("store"):
            return self._conn.executemany(*a)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def instrument(split: Split) -> Callable[[], None]:
    """Patch the pipeline's seams with timers; returns the function that undoes it."""
    from intacct_mock.auth.login import Authenticator
    from intacct_mock.gateway import application, execution, pipeline, records, registry
    from intacct_mock.gateway.handlers import generic, reads
    from intacct_mock.journal import Journal
    from intacct_mock.store.books import Books
    from intacct_mock.store.db import Database

    undo: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, name: str, absorbing: bool = False) -> None:
        original = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
        undo.append((owner, attr, original))
        setattr(owner, attr, split.wrap(original, name, absorbing))

    patch(pipeline, "parse_request", "parse")
    patch(application, "check_control", "auth")  # the control stage, behind the pipeline's application hook
    patch(pipeline, "request_facts", "auth")
    patch(Authenticator, "authenticate", "auth")
    patch(Journal, "record", "journal", absorbing=True)
    patch(Journal, "write", "journal")
    for attr in ("get", "by_id", "is_active", "prefetch_active", "exists_anywhere", "number_taken", "first_where", "find",
                 "count", "lines", "insert", "update", "delete", "replace_lines", "page_keys", "rows_by_recordno"):
        patch(Books, attr, "store")
    patch(reads, "_rendered_page", "render")  # cache lookups and rendering; its SQL is charged to store
    patch(execution, "answer", "render")
    for module in (reads, generic, records):  # record building: names imported into each module
        for attr in ("full_record", "write_result_record", "field_values"):
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
    from intacct_mock.config import Settings
    from intacct_mock.emulator import Emulator
    from intacct_mock.gateway.pipeline import XmlGateway

    db_path = workdir / "split.db"
    prepare_database(db_path)
    emulator = Emulator(Settings.load(env={}, db_path=str(db_path), journal="meta"))
    gateway, db = XmlGateway(emulator), emulator.db
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
        for workload in XML_WORKLOADS:  # the split follows a gateway request through its stages
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
            statements = split.statements / reps[workload]
            # cProfile: the functions that dominate.
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(reps[workload] // 2):
                call()
            profiler.disable()
            out[workload] = {"plain_us": plain * 1e6, "instrumented_us": timed_total * 1e6, "statements": statements,
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


