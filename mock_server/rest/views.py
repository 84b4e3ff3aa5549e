"""Flask routes of the REST front door (``/ia/api/v1``): they read the HTTP request and hand it to
``RestApi``; everything else happens there."""

from __future__ import annotations

from typing import Any

import json
from html import escape

from flask import Blueprint, Response, current_app, request

from ..web import door_of
from .errors import RestError, error_body
from ..faults.delivery import dropping_body
from .answer import Answer
from .openapi import document
from .crud import split_object_path
from .service import RestApi
from .workflows import split_workflow_path

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


class HttpLevelError(RestError):
    """What the HTTP layer answers before an operation runs: no route, a method the route lacks, a
    body that did not arrive whole, an emulator bug (never a traceback, and never the XML gateway's
    page)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code, self.error_id = {
            400: ("invalidRequest", "REST-1001"), 404: ("notFound", "REST-1004"),
            405: ("methodNotAllowed", "REST-1005"), 408: ("requestTimeout", "REST-1001"),
            413: ("payloadTooLarge", "REST-1001"),
        }.get(status, ("internalError", "REST-1500"))


def error_response(status: int, message: str, allow=None) -> Response:
    return _error(HttpLevelError(status, message), tuple(sorted(allow)) if allow else ())


def _headers() -> dict[str, str]:
    return {name: value for name, value in request.headers.items()}


def _xml_endpoint() -> str:
    """The XML gateway beside this REST API (what a minted session id is for)."""
    return request.host_url.rstrip("/") + "/ia/xml/xmlgw.phtml"


def _json_body(refusal: str) -> tuple[Any, Response | None]:
    """The request's JSON body, or the REST error that says it has none."""
    body = request.get_json(silent=True)
    return body, (_error(RestError(refusal, target="/")) if body is None else None)


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
    headers = _headers()
    return _respond(rest_api().token(form, request.remote_addr or "", headers))


SIGN_IN = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in - intacct-mock</title></head>
<body><h1>Sign in to authorize {client}</h1><form method="post">{hidden}
<label>User <input name="username" placeholder="user@COMPANY" autofocus></label>
<label>Password <input name="password" type="password"></label><button>Sign in</button></form>
<p>Automation: add <code>login_hint=user@COMPANY</code> to this URL to be signed in at once.</p></body></html>"""


@bp.route(f"{BASE}/oauth2/authorize", methods=["GET", "POST"])
def authorize() -> Response:
    """The authorization-code flow's sign-in: a page, or at once for ``login_hint`` (a mock has
    no browser to wait for)."""
    params = {k: v for k, v in request.values.items() if k not in ("username", "password")}
    headers = _headers()
    if request.method == "POST":
        return _respond(rest_api().authorize(params, request.form.get("username", ""), request.form.get("password", ""),
                                             request.remote_addr or "", headers))
    if params.get("login_hint"):
        return _respond(rest_api().authorize(params, params["login_hint"], None, request.remote_addr or "", headers))
    hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items())
    page = SIGN_IN.format(client=escape(params.get("client_id", "a client")), hidden=hidden)
    return Response(page, 200, content_type="text/html; charset=utf-8")


@bp.route(f"{BASE}/services/core/session/id", methods=["GET"])
def session_id() -> Response:
    xml_endpoint = _xml_endpoint()
    headers = _headers()
    return _respond(rest_api().session_id(headers, xml_endpoint, request.remote_addr or ""))


@bp.route(f"{BASE}/services/core/query", methods=["POST"])
def query() -> Response:
    body, refused = _json_body("The query needs a JSON body.")
    if refused is not None:
        return refused
    headers = _headers()
    return _respond(rest_api().query(body, headers, request.remote_addr or ""))


@bp.route(f"{BASE}/openapi.json", methods=["GET"])
def openapi() -> Response:
    """The emulated REST surface, generated from the declarations (``rest/openapi.py``)."""
    return Response(json.dumps(document()), 200, content_type="application/json")


@bp.route(f"{BASE}/services/core/model", methods=["GET"])
def model() -> Response:
    headers = _headers()
    return _respond(rest_api().model(request.args.get("name"), headers, request.remote_addr or ""))


@bp.route(f"{BASE}/services/core/composite", methods=["POST"])
def composite() -> Response:
    body, refused = _json_body("The composite request needs a JSON array body.")
    if refused is not None:
        return refused
    headers = _headers()
    xml_endpoint = _xml_endpoint()
    return _respond(rest_api().composite(body, headers, request.remote_addr or "", xml_endpoint))


@bp.route(f"{BASE}/objects/<path:rest_path>", methods=["GET", "POST", "PATCH", "DELETE", "PUT"])
def objects(rest_path: str) -> Response:
    path, keys = split_object_path(rest_path)
    body: Any = None
    if request.method in ("POST", "PATCH"):
        body, refused = _json_body("The request needs a JSON body.")
        if refused is not None:
            return refused
    headers = _headers()
    return _respond(rest_api().objects(request.method, path, keys, body, headers, request.remote_addr or ""))


@bp.route(f"{BASE}/workflows/<path:rest_path>", methods=["POST"])
def workflows(rest_path: str) -> Response:
    """Workflow actions (``rest/workflows.py``): the only way a document's state moves over REST."""
    path, action = split_workflow_path(rest_path)
    body, refused = _json_body("The workflow action needs a JSON body naming the record's 'key'.")
    if refused is not None:
        return refused
    headers = _headers()
    return _respond(rest_api().workflow(path, action, body, headers, request.remote_addr or ""))
