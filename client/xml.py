"""Request envelopes out, parsed responses in, with lxml.

Requests are built as element trees (never string concatenation), so any value, including
``<``, ``&`` or quotes in a vendor name, is escaped correctly. Responses become plain objects:
a ``Response`` with its control status and one ``FunctionResult`` per function, whose
``data`` is the ``<data>`` element and whose ``records()`` are dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from lxml import etree

from .errors import ErrorDetail

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Function:
    """One ``<function controlid=...>`` with its body element."""

    controlid: str
    body: etree._Element

    @property
    def name(self) -> str:
        return self.body.tag


def element(tag: str, value: Any = None, /, **children: Any) -> etree._Element:
    """``element("readByQuery", object="APBILL", query="")`` -> ``<readByQuery><object>APBILL</object>...``."""
    el = etree.Element(tag)
    if isinstance(value, etree._Element):
        el.append(value)
    elif value is not None and not isinstance(value, (Mapping, list)):
        el.text = str(value)
    for name, child_value in children.items():
        append(el, name, child_value)
    return el


def append(parent: etree._Element, tag: str, value: Any) -> None:
    """Dicts nest, lists repeat the tag, None is skipped, everything else is text."""
    if value is None:
        return
    if isinstance(value, list):
        for item in value:
            append(parent, tag, item)
        return
    child = etree.SubElement(parent, tag)
    if isinstance(value, Mapping):
        for k, v in value.items():
            append(child, k, v)
    elif isinstance(value, etree._Element):
        child.append(value)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    else:
        child.text = str(value)


def record(tag: str, fields: Mapping[str, Any]) -> etree._Element:
    el = etree.Element(tag)
    for k, v in fields.items():
        append(el, k, v)
    return el


def build_request(*, sender_id: str, sender_password: str, controlid: str, uniqueid: bool,
                  functions: Iterable[Function], sessionid: str | None = None,
                  login: Mapping[str, str] | None = None, transaction: bool = False) -> bytes:
    root = etree.Element("request")
    control = etree.SubElement(root, "control")
    for tag, value in (("senderid", sender_id), ("password", sender_password), ("controlid", controlid),
                       ("uniqueid", "true" if uniqueid else "false"), ("dtdversion", "3.0"),
                       ("includewhitespace", "false")):
        etree.SubElement(control, tag).text = value
    op = etree.SubElement(root, "operation")
    if transaction:
        op.set("transaction", "true")
    auth = etree.SubElement(op, "authentication")
    if sessionid is not None:
        etree.SubElement(auth, "sessionid").text = sessionid
    else:
        assert login is not None
        lg = etree.SubElement(auth, "login")
        for tag in ("userid", "companyid", "password", "locationid"):
            if login.get(tag):
                etree.SubElement(lg, tag).text = login[tag]
    content = etree.SubElement(op, "content")
    for fn in functions:
        wrapper = etree.SubElement(content, "function", controlid=fn.controlid)
        wrapper.append(fn.body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# ---------------------------------------------------------------------------- responses


def _details(errormessage: etree._Element | None) -> list[ErrorDetail]:
    if errormessage is None:
        return []
    return [ErrorDetail(*( (e.findtext(t) or "").strip() for t in ("errorno", "description", "description2", "correction")))
            for e in errormessage.findall("error")]


def to_dict(el: etree._Element) -> Any:
    """A record element as a dict; repeated children become lists; leaves are strings ('' when empty)."""
    kids = [c for c in el if isinstance(c.tag, str)]
    if not kids:
        return (el.text or "").strip()
    out: dict[str, Any] = {}
    for c in kids:
        value = to_dict(c)
        if c.tag in out:
            if not isinstance(out[c.tag], list):
                out[c.tag] = [out[c.tag]]
            out[c.tag].append(value)
        else:
            out[c.tag] = value
    return out


@dataclass
class FunctionResult:
    function: str
    controlid: str
    status: str  # success | failure | aborted
    data: etree._Element | None
    errors: list[ErrorDetail] = field(default_factory=list)
    key: str | None = None  # legacy functions answer <key>

    @property
    def ok(self) -> bool:
        return self.status == "success"

    def attr(self, name: str, default: str = "") -> str:
        return self.data.get(name, default) if self.data is not None else default

    def records(self) -> list[dict[str, Any]]:
        if self.data is None:
            return []
        return [to_dict(r) for r in self.data if isinstance(r.tag, str)]


@dataclass
class Response:
    control_status: str
    control_errors: list[ErrorDetail]
    auth_status: str | None
    auth_errors: list[ErrorDetail]
    results: list[FunctionResult]
    sessionid: str | None = None


def parse_response(body: bytes) -> Response:
    """Raises ``ValueError`` if the body is not an Intacct XML response."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root.tag != "response":
        raise ValueError(f"not an Intacct response (root <{root.tag}>)")
    control_status = root.findtext("control/status") or ""
    op = root.find("operation")
    auth_status = op.findtext("authentication/status") if op is not None else None
    results = []
    for r in (op.findall("result") if op is not None else []):
        results.append(FunctionResult(
            function=r.findtext("function") or "", controlid=r.findtext("controlid") or "",
            status=r.findtext("status") or "", data=r.find("data"), errors=_details(r.find("errormessage")),
            key=r.findtext("key")))
    return Response(control_status, _details(root.find("errormessage")), auth_status,
                    _details(op.find("errormessage")) if op is not None else [], results)
