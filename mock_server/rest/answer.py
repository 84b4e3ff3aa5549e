"""What a REST operation answers, framework-free: status, JSON body (or a raw page), headers, and
whether the transport must lose it (``drop_ack``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..faults.delivery import DropPlan


@dataclass
class Answer:
    status: int
    body: Any = None  # JSON-able; None: no body (204), or ``raw``
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # a page that is not JSON (a CDN error page a fault answers with)
    content_type: str = "application/json"
    drop: DropPlan | None = None  # the transport loses this answer (drop_ack after the commit)
    lost: "Answer | None" = None  # what the application answered, when a gateway page replaced it

    def payload(self) -> bytes:
        """The bytes on the wire, made once (the response and the journal both want them)."""
        if self.raw is None:
            self.raw = b"" if self.body is None else json.dumps(self.body).encode()
        return self.raw
