"""Reading the upstream's answer, and the few changes a proxy must make to it or to the request.

Reading: the ``<authentication>`` echo (whose the request was), each ``<result>``'s status, first
errorno and, for getAPISession, the session handed out. Changes, each for a stated reason:

- getAPISession's ``<endpoint>`` becomes the proxy's URL: SDKs switch to that endpoint for the
  session's calls, which would otherwise bypass the proxy;
- a request whose functions a fault partly fails goes upstream without them (``without_functions``)
  and their ``<result>`` blocks, rendered by the error model, are put back in place (``splice``).

Everything else reaches the client byte for byte. Answers are parsed with the hardened parser;
an answer that is not Intacct XML (an HTML error page) is simply not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from lxml import etree

from .. import xmlsafe
from ..gateway.envelope import decode_body
from ..xmlsafe import child, elements, text_of


@dataclass(frozen=True)
class ResultSeen:
    status: str  # success | failure | aborted | "" when missing
    function: str
    controlid: str
    errorno: str | None = None
    sessionid: str | None = None  # getAPISession's new session
    recordno: int | None = None  # what a write answered: ``data/<object>/RECORDNO``, or a legacy ``<key>``


@dataclass(frozen=True)
class AnswerSeen:
    auth_status: str | None = None
    userid: str | None = None
    companyid: str | None = None
    results: list[ResultSeen] = field(default_factory=list)


def read_answer(body: bytes) -> AnswerSeen | None:
    """What the answer says, or None when it is not an Intacct ``<response>``."""
    try:
        root = xmlsafe.parse(body)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None or root.tag != "response":
        return None
    op = child(root, "operation")
    if op is None:
        return AnswerSeen()
    auth = child(op, "authentication")
    results = []
    for result in (r for r in op if r.tag == "result"):
        first = result.find("errormessage/error/errorno")
        results.append(ResultSeen(text_of(child(result, "status")) or "", text_of(child(result, "function")) or "",
                                  text_of(child(result, "controlid")) or "",
                                  text_of(first) if first is not None else None,
                                  text_of(result.find("data/api/sessionid")), _recordno(result)))
    if auth is None:
        return AnswerSeen(results=results)
    return AnswerSeen(text_of(child(auth, "status")), text_of(child(auth, "userid")),
                      text_of(child(auth, "companyid")), results)


def _recordno(result: etree._Element) -> int | None:
    """The record number a write's result names (the journal's ``recordno`` for proxied writes)."""
    found = result.find("data/*/RECORDNO")
    if found is None:
        found = result.find("key")
    text = (text_of(found) or "").strip() if found is not None else ""
    return int(text) if text.isdigit() and len(text) <= 18 else None


_ENDPOINT = re.compile(rb"(<endpoint>)(.*?)(</endpoint>)", re.S)


def with_endpoint(body: bytes, url: str) -> bytes:
    """getAPISession's ``<endpoint>`` set to ``url`` (the proxy's), everything else untouched."""
    value = escape(url).encode("utf-8")
    return _ENDPOINT.sub(lambda m: m.group(1) + value + m.group(3), body)


def without_functions(body: bytes, indices: set[int]) -> bytes:
    """The request with the functions at ``indices`` (in ``<content>`` order) left out."""
    root = xmlsafe.parse(decode_body(body), keep_comments=True)
    content = root.find("operation/content")
    assert content is not None  # the envelope parser read this request
    for index, fn in reversed(list(enumerate(f for f in elements(content) if f.tag == "function"))):
        if index in indices:
            content.remove(fn)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def splice(answer: bytes, injected: dict[int, etree._Element]) -> bytes | None:
    """The upstream's answer to a request without some functions, with the ``<result>`` of each
    left-out function put back at its index. None when the answer has no results to splice into
    (a control or authentication failure: the request failed as a whole, so it is answered as is)."""
    try:
        root = xmlsafe.parse(answer, keep_comments=True)
    except (etree.XMLSyntaxError, ValueError):
        return None
    op = child(root, "operation") if root is not None and root.tag == "response" else None
    results = [r for r in op if r.tag == "result"] if op is not None else []
    if op is None or not results:
        return None
    tail = results[-1].tail
    upstream = iter(results)
    ordered = [injected[i] if i in injected else next(upstream, None) for i in range(len(results) + len(injected))]
    for r in results:
        op.remove(r)
    for r in ordered:
        if r is not None:
            r.tail = tail
            op.append(r)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def result_elements(rendered: bytes) -> list[etree._Element]:
    """The ``<result>`` elements of a response the error model rendered."""
    root = xmlsafe.parse(rendered)
    return [r for r in root.find("operation") if r.tag == "result"]
