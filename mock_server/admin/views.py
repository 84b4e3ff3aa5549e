"""Admin endpoints for the whole server: health, reset and the per-company clock."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from flask import current_app, jsonify, request

from .. import __version__
from ..company import provision
from .blueprint import AdminError, bp, json_body


def _ctx():
    cfg = current_app.config
    return cfg["DB"], cfg["COMPANIES"], cfg["CLOCK"]


@bp.get("/health")
def health():
    db, companies, _ = _ctx()
    with db.transaction(write=False) as conn:
        ids = companies.ids(conn)
    settings = current_app.config["SETTINGS"]
    return jsonify(status="ok", version=__version__, companies=ids, db=settings.db_path,
                   fault_header=settings.fault_header, journal=settings.journal)


@bp.post("/reset")
def reset():
    """Everything (no body) or one company (``{"company": "X"}``) back to how it was created."""
    body = json_body(required=False) or {}
    if not isinstance(body, dict) or set(body) - {"company"} or (
            "company" in body and not (isinstance(body["company"], str) and body["company"].strip())):
        raise AdminError(400, "Expected no body, or {\"company\": \"<company id>\"}.")
    db, companies, clock = _ctx()
    faults, journal, clocks = (current_app.config[k] for k in ("FAULTS", "JOURNAL", "CLOCKS"))
    target = body.get("company")
    with db.transaction(write=True) as conn:
        keys = [target.upper()] if target else companies.ids(conn)
        if target and target.upper() not in companies.ids(conn):
            raise AdminError(404, f"No company {target!r}.")
        done, removed = [], []
        for key in keys:
            if provision.remake(conn, companies, clock, key):
                done.append(key)
            else:
                provision.delete(conn, companies, key)
                removed.append(key)
    for key in keys:
        faults.clear(key)
        clocks.reset(key)
    if not target:
        faults.clear()
        clocks.reset()
        journal.clear()
    return jsonify(reset=done, deleted=removed)


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
    return jsonify(current_app.config["CLOCKS"].describe(company.upper() if company else None))


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
    clocks = current_app.config["CLOCKS"]
    key = str(company).upper() if company else None
    clocks.set(key, _parse_now(body), frozen=frozen)
    return jsonify(clocks.describe(key))


@bp.delete("/clock")
def delete_clock():
    company = request.args.get("company")
    clocks = current_app.config["CLOCKS"]
    clocks.reset(company.upper() if company else None)
    return jsonify(clocks.describe(company.upper() if company else None))
