"""Fault injection: rules that make the emulator misbehave the way Intacct and its network do.

``model`` parses and validates rules (``spec`` holds the checks), ``actions`` has one class per
action type (its spec, its phase, its effect), ``presets`` the named Intacct errors, ``engine``
decides which rules fire for a request (deterministically under a seed), ``frontend`` says what
Intacct or its CDN answers for an injected status, and ``delivery`` loses acknowledgements on the
socket.
"""

from .engine import FaultEngine, Firing, RequestFacts
from .model import FaultRule, FaultSpecError, parse_rule

__all__ = ["FaultEngine", "FaultRule", "FaultSpecError", "Firing", "RequestFacts", "parse_rule"]
