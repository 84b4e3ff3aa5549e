"""SLOT actions: a limited number of matching calls run at a time (the gateway holds the slots)."""

from __future__ import annotations

from ..spec import integer, number
from .base import Action, Phase

class ConcurrencyLimit(Action):
    type, phase = "concurrency_limit", Phase.SLOT
    order = 80
    summary = ("At most `max` matching calls at a time per company; a call that cannot get a slot within "
               "`wait_seconds` fails as Intacct's concurrency limit does.")
    properties = {
        "max": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 2},
        "wait_seconds": {"type": "number", "minimum": 0, "maximum": 300, "default": 0},
    }
    output_rule = {"required": ["max", "wait_seconds"]}

    @classmethod
    def normalise(cls, raw, path):
        return {"max": integer(raw.get("max", 2), f"{path}.max", 1, 1000),
                "wait_seconds": number(raw.get("wait_seconds", 0), f"{path}.wait_seconds", 0, 300)}

    @classmethod
    def examples(cls):
        return []
