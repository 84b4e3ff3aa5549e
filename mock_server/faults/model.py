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

from .presets import PRESETS

HTTP_STATUSES = (401, 429, 500, 502, 503, 504, 524)
DROP_VARIANTS = ("reset", "close", "hang", "gateway_error", "truncate")
GATEWAY_ERROR_STATUSES = (502, 504, 524)
MAX_LATENCY_MS = 120_000
MAX_HANG_SECONDS = 300.0
COUNTING_KEYS = ("nth", "times", "probability", "seed", "window")
MATCH_KEYS = ("function", "object", "controlid", "sender", "user", "header", "session", *COUNTING_KEYS)


class FaultSpecError(ValueError):
    """A rule that cannot be used; the message names the key and what was expected."""


@dataclass(frozen=True)
class Match:
    functions: tuple[str, ...] = ()  # any of, exact (case-sensitive, as Intacct's function names)
    objects: tuple[str, ...] = ()  # any of, upper-case
    controlid: str | None = None  # glob, or "re:<regex>"
    sender: str | None = None
    user: str | None = None  # case-insensitive, as Intacct user ids
    headers: tuple[tuple[str, str], ...] = ()  # (name lower-case, glob)
    session: bool | None = None  # True: only session-authenticated requests


@dataclass(frozen=True)
class Window:
    start: datetime | None
    end: datetime | None


@dataclass
class FaultRule:
    id: str
    company: str | None  # upper-case key; None: every company
    match: Match
    action: dict[str, Any]  # validated; "type" always present
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
        return self.action["type"]

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
        for key in ("controlid", "sender", "user", "session"):
            if getattr(m, key) is not None:
                match[key] = getattr(m, key)
        if m.headers:
            match["header"] = dict(m.headers)
        out: dict[str, Any] = {"id": self.id, "company": self.company, "match": match, "action": dict(self.action),
                               "nth": self.nth, "times": self.times, "probability": self.probability,
                               "seed": self.seed, "description": self.description, "source": self.source,
                               "matched": self.matched, "fired": self.fired, "exhausted": self.exhausted}
        if self.window:
            out["window"] = {"start": self.window.start.isoformat() if self.window.start else None,
                             "end": self.window.end.isoformat() if self.window.end else None}
        return out


# ---------------------------------------------------------------------------- parsing helpers


def _fail(path: str, message: str) -> FaultSpecError:
    return FaultSpecError(f"{path}: {message}")


def _strings(value: Any, path: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise _fail(path, "expected a non-empty string or a list of them")
    return tuple(v.strip() for v in items)


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, "expected a non-empty string")
    return value.strip()


def _int(value: Any, path: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise _fail(path, f"expected a whole number {bound}, got {value!r}")
    return value


def _number(value: Any, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _fail(path, f"expected a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _when(value: Any, path: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise _fail(path, f"expected an ISO-8601 date-time, got {value!r}") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _choice(value: Any, path: str, options: tuple) -> Any:
    if value not in options:
        raise _fail(path, f"expected one of {', '.join(map(str, options))}; got {value!r}")
    return value


def _only(data: Mapping[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise _fail(f"{path}.{unknown[0]}" if path else unknown[0], f"unknown key; allowed: {', '.join(allowed)}")


# ---------------------------------------------------------------------------- actions

_ACTION_KEYS: dict[str, tuple[str, ...]] = {
    "http_status": ("type", "status", "retry_after", "body"),
    "intacct_error": ("type", "preset", "errorno", "description", "description2", "correction",
                      "document_number", "field", "date"),
    "drop_ack": ("type", "variant", "status", "hang_seconds"),
    "latency": ("type", "distribution", "ms", "min_ms", "max_ms", "median_ms", "sigma"),
    "session_expire": ("type",),
    "rotate_password": ("type", "new_password"),
    "rate_limit": ("type", "requests", "per_seconds", "retry_after"),
    "concurrency_limit": ("type", "max", "wait_seconds"),
}
ACTION_TYPES = tuple(_ACTION_KEYS)


def parse_action(raw: Any, path: str = "action") -> dict[str, Any]:
    if isinstance(raw, str):  # shorthand: "drop_ack" or "drop_ack=reset" (the header form)
        raw = parse_shorthand(raw, path)
    if not isinstance(raw, Mapping):
        raise _fail(path, "expected a mapping with a 'type'")
    kind = _choice(raw.get("type"), f"{path}.type", ACTION_TYPES)
    _only(raw, path, _ACTION_KEYS[kind])
    a: dict[str, Any] = {"type": kind}
    if kind == "http_status":
        a["status"] = _choice(raw.get("status"), f"{path}.status", HTTP_STATUSES)
        if a["status"] == 429:
            a["retry_after"] = _int(raw.get("retry_after", 60), f"{path}.retry_after", 0, 86_400)
        elif "retry_after" in raw:
            a["retry_after"] = _int(raw["retry_after"], f"{path}.retry_after", 0, 86_400)
        if "body" in raw:
            a["body"] = _text(raw["body"], f"{path}.body")
    elif kind == "intacct_error":
        if "preset" in raw:
            a["preset"] = _choice(raw["preset"], f"{path}.preset", tuple(PRESETS))
        elif "errorno" not in raw:
            raise _fail(path, "intacct_error needs a 'preset' or an 'errorno'")
        for key in ("errorno", "description", "description2", "correction", "document_number", "field", "date"):
            if key in raw:
                if not isinstance(raw[key], str):
                    raise _fail(f"{path}.{key}", "expected a string")
                a[key] = raw[key]
    elif kind == "drop_ack":
        a["variant"] = _choice(raw.get("variant", "reset"), f"{path}.variant", DROP_VARIANTS)
        if a["variant"] == "gateway_error":
            a["status"] = _choice(raw.get("status", 504), f"{path}.status", GATEWAY_ERROR_STATUSES)
        if a["variant"] == "hang":
            a["hang_seconds"] = _number(raw.get("hang_seconds", 30), f"{path}.hang_seconds", 0, MAX_HANG_SECONDS)
    elif kind == "latency":
        dist = _choice(raw.get("distribution", "fixed"), f"{path}.distribution", ("fixed", "uniform", "lognormal"))
        a["distribution"] = dist
        if dist == "fixed":
            a["ms"] = _number(raw.get("ms"), f"{path}.ms", 0, MAX_LATENCY_MS)
        elif dist == "uniform":
            a["min_ms"] = _number(raw.get("min_ms", 0), f"{path}.min_ms", 0, MAX_LATENCY_MS)
            a["max_ms"] = _number(raw.get("max_ms"), f"{path}.max_ms", a["min_ms"], MAX_LATENCY_MS)
        else:
            a["median_ms"] = _number(raw.get("median_ms"), f"{path}.median_ms", 0, MAX_LATENCY_MS)
            a["sigma"] = _number(raw.get("sigma", 0.5), f"{path}.sigma", 0, 5)
    elif kind == "rotate_password":
        if "new_password" in raw:
            a["new_password"] = _text(raw["new_password"], f"{path}.new_password")
    elif kind == "rate_limit":
        a["requests"] = _int(raw.get("requests"), f"{path}.requests", 0)
        a["per_seconds"] = _number(raw.get("per_seconds", 60), f"{path}.per_seconds", 0.001, 86_400)
        if "retry_after" in raw:
            a["retry_after"] = _int(raw["retry_after"], f"{path}.retry_after", 0, 86_400)
    elif kind == "concurrency_limit":
        a["max"] = _int(raw.get("max", 2), f"{path}.max", 1, 1000)
        a["wait_seconds"] = _number(raw.get("wait_seconds", 0), f"{path}.wait_seconds", 0, 300)
    return a


def parse_shorthand(text: str, path: str = "action") -> dict[str, Any]:
    """``drop_ack=reset``, ``http_status=401``, ``intacct_error=numbering_collision``, ``latency=250``."""
    kind, _, arg = text.strip().partition("=")
    kind, arg = kind.strip(), arg.strip()
    if kind not in ACTION_TYPES:
        raise _fail(path, f"expected one of {', '.join(ACTION_TYPES)}; got {kind!r}")
    if not arg:
        return {"type": kind}
    if kind == "drop_ack":
        return {"type": kind, "variant": arg}
    if kind == "http_status":
        if not arg.isdigit():
            raise _fail(path, f"http_status needs a status code, got {arg!r}")
        return {"type": kind, "status": int(arg)}
    if kind == "intacct_error":
        return {"type": kind, "preset": arg}
    if kind == "latency":
        try:
            return {"type": kind, "ms": float(arg)}
        except ValueError:
            raise _fail(path, f"latency needs milliseconds, got {arg!r}") from None
    if kind == "rotate_password":
        return {"type": kind, "new_password": arg}
    raise _fail(path, f"{kind} takes no value in the short form")


# ---------------------------------------------------------------------------- rules


def _parse_match(raw: Any) -> Match:
    if raw is None:
        return Match()
    if not isinstance(raw, Mapping):
        raise _fail("match", "expected a mapping")
    _only(raw, "match", MATCH_KEYS)
    headers: tuple[tuple[str, str], ...] = ()
    if "header" in raw:
        if not isinstance(raw["header"], Mapping) or not raw["header"]:
            raise _fail("match.header", "expected a mapping of header name to value pattern")
        headers = tuple((str(k).lower(), _text(v, f"match.header.{k}")) for k, v in raw["header"].items())
    session = raw.get("session")
    if session is not None and not isinstance(session, bool):
        raise _fail("match.session", "expected true or false")
    return Match(
        functions=_strings(raw["function"], "match.function") if "function" in raw else (),
        objects=tuple(o.upper() for o in _strings(raw["object"], "match.object")) if "object" in raw else (),
        controlid=_text(raw["controlid"], "match.controlid") if "controlid" in raw else None,
        sender=_text(raw["sender"], "match.sender") if "sender" in raw else None,
        user=_text(raw["user"], "match.user").lower() if "user" in raw else None,
        headers=headers,
        session=session,
    )


def parse_rule(raw: Any, rule_id: str, *, source: str = "api") -> FaultRule:
    """Validate one rule; raises FaultSpecError naming the first bad key."""
    if not isinstance(raw, Mapping):
        raise FaultSpecError("a fault rule must be a mapping (JSON object)")
    _only(raw, "", ("id", "company", "match", "action", "description", *COUNTING_KEYS))
    if "action" not in raw:
        raise _fail("action", "required")
    match_raw = raw.get("match") or {}
    counting: dict[str, Any] = {}
    for key in COUNTING_KEYS:
        if key in raw and isinstance(match_raw, Mapping) and key in match_raw:
            raise _fail(key, "given both at the top level and inside match; keep one")
        if key in raw:
            counting[key] = raw[key]
        elif isinstance(match_raw, Mapping) and key in match_raw:
            counting[key] = match_raw[key]
    match = _parse_match(match_raw)
    window = None
    if counting.get("window") is not None:
        w = counting["window"]
        if not isinstance(w, Mapping) or not set(w) <= {"start", "end"}:
            raise _fail("window", "expected a mapping with 'start' and/or 'end'")
        window = Window(_when(w.get("start"), "window.start"), _when(w.get("end"), "window.end"))
    times = counting.get("times")
    company = raw.get("company")
    return FaultRule(
        id=str(raw.get("id") or rule_id),
        company=_text(company, "company").upper() if company is not None else None,
        match=match,
        action=parse_action(raw["action"]),
        nth=_int(counting.get("nth", 1), "nth", 1),
        times=_int(times, "times", 1) if times is not None else None,
        probability=_number(counting.get("probability", 1.0), "probability", 0.0, 1.0),
        seed=_int(counting["seed"], "seed", 0) if counting.get("seed") is not None else None,
        window=window,
        description=str(raw.get("description") or ""),
        source=source,
        spec=json.loads(json.dumps(dict(raw), default=str)),
    )
