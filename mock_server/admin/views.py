"""Blueprint "admin" under /_mock: JSON endpoints for the harness (more arrive with fault injection)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("admin", __name__, url_prefix="/_mock")


@bp.get("/health")
def health():
    db = current_app.config["DB"]
    companies = current_app.config["COMPANIES"]
    with db.transaction(write=False) as conn:
        ids = companies.ids(conn)
    return jsonify(status="ok", companies=ids, db=current_app.config["SETTINGS"].db_path)
