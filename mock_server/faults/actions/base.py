"""What every fault action is: a type, the phase of a request it acts in, a spec it parses, an effect.

An action is immutable: ``spec`` is the normalised JSON form (defaults filled in), which the
journal records and a replayed bundle parses back. Effects are protocol-free (typed errors, page
bodies, changes to the world); the front door renders them.
"""

from __future__ import annotations

import enum
import random
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Protocol

from ..spec import fail, only

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Firing, RequestFacts


class Phase(enum.Enum):
    """When in a request an action acts, in the order the gateway applies them."""

    DELAY = "delay"  # the answer waits (inside any concurrency slot)
    FRONT = "front"  # answered in front of the application: nothing runs
    STATE = "state"  # the world changes first, so authentication fails the natural way
    SLOT = "slot"  # a limited number of matching calls run at a time
    FUNCTION = "function"  # the matching functions fail where they would have run
    DELIVERY = "delivery"  # after the commit: the answer is lost on its way


class World(Protocol):
    """What a STATE action may change (the gateway provides it, inside a write transaction)."""

    def rotate_password(self, company: str, user: str, new_password: str | None) -> None: ...

    def expire_session(self, sessionid: str) -> None: ...


class Action:
    type: ClassVar[str]
    phase: ClassVar[Phase]
    order: ClassVar[int]  # where it is listed (catalog, errors, the inspector's choices)
    summary: ClassVar[str]  # one paragraph: the OpenAPI description of the action object
    properties: ClassVar[dict[str, Any]] = {}  # JSON schema of the keys besides ``type``
    required: ClassVar[tuple[str, ...]] = ()  # beyond ``type``
    schema_extra: ClassVar[dict[str, Any]] = {}  # more JSON schema for the input object (anyOf, allOf)
    output_rule: ClassVar[dict[str, Any] | None] = None  # JSON schema the normalised spec also meets
    limited: ClassVar[bool] = False  # keeps per-company state in the engine (a rate limit's window)
    short_form: ClassVar[str | None] = None  # the property ``type=value`` sets, if the short form takes a value

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    # ------------------------------------------------------------------ parsing

    @classmethod
    def parse(cls, raw: Mapping[str, Any], path: str = "action") -> "Action":
        """Validate ``raw`` (an action object of this type); errors name the bad key."""
        only(raw, path, ("type", *cls.properties))
        return cls({"type": cls.type, **cls.normalise(raw, path)})

    @classmethod
    def normalise(cls, raw: Mapping[str, Any], path: str) -> dict[str, Any]:
        """The spec's keys besides ``type``, checked and with defaults filled in."""
        return {}

    @classmethod
    def shorthand(cls, arg: str, path: str) -> dict[str, Any]:
        """``type=arg`` (the ``X-Mock-Fault`` form) as a raw action object: the value goes to the
        property named by ``short_form`` (and is checked by ``normalise`` like any other)."""
        if not arg:
            return {"type": cls.type}
        if cls.short_form is None:
            raise fail(path, f"{cls.type} takes no value in the short form")
        return {"type": cls.type, cls.short_form: arg}

    @classmethod
    def examples(cls) -> list[tuple[str, str]]:
        """Ready-made short forms and their labels (the inspector offers them)."""
        return [(cls.type, cls.type.replace("_", " "))]

    # ------------------------------------------------------------------ engine hooks

    def admits(self, firing: "Firing", facts: "RequestFacts", limiter: Any) -> bool:
        """Whether a rule that matched and was drawn fires (a rate limit fires only past its limit)."""
        return True

    def delay_ms(self, rng: random.Random) -> float:
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.spec)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec!r})"
