"""FRONT actions: answered in front of the application, nothing runs."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ...errors import RateLimitError
from ..frontend import FrontendReply, http_status_reply
from ..spec import choice, fail, integer, number, text
from .base import Action, Phase

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Firing

class HttpStatus(Action):
    type, phase = "http_status", Phase.FRONT
    order = 10
    STATUSES = (401, 429, 500, 502, 503, 504, 524)
    summary = "Answer with this HTTP status and the body Intacct (or its front end) sends with it; nothing runs."
    properties = {
        "status": {"type": "integer", "enum": list(STATUSES)},
        "retry_after": {"type": "integer", "minimum": 0, "maximum": 86400,
                        "description": "Retry-After seconds; defaults to 60 for 429 (and is then always present on output)."},
        "body": {"type": "string", "minLength": 1, "description": "A body to send instead of the realistic one."},
    }
    required = ("status",)
    output_rule = {"if": {"properties": {"status": {"const": 429}}, "required": ["status"]},
                   "then": {"required": ["retry_after"]}}

    @classmethod
    def normalise(cls, raw, path):
        out: dict[str, Any] = {"status": choice(raw.get("status"), f"{path}.status", cls.STATUSES)}
        if out["status"] == 429:
            out["retry_after"] = integer(raw.get("retry_after", 60), f"{path}.retry_after", 0, 86_400)
        elif "retry_after" in raw:
            out["retry_after"] = integer(raw["retry_after"], f"{path}.retry_after", 0, 86_400)
        if "body" in raw:
            out["body"] = text(raw["body"], f"{path}.body")
        return out

    @classmethod
    def shorthand(cls, arg, path):
        if not arg:
            return {"type": cls.type}
        if not arg.isdigit():
            raise fail(path, f"http_status needs a status code, got {arg!r}")
        return {"type": cls.type, "status": int(arg)}

    @classmethod
    def examples(cls):
        return [(f"http_status={s}", f"HTTP {s}") for s in cls.STATUSES]

    def front(self, firing: "Firing") -> FrontendReply:
        spec = self.spec
        return http_status_reply(spec["status"], retry_after=spec.get("retry_after"), body=spec.get("body"))


class RateLimit(Action):
    type, phase = "rate_limit", Phase.FRONT
    order = 70
    limited = True
    summary = "Allow `requests` calls per `per_seconds` per company; calls over the limit get 429."
    properties = {
        "requests": {"type": "integer", "minimum": 0},
        "per_seconds": {"type": "number", "minimum": 0.001, "maximum": 86400, "default": 60},
        "retry_after": {"type": "integer", "minimum": 0, "maximum": 86400,
                        "description": "Fixed Retry-After; by default the time until a slot frees."},
    }
    required = ("requests",)
    output_rule = {"required": ["per_seconds"]}

    @classmethod
    def normalise(cls, raw, path):
        out: dict[str, Any] = {"requests": integer(raw.get("requests"), f"{path}.requests", 0),
                               "per_seconds": number(raw.get("per_seconds", 60), f"{path}.per_seconds", 0.001, 86_400)}
        if "retry_after" in raw:
            out["retry_after"] = integer(raw["retry_after"], f"{path}.retry_after", 0, 86_400)
        return out

    @classmethod
    def examples(cls):
        return []

    def admits(self, firing, facts, limiter) -> bool:
        """Over the limit only: ``limiter.hits`` holds this rule's recent calls for the company."""
        window = self.spec["per_seconds"]
        now = facts.now.timestamp()
        while limiter.hits and limiter.hits[0] <= now - window:
            limiter.hits.popleft()
        if len(limiter.hits) < self.spec["requests"]:
            limiter.hits.append(now)
            return False
        wait = limiter.hits[0] + window - now if limiter.hits else window
        firing.retry_after = self.spec.get("retry_after", max(1, math.ceil(wait)))
        return True

    def front(self, firing: "Firing") -> FrontendReply:
        return FrontendReply(429, b"", "", {"Retry-After": str(firing.retry_after)}, RateLimitError())
