"""Application factory: settings, store, gateway and blueprints; nothing is created at import time."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response

from .admin.views import bp as admin_bp
from .clock import Clock, SystemClock
from .company.store import CompanyStore
from .config import Settings
from .errors import InternalServerError
from .gateway.pipeline import XML_CONTENT_TYPE, Gateway
from .gateway.render import render_gateway_error
from .gateway.views import bp as gateway_bp
from .store.db import Database
from .company.seed import load_company_file, seed_demo_company

log = logging.getLogger("mock_server")


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> Flask:
    settings = settings or Settings.load()
    clock = clock or SystemClock()
    db = Database(settings.db_path)
    companies = CompanyStore(clock)
    gateway = Gateway(settings, db, clock, companies)

    with db.transaction(write=True) as conn:
        if settings.company_file:
            load_company_file(conn, companies, clock, Path(settings.company_file))
        seed_demo_company(conn, companies, clock, settings.seed)

    app = Flask(__name__)
    app.config.update(SETTINGS=settings, DB=db, CLOCK=clock, COMPANIES=companies, GATEWAY=gateway)
    app.register_blueprint(gateway_bp)
    app.register_blueprint(admin_bp)

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):  # pragma: no cover - defensive; the pipeline catches its own
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        log.exception("unhandled error")
        return Response(render_gateway_error(InternalServerError()), 500, content_type=XML_CONTENT_TYPE)

    return app
