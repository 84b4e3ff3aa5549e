"""Application factory: settings, store, gateway and blueprints; nothing is created at import time."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, Response

from .admin import bp as admin_bp
from .admin.metrics import bp as metrics_bp
from .inspector import bp as inspector_bp
from .clock import Clock, SystemClock
from .store.clocks import CompanyClocks
from .store.tenants import CompanyStore
from .config import Settings
from .errors import InternalServerError
from .faults import FaultEngine, FaultSpecError
from .faults.loader import load_fault_file
from .journal import Journal
from .gateway.pipeline import XML_CONTENT_TYPE, Gateway
from .gateway.render import render_gateway_error
from .gateway.views import bp as gateway_bp
from .heap import keep_heap_warm
from .store.db import Database
from .company.seed import load_company_file, seed_demo_company

log = logging.getLogger("mock_server")


def create_app(settings: Settings | None = None, *, clock: Clock | None = None, primary: bool = True) -> Flask:
    """Build the application. ``primary``: this process owns start-up (a server's only process, or a
    multi-worker server's master): it seeds, and fault rules start from the ``--faults`` file only.
    Worker processes pass ``primary=False`` and share what the primary set up."""
    settings = settings or Settings.load()
    keep_heap_warm()  # large answers without a page fault per page (heap.py)
    clock = clock or SystemClock()
    db = Database(settings.db_path)
    companies = CompanyStore(clock)
    faults = FaultEngine(db, settings.seed, header_enabled=settings.fault_header)
    if primary:
        faults.clear()  # rules are runtime state: a (re)start begins with the --faults file only
    if primary and settings.faults_file:
        try:
            faults.add_many(load_fault_file(Path(settings.faults_file)), source="file")
        except FaultSpecError as exc:
            message = str(exc)
            raise FaultSpecError(message if message.startswith(settings.faults_file) else f"{settings.faults_file}: {message}") from None
    journal = Journal(db, settings.journal)
    clocks = CompanyClocks(clock, db)
    if primary:
        clocks.reset()  # like fault rules, company clocks are runtime state
    gateway = Gateway(settings, db, clock, companies, faults=faults, journal=journal, clocks=clocks)

    if primary:
        with db.transaction(write=True) as conn:
            if settings.company_file:
                load_company_file(conn, companies, clock, Path(settings.company_file))
            seed_demo_company(conn, companies, clock, settings.seed)

    app = Flask(__name__)
    app.config.update(SETTINGS=settings, DB=db, CLOCK=clock, COMPANIES=companies, GATEWAY=gateway,
                      FAULTS=faults, JOURNAL=journal, CLOCKS=clocks)
    app.register_blueprint(gateway_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(inspector_bp)

    @app.after_request
    def tag_process(response):
        response.headers["X-Mock-Server-Pid"] = str(os.getpid())  # which worker answered (multi-worker tests)
        return response

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
            return resp
        return exc

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):  # pragma: no cover - defensive; the pipeline catches its own
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        log.exception("unhandled error")
        return Response(render_gateway_error(InternalServerError()), 500, content_type=XML_CONTENT_TYPE)

    return app
