"""Admin endpoints for the request journal: list with filters, one entry with bodies, clear."""

from __future__ import annotations

from flask import jsonify, request

from ..bundles import BundleError, export_bundle, replay_bundle
from .blueprint import AdminError, bp, flag, int_arg, json_body
from ..gateway.views import current_xml_gateway
from ..rest.views import rest_api
from ..web import current_emulator

DELIVERIES = ("sent", "unknown", "reset", "close", "hang", "truncate", "gateway_error")


def _journal():
    return current_emulator().journal


def _filters() -> dict:
    """The journal's query filters, shared by the list and the count."""
    delivery = request.args.get("delivery")
    if delivery is not None and delivery not in DELIVERIES:
        raise AdminError(400, f"delivery must be one of {', '.join(DELIVERIES)}.")
    protocol = request.args.get("protocol")
    if protocol is not None and protocol not in ("xml", "rest"):
        raise AdminError(400, "protocol must be xml or rest.")
    return dict(
        protocol=protocol, company=request.args.get("company"), function=request.args.get("function"),
        object=request.args.get("object"), document=request.args.get("document"),
        controlid=request.args.get("controlid"), committed=flag("committed"), delivery=delivery,
        since=request.args.get("since"), until=request.args.get("until"), after_id=int_arg("after_id"),
        unacknowledged=bool(flag("unacknowledged")),
    )


@bp.get("/journal")
def list_journal():
    entries = _journal().list(**_filters(), limit=int_arg("limit", 100, low=1) or 100, bodies=bool(flag("bodies")))
    return jsonify(mode=_journal().mode, count=len(entries), entries=entries)


@bp.get("/journal/count")
def count_journal():
    """How many entries match the filters (the list's, without its limit): "exactly once" in one call."""
    return jsonify(mode=_journal().mode, count=_journal().count(**_filters()))


@bp.get("/journal/<int:entry_id>")
def get_journal_entry(entry_id: int):
    entry = _journal().get(entry_id)
    if entry is None:
        raise AdminError(404, f"No journal entry {entry_id}.")
    return jsonify(entry)


@bp.delete("/journal")
def clear_journal():
    return jsonify(removed=_journal().clear(request.args.get("company")))


@bp.get("/journal/export")
def export_journal():
    """An incident bundle for one company and a time range (ISO-8601 ``since``/``until``)."""
    company = request.args.get("company")
    if not company:
        raise AdminError(400, "Query parameter company is required.")
    try:
        bundle = export_bundle(current_emulator(), company, request.args.get("since"), request.args.get("until"))
    except BundleError as exc:
        raise AdminError(exc.status, str(exc)) from None
    return jsonify(bundle)


@bp.post("/replay")
def replay():
    """Replay a bundle into a new company: ``{"bundle": {...}, "as_company": "INC-42-REPLAY"}``."""
    body = json_body()
    if not isinstance(body, dict) or "bundle" not in body or not isinstance(body.get("as_company"), str):
        raise AdminError(400, "Expected {\"bundle\": <incident bundle>, \"as_company\": \"<new company id>\"}.")
    try:
        report = replay_bundle(current_xml_gateway(), body["bundle"], body["as_company"],
                               rest_api())
    except BundleError as exc:
        raise AdminError(exc.status, str(exc)) from None
    return jsonify(report)
