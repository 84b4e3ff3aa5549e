"""Decide which fault rules fire for a request, deterministically, across server processes.

Rules and their counters live in SQLite, so every worker of a multi-process server sees the
same rules and counts the same calls; each process caches the parsed rules and reloads them when
the shared version number moves. Luck is a pure function of the rule's seed, its content and the
index of the matching call (not of a generator's state in one process), so the same rules and
the same request sequence fire the same faults on every run and in every worker. Only the rate
and concurrency limiters' windows and slots are per process.
"""

from __future__ import annotations

import fnmatch
import json
import random
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..store import faults as rows
from .actions import Action, parse_action
from .model import FaultRule, FaultSpecError, parse_rule

if TYPE_CHECKING:  # pragma: no cover
    from ..store.db import Database


@dataclass(frozen=True)
class FunctionFacts:
    name: str
    object: str  # upper-case object name, "" when the function has none
    controlid: str


@dataclass(frozen=True)
class RequestFacts:
    """What a rule can match on, gathered before anything executes."""

    company: str | None  # upper-case key
    sender: str
    user: str | None  # lower-case
    sessionid: str | None
    functions: tuple[FunctionFacts, ...]
    headers: Mapping[str, str]  # lower-case names
    now: datetime
    protocol: str = "xml"  # the front door: xml | rest
    method: str = ""  # REST: the HTTP method
    path: str = ""  # REST: the path under /ia/api/v1 ("objects/accounts-payable/bill")


@dataclass
class Firing:
    """One rule that fired for one request, with what the pipeline needs to apply it."""

    rule_id: str
    action: Action
    functions: tuple[int, ...]  # indices of the matching functions
    delay_ms: float = 0.0  # latency
    retry_after: int | None = None  # rate_limit
    busy: bool = False  # concurrency_limit: no slot was free

    @property
    def type(self) -> str:
        return self.action.type

    def to_dict(self) -> dict[str, Any]:
        out = {"rule": self.rule_id, "type": self.type, "action": self.action.to_dict(), "functions": list(self.functions)}
        if self.delay_ms:
            out["delay_ms"] = round(self.delay_ms, 1)
        if self.retry_after is not None:
            out["retry_after"] = self.retry_after
        if self.busy:
            out["busy"] = True
        return out

    @classmethod
    def replayed(cls, data: Mapping[str, Any]) -> "Firing":
        """A journaled firing, to apply again exactly (without its latency) when replaying a bundle."""
        return cls(str(data["rule"]), parse_action(data["action"]), tuple(data.get("functions", ())),
                   0.0, data.get("retry_after"), bool(data.get("busy", False)))


def _glob(pattern: str, value: str) -> bool:
    if pattern.startswith("re:"):
        return re.fullmatch(pattern[3:], value) is not None
    return fnmatch.fnmatchcase(value, pattern)


@dataclass
class _Limiter:
    hits: deque = field(default_factory=deque)
    slots: threading.BoundedSemaphore | None = None


class FaultEngine:
    def __init__(self, db: "Database", seed: int = 42, *, header_enabled: bool = False) -> None:
        self.db = db
        self.seed = seed
        self.header_enabled = header_enabled
        self._cache: tuple[int, list[FaultRule]] = (-1, [])
        self._limiters: dict[tuple[str, str], _Limiter] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ storage

    def _load(self, version: int | None = None) -> list[FaultRule]:
        """The rules, parsed once per shared fault version (``version``: when the caller has just read it)."""
        conn = self.db.connection()
        if version is None:
            version = rows.version(conn)
        cached_version, cached = self._cache
        if version == cached_version:
            return cached
        rules = [parse_rule(spec, rule_id, source=source) for rule_id, spec, source in rows.load(conn)]
        with self._lock:
            self._cache = (version, rules)
        return rules

    def _with_counters(self, rules: list[FaultRule]) -> list[FaultRule]:
        counts = rows.counters(self.db.connection())
        out = []
        for rule in rules:
            copy = parse_rule(rule.spec, rule.id, source=rule.source)
            copy.matched, copy.fired = counts.get(rule.id, (0, 0))
            out.append(copy)
        return out

    # ------------------------------------------------------------------ rule management

    def add(self, raw: Any, *, source: str = "api") -> FaultRule:
        return self.add_many([raw], source=source)[0]

    def add_many(self, raws: Iterable[Any], *, source: str = "api") -> list[FaultRule]:
        """All or nothing: a bad rule (or a duplicate id) adds none of them."""
        raws = list(raws)
        for n, raw in enumerate(raws):
            try:
                parse_rule(raw, "check", source=source)
            except FaultSpecError as exc:
                raise FaultSpecError(f"rule {n + 1}: {exc}" if len(raws) > 1 or source != "api" else str(exc)) from None
        added = []
        with self.db.transaction(write=True) as conn:
            for n, raw in enumerate(raws):
                rule = parse_rule(raw, f"f{rows.next_id(conn)}", source=source)
                if rows.exists(conn, rule.id):
                    raise FaultSpecError(f"rule {n + 1}: id: a rule with id {rule.id!r} already exists")
                rows.insert(conn, rule.id, rule.company, rule.spec, source)
                added.append(rule)
            rows.bump(conn)
        return added

    def rules(self, company: str | None = None) -> list[FaultRule]:
        rules = self._with_counters(self._load())
        if company is None:
            return rules
        key = company.upper()
        return [r for r in rules if r.company == key]

    def remove(self, rule_id: str, company: str | None = None) -> bool:
        with self.db.transaction(write=True) as conn:
            gone = rows.remove(conn, rule_id, company.upper() if company is not None else None)
            if gone:
                rows.bump(conn)
        self._drop_state([rule_id])
        return gone

    def clear(self, company: str | None = None) -> int:
        with self.db.transaction(write=True) as conn:
            ids = rows.clear(conn, company.upper() if company is not None else None)
            if ids:
                rows.bump(conn)
        self._drop_state(ids)
        return len(ids)

    def _drop_state(self, rule_ids: Iterable[str]) -> None:
        with self._lock:
            for rule_id in rule_ids:
                for key in [k for k in self._limiters if k[0] == rule_id]:
                    del self._limiters[key]

    # ------------------------------------------------------------------ evaluation

    def header_rules(self, value: str | None) -> list[FaultRule]:
        """One-off rules from ``X-Mock-Fault`` (``;``-separated short forms), when enabled."""
        if not value or not self.header_enabled:
            return []
        rules = []
        for n, part in enumerate(p for p in value.split(";") if p.strip()):
            action = parse_action(part.strip(), "X-Mock-Fault")
            rules.append(parse_rule({"action": action.to_dict()}, f"header-{n + 1}", source="header"))
        return rules

    def has_rules(self, version: int | None = None) -> bool:
        """Whether any stored rule exists (at the shared fault ``version``): without one, a request
        needs no facts about who sent it and no evaluation."""
        return bool(self._load(version))

    def evaluate(self, facts: RequestFacts, extra: list[FaultRule] = (), version: int | None = None) -> list[Firing]:
        """The firings for this request, in rule order (stored rules first, then one-off ones)."""
        stored = [(r, idx) for r in self._load(version) if (idx := self._static_match(r, facts)) is not None]
        firings: list[Firing] = []
        if stored:
            with self.db.transaction(write=True) as conn:
                for rule, indices in stored:
                    counts = rows.count_match(conn, rule.id)
                    if counts is None:
                        continue  # removed meanwhile by another process
                    firing = self._decide(rule, facts, indices, *counts)
                    if firing is not None:
                        rows.count_fire(conn, rule.id)
                        firings.append(firing)
        for n, rule in enumerate(extra):
            indices = self._static_match(rule, facts)
            if indices is not None:
                firing = self._decide(rule, facts, indices, 1, 0)
                if firing is not None:
                    firings.append(firing)
        return firings

    def _static_match(self, rule: FaultRule, facts: RequestFacts) -> tuple[int, ...] | None:
        if rule.company is not None and rule.company != facts.company:
            return None
        indices = self._matching_functions(rule, facts)
        if indices is None:
            return None
        if rule.window and ((rule.window.start and facts.now < rule.window.start)
                            or (rule.window.end and facts.now >= rule.window.end)):
            return None
        return indices

    def _luck(self, rule: FaultRule, matched: int) -> random.Random:
        """A generator for this rule's Nth matching call: same seed, rule and N, same numbers."""
        canonical = json.dumps({k: rule.spec.get(k) for k in ("company", "match", "action", "nth", "times", "probability")},
                               sort_keys=True, default=str)
        return random.Random(f"{rule.seed if rule.seed is not None else self.seed}:{canonical}:{matched}")

    def _decide(self, rule: FaultRule, facts: RequestFacts, indices: tuple[int, ...], matched: int,
                fired: int) -> Firing | None:
        if matched < rule.nth or (rule.times is not None and fired >= rule.times):
            return None
        rng = self._luck(rule, matched)
        if rule.probability < 1.0 and rng.random() >= rule.probability:
            return None
        firing = Firing(rule.id, rule.action, indices)
        limiter = self._limiter(rule.id, facts.company) if rule.action.limited else None
        if not rule.action.admits(firing, facts, limiter):
            return None
        firing.delay_ms = rule.action.delay_ms(rng)
        return firing


    def _matching_functions(self, rule: FaultRule, facts: RequestFacts) -> tuple[int, ...] | None:
        m = rule.match
        if m.protocol is not None and m.protocol != facts.protocol:
            return None
        if m.method is not None and m.method != facts.method:
            return None
        if m.path is not None and not _glob(m.path, facts.path):
            return None
        if m.sender is not None and m.sender != facts.sender:
            return None
        if m.user is not None and m.user != (facts.user or ""):
            return None
        if m.session is not None and m.session != (facts.sessionid is not None):
            return None
        for name, pattern in m.headers:
            value = facts.headers.get(name)
            if value is None or not _glob(pattern, value):
                return None
        indices = tuple(
            i for i, f in enumerate(facts.functions)
            if (not m.functions or f.name in m.functions)
            and (not m.objects or f.object in m.objects)
            and (m.controlid is None or _glob(m.controlid, f.controlid))
        )
        function_level = bool(m.functions or m.objects or m.controlid is not None)
        if function_level and not indices:
            return None
        return indices if function_level else tuple(range(len(facts.functions)))

    def _limiter(self, rule_id: str, company: str | None) -> _Limiter:
        """This process's state for a rule and a company: a rate limiter's window, concurrency slots."""
        with self._lock:
            return self._limiters.setdefault((rule_id, company or ""), _Limiter())

    # ------------------------------------------------------------------ concurrency slots

    def slot(self, firing: Firing, company: str | None) -> threading.BoundedSemaphore:
        limiter = self._limiter(firing.rule_id, company)
        with self._lock:
            if limiter.slots is None:
                limiter.slots = threading.BoundedSemaphore(firing.action.spec["max"])
            return limiter.slots
