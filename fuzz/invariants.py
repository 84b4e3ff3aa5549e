"""What every answer of the gateway must be, in-process or over the wire: one place for both fuzzers.

A client must always be able to read the answer: a well-formed Intacct XML ``<response>`` (JSON or
CSV when the request asked for it), with a status the gateway uses, and never a 500 nobody asked for.
"""

from __future__ import annotations

from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# In-process: what XmlGateway.handle answers. Over the wire the view adds 408 (a body that stalled).
GATEWAY_STATUSES = frozenset({200, 400, 401, 413})
WIRE_STATUSES = GATEWAY_STATUSES | {408}


class BadAnswer(Exception):
    """The answer breaks an invariant; the message says which."""


def read_answer(status: int, content_type: str, body: bytes,
                statuses: frozenset[int] = GATEWAY_STATUSES) -> etree._Element | None:
    """The answer's ``<response>`` element, None for a JSON or CSV answer; raises ``BadAnswer``."""
    if status == 500:
        raise BadAnswer("HTTP 500 without a fault")
    if status not in statuses:
        raise BadAnswer(f"unexpected HTTP status {status}")
    if "xml" not in content_type and status == 200:
        if content_type.startswith(("application/json", "text/csv")):
            return None  # returnFormat json/csv
        raise BadAnswer(f"unexpected content type {content_type}")
    try:
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as exc:
        raise BadAnswer(f"answer is not well-formed XML: {exc}") from None
    if root.tag != "response":
        raise BadAnswer(f"answer root is <{root.tag}>")
    return root
