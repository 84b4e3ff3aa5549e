"""The gateway fuzzer's HTTP slice: corpus requests over raw loopback sockets, framed right and wrong.

The in-process harness hands bodies to ``XmlGateway.handle``; this one plays them against a
running emulator through ``socket`` (no HTTP library to tidy anything up), each framed by one of
``framing.KINDS`` in turn, the body picked and half the time mutated by a seeded generator.
Invariants, on every exchange:

- every answer that arrives is a well-formed HTTP/1.1 answer (``http_answers``) with a status
  below 500; one the application wrote (it carries ``X-Mock-Server-Pid``) is also a well-formed
  Intacct ``<response>`` (``invariants.read_answer``); one without it came from the HTTP server's
  own parser (gunicorn refusing a header), as the web server in front of Intacct answers those;
- the server answers when it owes an answer, and a keep-alive connection it stops serving early
  ends with an answer that said ``Connection: close``;
- the exchange ends (answer, or close) within its bound: the client's own pauses plus
  ``Target.slack`` (``SLACK_SECONDS``), plus the server's read timeout when the client stalls on purpose;
- ``GET /_mock/health`` answers 200 afterwards, within the same slack.

    python -m intacct_mock.fuzz.run --wire [--exchanges 200] [--seed 1] [--workers 2] [--url http://127.0.0.1:8085]
"""

from __future__ import annotations

import hashlib
import random
import socket
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import seeds
from .framing import KINDS, Exchange
from .harness import FuzzFailure
from .http_answers import HttpAnswer, MalformedAnswer, split_answers
from .invariants import WIRE_STATUSES, BadAnswer, read_answer
from .mutate import mutate

SLACK_SECONDS = 5.0  # the in-process fuzzer's time bound, on top of pauses and read timeouts
HEALTH_PATH = "/_mock/health"


@dataclass(frozen=True)
class Target:
    """A running emulator on loopback and the read timeout it was started with."""

    host: str
    port: int
    read_timeout: float
    admin_token: str | None = None
    slack: float = SLACK_SECONDS


@dataclass
class Outcome:
    answers: list[HttpAnswer]
    closed: bool  # the server ended the connection (FIN or RST)
    seconds: float
    problem: str | None = None


@dataclass
class WireResult:
    exchanges: int = 0
    failures: list[FuzzFailure] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # status -> answers; "closed": the connection ended without one
    by_kind: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    slowest: float = 0.0
    seconds: float = 0.0


def bound(exchange: Exchange, target: Target) -> float:
    return exchange.pauses + target.slack + (target.read_timeout if exchange.stalls else 0.0)


def play(exchange: Exchange, target: Target) -> Outcome:
    """Run the script on a fresh connection and read until the server closes, everything owed has
    arrived on a connection it keeps open, or the bound passes."""
    started = time.monotonic()
    deadline = started + bound(exchange, target)
    sock = socket.create_connection((target.host, target.port), timeout=target.slack)
    data, closed, reading = b"", False, True
    try:
        for step in exchange.steps:
            try:
                if step[0] == "send":
                    sock.sendall(step[1])
                elif step[0] == "pause":
                    time.sleep(step[1])
                elif step[0] == "shut":
                    sock.shutdown(socket.SHUT_WR)
                elif step[0] == "close":
                    reading = False
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered early (413) and closed: read what it said
        while reading:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            try:
                piece = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                closed = True
                break
            if not piece:
                closed = True
                break
            data += piece
            try:
                answers, _ = split_answers(data, eof=False)
            except MalformedAnswer:
                continue  # judged once the reading ends
            if len(answers) >= exchange.requests and not answers[-1].closes:
                break  # a keep-alive server has answered everything
    finally:
        sock.close()
    seconds = time.monotonic() - started
    try:
        answers, _ = split_answers(data, eof=True)
    except MalformedAnswer as exc:
        return Outcome([], closed, seconds, f"malformed HTTP answer: {exc}")
    return Outcome(answers, closed, seconds)


def judge(exchange: Exchange, outcome: Outcome, target: Target) -> str | None:
    """None when every invariant holds for this exchange, else why not."""
    if outcome.problem:
        return outcome.problem
    for answer in outcome.answers:
        if answer.status >= 500:
            return f"HTTP {answer.status}: {answer.body[:200]!r}"
        if answer.header("X-Mock-Server-Pid") is not None:
            try:
                read_answer(answer.status, answer.header("Content-Type") or "", answer.body, WIRE_STATUSES)
            except BadAnswer as exc:
                return str(exc)
    if exchange.answer == "none":
        return None
    if not outcome.closed and len(outcome.answers) < exchange.requests:
        return (f"no answer and no close after {outcome.seconds:.1f}s (bound {bound(exchange, target):.1f}s): "
                f"{len(outcome.answers)} of {exchange.requests} answers")
    if exchange.answer == "required" and not outcome.answers:
        return "the connection closed without an answer"
    if outcome.answers and len(outcome.answers) < exchange.requests and not outcome.answers[-1].closes:
        return "keep-alive connection closed after an answer that did not say Connection: close"
    return None


def healthy(target: Target) -> str | None:
    """None when ``GET /_mock/health`` answers 200 within the target's slack."""
    auth = f"Authorization: Bearer {target.admin_token}\r\n" if target.admin_token else ""
    request = f"GET {HEALTH_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n".encode()
    probe = Exchange("health", (("send", request),))
    outcome = play(probe, Target(target.host, target.port, 0.0, slack=target.slack))
    if outcome.problem:
        return f"health check: {outcome.problem}"
    if not outcome.answers or outcome.answers[0].status != 200:
        return f"health check answered {[a.status for a in outcome.answers] or 'nothing'} in {outcome.seconds:.1f}s"
    return None


def exchanges(count: int, seed: int, company: str = "DEMO") -> list[Exchange]:
    """A fixed-seed slice: every kind in turn, over bodies from the corpus, half of them mutated."""
    rng = random.Random(seed)
    corpus = seeds(company)
    builders = list(KINDS.values())
    out = []
    for n in range(count):
        body = rng.choice(corpus)
        if rng.random() < 0.5:
            mutated = mutate(body, rng)
            body = mutated if len(mutated) >= 16 else body  # the framing kinds need a body to cut
        out.append(builders[n % len(builders)](body, rng))
    return out


class WireHarness:
    def __init__(self, target: Target, *, concurrency: int = 4) -> None:
        self.target = target
        self.concurrency = concurrency

    def check(self, exchange: Exchange) -> tuple[str | None, Outcome]:
        try:
            outcome = play(exchange, self.target)
        except OSError as exc:  # connecting failed: the server is gone or deaf
            return f"could not reach the server: {type(exc).__name__}: {exc}", Outcome([], True, 0.0)
        problem = judge(exchange, outcome, self.target) or healthy(self.target)
        return problem, outcome

    def run(self, count: int, seed: int, out_dir: Path | None = None) -> WireResult:
        result = WireResult()
        started = time.monotonic()
        script = exchanges(count, seed)
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="wire-fuzz") as pool:
            for exchange, (problem, outcome) in zip(script, pool.map(self.check, script)):
                result.exchanges += 1
                statuses = [str(a.status) for a in outcome.answers] or ["closed"]
                for status in statuses:
                    result.by_kind[exchange.kind][status] += 1
                    result.statuses[status] += 1
                result.slowest = max(result.slowest, outcome.seconds)
                if problem:
                    failure = FuzzFailure(f"{exchange.describe()}: {problem}", exchange.sent)
                    result.failures.append(failure)
                    if out_dir is not None:
                        save(failure, out_dir)
        result.seconds = time.monotonic() - started
        return result


def save(failure: FuzzFailure, out_dir: Path) -> None:
    """``wire-<hash>.http`` holds the bytes sent (the script's sends, in order), ``.txt`` the script and why."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = "wire-" + hashlib.sha256(failure.data + failure.reason.encode()).hexdigest()[:16]
    (out_dir / f"{name}.http").write_bytes(failure.data)
    (out_dir / f"{name}.txt").write_text(failure.reason + "\n")
