"""``GET /_mock/openapi.json``: the admin API's OpenAPI 3.1 description (``openapi.yaml`` beside this file)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from flask import jsonify

from .blueprint import bp


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The parsed document, read once per process."""
    text = resources.files(__package__).joinpath("openapi.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(document())
