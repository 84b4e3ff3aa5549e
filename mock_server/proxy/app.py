"""The Flask app of ``intacct-mock proxy``: the emulator's gateway, admin API and metrics over a proxy.

It is ``app.create_app`` with two differences. The XML gateway's application step forwards
upstream (``forwarding.py``), and the emulator under it keeps no books (``Emulator(books=False)``):
its database holds the journal and the fault rules only. The admin blueprint is the emulator's own,
so ``/_mock/faults``, ``/_mock/journal`` and ``/metrics`` behave as they do on an emulator; four of
its views take the proxy's meaning: ``/_mock/journal/export`` builds the bundle from the origin the
proxy was given (``bundle.py``), ``/_mock/replay`` is refused (a replay here would write to the
upstream; replay on an emulator), ``/_mock/health`` names the upstream, and ``/_mock/reset`` also
forgets what STATE faults changed (``memory.py``).

Not forwarded: the REST API (``/ia/api/v1`` answers 404 in its own shape) and the inspector.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Mapping

from flask import Flask, current_app, jsonify, request

from .. import __version__
from ..admin import bp as admin_bp
from ..admin.blueprint import AdminError
from ..admin.metrics import bp as metrics_bp
from ..app import install_error_pages
from ..bundles import BundleError
from ..clock import Clock
from ..config import Settings
from ..emulator import Emulator
from ..gateway.pipeline import XmlGateway
from ..gateway.views import DOOR
from ..gateway.views import bp as gateway_bp
from ..web import current_emulator, door_of, install
from .bundle import export_proxy_bundle, load_origin
from .forward import CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS, Upstream
from .forwarding import ForwardingApplication
from .memory import ProxyMemory

PROXY = "intacct_mock.proxy"


class ProxyInfo:
    """What the proxy's admin views need: the upstream and the origin its bundles carry."""

    def __init__(self, upstream: Upstream, origin: Mapping[str, Any]) -> None:
        self.upstream, self.origin = upstream, origin


def create_proxy_app(settings: Settings, upstream_url: str, *, connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
                     read_timeout: float = READ_TIMEOUT_SECONDS, clock: Clock | None = None) -> Flask:
    """A proxy to ``upstream_url``. ValueError for a bad URL, ConfigError for a bad ``company_file``,
    FaultSpecError for a bad ``faults_file``: each message says what to fix."""
    upstream = Upstream(upstream_url, connect_timeout=connect_timeout, read_timeout=read_timeout)
    origin = load_origin(settings.seed, settings.company_file)
    emulator = Emulator(settings, clock=clock, books=False)
    forwarding = ForwardingApplication(upstream)
    app = Flask(__name__)
    install(app, emulator, {DOOR: XmlGateway(emulator, forwarding), PROXY: ProxyInfo(upstream, origin)})
    app.register_blueprint(gateway_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(metrics_bp)
    # The admin blueprint's guards (loopback or token, OpenAPI checks) still run before these views.
    app.view_functions["admin.export_journal"] = export_journal
    app.view_functions["admin.replay"] = replay_refused
    app.view_functions["admin.health"] = health
    app.view_functions["admin.reset"] = _forgetting(app.view_functions["admin.reset"], forwarding.memory)
    install_error_pages(app)
    return app


def _info() -> ProxyInfo:
    return door_of(current_app, PROXY)


def export_journal():
    """``GET /_mock/journal/export`` on a proxy: the bundle, with the origin the proxy was given."""
    company = request.args.get("company")
    if not company:
        raise AdminError(400, "Query parameter company is required.")
    info = _info()
    try:
        bundle = export_proxy_bundle(current_emulator(), info.origin, info.upstream.url, company,
                                     request.args.get("since"), request.args.get("until"))
    except BundleError as exc:
        raise AdminError(exc.status, str(exc)) from None
    return jsonify(bundle)


def replay_refused():
    raise AdminError(409, "This is intacct-mock proxy: its requests go to the upstream Intacct, so a bundle is "
                          "not replayed here. Replay it on an emulator (`intacct-mock serve`, then "
                          "`intacct-mock bundle replay FILE --as-company NEW --url http://127.0.0.1:8085`).")


def _forgetting(reset_view, memory: ProxyMemory):
    """``POST /_mock/reset`` as on the emulator (rules, clocks, journal), and what STATE faults changed."""

    @wraps(reset_view)
    def reset():
        answer = reset_view()
        memory.forget_faults()
        return answer

    return reset


def health():
    emulator = current_emulator()
    settings = emulator.settings
    return jsonify(status="ok", version=__version__, companies=[], db=settings.db_path,
                   fault_header=settings.fault_header, journal=settings.journal,
                   proxy={"upstream": _info().upstream.url})
