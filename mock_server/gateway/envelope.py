"""Parse a gateway request body into frozen values, rejecting what the real schema rejects.

The parser never resolves entities, never loads a DTD and never touches the network, so a
hostile DOCTYPE costs nothing. Children are looked up by name, not position: real clients send
``<control>`` and ``<login>`` children in different orders (protocol notes 2.3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs

from lxml import etree

from .. import xmlsafe
from ..errors import EnvelopeError, IntacctError
from ..xmlsafe import child, parse_bool, text_of

DTD_VERSIONS = ("2.1", "3.0")
MAX_CONTROLID = 256


@dataclass(frozen=True)
class Control:
    """The ``<control>`` block; fields echo back verbatim in every response."""

    senderid: str = ""
    password: str = ""
    controlid: str = ""
    uniqueid: bool = True  # documented default when the element is omitted
    uniqueid_text: str | None = None
    dtdversion: str | None = None
    policyid: str = ""
    includewhitespace: bool = True


@dataclass(frozen=True)
class Login:
    userid: str
    companyid: str
    password: str
    locationid: str | None = None  # None: not sent; "": top level
    clientid: str | None = None


@dataclass(frozen=True)
class Function:
    """One ``<function controlid=...>`` and its single child element (kept as an lxml element)."""

    controlid: str
    name: str
    element: etree._Element


@dataclass(frozen=True)
class Operation:
    transaction: bool
    login: Login | None
    sessionid: str | None
    functions: tuple[Function, ...]


@dataclass(frozen=True)
class Request:
    control: Control
    operation: Operation


class EnvelopeParseError(EnvelopeError):
    """An envelope error that remembers how much of ``<control>`` was readable, for the echo."""

    control: Control | None = None


def _fail(message: str, code: int, control: Control | None) -> EnvelopeParseError:
    err = EnvelopeParseError(f"XML Parse schema error: Error {code}: {message}")
    err.control = control
    return err


def decode_body(body: bytes) -> bytes:
    """Accept the 2016-era form encoding (``xmlrequest=<url-encoded xml>``) as well as raw XML."""
    stripped = body.lstrip()
    if stripped[:11].lower() == b"xmlrequest=":
        fields = parse_qs(stripped.decode("utf-8", "replace"), keep_blank_values=True)
        value = next((v for k, v in fields.items() if k.lower() == "xmlrequest"), [""])  # as the prefix: any case
        return value[0].encode("utf-8")
    return body


def parse_xml(body: bytes) -> etree._Element:
    """Well-formedness only; one XL03000003 error per libxml message, as the gateway lists them."""
    parser = xmlsafe.parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        entries = [e for e in parser.error_log if e.level_name in ("ERROR", "FATAL")]
        if not entries:
            raise EnvelopeError(f"XML Parse schema error: Fatal Error: {exc} Line: 1, column: 1.") from None
        first, *rest = entries
        err = EnvelopeError(_parser_message(first))
        err.with_also(*(EnvelopeError(_parser_message(e)).first for e in rest[:9]))
        raise err from None
    if root is None:
        raise EnvelopeError("XML Parse schema error: Fatal Error 4: Document is empty Line: 1, column: 1.")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise EnvelopeError(
            "XML Parse schema error: Fatal Error 1: DOCTYPE declarations are not allowed in requests."
            " Line: 1, column: 1."
        )
    return root


def _parser_message(entry: "etree._LogEntry") -> str:
    return f"XML Parse schema error: Fatal Error {entry.type}: {entry.message} Line: {entry.line}, column: {entry.column}."


def parse_control(root: etree._Element) -> Control:
    if root.tag != "request":
        raise _fail(f"Element '{root.tag}': No matching global declaration available for the validation root.", 1845, None)
    ctl = child(root, "control")
    if ctl is None:
        raise _fail("Element 'request': Missing child element(s). Expected is ( control ).", 1871, None)
    control = Control(
        senderid=text_of(child(ctl, "senderid")) or "",
        password=text_of(child(ctl, "password")) or "",
        controlid=text_of(child(ctl, "controlid")) or "",
        uniqueid=parse_bool(text_of(child(ctl, "uniqueid")), True),
        uniqueid_text=text_of(child(ctl, "uniqueid")),
        dtdversion=text_of(child(ctl, "dtdversion")),
        policyid=text_of(child(ctl, "policyid")) or "",
        includewhitespace=parse_bool(text_of(child(ctl, "includewhitespace")), True),
    )
    for required in ("senderid", "controlid"):
        if child(ctl, required) is None:
            raise _fail(f"Element 'control': Missing child element(s). Expected is ( {required} ).", 1871, control)
    if control.dtdversion is not None and control.dtdversion not in DTD_VERSIONS:
        bad = replace(control, dtdversion=None)
        raise _fail(
            f"Element 'dtdversion': [facet 'enumeration'] The value '{control.dtdversion}' is not an element of the set {{'2.1', '3.0'}}.",
            1840,
            bad,
        )
    if len(control.controlid) > MAX_CONTROLID:
        raise _fail("Element 'controlid': [facet 'maxLength'] The value has a length greater than 256.", 1831, control)
    return control


def parse_operation(root: etree._Element, control: Control) -> Operation:
    ops = [c for c in root if c.tag == "operation"]
    if not ops:
        raise _fail("Element 'request': Missing child element(s). Expected is ( operation ).", 1871, control)
    if len(ops) > 1:
        raise _fail("Element 'operation': This element is not expected. Only one operation per request is supported.", 1871, control)
    op = ops[0]
    transaction_attr = op.get("transaction")
    if transaction_attr is not None and transaction_attr.strip().lower() not in ("true", "false"):
        raise _fail(
            f"Element 'operation', attribute 'transaction': [facet 'enumeration'] The value '{transaction_attr}' is not an element of the set {{'true', 'false'}}.",
            1840,
            control,
        )
    auth = child(op, "authentication")
    if auth is None:
        raise _fail("Element 'operation': Missing child element(s). Expected is ( authentication ).", 1871, control)
    login_el, session_el = child(auth, "login"), child(auth, "sessionid")
    login = None
    if login_el is not None:
        missing = [n for n in ("userid", "companyid", "password") if child(login_el, n) is None]
        if missing:
            raise _fail(f"Element 'login': Missing child element(s). Expected is ( {missing[0]} ).", 1871, control)
        loc = child(login_el, "locationid")
        login = Login(
            userid=text_of(child(login_el, "userid")) or "",
            companyid=text_of(child(login_el, "companyid")) or "",
            password=text_of(child(login_el, "password")) or "",
            locationid=None if loc is None else (text_of(loc) or ""),
            clientid=text_of(child(login_el, "clientid")),
        )
    elif session_el is None:
        raise _fail("Element 'authentication': Missing child element(s). Expected is one of ( login, sessionid ).", 1871, control)
    content = child(op, "content")
    if content is None:
        raise _fail("Element 'operation': Missing child element(s). Expected is ( content ).", 1871, control)
    functions = []
    for fn in content:
        if fn.tag != "function":
            raise _fail(f"Element '{fn.tag}': This element is not expected. Expected is ( function ).", 1871, control)
        cid = fn.get("controlid")
        if cid is None:
            raise _fail("Element 'function': The attribute 'controlid' is required but missing.", 1868, control)
        if not 1 <= len(cid) <= MAX_CONTROLID:
            raise _fail("Element 'function', attribute 'controlid': [facet 'maxLength'] The value must be 1 to 256 characters.", 1831, control)
        kids = list(fn)
        if len(kids) != 1:
            raise _fail("Element 'function': Missing child element(s). Expected exactly one function element.", 1871, control)
        functions.append(Function(controlid=cid, name=kids[0].tag, element=kids[0]))
    if not functions:
        raise _fail("Element 'content': Missing child element(s). Expected is ( function ).", 1871, control)
    return Operation(
        transaction=parse_bool(transaction_attr, False),
        login=login,
        sessionid=None if session_el is not None and login_el is not None else text_of(session_el),
        functions=tuple(functions),
    )


def parse_request(body: bytes) -> tuple[Control | None, Request | None, IntacctError | None]:
    """Parse everything; return (control for the echo, request, error). Never raises."""
    try:
        root = parse_xml(decode_body(body))
    except IntacctError as exc:
        return None, None, exc
    try:
        control = parse_control(root)
    except EnvelopeParseError as exc:
        return exc.control, None, exc
    try:
        return control, Request(control, parse_operation(root, control)), None
    except EnvelopeParseError as exc:
        return control, None, exc
