"""Admin endpoints for tenants: create, configure, delete, and read their books as JSON.

Companies are isolated tenants: every query here is scoped by company key, so parallel CI jobs
that each create their own company on one shared emulator never see each other's data.
"""

from __future__ import annotations

from flask import jsonify, request

from ..functions import companies as provision
from ..company.model import ConfigError
from ..objects.custom import custom_field_map
from ..objects.registry import find_object_type
from ..store import reports
from .blueprint import AdminError, bp, documented, int_arg, json_body
from ..web import current_emulator


def _company(conn, company_id: str):
    found = current_emulator().companies.get(conn, company_id)
    if found is None:
        raise AdminError(404, f"No company {company_id!r}.")
    return found


def _summary(conn, config) -> dict:
    origin = current_emulator().companies.origin(conn, config.company_id) or {}
    kind = "demo" if "demo_seed" in origin else ("spec" if origin else "unknown")
    return {"company_id": config.company_id, "name": config.name, "users": [u.userid for u in config.users],
            "entities": [e.id for e in config.entities], "origin": kind}


@bp.get("/companies")
def list_companies():
    db, companies = current_emulator().db, current_emulator().companies
    with db.transaction(write=False) as conn:
        out = [_summary(conn, companies.get(conn, key)[0]) for key in companies.ids(conn)]
    return jsonify(companies=out)


@bp.post("/companies")
def create_company():
    """Body: ``{"company": {settings}, "records": {...}}`` or ``{"demo_seed": 7, "company_id": "CI-1"}``."""
    body = json_body(check=False)
    db, companies, clock = (current_emulator().db, current_emulator().companies, current_emulator().clock)
    try:
        try:
            spec = provision.validate_spec(body, "body")
        except ConfigError:
            raise
        except (TypeError, AttributeError, ValueError):  # a value of a type the checks did not expect
            documented(body)
            raise AdminError(400, "The company spec is not valid.") from None
        documented(body)
        cid = spec.get("company_id") or spec["company"]["company_id"]
        with db.transaction(write=True) as conn:
            if companies.get(conn, cid) is not None:
                raise AdminError(409, f"Company {cid!r} already exists; DELETE it or POST /_mock/reset.")
            company_id = provision.provision(conn, companies, clock, spec, source="body")
            summary = _summary(conn, companies.get(conn, company_id)[0])
    except ConfigError as exc:
        raise AdminError(400, str(exc)) from None
    resp = jsonify(summary)
    resp.status_code = 201
    resp.headers["Location"] = f"/_mock/companies/{company_id}"
    return resp


@bp.get("/companies/<company_id>")
def get_company(company_id: str):
    db = current_emulator().db
    with db.transaction(write=False) as conn:
        config, _ = _company(conn, company_id)
        return jsonify(config=provision.public_config(config), **_summary(conn, config))


@bp.patch("/companies/<company_id>")
def configure_company(company_id: str):
    """Change settings (users, permissions, periods, frequencies ...); records are kept."""
    changes = json_body()
    if not isinstance(changes, dict):
        raise AdminError(400, "Expected a JSON object of company settings.")
    db, companies = current_emulator().db, current_emulator().companies
    try:
        with db.transaction(write=True) as conn:
            _company(conn, company_id)
            config = provision.reconfigure(conn, companies, company_id, changes)
    except ConfigError as exc:
        raise AdminError(400, str(exc)) from None
    return jsonify(config=provision.public_config(config))


@bp.delete("/companies/<company_id>")
def delete_company(company_id: str):
    if not current_emulator().delete_company(company_id):
        raise AdminError(404, f"No company {company_id!r}.")
    return "", 204


@bp.get("/companies/<company_id>/books")
def books_summary(company_id: str):
    """Record counts per object: the quickest "what is in the books" check."""
    db = current_emulator().db
    key = company_id.upper()
    with db.transaction(write=False) as conn:
        _company(conn, company_id)
        counts = reports.record_counts(conn, key)
    return jsonify(company=key, counts=counts)


@bp.get("/companies/<company_id>/books/<object_name>")
def books_records(company_id: str, object_name: str):
    """Records as Intacct shows them (labels, MM/DD/YYYY dates), lines included; paged by RECORDNO."""
    obj = find_object_type(object_name)
    if obj is None or obj.line_of:
        raise AdminError(404, f"No object {object_name!r}.")
    after = int_arg("after", 0)
    limit = min(int_arg("limit", 100, low=1) or 100, 1000)
    field_filter = {k.upper(): v for k, v in request.args.items() if k not in ("after", "limit")}
    db = current_emulator().db
    key = company_id.upper()
    with db.transaction(write=False) as conn:
        config, _ = _company(conn, company_id)
        fields = {**obj.fields, **custom_field_map(config).get(obj.name, {})}
        unknown = [f for f in field_filter if f not in obj.fields]
        if unknown:
            raise AdminError(400, f"Unknown field {unknown[0]} on {obj.name}.")
        equal = {f: _stored(obj.fields[f], v) for f, v in field_filter.items()}
        records = []
        for data in reports.records(conn, obj, key, after=after, equal=equal, limit=limit):
            record = {name: f.to_output(data.get(name)) if data.get(name) is not None else None
                      for name, f in fields.items() if not f.writeonly}
            record["RECORDNO"] = data["RECORDNO"]
            if obj.lines is not None:
                line_obj = obj.lines.object
                record[obj.lines.collection] = [
                    {n: f.to_output(v) if (v := line.get(n)) is not None else None
                     for n, f in line_obj.fields.items() if not f.writeonly}
                    for line in reports.lines(conn, line_obj, data["RECORDNO"])
                ]
            records.append(record)
    return jsonify(company=key, object=obj.name, count=len(records), records=records,
                   next_after=records[-1]["RECORDNO"] if len(records) == limit else None)


def _stored(field, text: str):
    try:
        return field.from_input(text)
    except ValueError:
        raise AdminError(400, f"{text!r} is not a valid value for {field.name}.") from None
