"""DELAY actions: the answer waits (inside any concurrency slot, as a slow call holds its slot)."""

from __future__ import annotations

import math
import random
from typing import Any

from ..spec import choice, fail, number
from .base import Action, Phase

class Latency(Action):
    type, phase = "latency", Phase.DELAY
    order = 40
    MAX_MS = 120_000
    summary = "Delay the answer; fixed (`ms`), uniform (`min_ms`..`max_ms`) or log-normal (`median_ms`, `sigma`)."
    properties = {
        "distribution": {"type": "string", "enum": ["fixed", "uniform", "lognormal"], "default": "fixed"},
        "ms": {"type": "number", "minimum": 0, "maximum": 120000},
        "min_ms": {"type": "number", "minimum": 0, "maximum": 120000, "default": 0},
        "max_ms": {"type": "number", "minimum": 0, "maximum": 120000, "description": "At least min_ms."},
        "median_ms": {"type": "number", "minimum": 0, "maximum": 120000},
        "sigma": {"type": "number", "minimum": 0, "maximum": 5, "default": 0.5},
    }
    schema_extra = {"allOf": [
        {"if": {"properties": {"distribution": {"const": "fixed"}}}, "then": {"required": ["ms"]}},
        {"if": {"properties": {"distribution": {"const": "uniform"}}, "required": ["distribution"]},
         "then": {"required": ["max_ms"]}},
        {"if": {"properties": {"distribution": {"const": "lognormal"}}, "required": ["distribution"]},
         "then": {"required": ["median_ms"]}},
    ]}
    output_rule = {"required": ["distribution"], "oneOf": [
        {"properties": {"distribution": {"const": "fixed"}}, "required": ["ms"],
         "not": {"anyOf": [{"required": ["min_ms"]}, {"required": ["max_ms"]}, {"required": ["median_ms"]},
                           {"required": ["sigma"]}]}},
        {"properties": {"distribution": {"const": "uniform"}}, "required": ["min_ms", "max_ms"],
         "not": {"anyOf": [{"required": ["ms"]}, {"required": ["median_ms"]}, {"required": ["sigma"]}]}},
        {"properties": {"distribution": {"const": "lognormal"}}, "required": ["median_ms", "sigma"],
         "not": {"anyOf": [{"required": ["ms"]}, {"required": ["min_ms"]}, {"required": ["max_ms"]}]}},
    ]}

    @classmethod
    def normalise(cls, raw, path):
        dist = choice(raw.get("distribution", "fixed"), f"{path}.distribution", ("fixed", "uniform", "lognormal"))
        out: dict[str, Any] = {"distribution": dist}
        if dist == "fixed":
            out["ms"] = number(raw.get("ms"), f"{path}.ms", 0, cls.MAX_MS)
        elif dist == "uniform":
            out["min_ms"] = number(raw.get("min_ms", 0), f"{path}.min_ms", 0, cls.MAX_MS)
            out["max_ms"] = number(raw.get("max_ms"), f"{path}.max_ms", out["min_ms"], cls.MAX_MS)
        else:
            out["median_ms"] = number(raw.get("median_ms"), f"{path}.median_ms", 0, cls.MAX_MS)
            out["sigma"] = number(raw.get("sigma", 0.5), f"{path}.sigma", 0, 5)
        return out

    @classmethod
    def shorthand(cls, arg, path):
        if not arg:
            return {"type": cls.type}
        try:
            return {"type": cls.type, "ms": float(arg)}
        except ValueError:
            raise fail(path, f"latency needs milliseconds, got {arg!r}") from None

    @classmethod
    def examples(cls):
        return [("latency=2000", "latency 2 s"), ("latency=250", "latency 250 ms")]

    def delay_ms(self, rng: random.Random) -> float:
        spec = self.spec
        if spec["distribution"] == "fixed":
            return spec["ms"]
        if spec["distribution"] == "uniform":
            return rng.uniform(spec["min_ms"], spec["max_ms"])
        median = spec["median_ms"]
        return min(median * math.exp(rng.gauss(0.0, spec["sigma"])) if median > 0 else 0.0, float(self.MAX_MS))
