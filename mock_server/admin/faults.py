"""Admin endpoints for fault rules: install, list, remove (per company or all)."""

from __future__ import annotations

from flask import jsonify, request

from ..faults.actions import ACTION_TYPES, DropAck, HttpStatus
from ..faults.model import FaultSpecError, parse_rule
from ..faults.presets import PRESETS
from .blueprint import AdminError, bp, documented, json_body
from ..web import current_emulator


def _engine():
    return current_emulator().faults


@bp.get("/faults")
def list_faults():
    company = request.args.get("company")
    return jsonify(faults=[r.to_dict() for r in _engine().rules(company)])


@bp.post("/faults")
def add_faults():
    """One rule (JSON object) or several (JSON array, all or nothing)."""
    body = json_body(check=False)
    if body == [] or body == {}:
        raise AdminError(400, "Expected a fault rule (object) or a non-empty list of rules.")
    engine = _engine()
    raws = body if isinstance(body, list) else [body]
    try:
        for n, raw in enumerate(raws):  # the rules' own checks first: they name the bad key best
            parse_rule(raw, "check")
    except FaultSpecError as exc:
        raise AdminError(400, f"rule {n + 1}: {exc}" if len(raws) > 1 else str(exc)) from None
    documented(body)
    try:
        rules = engine.add_many(raws)
    except FaultSpecError as exc:
        raise AdminError(400, str(exc)) from None
    resp = jsonify(faults=[r.to_dict() for r in rules])
    resp.status_code = 201
    return resp


@bp.delete("/faults")
def clear_faults():
    company = request.args.get("company")
    return jsonify(removed=_engine().clear(company))


@bp.get("/faults/<rule:rule_id>")
def get_fault(rule_id: str):
    for rule in _engine().rules():
        if rule.id == rule_id:
            return jsonify(rule.to_dict())
    raise AdminError(404, f"No fault rule {rule_id!r}.")


@bp.delete("/faults/<rule:rule_id>")
def delete_fault(rule_id: str):
    if not _engine().remove(rule_id, request.args.get("company")):
        raise AdminError(404, f"No fault rule {rule_id!r}.")
    return "", 204


@bp.get("/faults/catalog")
def fault_catalog():
    """What rules may say: action types, presets, drop variants, statuses."""
    return jsonify(actions=list(ACTION_TYPES), intacct_error_presets=sorted(PRESETS),
                   drop_ack_variants=list(DropAck.VARIANTS), http_statuses=list(HttpStatus.STATUSES),
                   header_enabled=_engine().header_enabled)
