"""Application factory: Flask adapts an ``Emulator`` (blueprints, error pages); nothing is created at import time."""

from __future__ import annotations

import logging
import os

from flask import Flask, Response

from .admin import bp as admin_bp
from .admin.metrics import bp as metrics_bp
from .clock import Clock
from .config import Settings
from .emulator import Emulator
from .errors import GatewayError, InternalServerError
from .gateway.pipeline import XML_CONTENT_TYPE, XmlGateway
from .gateway.render import render_gateway_error
from .gateway.views import DOOR, GATEWAY_PATH
from .gateway.views import bp as gateway_bp
from .inspector import bp as inspector_bp
from .request_body import buffer_body
from .rest.service import RestApi
from .rest.views import BASE as REST_BASE
from .rest.views import DOOR as REST_DOOR
from .rest.views import bp as rest_bp
from .rest.views import error_response as rest_error_response
from .web import emulator_of, install

log = logging.getLogger("intacct_mock")


def create_app(settings: Settings | None = None, *, clock: Clock | None = None, primary: bool = True,
               emulator: Emulator | None = None) -> Flask:
    """A Flask app over an emulator (built here from ``settings`` unless one is given). ``primary``:
    see ``Emulator``; a multi-worker server's workers pass False."""
    emulator = emulator or Emulator(settings, clock=clock, primary=primary)
    app = Flask(__name__)
    install(app, emulator, {DOOR: XmlGateway(emulator), REST_DOOR: RestApi(emulator)})
    app.register_blueprint(gateway_bp)
    app.register_blueprint(rest_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(inspector_bp)

    @app.after_request
    def tag_process(response):
        response.headers["X-Mock-Server-Pid"] = str(os.getpid())  # which worker answered (multi-worker tests)
        return response

    install_error_pages(app)
    return app


def install_error_pages(app: Flask) -> None:
    """Each surface's own error shape (admin JSON, REST ``ia::error``, gateway XML), and the database
    connection released after every request: shared with the proxy's app (``proxy/app.py``)."""

    db = emulator_of(app).db
    settings = emulator_of(app).settings

    @app.before_request
    def read_the_body():
        """Every door but the gateway (whose view refuses in XML) gets its body whole, framing
        checked, before a view runs: a broken, stalled or oversized body is a 4xx in the door's
        shape, where Flask's ``get_json``/``form`` would have raised a 500 or a bare HTML 400."""
        from flask import request

        if request.path == GATEWAY_PATH:
            return None
        try:
            buffer_body(request.environ, settings.max_body_bytes)
        except GatewayError as exc:
            return _door_error(exc.http_status, exc.description)
        return None

    @app.teardown_request
    def release_connection(_exc: BaseException | None) -> None:
        db.release()

    @app.errorhandler(404)
    @app.errorhandler(405)
    def admin_not_found(exc):
        from flask import jsonify, request

        if request.path.startswith("/_mock") and not request.path.startswith("/_mock/ui"):  # JSON, even for a wrong path
            resp = jsonify(error={"status": exc.code, "message": f"{exc.name}: {request.method} {request.path}"})
            resp.status_code = exc.code
            if exc.code == 405 and getattr(exc, "valid_methods", None):
                resp.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
            return resp
        if request.path.startswith(REST_BASE):  # the REST door answers in its own shape
            return rest_error_response(exc.code, f"{exc.name}: {request.method} {request.path}",
                                       exc.valid_methods if exc.code == 405 else None)
        return exc

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):  # pragma: no cover - defensive; the pipeline catches its own
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        log.exception("unhandled error")
        from flask import request

        if request.path.startswith(REST_BASE):
            return rest_error_response(500, "Internal server error.")
        if request.path.startswith("/_mock") and not request.path.startswith("/_mock/ui"):
            return _door_error(500, "Internal server error (an emulator bug; the log has it).")
        return Response(render_gateway_error(InternalServerError()), 500, content_type=XML_CONTENT_TYPE)


def _door_error(status: int, message: str) -> Response:
    """An HTTP-level refusal in the shape of the door the request came to: REST's ``ia::error``,
    the admin API's JSON, plain text for the inspector's pages."""
    from flask import jsonify, request

    if request.path.startswith(REST_BASE):
        return rest_error_response(status, message)
    if request.path.startswith("/_mock") and not request.path.startswith("/_mock/ui"):
        resp = jsonify(error={"status": status, "message": message})
        resp.status_code = status
        return resp
    return Response(message + "\n", status, content_type="text/plain; charset=utf-8")
