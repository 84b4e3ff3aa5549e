"""Blueprint "gateway": the one Intacct endpoint. Reads bytes, calls the pipeline, writes bytes."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from ..errors import GatewayError
from ..faults.delivery import dropping_body
from ..request_body import read_body
from ..web import current_emulator, door_of
from .pipeline import XML_CONTENT_TYPE, XmlGateway
from .render import render_gateway_error

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"
bp = Blueprint("gateway", __name__)
DOOR = "xml"


def xml_gateway_of(app: Flask) -> XmlGateway:
    """The XML front door ``create_app`` installed (for tools and tests holding an app)."""
    return door_of(app, DOOR)


def current_xml_gateway() -> XmlGateway:
    return xml_gateway_of(current_app)


class MethodNotAllowedError(GatewayError):
    http_status = 405
    errorno = "GW-0011"
    description = "Invalid Request: the XML gateway accepts POST only."


def _endpoint_url() -> str:
    public = current_emulator().settings.public_url
    return public or (request.host_url.rstrip("/") + GATEWAY_PATH)


@bp.route(GATEWAY_PATH, methods=["POST"])
def gateway() -> Response:
    gw = current_xml_gateway()
    try:  # a broken, stalled or oversized body is refused here, in the gateway's XML, before parsing
        body = read_body(request.environ, current_emulator().settings.max_body_bytes)
    except GatewayError as exc:
        return Response(render_gateway_error(exc), exc.http_status, content_type=XML_CONTENT_TYPE)
    reply = gw.handle(body, remote_addr=request.remote_addr or "", endpoint=_endpoint_url, headers=request.headers)
    if reply.drop is not None:  # committed, and now the acknowledgement is lost on the wire
        return Response(dropping_body(reply.drop, request.environ), 200, content_type=reply.content_type)
    return Response(reply.body, reply.status, headers=reply.headers, content_type=reply.content_type)


@bp.route(GATEWAY_PATH, methods=["GET", "PUT", "DELETE", "PATCH"])
def wrong_method() -> Response:
    return Response(render_gateway_error(MethodNotAllowedError()), 405, headers={"Allow": "POST"},
                    content_type=XML_CONTENT_TYPE)
