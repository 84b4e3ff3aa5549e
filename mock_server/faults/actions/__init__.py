"""Fault actions: one class per ``type``, each parsing its own spec, naming the phase of a request
it acts in (``Phase``), and carrying its effect.

The XML gateway applies the phases in order (``gateway/faulting.py``) and knows nothing about
individual actions. Every ``Action`` subclass in this package is registered by ``type``: a new
action is one module here (its ``schema`` also feeds the admin API's OpenAPI document, the fault
catalog and the inspector's choices), a test, and its paragraph in docs/faults.md.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Mapping

from ..spec import FaultSpecError, choice, fail
from .base import Action, Phase, World


def _registered() -> dict[str, type[Action]]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    found: list[type[Action]] = []
    pending = list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "type" in cls.__dict__:
            found.append(cls)
    return {cls.type: cls for cls in sorted(found, key=lambda c: (c.order, c.type))}


ACTIONS: dict[str, type[Action]] = _registered()
ACTION_TYPES = tuple(ACTIONS)

from .delivery import DropAck  # noqa: E402  (the classes the rest of the server names)
from .front import HttpStatus  # noqa: E402


def parse_action(raw: Any, path: str = "action") -> Action:
    """An action from its object form or its short form (``drop_ack=reset``, or a bare type)."""
    if isinstance(raw, Action):
        return raw
    if isinstance(raw, str):
        raw = parse_shorthand(raw, path)
    if not isinstance(raw, Mapping):
        raise fail(path, "expected a mapping with a 'type'")
    kind = choice(raw.get("type"), f"{path}.type", ACTION_TYPES)
    return ACTIONS[kind].parse(raw, path)


def parse_shorthand(value: str, path: str = "action") -> dict[str, Any]:
    """``drop_ack=reset``, ``http_status=401``, ``intacct_error=numbering_collision``, ``latency=250``."""
    kind, _, arg = value.strip().partition("=")
    kind, arg = kind.strip(), arg.strip()
    if kind not in ACTIONS:
        raise fail(path, f"expected one of {', '.join(ACTION_TYPES)}; got {kind!r}")
    return ACTIONS[kind].shorthand(arg, path)


__all__ = ["ACTIONS", "ACTION_TYPES", "Action", "DropAck", "FaultSpecError", "HttpStatus", "Phase", "World",
           "parse_action", "parse_shorthand"]
