"""FUNCTION actions: the matching functions fail where they would have run."""

from __future__ import annotations

from typing import Any, Mapping

from ...errors import IntacctError
from ..presets import PRESETS, build_error
from ..spec import choice, fail
from .base import Action, Phase

class IntacctErrorAction(Action):
    type, phase = "intacct_error", Phase.FUNCTION
    order = 20
    short_form = "preset"
    summary = "The matching functions fail with this Intacct error (a preset, or a number and texts)."
    properties = {
        "preset": {"type": "string", "enum": list(PRESETS)},
        "errorno": {"type": "string"},
        "description": {"type": "string"},
        "description2": {"type": "string"},
        "correction": {"type": "string"},
        "document_number": {"type": "string", "description": "For presets that name a document number."},
        "field": {"type": "string", "description": "For presets that name a field."},
        "date": {"type": "string", "description": "For presets that name a date."},
    }
    schema_extra = {"anyOf": [{"required": ["preset"]}, {"required": ["errorno"]}]}
    TEXTS = ("errorno", "description", "description2", "correction", "document_number", "field", "date")

    @classmethod
    def normalise(cls, raw, path):
        out: dict[str, Any] = {}
        if "preset" in raw:
            out["preset"] = choice(raw["preset"], f"{path}.preset", tuple(PRESETS))
        elif "errorno" not in raw:
            raise fail(path, "intacct_error needs a 'preset' or an 'errorno'")
        for key in cls.TEXTS:
            if key in raw:
                if not isinstance(raw[key], str):
                    raise fail(f"{path}.{key}", "expected a string")
                out[key] = raw[key]
        return out

    @classmethod
    def examples(cls):
        return [(f"intacct_error={p}", f"Intacct error: {p}") for p in PRESETS]

    def error(self, context: Mapping[str, Any]) -> IntacctError:
        """The error a matching function raises; ``context`` names what the function was about
        (object, label, document number, session, sender, company, address)."""
        merged = {**context, "document_number": self.spec.get("document_number") or context.get("document_number"),
                  "field": self.spec.get("field"), "date": self.spec.get("date")}
        return build_error(self.spec, merged)
