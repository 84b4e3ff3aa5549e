"""Build the ``<response>`` document: control, authentication and result blocks.

Errors are written by the errors themselves (``IntacctError.write_errormessage``); this module
only decides where each block goes, following the response DTD in protocol notes section 3.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import IntacctError
from .replies import NO_DATA, Reply
from ..xmlwriter import XmlBuilder
from .envelope import Control


@dataclass
class AuthEcho:
    """What the ``<authentication>`` block says back."""

    status: str
    userid: str = ""
    companyid: str = ""
    locationid: str | None = ""
    sessiontimestamp: str | None = None
    sessiontimeout: str | None = None


@dataclass
class FunctionResult:
    function: str
    controlid: str
    status: str  # success | failure | aborted
    reply: Reply = NO_DATA
    error: IntacctError | None = None


def _write_control(xml: XmlBuilder, control: Control | None, status: str) -> None:
    xml.open("control")
    xml.leaf("status", status)
    if control is None:
        xml.leaf("senderid", "")
        xml.leaf("controlid", "")
    else:
        xml.leaf("senderid", control.senderid)
        xml.leaf("controlid", control.controlid)
        xml.leaf("uniqueid", "true" if control.uniqueid else "false")
        if control.dtdversion is not None:
            xml.leaf("dtdversion", control.dtdversion)
    xml.close()


def render_gateway_error(error: IntacctError) -> bytes:
    """Gateway-layer failure: bare control status and errors without description2/correction."""
    xml = XmlBuilder(pretty=True)
    xml.open("response")
    xml.open("control").leaf("status", "failure").close()
    error.write_errormessage(xml)
    return xml.to_bytes()


def render_control_failure(control: Control | None, error: IntacctError) -> bytes:
    """Nothing ran: control status failure and the errors directly under ``<response>``."""
    xml = XmlBuilder(pretty=control.includewhitespace if control else True)
    xml.open("response")
    _write_control(xml, control if error.echoes_control else None, "failure")
    error.write_errormessage(xml)
    return xml.to_bytes()


def _write_auth(xml: XmlBuilder, auth: AuthEcho) -> None:
    xml.open("authentication")
    xml.leaf("status", auth.status)
    xml.leaf("userid", auth.userid)
    xml.leaf("companyid", auth.companyid)
    if auth.locationid is not None:
        xml.leaf("locationid", auth.locationid)
    if auth.sessiontimestamp:
        xml.leaf("sessiontimestamp", auth.sessiontimestamp)
    if auth.sessiontimeout:
        xml.leaf("sessiontimeout", auth.sessiontimeout)
    xml.close()


def render_auth_failure(control: Control, auth: AuthEcho, error: IntacctError) -> bytes:
    xml = XmlBuilder(pretty=control.includewhitespace)
    xml.open("response")
    _write_control(xml, control, "success")
    xml.open("operation")
    _write_auth(xml, auth)
    error.write_errormessage(xml)
    return xml.to_bytes()


def render_response(control: Control, auth: AuthEcho, results: list[FunctionResult]) -> bytes:
    xml = XmlBuilder(pretty=control.includewhitespace)
    xml.open("response")
    _write_control(xml, control, "success")
    xml.open("operation")
    _write_auth(xml, auth)
    for r in results:
        xml.open("result")
        xml.leaf("status", r.status)
        xml.leaf("function", r.function)
        xml.leaf("controlid", r.controlid)
        r.reply.write(xml)
        if r.error is not None:
            r.error.write_errormessage(xml)
        xml.close()
    return xml.to_bytes()
