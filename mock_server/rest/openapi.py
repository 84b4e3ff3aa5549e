"""The OpenAPI document of the emulated REST surface (``GET /ia/api/v1/openapi.json``), generated
from the same declarations the codec reads, so it says exactly what this server accepts and
answers: each object's schema nested from its dotted names (read-only properties marked, unknown
ones refused), its collection and record operations with the methods Sage publishes and the books
take, the workflow actions (``rest/workflows.py``: each one's body, those not emulated marked), the
core services, OAuth, and the error shape with the statuses each operation can answer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import __version__
from .model import JSON_TYPES
from .objects import LINE_OBJECTS, OBJECTS, VARIANTS, RestField, RestObject
from .workflows import openapi_paths as workflow_paths

ERRORS = {"400": "The request is wrong (schema, unknown field, bad value)", "401": "The token is missing or not valid",
          "403": "The user may not do this", "404": "No such object or record", "405": "Not allowed here",
          "409": "A unique key is taken, or an Idempotency-Key was used with another request",
          "422": "A business rule refused it", "429": "Rate limited"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def schema_name(path: str) -> str:
    return path.replace("/", ".")


def _property(f: RestField) -> dict[str, Any]:
    json_type, fmt = JSON_TYPES.get(f.type, (f.type, None))
    out: dict[str, Any] = {"type": [json_type, "null"]}
    if fmt:
        out["format"] = fmt
    if f.enum:
        out["enum"] = [*f.enum, None]
    if f.read_only:
        out["readOnly"] = True
    return out


def object_schema(rest: RestObject) -> dict[str, Any]:
    root: dict[str, Any] = {"type": "object", "properties": {"href": {"type": "string", "readOnly": True}}}
    for f in rest.fields:
        node = root
        *groups, leaf = f.name.split(".")
        for g in groups:
            node = node["properties"].setdefault(g, {"type": ["object", "null"], "properties": {
                "href": {"type": "string", "readOnly": True}}})
        node["properties"][leaf] = _property(f)
    if rest.lines is not None:
        root["properties"][rest.lines.name] = {"type": "array", "items": _ref(schema_name(rest.lines.path))}
    return root


def _errors(*codes: str) -> dict[str, Any]:
    return {code: {"description": ERRORS[code], "content": {"application/json": {"schema": _ref("error-response")}}}
            for code in codes}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _result(schema: dict[str, Any], meta: str = "metadata") -> dict[str, Any]:
    return {"type": "object", "required": ["ia::result"], "properties": {"ia::result": schema, "ia::meta": _ref(meta)}}


def _object_paths(rest: RestObject, schema: str | None = None) -> dict[str, Any]:
    name, tag = schema or schema_name(rest.path), rest.path.split("/")[0]
    body = {"required": True, "content": {"application/json": {"schema": {"oneOf": [
        _ref(name), {"type": "array", "minItems": 1, "maxItems": 100, "items": _ref(name)}]}}}}
    auth = ("400", "401", "403", "429")
    collection: dict[str, Any] = {"get": {"tags": [tag], "operationId": f"list-{name}", "summary": f"List {rest.path}",
                                          "responses": {"200": _json(_result({"type": "array", "items": _ref(
                                              "object-reference")}, "metadata-pages"), "References"), **_errors(*auth)}}}
    item: dict[str, Any] = {"get": {"tags": [tag], "operationId": f"get-{name}", "summary": f"Get {rest.path}",
                                    "responses": {"200": _json(_result({"oneOf": [_ref(name), {
                                        "type": "array", "items": _ref(name)}]}), "The record(s)"),
                                        **_errors(*auth, "404")}}}
    if "POST" in rest.collection_methods and rest.path not in LINE_OBJECTS:
        collection["post"] = {"tags": [tag], "operationId": f"create-{name}", "summary": f"Create {rest.path}",
                              "parameters": [_ref_param("Idempotency-Key")], "requestBody": body,
                              "responses": {"201": _json(_result({}), "Created"),
                                            "207": _json(_result({"type": "array"}), "Some failed"),
                                            **_errors(*auth, "404", "405", "409", "422")}}
    if "PATCH" in rest.item_methods and rest.path not in LINE_OBJECTS:
        item["patch"] = {"tags": [tag], "operationId": f"update-{name}", "summary": f"Update {rest.path}",
                         "parameters": [_ref_param("Idempotency-Key")], "requestBody": {
                             "required": True, "content": {"application/json": {"schema": _ref(name)}}},
                         "responses": {"200": _json(_result(_ref("object-reference")), "Updated"),
                                       **_errors(*auth, "404", "405", "409", "422")}}
    if "DELETE" in rest.item_methods and rest.path not in LINE_OBJECTS:
        item["delete"] = {"tags": [tag], "operationId": f"delete-{name}", "summary": f"Delete {rest.path}",
                          "responses": {"204": {"description": "Deleted"}, "207": _json(_result({"type": "array"}),
                                                                                         "Some failed"),
                                        **_errors(*auth, "404", "405", "422")}}
    key = {"name": "key", "in": "path", "required": True, "description": "A record key, or several separated by commas",
           "schema": {"type": "string", "pattern": "^[0-9]{1,18}(,[0-9]{1,18}){0,499}$"}}
    return {f"/objects/{rest.path}": collection, f"/objects/{rest.path}/{{key}}": {"parameters": [key], **item}}


def _ref_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string", "minLength": 1,
                                                                        "maxLength": 200}}


def _services() -> dict[str, Any]:
    auth = _errors("400", "401", "429")
    query = {"type": "object", "required": ["object"], "properties": {
        "object": {"type": "string", "enum": sorted(OBJECTS)}, "fields": {"type": "array", "items": {"type": "string"}},
        "filters": {"type": "array", "items": {"type": "object", "minProperties": 1, "maxProperties": 1}},
        "filterExpression": {"type": "string"}, "filterParameters": {"type": "object"},
        "orderBy": {"type": "array", "items": {"type": "object", "minProperties": 1, "maxProperties": 1}},
        "start": {"type": "integer", "minimum": 1, "maximum": 2**53}, "size": {"type": "integer", "minimum": 1, "maximum": 4000}}}
    token = {"type": "object", "required": ["grant_type"], "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials", "refresh_token", "authorization_code"]},
        "client_id": {"type": "string"}, "client_secret": {"type": "string"}, "username": {"type": "string"},
        "refresh_token": {"type": "string"}, "code": {"type": "string"}, "redirect_uri": {"type": "string"},
        "code_verifier": {"type": "string"}}}
    oauth_error = {"type": "object", "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}}}
    return {
        "/oauth2/token": {"post": {
            "tags": ["oauth2"], "operationId": "oauth2-token", "security": [], "summary": "Tokens for a grant",
            "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": token},
                                                          "application/json": {"schema": token}}},
            "responses": {"200": _json({"type": "object", "required": ["access_token", "token_type", "expires_in"],
                                        "properties": {"access_token": {"type": "string"},
                                                       "token_type": {"const": "Bearer"},
                                                       "expires_in": {"type": "integer"},
                                                       "refresh_token": {"type": "string"}}}, "Tokens"),
                          "400": _json(oauth_error, "Refused grant"), "401": _json({}, "Client or token not valid"),
                          "429": _json({}, "Rate limited")}}},
        "/services/core/query": {"post": {
            "tags": ["core"], "operationId": "post-services-query", "summary": "Query an object",
            "requestBody": {"required": True, "content": {"application/json": {"schema": query}}},
            "responses": {"200": _json(_result({"type": "array", "items": {"type": "object"}}, "metadata-pages"),
                                       "Records"), **auth, **_errors("403")}}},
        "/services/core/model": {"get": {
            "tags": ["core"], "operationId": "get-services-model", "summary": "An object's model",
            "parameters": [{"name": "name", "in": "query", "required": False, "schema": {"type": "string"}}],
            "responses": {"200": _json(_result({"type": ["object", "array"]}), "Model"), **auth, **_errors("404")}}},
        "/services/core/composite": {"post": {
            "tags": ["core"], "operationId": "post-services-composite", "summary": "Several requests in order",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "array", "minItems": 1, "maxItems": 50, "items": {
                    "type": "object", "required": ["method", "path"], "properties": {
                        "method": {"type": "string", "enum": ["GET", "POST", "PATCH", "DELETE"]},
                        "path": {"type": "string", "pattern": "^/(objects|services)/"},
                        "headers": {"type": "object", "additionalProperties": {"type": "string"}},
                        "body": {}, "resultReference": {"type": "string"}}}}}}},
            "responses": {"200": _json(_result({"type": "array"}), "All succeeded"),
                          "207": _json(_result({"type": "array"}), "Some failed"), **auth}}},
        "/services/core/session/id": {"get": {
            "tags": ["core"], "operationId": "get-services-session-id", "summary": "An XML API session id",
            "responses": {"200": _json(_result({"type": "object", "required": ["sessionId", "expiresIn"], "properties": {
                "sessionId": {"type": "string"}, "expiresIn": {"type": "integer"}}}), "Session"), **auth}}},
    }


def document() -> dict[str, Any]:
    paths: dict[str, Any] = dict(_services())
    for rest in OBJECTS.values():
        paths.update(_object_paths(rest))
    for base, stored in VARIANTS.items():  # writes through the named path: order-entry/document::{documentName}
        variant = replace(OBJECTS[base], path=f"{base}::{{documentName}}", collection_methods=("GET", "POST"),
                          item_methods=("GET", "PATCH", "DELETE"))
        named = {"name": "documentName", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1},
                 "description": f"The {stored} (transaction definition), e.g. Sales Invoice"}
        for template, item in _object_paths(variant, schema_name(base)).items():
            for operation in (v for k, v in item.items() if k != "parameters"):
                operation["operationId"] += "-named"
            item["parameters"] = [named, *item.get("parameters", [])]
            paths[template] = item
    paths.update(workflow_paths(_ref("workflow-result"), _errors("400", "401", "403", "404", "409", "422", "429")))
    schemas: dict[str, Any] = {schema_name(r.path): object_schema(r) for r in OBJECTS.values()}
    schemas.update({
        "object-reference": {"type": "object", "properties": {"key": {"type": "string"}, "id": {"type": "string"},
                                                               "href": {"type": "string"}}},
        "workflow-result": {"type": "object", "required": ["key", "href"], "properties": {
            "key": {"type": "string"}, "id": {"type": "string"}, "href": {"type": "string"},
            "state": {"type": ["string", "null"]}}},
        "metadata": {"type": "object", "properties": {n: {"type": "integer"} for n in
                                                      ("totalCount", "totalSuccess", "totalError")}},
        "metadata-pages": {"type": "object", "properties": {
            "totalCount": {"type": "integer"}, "start": {"type": "integer"}, "pageSize": {"type": "integer"},
            "next": {"type": ["integer", "null"]}, "previous": {"type": ["integer", "null"]}}},
        "error": {"type": "object", "required": ["ia::error"], "properties": {"ia::error": {
            "type": "object", "required": ["code", "message", "errorId"], "properties": {
                "code": {"type": "string"}, "message": {"type": "string"}, "errorId": {"type": "string"},
                "additionalInfo": {"type": "object"}, "details": {"type": "array", "items": {"type": "object"}}}}}},
        "error-response": {"type": "object", "required": ["ia::result"], "properties": {
            "ia::result": {"oneOf": [_ref("error"), {"type": "array", "description": "An array body whose records "
                                                     "all failed: each record's error in its place",
                                                     "items": _ref("error")}]},
            "ia::meta": _ref("metadata")}},
    })
    return {
        "openapi": "3.1.0",
        "info": {"title": "intacct-mock REST API", "version": __version__,
                 "description": "The Sage Intacct REST API as this emulator serves it, over the same books as its "
                                "XML gateway. Generated from the emulator's declarations (mock_server/rest/mapping.json)."},
        "servers": [{"url": "/ia/api/v1"}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
                       "schemas": schemas},
        "paths": paths,
    }
