"""Inspector pages under ``/_mock/ui``: plain HTML forms (POST, then redirect), readable without JavaScript."""

from __future__ import annotations

import importlib.util

import json
import threading
import time as _time
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from ..admin.blueprint import _guard
from ..faults.actions import ACTIONS
from ..faults.model import FaultSpecError
from ..bundles import BundleError, export_bundle
from . import data, runs
from .xmlview import highlight
from ..web import current_emulator

bp = Blueprint("inspector", __name__, url_prefix="/_mock/ui", template_folder="templates",
               static_folder="static", static_url_path="/static")
bp.before_request(_guard)

DELIVERIES = ("sent", "unknown", "reset", "close", "hang", "truncate", "gateway_error")
ACTION_CHOICES: list[tuple[str, str]] = [choice for action in ACTIONS.values() for choice in action.examples()]
# The library ships inside the scenarios package (``intacct_mock.scenarios``, the repository's
# ``scenarios/`` folder), so the same lookup works from a clone and from an installed wheel.
SCENARIO_LIBRARY = Path(importlib.util.find_spec("intacct_mock.scenarios").origin).parent / "library"
SCENARIO_RUN_SECONDS = 900  # a library run stops starting new scenarios after this long

_job_lock = threading.Lock()
_job: dict[str, Any] = {"running": False}


def _companies() -> list[str]:
    db, companies = current_emulator().db, current_emulator().companies
    with db.transaction(write=False) as conn:
        return list(companies.ids(conn))


def _back(endpoint: str, message: str, level: str = "ok", **values: Any):
    return redirect(url_for(endpoint, **values) + "?" + urlencode({"msg": message, "level": level}), code=303)


def _bool_arg(name: str) -> bool | None:
    value = (request.args.get(name) or "").strip().lower()
    return True if value in ("1", "true", "yes") else False if value in ("0", "false", "no") else None


@bp.app_template_filter("compact_json")
def _compact_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(", ", ": "), default=str)


# ---------------------------------------------------------------------------- journal


def _journal_filters() -> dict[str, Any]:
    return {
        "company": (request.args.get("company") or "").strip() or None,
        "function": (request.args.get("function") or "").strip() or None,
        "document": (request.args.get("document") or "").strip() or None,
        "committed": _bool_arg("committed"),
        "delivery": (request.args.get("delivery") or "").strip() or None,
        "unacknowledged": _bool_arg("unacknowledged") is True,
    }


@bp.get("/")
@bp.get("/journal")
def journal():
    filters = _journal_filters()
    try:
        limit = max(1, min(int(request.args.get("limit") or 200), data.JOURNAL_PAGE_MAX))
    except ValueError:
        limit = 200
    entries = data.latest_entries(current_emulator().db, limit=limit, **filters)
    return render_template("inspector/journal.html", entries=entries, filters=filters, limit=limit,
                           deliveries=DELIVERIES, companies=_companies(), journal_mode=current_emulator().journal.mode,
                           page="journal")


@bp.get("/journal/<int:entry_id>")
def journal_entry(entry_id: int):
    entry = current_emulator().journal.get(entry_id)
    if entry is None:
        abort(404)
    request_html, request_xml = highlight(entry.get("request_body"))
    response_html, response_xml = highlight(entry.get("response_body"))
    return render_template("inspector/entry.html", entry=entry, request_html=request_html, request_xml=request_xml,
                           response_html=response_html, response_xml=response_xml,
                           records=data.written_records(entry), page="journal")


# ---------------------------------------------------------------------------- books


@bp.get("/books")
def books_index():
    chosen = (request.args.get("company") or "").strip()
    if chosen:
        return redirect(url_for(".books", company=chosen.upper()))
    return render_template("inspector/books_index.html", companies=_companies(), page="books")


@bp.get("/books/<company>")
def books(company: str):
    db, companies = current_emulator().db, current_emulator().companies
    with db.transaction(write=False) as conn:
        if companies.get(conn, company) is None:
            abort(404)
    return render_template("inspector/books.html", company=company.upper(), tables=data.book_tables(db, company),
                           companies=_companies(), page="books")


@bp.get("/books/<company>/<object_name>/<int:recordno>")
def book_record(company: str, object_name: str, recordno: int):
    db = current_emulator().db
    obj, record, lines = data.book_record(db, company, object_name, recordno)
    if record is None:
        abort(404)
    return render_template("inspector/record.html", company=company.upper(), object=obj.name, record=record,
                           lines=lines, line_columns=data.filled_columns(lines), mentions=data.record_mentions(db, company, obj.name, record),
                           window=data.MENTION_WINDOW, page="books")


# ---------------------------------------------------------------------------- faults and clock


@bp.get("/faults")
def faults():
    engine, clocks = current_emulator().faults, current_emulator().clocks
    companies = _companies()
    return render_template("inspector/faults.html", rules=[r.to_dict() for r in engine.rules()],
                           disabled=_disabled(), actions=ACTION_CHOICES, companies=companies,
                           clocks=[clocks.describe(c) for c in companies], page="faults")


def _disabled() -> dict[str, dict[str, Any]]:
    """Rules switched off from this page: the engine has no disable, so they are removed and kept here
    (per process, in memory) to be added again; counters restart when re-enabled."""
    return current_app.extensions.setdefault("inspector_disabled_faults", {})


def _int_field(name: str, default: int | None, low: int) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < low:
        raise FaultSpecError(f"{name}: expected a whole number >= {low}, got {raw!r}")
    return int(raw)


@bp.post("/faults")
def add_fault():
    form = request.form
    rule: dict[str, Any] = {"action": (form.get("action") or "").strip()}
    match: dict[str, Any] = {}
    for key in ("function", "object", "controlid", "user"):
        value = (form.get(key) or "").strip()
        if value:
            match[key] = [v.strip() for v in value.split(",") if v.strip()] if key in ("function", "object") else value
    if match:
        rule["match"] = match
    company = (form.get("company") or "").strip()
    if company and company != "*":
        rule["company"] = company
    if (form.get("description") or "").strip():
        rule["description"] = form["description"].strip()
    try:
        times = _int_field("times", 1, 1)
        nth = _int_field("nth", 1, 1)
        if times is not None:
            rule["times"] = times
        if nth and nth > 1:
            rule["nth"] = nth
        added = current_emulator().faults.add(rule)
    except FaultSpecError as exc:
        return _back(".faults", f"Fault not added: {exc}", "error")
    return _back(".faults", f"Added fault {added.id} ({added.type}).")


@bp.post("/faults/<rule_id>/remove")
def remove_fault(rule_id: str):
    if _disabled().pop(rule_id, None) is not None:
        return _back(".faults", f"Removed disabled fault {rule_id}.")
    if not current_emulator().faults.remove(rule_id):
        return _back(".faults", f"No fault {rule_id}.", "error")
    return _back(".faults", f"Removed fault {rule_id}.")


@bp.post("/faults/<rule_id>/disable")
def disable_fault(rule_id: str):
    engine = current_emulator().faults
    rule = next((r for r in engine.rules() if r.id == rule_id), None)
    if rule is None or not engine.remove(rule_id):
        return _back(".faults", f"No fault {rule_id}.", "error")
    spec = dict(rule.spec)
    if rule.company and "company" not in spec:
        spec["company"] = rule.company
    _disabled()[rule_id] = {"id": rule_id, "spec": spec, "type": rule.type, "company": rule.company}
    return _back(".faults", f"Disabled fault {rule_id} (removed; kept here to re-enable).")


@bp.post("/faults/<rule_id>/enable")
def enable_fault(rule_id: str):
    kept = _disabled().pop(rule_id, None)
    if kept is None:
        return _back(".faults", f"No disabled fault {rule_id}.", "error")
    try:
        added = current_emulator().faults.add(kept["spec"])
    except FaultSpecError as exc:
        _disabled()[rule_id] = kept
        return _back(".faults", f"Fault not enabled: {exc}", "error")
    return _back(".faults", f"Enabled fault {rule_id} again as {added.id}; its counters start at zero.")


@bp.post("/clock")
def set_clock():
    company = (request.form.get("company") or "").strip().upper()
    if not company:
        return _back(".faults", "Clock not set: choose a company.", "error")
    if request.form.get("reset"):
        current_emulator().clocks.reset(company)
        return _back(".faults", f"{company}'s clock follows the system clock again.")
    try:
        day = date.fromisoformat((request.form.get("today") or "").strip())
    except ValueError:
        return _back(".faults", "Clock not set: today must be YYYY-MM-DD.", "error")
    frozen = request.form.get("frozen") is not None
    current_emulator().clocks.set(company, datetime.combine(day, time(12, 0), tzinfo=timezone.utc), frozen=frozen)
    return _back(".faults", f"{company}'s today is {day.isoformat()}" + (" (frozen)." if frozen else " (ticking)."))


# ---------------------------------------------------------------------------- scenarios and bundles


def _library() -> list[Path]:
    from intacct_mock.scenarios.model import discover

    return discover([SCENARIO_LIBRARY]) if SCENARIO_LIBRARY.is_dir() else []


@bp.get("/scenarios")
def scenarios():
    with _job_lock:
        job = dict(_job)
    return render_template("inspector/scenarios.html", runs=runs.recent_runs(), job=job,
                           library=[p.name for p in _library()], companies=_companies(), page="scenarios")


def _run_library(files: list[Path], base_url: str, token: str | None) -> None:
    from intacct_mock.admin_client import EmulatorControl
    from intacct_mock.scenarios.model import ScenarioFileError, load
    from intacct_mock.scenarios.runner import ScenarioResult, run_scenario

    deadline = _time.monotonic() + SCENARIO_RUN_SECONDS
    control = EmulatorControl(base_url, token=token)
    try:
        for n, path in enumerate(files, start=1):
            if _time.monotonic() > deadline:
                break
            try:
                result = run_scenario(load(path), control, n)
            except ScenarioFileError as exc:
                result = ScenarioResult(None, path, error=str(exc))
            except Exception as exc:  # a broken run must not kill the worker thread silently
                result = ScenarioResult(None, path, error=f"{type(exc).__name__}: {exc}")
            runs.record_run(result)
            with _job_lock:
                _job["done"] = n
    finally:
        with _job_lock:
            _job["running"] = False
            _job["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")


@bp.post("/scenarios/run")
def run_scenarios():
    library = _library()
    wanted = (request.form.get("scenario") or "").strip()
    files = [p for p in library if p.name == wanted] if wanted and wanted != "*" else library
    if not files:
        return _back(".scenarios", f"No scenario {wanted!r} in the library.", "error")
    with _job_lock:
        if _job.get("running"):
            return _back(".scenarios", "A library run is already under way.", "error")
        _job.clear()
        _job.update(running=True, total=len(files), done=0,
                    started=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    token = current_emulator().settings.admin_token
    threading.Thread(target=_run_library, args=(files, request.host_url, token), name="inspector-scenarios",
                     daemon=True).start()
    return _back(".scenarios", f"Started {len(files)} scenario(s) against this server.")


def _stamp(value: str | None) -> str | None:
    """``2026-03-16T12:00`` (a datetime-local field, UTC) -> the journal's ISO form."""
    value = (value or "").strip()
    if not value:
        return None
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()


@bp.get("/bundle")
def bundle():
    company = (request.args.get("company") or "").strip()
    if not company:
        return _back(".scenarios", "Choose a company to export.", "error")
    try:
        since, until = _stamp(request.args.get("since")), _stamp(request.args.get("until"))
    except ValueError:
        return _back(".scenarios", "since and until must be date-times (YYYY-MM-DDTHH:MM, UTC).", "error")
    try:
        found = export_bundle(current_emulator(), company, since, until)
    except BundleError as exc:
        return _back(".scenarios", f"No bundle: {exc}", "error")
    name = f"incident-{company.upper()}-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}.json"
    return Response(json.dumps(found, indent=2), content_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
