"""Flask routes of the REST front door (``/ia/api/v1``): they read the HTTP request and hand it to
``RestApi``; everything else happens there."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from ..web import door_of
from .errors import RestError, error_body
from .objects import OBJECTS
from ..faults.delivery import dropping_body
from .answer import Answer
from .service import RestApi

DOOR = "rest"
BASE = "/ia/api/v1"
bp = Blueprint("rest", __name__)


def rest_api() -> RestApi:
    return door_of(current_app, DOOR)


def _respond(answer: Answer) -> Response:
    if answer.drop is not None:  # committed, and now the acknowledgement is lost on the wire
        return Response(dropping_body(answer.drop, request.environ), 200, content_type=answer.content_type)
    body = answer.payload()
    resp = Response(body, answer.status, content_type=answer.content_type if body else None)
    for name, value in answer.headers.items():
        resp.headers[name] = value
    return resp


def _error(err: RestError, allow: tuple[str, ...] = ()) -> Response:
    status, body = error_body(err)
    resp = _respond(Answer(status, body))
    if allow:
        resp.headers["Allow"] = ", ".join(allow)
    return resp


@bp.route(f"{BASE}/oauth2/token", methods=["POST"])
def token() -> Response:
    """Form-encoded (RFC 6749) or JSON bodies, as clients send either."""
    if (request.mimetype or "").endswith("json"):
        data = request.get_json(silent=True)
        form = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    else:
        form = {k: v for k, v in request.form.items()}
    headers = {name: value for name, value in request.headers.items()}
    return _respond(rest_api().token(form, request.remote_addr or "", headers))


@bp.route(f"{BASE}/services/core/session/id", methods=["GET"])
def session_id() -> Response:
    xml_endpoint = request.host_url.rstrip("/") + "/ia/xml/xmlgw.phtml"
    headers = {name: value for name, value in request.headers.items()}
    return _respond(rest_api().session_id(headers, xml_endpoint, request.remote_addr or ""))


@bp.route(f"{BASE}/services/core/query", methods=["POST"])
def query() -> Response:
    body = request.get_json(silent=True)
    if body is None:
        return _error(RestError("The query needs a JSON body.", target="/"))
    headers = {name: value for name, value in request.headers.items()}
    return _respond(rest_api().query(body, headers, request.remote_addr or ""))


@bp.route(f"{BASE}/objects/<path:rest_path>", methods=["GET", "POST", "PATCH", "DELETE", "PUT"])
def objects(rest_path: str) -> Response:
    path, keys = _split(rest_path.strip("/"))
    body: Any = None
    if request.method in ("POST", "PATCH"):
        body = request.get_json(silent=True)
        if body is None:
            return _error(RestError("The request needs a JSON body.", target="/"))
    headers = {name: value for name, value in request.headers.items()}
    return _respond(rest_api().objects(request.method, path, keys, body, headers, request.remote_addr or ""))


def _split(rest_path: str) -> tuple[str, str | None]:
    """``accounts-payable/bill/12,13`` -> (``accounts-payable/bill``, ``12,13``)."""
    if rest_path in OBJECTS:
        return rest_path, None
    head, _, tail = rest_path.rpartition("/")
    return (head, tail) if head else (rest_path, None)
