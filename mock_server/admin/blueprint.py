"""The ``/_mock`` blueprint, its access rule and its JSON error shape.

Without ``--admin-token`` only loopback callers may use it (a laptop or a CI runner talking to
its own emulator); with a token every caller must present it, from anywhere. Admin errors are
not Intacct errors, so they are plain JSON: ``{"error": {"status": 400, "message": "..."}}``.
"""

from __future__ import annotations

import hmac
import re
import ipaddress
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.routing import BaseConverter

from ..objects.fields import SQLITE_INTEGER_MAX
from ..web import current_emulator
from .validation import check_body, check_parameters

bp = Blueprint("admin", __name__, url_prefix="/_mock")


class RuleIdConverter(BaseConverter):
    """A fault rule id: any path segment but ``catalog`` (``/faults/catalog`` is the catalog, so
    ``OPTIONS``/``Allow`` there list its own methods, not a rule's)."""

    regex = r"(?!catalog$)[^/]+"


@bp.record_once
def _converters(state) -> None:
    state.app.url_map.converters["rule"] = RuleIdConverter


class AdminError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def problem(status: int, message: str, **extra: Any):
    resp = jsonify(error={"status": status, "message": message, **extra})
    resp.status_code = status
    return resp


@bp.errorhandler(AdminError)
def _admin_error(err: AdminError):
    return problem(err.status, err.message, **err.extra)


def _is_loopback(addr: str | None) -> bool:
    try:
        return ipaddress.ip_address((addr or "").split("%")[0]).is_loopback
    except ValueError:
        return False


@bp.before_request
def _guard():
    token = current_emulator().settings.admin_token
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            resp = problem(401, "The admin API needs 'Authorization: Bearer <admin token>'.")
            resp.headers["WWW-Authenticate"] = 'Bearer realm="intacct-mock admin"'
            return resp
        return None
    if not _is_loopback(request.remote_addr):
        return problem(403, "The admin API answers loopback callers only; start the server with --admin-token "
                            "to use it from another host.")
    return None


@bp.before_request
def _documented_parameters():
    """Refuse parameters the OpenAPI document does not allow before a view sees them."""
    wrong = check_parameters(request.method, request.url_rule.rule if request.url_rule else None, request.args,
                             request.view_args or {})
    if wrong:
        return problem(400, f"Not what the admin API accepts ({wrong}).")
    return None


def documented(body: Any) -> Any:
    """``body`` if the OpenAPI document allows it for this operation, else a 400 naming where not."""
    wrong = check_body(request.method, request.url_rule.rule if request.url_rule else None, body)
    if wrong:
        raise AdminError(400, f"Not what the admin API accepts ({wrong}).")
    return body


def json_body(*, required: bool = True, check: bool = True) -> Any:
    """The request's JSON body, or a 400 that says what is wrong with it. ``check=False``: the
    view checks it against the document itself, after its own checks (``documented``)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise AdminError(400, "Expected a JSON body.")
        return None
    data = request.get_json(silent=True)
    if data is None:
        raise AdminError(400, "The body is not valid JSON.")
    return documented(data) if check else data


def flag(name: str) -> bool | None:
    value = request.args.get(name)
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes"):
        return True
    if lowered in ("0", "false", "no"):
        return False
    raise AdminError(400, f"Query parameter {name} must be true or false, got {value!r}.")


def int_arg(name: str, default: int | None = None, low: int = 0) -> int | None:
    value = request.args.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,18}", value.strip()) or int(value) < low:
        raise AdminError(400, f"Query parameter {name} must be a whole number >= {low}, got {value!r}.")
    return min(int(value), SQLITE_INTEGER_MAX)
