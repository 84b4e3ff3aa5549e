"""``GET /_mock/openapi.json``: the admin API's OpenAPI 3.1 description.

``openapi.yaml`` beside this file is written by hand; the fault action schemas are generated here
from the action classes (``faults/actions.py``), so an action added there is documented, validated
and listed in the catalog without touching the YAML.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..faults.actions import ACTION_TYPES, ACTIONS, Action, DropAck, parse_action
from ..faults.spec import FaultSpecError


def schema_name(action: type[Action]) -> str:
    """``drop_ack`` -> ``DropAckAction``."""
    return "".join(part.title() for part in action.type.split("_")) + "Action"


def _short_form_pattern() -> str:
    """The short forms the server takes: ``type=value`` for the actions whose short form takes a value,
    a bare ``type`` only for the actions that parse without one (``http_status`` needs its status)."""
    valued, bare = [], []
    for action in ACTIONS.values():
        if action.short_form is not None or action.shorthand.__func__ is not Action.shorthand.__func__:
            valued.append(action.type)
        try:
            parse_action(action.type, "probe")
            bare.append(action.type)
        except FaultSpecError:
            pass
    forms = [f"(?:{'|'.join(valued)})\\s*=\\s*\\S.*"] + ([f"(?:{'|'.join(bare)})"] if bare else [])
    return "^\\s*(?:" + "|".join(forms) + ")\\s*$"


def action_schemas() -> dict[str, Any]:
    """Every component schema that describes fault actions."""
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
    out: dict[str, Any] = {
        "FaultAction": {
            "description": "What happens to a matching request: an action object, or the short form used by the\n"
                           "`X-Mock-Fault` header (`drop_ack=reset`, `http_status=401`,\n"
                           "`intacct_error=numbering_collision`, `latency=250`, `rotate_password=<new>`, or a bare type).\n",
            "oneOf": [ref("FaultActionObject"), {"type": "string", "pattern": _short_form_pattern()}],
        },
        "FaultActionObject": {
            "description": "One of the action types, told apart by `type`.",
            "type": "object",
            "required": ["type"],
            "discriminator": {"propertyName": "type",
                              "mapping": {a.type: f"#/components/schemas/{schema_name(a)}" for a in ACTIONS.values()}},
            "oneOf": [ref(schema_name(a)) for a in ACTIONS.values()],
        },
        "FaultActionState": {
            "description": "An action as the server shows it: an action object with its defaults filled in (and keys\n"
                           "that do not apply to the chosen variant or distribution left out).\n",
            "allOf": [ref("FaultActionObject")] + [
                {"if": {"properties": {"type": {"const": a.type}}, "required": ["type"]}, "then": a.output_rule}
                for a in ACTIONS.values() if a.output_rule is not None],
        },
    }
    for action in ACTIONS.values():
        out[schema_name(action)] = {
            "description": action.summary,
            "type": "object",
            "additionalProperties": False,
            "required": ["type", *action.required],
            "properties": {"type": {"const": action.type}, **action.properties},
            **action.schema_extra,
        }
    return out


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The parsed document, built once per process."""
    text = resources.files(__package__).joinpath("openapi.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    schemas = doc["components"]["schemas"]
    schemas.update(action_schemas())
    catalog = schemas["FaultCatalog"]["properties"]
    catalog["actions"]["items"]["enum"] = list(ACTION_TYPES)
    catalog["drop_ack_variants"]["items"]["enum"] = list(DropAck.VARIANTS)
    return doc
