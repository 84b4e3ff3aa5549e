"""Fault injection: rules that make the emulator misbehave the way Intacct and its network do.

``model`` parses and validates rules, ``presets`` holds the named Intacct errors, ``engine``
decides which rules fire for a request (deterministically under a seed), ``frontend`` renders
what a CDN or load balancer sends, and ``delivery`` loses acknowledgements on the socket.
"""

from .engine import FaultEngine, Firing, RequestFacts
from .model import FaultRule, FaultSpecError, parse_rule

__all__ = ["FaultEngine", "FaultRule", "FaultSpecError", "Firing", "RequestFacts", "parse_rule"]
