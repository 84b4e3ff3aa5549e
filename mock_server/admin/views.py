"""Admin endpoints for the whole server: health, reset and the per-company clock."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from flask import jsonify, request

from .. import __version__
from .blueprint import AdminError, bp, json_body
from .openapi import document
from ..web import current_emulator


@bp.get("/health")
def health():
    emulator = current_emulator()
    settings = emulator.settings
    return jsonify(status="ok", version=__version__, companies=emulator.company_ids(), db=settings.db_path,
                   fault_header=settings.fault_header, journal=settings.journal)


@bp.post("/reset")
def reset():
    """Everything (no body) or one company (``{"company": "X"}``) back to how it was created."""
    body = json_body(required=False) or {}
    if not isinstance(body, dict) or set(body) - {"company"} or (
            body.get("company") is not None and not isinstance(body["company"], str)):
        raise AdminError(400, "Expected no body, or {\"company\": \"<company id>\"}.")
    target = (body.get("company") or "").strip() or None  # null or "": every company, as documented
    try:
        return jsonify(current_emulator().reset(target))
    except KeyError:
        raise AdminError(404, f"No company {target!r}.") from None


def _parse_now(body: dict) -> datetime:
    if "now" in body:
        try:
            at = datetime.fromisoformat(str(body["now"]).replace("Z", "+00:00"))
        except ValueError:
            raise AdminError(400, f"now must be an ISO-8601 date-time, got {body['now']!r}.") from None
        return at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    if "today" in body:
        try:
            day = date.fromisoformat(str(body["today"]))
        except ValueError:
            raise AdminError(400, f"today must be YYYY-MM-DD, got {body['today']!r}.") from None
        return datetime.combine(day, time(12, 0), tzinfo=timezone.utc)
    raise AdminError(400, "Give 'now' (ISO-8601 date-time) or 'today' (YYYY-MM-DD).")


@bp.get("/clock")
def get_clock():
    company = request.args.get("company")
    return jsonify(current_emulator().clocks.describe(company.upper() if company else None))


@bp.put("/clock")
def put_clock():
    """Set a company's "today": ``{"company": "DEMO", "today": "2026-03-31", "frozen": true}``."""
    body = json_body()
    if not isinstance(body, dict) or set(body) - {"company", "now", "today", "frozen"}:
        raise AdminError(400, "Expected {company?, now | today, frozen?}.")
    frozen = body.get("frozen", True)
    if not isinstance(frozen, bool):
        raise AdminError(400, "frozen must be true or false.")
    company = body.get("company")
    clocks = current_emulator().clocks
    key = str(company).upper() if company else None
    clocks.set(key, _parse_now(body), frozen=frozen)
    return jsonify(clocks.describe(key))


@bp.delete("/clock")
def delete_clock():
    company = request.args.get("company")
    clocks = current_emulator().clocks
    clocks.reset(company.upper() if company else None)
    return jsonify(clocks.describe(company.upper() if company else None))


@bp.get("/openapi.json")
def openapi_document():
    """This API as an OpenAPI 3.1 document: what ``validation`` checks every request against."""
    return jsonify(document())
