"""Run mutated requests through the gateway in-process and check the invariants on every answer.

Invariants: the answer is a well-formed Intacct XML response (or a clean 4xx gateway error), never
a 500 nobody asked for (``invariants.read_answer``, which the HTTP slice in ``wire.py`` shares); it
comes back within a time bound; and a request whose write functions all failed leaves the
company's books unchanged.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from intacct_mock.config import Settings
from intacct_mock.emulator import Emulator
from intacct_mock.gateway.pipeline import XmlGateway
from intacct_mock.store import reports

from .corpus import seeds
from .invariants import BadAnswer, read_answer
from .mutate import mutate

TIME_BOUND_SECONDS = 5.0
WRITE_FUNCTIONS = (b"<create", b"<update", b"<delete", b"<create_")


@dataclass
class FuzzFailure:
    reason: str
    data: bytes


@dataclass
class FuzzResult:
    requests: int = 0
    failures: list[FuzzFailure] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


class GatewayHarness:
    def __init__(self, db_path: str = ":memory:", company: str = "DEMO") -> None:
        self.emulator = Emulator(Settings.load(env={}, db_path=db_path, journal="off", seed=5))
        self.gateway = XmlGateway(self.emulator)
        self.db = self.emulator.db
        self.company = company

    def fingerprint(self) -> tuple:
        return reports.fingerprint(self.db.connection(), self.company)

    def check(self, data: bytes) -> str | None:
        """None when every invariant holds, else why not."""
        writes = any(w in data for w in WRITE_FUNCTIONS)
        before = self.fingerprint() if writes else None
        started = time.perf_counter()
        reply = self.gateway.handle(data, remote_addr="127.0.0.1", endpoint="http://127.0.0.1/ia/xml/xmlgw.phtml")
        self.db.release()
        elapsed = time.perf_counter() - started
        if elapsed > TIME_BOUND_SECONDS:
            return f"slow answer: {elapsed:.1f}s"
        try:
            root = read_answer(reply.status, reply.content_type, reply.body)
        except BadAnswer as exc:
            return str(exc)
        if writes and root is not None:
            succeeded = any(
                (r.findtext("function") or "").startswith(("create", "update", "delete"))
                and (r.findtext("status") == "success" or int(r.find("data").get("count", "0") or 0) > 0
                     if r.find("data") is not None else r.findtext("status") == "success")
                for r in root.iterfind("operation/result"))  # a partial multi-object write lists what it kept
            if not succeeded and self.fingerprint() != before:
                return "books changed although no write function succeeded"
        return None

    def run(self, count: int, seed: int, out_dir: Path | None = None) -> FuzzResult:
        rng = random.Random(seed)
        corpus = seeds(self.company)
        result = FuzzResult()
        started = time.perf_counter()
        for _ in range(count):
            data = mutate(rng.choice(corpus), rng)
            try:
                problem = self.check(data)
            except Exception as exc:  # the harness itself must not hide a crash
                problem = f"exception escaped the gateway: {type(exc).__name__}: {exc}"
            result.requests += 1
            if problem:
                result.failures.append(FuzzFailure(problem, data))
                if out_dir is not None:
                    out_dir.mkdir(parents=True, exist_ok=True)
                    name = hashlib.sha256(data).hexdigest()[:16]
                    (out_dir / f"{name}.xml").write_bytes(data)
                    (out_dir / f"{name}.txt").write_text(problem + "\n")
        result.seconds = time.perf_counter() - started
        return result
