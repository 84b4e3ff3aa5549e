"""Fault rules: parsed from JSON/YAML, validated up front with messages that name the bad key.

A rule is ``match`` (which requests) + ``action`` (what goes wrong) + counting (``nth``,
``times``, ``probability`` with ``seed``, ``window``). The smallest rule the issue names,
``{"company": "DEMO", "match": {"function": "create_bill"}, "action": {"type": "drop_ack",
"variant": "reset"}, "times": 1}``, is valid as written. Counting keys may sit at the top level
or inside ``match``; both spellings mean the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from .actions import Action, parse_action
from .spec import FaultSpecError, choice, fail, integer, number, only, strings, text, when

COUNTING_KEYS = ("nth", "times", "probability", "seed", "window")
MATCH_KEYS = ("function", "object", "controlid", "sender", "user", "header", "session", "protocol", "method", "path",
              *COUNTING_KEYS)
PROTOCOLS = ("xml", "rest")
METHODS = ("GET", "POST", "PATCH", "DELETE")


@dataclass(frozen=True)
class Match:
    functions: tuple[str, ...] = ()  # any of, exact (case-sensitive, as Intacct's function names)
    objects: tuple[str, ...] = ()  # any of, upper-case
    controlid: str | None = None  # glob, or "re:<regex>"
    sender: str | None = None
    user: str | None = None  # case-insensitive, as Intacct user ids
    headers: tuple[tuple[str, str], ...] = ()  # (name lower-case, glob)
    session: bool | None = None  # True: only session-authenticated requests
    protocol: str | None = None  # xml | rest: one front door only
    method: str | None = None  # REST: the HTTP method, upper-case
    path: str | None = None  # REST: glob on the path under /ia/api/v1 ("objects/accounts-payable/*")


@dataclass(frozen=True)
class Window:
    start: datetime | None
    end: datetime | None


@dataclass
class FaultRule:
    id: str
    company: str | None  # upper-case key; None: every company
    match: Match
    action: Action  # validated (``action.spec`` is its normalised JSON form)
    nth: int = 1  # first matching call that fires
    times: int | None = None  # how many calls fire; None: unlimited
    probability: float = 1.0
    seed: int | None = None
    window: Window | None = None
    description: str = ""
    source: str = "api"  # api | file | header
    spec: dict[str, Any] = field(default_factory=dict)  # the rule as given (JSON-safe): stored and re-parsed
    matched: int = 0  # counters, mutated by the engine under its lock
    fired: int = 0
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def type(self) -> str:
        return self.action.type

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def to_dict(self) -> dict[str, Any]:
        m = self.match
        match: dict[str, Any] = {}
        if m.functions:
            match["function"] = list(m.functions)
        if m.objects:
            match["object"] = list(m.objects)
        for key in ("controlid", "sender", "user", "session", "protocol", "method", "path"):
            if getattr(m, key) is not None:
                match[key] = getattr(m, key)
        if m.headers:
            match["header"] = dict(m.headers)
        out: dict[str, Any] = {"id": self.id, "company": self.company, "match": match, "action": self.action.to_dict(),
                               "nth": self.nth, "times": self.times, "probability": self.probability,
                               "seed": self.seed, "description": self.description, "source": self.source,
                               "matched": self.matched, "fired": self.fired, "exhausted": self.exhausted}
        if self.window:
            out["window"] = {"start": self.window.start.isoformat() if self.window.start else None,
                             "end": self.window.end.isoformat() if self.window.end else None}
        return out


# ---------------------------------------------------------------------------- rules


def _parse_match(raw: Any) -> Match:
    if raw is None:
        return Match()
    if not isinstance(raw, Mapping):
        raise fail("match", "expected a mapping")
    only(raw, "match", MATCH_KEYS)
    headers: tuple[tuple[str, str], ...] = ()
    if "header" in raw:
        if not isinstance(raw["header"], Mapping) or not raw["header"]:
            raise fail("match.header", "expected a mapping of header name to value pattern")
        headers = tuple((str(k).lower(), text(v, f"match.header.{k}")) for k, v in raw["header"].items())
    session = raw.get("session")
    if session is not None and not isinstance(session, bool):
        raise fail("match.session", "expected true or false")
    return Match(
        functions=strings(raw["function"], "match.function") if "function" in raw else (),
        objects=tuple(o.upper() for o in strings(raw["object"], "match.object")) if "object" in raw else (),
        controlid=text(raw["controlid"], "match.controlid") if "controlid" in raw else None,
        sender=text(raw["sender"], "match.sender") if "sender" in raw else None,
        user=text(raw["user"], "match.user").lower() if "user" in raw else None,
        headers=headers,
        session=session,
        protocol=choice(raw["protocol"], "match.protocol", PROTOCOLS) if "protocol" in raw else None,
        method=choice(str(raw["method"]).upper(), "match.method", METHODS) if "method" in raw else None,
        path=text(raw["path"], "match.path").strip("/") if "path" in raw else None,
    )


def parse_rule(raw: Any, rule_id: str, *, source: str = "api") -> FaultRule:
    """Validate one rule; raises FaultSpecError naming the first bad key."""
    if not isinstance(raw, Mapping):
        raise FaultSpecError("a fault rule must be a mapping (JSON object)")
    only(raw, "", ("id", "company", "match", "action", "description", *COUNTING_KEYS))
    if "action" not in raw:
        raise fail("action", "required")
    match_raw = raw.get("match") or {}
    counting: dict[str, Any] = {}
    for key in COUNTING_KEYS:
        if key in raw and isinstance(match_raw, Mapping) and key in match_raw:
            raise fail(key, "given both at the top level and inside match; keep one")
        if key in raw:
            counting[key] = raw[key]
        elif isinstance(match_raw, Mapping) and key in match_raw:
            counting[key] = match_raw[key]
    match = _parse_match(match_raw)
    window = None
    if counting.get("window") is not None:
        w = counting["window"]
        if not isinstance(w, Mapping) or not set(w) <= {"start", "end"}:
            raise fail("window", "expected a mapping with 'start' and/or 'end'")
        window = Window(when(w.get("start"), "window.start"), when(w.get("end"), "window.end"))
    times = counting.get("times")
    company = raw.get("company")
    return FaultRule(
        id=str(raw.get("id") or rule_id),
        company=text(company, "company").upper() if company is not None else None,
        match=match,
        action=parse_action(raw["action"]),
        nth=integer(counting.get("nth", 1), "nth", 1),
        times=integer(times, "times", 1) if times is not None else None,
        probability=number(counting.get("probability", 1.0), "probability", 0.0, 1.0),
        seed=integer(counting["seed"], "seed", 0) if counting.get("seed") is not None else None,
        window=window,
        description=str(raw.get("description") or ""),
        source=source,
        spec=json.loads(json.dumps(dict(raw), default=str)),
    )
