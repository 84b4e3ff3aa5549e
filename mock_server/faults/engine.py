"""Decide which fault rules fire for a request, deterministically.

Rules are evaluated in the order they were added. Each rule owns a random generator seeded from
its ``seed`` (or the server seed) and its id, and draws from it only when everything else says
"fire", so the same rules and the same request sequence fire the same faults on every run.
State lives in this process (rules, counters, limiter windows): run one server process when
faults matter (the bundled server is one process with threads).
"""

from __future__ import annotations

import fnmatch
import json
import math
import random
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

from .model import FaultRule, FaultSpecError, parse_action, parse_rule


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


@dataclass
class Firing:
    """One rule that fired for one request, with what the pipeline needs to apply it."""

    rule_id: str
    type: str
    action: dict[str, Any]
    functions: tuple[int, ...]  # indices of the matching functions
    delay_ms: float = 0.0  # latency
    retry_after: int | None = None  # rate_limit
    busy: bool = False  # concurrency_limit: no slot was free

    def to_dict(self) -> dict[str, Any]:
        out = {"rule": self.rule_id, "type": self.type, "action": self.action, "functions": list(self.functions)}
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
        return cls(str(data["rule"]), str(data["type"]), dict(data["action"]), tuple(data.get("functions", ())),
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
    def __init__(self, seed: int = 42, *, header_enabled: bool = False) -> None:
        self.seed = seed
        self.header_enabled = header_enabled
        self._rules: list[FaultRule] = []
        self._rngs: dict[str, random.Random] = {}
        self._limiters: dict[tuple[str, str], _Limiter] = {}
        self._next = 1
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ rule management

    def add(self, raw: Any, *, source: str = "api") -> FaultRule:
        with self._lock:
            rule = parse_rule(raw, f"f{self._next}", source=source)
            if any(r.id == rule.id for r in self._rules):
                raise FaultSpecError(f"id: a rule with id {rule.id!r} already exists")
            self._next += 1
            self._rules.append(rule)
            self._rngs[rule.id] = self._rng_for(rule)
            return rule

    def _rng_for(self, rule: FaultRule) -> random.Random:
        """Seeded by the rule's content, not its id: re-adding the same rule replays the same luck."""
        d = rule.to_dict()
        canonical = json.dumps({k: d[k] for k in ("company", "match", "action", "nth", "times", "probability")},
                               sort_keys=True)
        return random.Random(f"{rule.seed if rule.seed is not None else self.seed}:{canonical}")

    def add_many(self, raws: Iterable[Any], *, source: str = "api") -> list[FaultRule]:
        """All or nothing: a bad rule in a file adds none of them."""
        raws = list(raws)
        for n, raw in enumerate(raws):
            try:
                parse_rule(raw, "check", source=source)
            except FaultSpecError as exc:
                raise FaultSpecError(f"rule {n + 1}: {exc}") from None
        return [self.add(raw, source=source) for raw in raws]

    def rules(self, company: str | None = None) -> list[FaultRule]:
        with self._lock:
            if company is None:
                return list(self._rules)
            key = company.upper()
            return [r for r in self._rules if r.company == key]

    def remove(self, rule_id: str, company: str | None = None) -> bool:
        with self._lock:
            for r in self._rules:
                if r.id == rule_id and (company is None or r.company == company.upper()):
                    self._rules.remove(r)
                    self._drop_state(r.id)
                    return True
            return False

    def clear(self, company: str | None = None) -> int:
        with self._lock:
            keep = [] if company is None else [r for r in self._rules if r.company != company.upper()]
            removed = [r for r in self._rules if r not in keep]
            self._rules = keep
            for r in removed:
                self._drop_state(r.id)
            return len(removed)

    def _drop_state(self, rule_id: str) -> None:
        self._rngs.pop(rule_id, None)
        for key in [k for k in self._limiters if k[0] == rule_id]:
            del self._limiters[key]

    # ------------------------------------------------------------------ evaluation

    def header_rules(self, value: str | None) -> list[FaultRule]:
        """One-off rules from ``X-Mock-Fault`` (``;``-separated short forms), when enabled."""
        if not value or not self.header_enabled:
            return []
        rules = []
        for n, part in enumerate(p for p in value.split(";") if p.strip()):
            rules.append(parse_rule({"action": parse_action(part.strip(), "X-Mock-Fault")}, f"header-{n + 1}", source="header"))
        return rules

    def evaluate(self, facts: RequestFacts, extra: list[FaultRule] = ()) -> list[Firing]:
        firings: list[Firing] = []
        with self._lock:
            for rule in [*self._rules, *extra]:
                firing = self._consider(rule, facts)
                if firing is not None:
                    firings.append(firing)
        return firings

    def _consider(self, rule: FaultRule, facts: RequestFacts) -> Firing | None:
        if rule.company is not None and rule.company != facts.company:
            return None
        indices = self._matching_functions(rule, facts)
        if indices is None:
            return None
        if rule.window and ((rule.window.start and facts.now < rule.window.start)
                            or (rule.window.end and facts.now >= rule.window.end)):
            return None
        rule.matched += 1
        if rule.matched < rule.nth or rule.exhausted:
            return None
        rng = self._rngs.get(rule.id) or self._rngs.setdefault(rule.id, self._rng_for(rule))
        if rule.probability < 1.0 and rng.random() >= rule.probability:
            return None
        firing = Firing(rule.id, rule.type, rule.action, indices)
        if rule.type == "rate_limit" and not self._over_rate(rule, facts, firing):
            return None
        if rule.type == "concurrency_limit":
            limiter = self._limiters.setdefault((rule.id, facts.company or ""), _Limiter())
            if limiter.slots is None:
                limiter.slots = threading.BoundedSemaphore(rule.action["max"])
        if rule.type == "latency":
            firing.delay_ms = self._delay(rule.action, rng)
        rule.fired += 1
        return firing

    def _matching_functions(self, rule: FaultRule, facts: RequestFacts) -> tuple[int, ...] | None:
        m = rule.match
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

    def _over_rate(self, rule: FaultRule, facts: RequestFacts, firing: Firing) -> bool:
        limiter = self._limiters.setdefault((rule.id, facts.company or ""), _Limiter())
        window = rule.action["per_seconds"]
        now = facts.now.timestamp()
        while limiter.hits and limiter.hits[0] <= now - window:
            limiter.hits.popleft()
        if len(limiter.hits) < rule.action["requests"]:
            limiter.hits.append(now)
            return False
        wait = limiter.hits[0] + window - now if limiter.hits else window
        firing.retry_after = rule.action.get("retry_after", max(1, math.ceil(wait)))
        return True

    @staticmethod
    def _delay(action: Mapping[str, Any], rng: random.Random) -> float:
        dist = action["distribution"]
        if dist == "fixed":
            return action["ms"]
        if dist == "uniform":
            return rng.uniform(action["min_ms"], action["max_ms"])
        median = action["median_ms"]
        return min(median * math.exp(rng.gauss(0.0, action["sigma"])) if median > 0 else 0.0, 120_000.0)

    # ------------------------------------------------------------------ concurrency slots

    def slot(self, firing: Firing, company: str | None) -> threading.BoundedSemaphore:
        with self._lock:
            limiter = self._limiters.setdefault((firing.rule_id, company or ""), _Limiter())
            if limiter.slots is None:
                limiter.slots = threading.BoundedSemaphore(firing.action["max"])
            return limiter.slots
