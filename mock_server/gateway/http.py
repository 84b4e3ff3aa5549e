"""What the pipeline hands the transport: status, body, headers, and whether to lose it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..faults.delivery import DropPlan

XML_CONTENT_TYPE = 'text/xml; encoding="UTF-8"'


@dataclass
class HttpReply:
    status: int
    body: bytes
    content_type: str = XML_CONTENT_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    lost_body: bytes | None = None  # gateway_error drop: what the application answered
    drop: DropPlan | None = None  # the transport must lose this reply (drop_ack)
    journal_id: int | None = None
