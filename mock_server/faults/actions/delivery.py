"""DELIVERY actions: after the commit, the answer is lost on its way to the client."""

from __future__ import annotations

from typing import Any

from ..spec import choice, number
from .base import Action, Phase

class DropAck(Action):
    type, phase = "drop_ack", Phase.DELIVERY
    order = 30
    short_form = "variant"
    VARIANTS = ("reset", "close", "hang", "gateway_error", "truncate")
    GATEWAY_ERROR_STATUSES = (502, 504, 524)
    MAX_HANG_SECONDS = 300.0
    summary = ("The request executes and commits, then the answer is lost: the connection is reset, closed,\n"
               "left hanging (`hang_seconds`), answered with a gateway error page (`status`), or cut off\n"
               "(`truncate`).\n")
    properties = {
        "variant": {"type": "string", "enum": list(VARIANTS), "default": "reset"},
        "status": {"type": "integer", "enum": list(GATEWAY_ERROR_STATUSES), "default": 504,
                   "description": "gateway_error only (present on output for that variant; ignored otherwise)."},
        "hang_seconds": {"type": "number", "minimum": 0, "maximum": 300, "default": 30,
                         "description": "hang only (present on output for that variant; ignored otherwise)."},
    }
    output_rule = {
        "required": ["variant"],
        "if": {"properties": {"variant": {"const": "gateway_error"}}},
        "then": {"required": ["status"], "not": {"required": ["hang_seconds"]}},
        "else": {
            "if": {"properties": {"variant": {"const": "hang"}}},
            "then": {"required": ["hang_seconds"], "not": {"required": ["status"]}},
            "else": {"allOf": [{"not": {"required": ["status"]}}, {"not": {"required": ["hang_seconds"]}}]},
        },
    }

    @classmethod
    def normalise(cls, raw, path):
        out: dict[str, Any] = {"variant": choice(raw.get("variant", "reset"), f"{path}.variant", cls.VARIANTS)}
        if out["variant"] == "gateway_error":
            out["status"] = choice(raw.get("status", 504), f"{path}.status", cls.GATEWAY_ERROR_STATUSES)
        if out["variant"] == "hang":
            out["hang_seconds"] = number(raw.get("hang_seconds", 30), f"{path}.hang_seconds", 0, cls.MAX_HANG_SECONDS)
        return out

    @classmethod
    def examples(cls):
        return [(f"drop_ack={v}", f"lost acknowledgement: {v}") for v in cls.VARIANTS]

    @property
    def variant(self) -> str:
        return self.spec["variant"]

    @property
    def status(self) -> int | None:
        """The gateway error page's status (``gateway_error`` only)."""
        return self.spec.get("status")

    @property
    def hang_seconds(self) -> float:
        return float(self.spec.get("hang_seconds", 0))
