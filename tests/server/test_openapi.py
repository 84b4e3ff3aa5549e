"""The admin API's OpenAPI document (``GET /_mock/openapi.json``) against the live server.

Three checks: the document is valid OpenAPI 3.1; it lists exactly the routes the Flask app
registers under ``/_mock`` (path templates and methods); and every operation, called over real
HTTP with realistic inputs and with the usual mistakes, answers with a status the document lists
and a JSON body that validates against the schema documented for that status.

Everything here runs in companies this module creates; it never resets the whole server, never
clears all faults, clocks or journal entries, so other tests sharing the live server are unaffected.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import intacct_mock.admin
from intacct_mock.admin.openapi import action_schemas
from intacct_mock.app import create_app
from intacct_mock.config import Settings
from intacct_mock.faults.actions import ACTIONS, DropAck
from tests.support import Gateway, fn, record_xml

DOC_URI = "urn:intacct-mock:admin-openapi"
YAML_PATH = Path(intacct_mock.admin.__file__).parent / "openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}

_ids = itertools.count(1)
EXERCISED: set[tuple[str, str, str]] = set()  # (method, template, status) seen by Api.call


def new_id(prefix: str = "OAS") -> str:
    return f"{prefix}-{next(_ids):03d}"


def spec(company_id: str) -> dict[str, Any]:
    """A company with an origin (so it can be reset and exported), one user, a small chart, two vendors."""
    return {
        "company": {"company_id": company_id, "name": f"OpenAPI {company_id}",
                    "users": [{"userid": "ws_user", "password": "pw", "permissions": {"GL": "read"}}],
                    "custom_fields": {"VENDOR": [{"name": "VENDOR_CATEGORY", "label": "Category"}]},
                    "closed_periods": ["2025-12"]},
        "records": {
            "GLACCOUNT": [{"ACCOUNTNO": "6000", "TITLE": "Rent", "ACCOUNTTYPE": "incomestatement",
                           "NORMALBALANCE": "debit"}],
            "VENDOR": [{"VENDORID": "V-1", "NAME": "Initech", "DISPLAYCONTACT": {"PRINTAS": "Initech"}},
                       {"VENDORID": "V-2", "NAME": "Hooli", "DISPLAYCONTACT": {"PRINTAS": "Hooli"}}],
        },
    }


# ---------------------------------------------------------------------------- the document


def pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


class Api:
    """Calls the admin API over HTTP and checks each answer against the OpenAPI document."""

    def __init__(self, base_url: str, http: requests.Session, doc: dict[str, Any]) -> None:
        self.base_url, self.http, self.doc = base_url, http, doc
        self.registry = Registry().with_resource(DOC_URI, Resource(contents=doc, specification=DRAFT202012))

    def schema_validator(self, json_pointer: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"{DOC_URI}#{quote(json_pointer, safe='/~')}"}, registry=self.registry,
                                    format_checker=Draft202012Validator.FORMAT_CHECKER)

    def validate(self, instance: Any, json_pointer: str) -> None:
        errors = sorted(self.schema_validator(json_pointer).iter_errors(instance), key=lambda e: list(e.path))
        assert not errors, f"{json_pointer}:\n" + "\n".join(
            f"  at {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}" for e in errors[:10])

    def call(self, method: str, template: str, *, status: int, path_params: dict[str, Any] | None = None,
             **kw: Any) -> requests.Response:
        """Call ``template`` (``{name}`` filled from path_params), expect ``status``, validate the body."""
        if 200 <= status < 300:
            self.check_request(method, template, kw)
        path = template.format(**{k: quote(str(v), safe="") for k, v in (path_params or {}).items()})
        resp = self.http.request(method, self.base_url + path, timeout=30, **kw)
        assert resp.status_code == status, f"{method} {path}: {resp.status_code} {resp.text[:500]}"
        self.check(method, template, resp)
        return resp

    def check_request(self, method: str, template: str, kw: dict[str, Any]) -> None:
        """What a successful call sent is what the document says may be sent."""
        item = self.doc["paths"][template]
        operation = item[method.lower()]
        params = [self.resolve(p["$ref"]) if "$ref" in p else p
                  for p in item.get("parameters", []) + operation.get("parameters", [])]
        query = {p["name"] for p in params if p["in"] == "query"}
        free_form = any(p["in"] == "query" and p["schema"].get("type") == "object" for p in params)
        for name in kw.get("params") or {}:
            assert name in query or free_form, f"{method} {template}: query parameter {name} is not documented"
        if "json" in kw:
            body = operation.get("requestBody")
            assert body, f"{method} {template}: sends a body the document does not describe"
            self.validate(kw["json"], pointer("paths", template, method.lower(), "requestBody", "content",
                                              "application/json", "schema"))

    def check(self, method: str, template: str, resp: requests.Response) -> None:
        op_ptr = pointer("paths", template, method.lower())
        operation = self.doc["paths"][template][method.lower()]
        code = str(resp.status_code)
        assert code in operation["responses"], f"{method} {template}: status {code} is not documented"
        response, resp_ptr = operation["responses"][code], op_ptr + pointer("responses", code)
        if "$ref" in response:  # a shared response object: #/components/responses/...
            resp_ptr = response["$ref"][1:]
            response = self.resolve(response["$ref"])
        content = response.get("content")
        if not content:
            assert resp.content == b"", f"{method} {template} {code}: undocumented body {resp.text[:200]}"
        else:
            assert list(content) == ["application/json"]
            assert resp.headers["Content-Type"].startswith("application/json"), resp.headers["Content-Type"]
            self.validate(resp.json(), resp_ptr + pointer("content", "application/json", "schema"))
        for name in response.get("headers", {}):
            assert name in resp.headers, f"{method} {template} {code}: documented header {name} missing"
        EXERCISED.add((method.upper(), template, code))

    def resolve(self, ref: str) -> Any:
        node: Any = self.doc
        for part in ref.lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


@pytest.fixture(scope="module")
def doc(live_server) -> dict[str, Any]:
    resp = requests.get(live_server.base_url + "/_mock/openapi.json", timeout=30)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/json")
    return resp.json()


@pytest.fixture
def api(control, doc) -> Api:
    return Api(control.base_url, control.http, doc)


@pytest.fixture
def spec_company(api, gateway_url):
    """A company created through the admin API (it has an origin); its faults and clock cleaned up after."""
    cid = new_id()
    api.call("POST", "/_mock/companies", json=spec(cid), status=201)
    yield cid, Gateway(gateway_url, company=cid, user=("ws_user", "pw"))
    api.http.delete(api.base_url + "/_mock/faults", params={"company": cid}, timeout=30)
    api.http.delete(api.base_url + "/_mock/clock", params={"company": cid}, timeout=30)


# ---------------------------------------------------------------------------- (a) and (b)


def test_the_served_document_is_valid_openapi_3_1(doc):
    OpenAPIV31SpecValidator(doc).validate()
    assert doc["openapi"].startswith("3.1.")
    # served as written, plus what the fault action classes declare (the one generated part)
    written = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    generated = action_schemas()
    served = json.loads(json.dumps(doc))
    for name, schema in generated.items():
        assert served["components"]["schemas"].pop(name) == json.loads(json.dumps(schema))
    catalog = served["components"]["schemas"]["FaultCatalog"]["properties"]
    assert catalog["actions"]["items"].pop("enum") == list(ACTIONS)
    assert catalog["drop_ack_variants"]["items"].pop("enum") == list(DropAck.VARIANTS)
    assert served == written
    assert "/_mock/openapi.json" in doc["info"]["description"]
    for name in ("Error", "FaultRule", "FaultRuleState", "JournalEntry", "Company", "CompanySpec", "ClockState"):
        Draft202012Validator.check_schema(doc["components"]["schemas"][name])


def flask_routes(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/_mock/ui"):
            continue  # the inspector's HTML pages are not part of the JSON admin API
        if rule.endpoint.startswith("admin.") or rule.rule.startswith("/_mock"):
            assert rule.endpoint.startswith("admin.") and rule.rule.startswith("/_mock"), rule
            template = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes.setdefault(template, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def test_the_document_lists_exactly_the_registered_admin_routes(app, doc):
    registered = flask_routes(app)
    documented = {path: {m for m in item if m in HTTP_METHODS} for path, item in doc["paths"].items()}
    assert set(registered) == set(documented), (
        f"only in Flask: {sorted(set(registered) - set(documented))}; "
        f"only in the document: {sorted(set(documented) - set(registered))}")
    for path in registered:
        assert registered[path] == documented[path], f"{path}: Flask {registered[path]}, document {documented[path]}"
    for path, item in doc["paths"].items():  # each path's {names} are declared as path parameters
        names = set(re.findall(r"{([^}]+)}", path))
        for method in documented[path]:
            params = [Api("", requests.Session(), doc).resolve(p["$ref"]) if "$ref" in p else p
                      for p in item.get("parameters", []) + item[method].get("parameters", [])]
            assert {p["name"] for p in params if p["in"] == "path"} == names, (path, method)


# ---------------------------------------------------------------------------- (c) server


def test_health_openapi_and_clock(api):
    health = api.call("GET", "/_mock/health", status=200).json()
    assert "DEMO" in health["companies"]
    assert api.call("GET", "/_mock/openapi.json", status=200).json()["openapi"].startswith("3.1")

    cid = new_id().lower()  # clocks are not checked against companies; keys are upper-cased
    api.call("GET", "/_mock/clock", status=200)  # the server-wide default: read only
    try:
        state = api.call("PUT", "/_mock/clock", json={"company": cid, "today": "2026-03-31"}, status=200).json()
        assert state == {"company": cid.upper(), "now": "2026-03-31T12:00:00+00:00", "mode": "frozen"}
        state = api.call("PUT", "/_mock/clock", json={"company": cid, "now": "2026-04-01T08:30:00Z", "frozen": False},
                         status=200).json()
        assert state["mode"] == "offset" and state["company"] == cid.upper()
        assert api.call("GET", "/_mock/clock", params={"company": cid}, status=200).json()["mode"] == "offset"
        for bad in ({"company": cid}, {"company": cid, "today": "31/03/2026"}, {"company": cid, "now": "soon"},
                    {"company": cid, "today": "2026-03-31", "frozen": "yes"}, {"company": cid, "colour": "red"}, [1]):
            api.call("PUT", "/_mock/clock", json=bad, status=400)
        api.call("PUT", "/_mock/clock", status=400)  # no body
    finally:
        state = api.call("DELETE", "/_mock/clock", params={"company": cid}, status=200).json()
    assert state["mode"] in ("system", "frozen", "offset") and state["company"] == cid.upper()


def test_company_scoped_reset(api, spec_company, make_company):
    cid, gw = spec_company
    gw.ok(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-9', 'NAME': 'Vandelay'})}</create>"))
    assert api.call("GET", "/_mock/companies/{company_id}/books", path_params={"company_id": cid},
                    status=200).json()["counts"]["VENDOR"] == 3
    result = api.call("POST", "/_mock/reset", json={"company": cid.lower()}, status=200).json()
    assert result == {"reset": [cid], "deleted": []}
    assert api.call("GET", "/_mock/companies/{company_id}/books", path_params={"company_id": cid},
                    status=200).json()["counts"]["VENDOR"] == 2

    no_origin = make_company()  # written straight into the database: a reset can only delete it
    assert api.call("POST", "/_mock/reset", json={"company": no_origin}, status=200).json() == {
        "reset": [], "deleted": [no_origin]}

    api.call("POST", "/_mock/reset", json={"company": "OAS-NO-SUCH"}, status=404)
    api.call("POST", "/_mock/reset", json={"company": cid, "everything": True}, status=400)
    api.call("POST", "/_mock/reset", json=["not", "an", "object"], status=400)
    api.call("POST", "/_mock/reset", data="{nope", headers={"Content-Type": "application/json"}, status=400)


# ---------------------------------------------------------------------------- (c) companies


def test_companies_crud(api, gateway_url):
    cid = new_id()
    created = api.call("POST", "/_mock/companies", json=spec(cid), status=201)
    assert created.headers["Location"] == f"/_mock/companies/{cid}"
    assert created.json()["origin"] == "spec" and created.json()["users"] == ["ws_user"]

    listed = api.call("GET", "/_mock/companies", status=200).json()["companies"]
    assert cid in [c["company_id"] for c in listed]

    detail = api.call("GET", "/_mock/companies/{company_id}", path_params={"company_id": cid.lower()},
                      status=200).json()
    assert detail["company_id"] == cid and detail["config"]["users"][0]["password"] == "***"

    users = detail["config"]["users"]  # GET, edit, PATCH: "***" keeps the password
    users[0]["permissions"] = {"AP": "read"}
    changed = api.call("PATCH", "/_mock/companies/{company_id}", path_params={"company_id": cid},
                       json={"users": users, "closed_through": "2025-12-31",
                             "entities": [{"id": "E1", "name": "East"}]}, status=200).json()
    assert changed["config"]["closed_through"] == "2025-12-31"
    assert changed["config"]["users"][0]["permissions"] == {"AP": "read"}
    Gateway(gateway_url, company=cid, user=("ws_user", "pw")).ok(fn("<getAPISession/>"))

    demo_id = new_id("OAS-DEMO")
    demo = api.call("POST", "/_mock/companies", json={"demo_seed": 3, "company_id": demo_id}, status=201).json()
    assert demo["origin"] == "demo" and demo["company_id"] == demo_id

    # mistakes
    api.call("POST", "/_mock/companies", json=spec(cid), status=409)
    for bad in ({"company": {"name": "no id"}}, {"colour": "red"}, {"demo_seed": "seven"},
                {"company": {"company_id": "X", "ar_payment_summary_frequency": "Hourly"}}):
        api.call("POST", "/_mock/companies", json=bad, status=400)
    api.call("POST", "/_mock/companies", status=400)  # no body
    api.call("GET", "/_mock/companies/{company_id}", path_params={"company_id": "OAS-NO-SUCH"}, status=404)
    api.call("PATCH", "/_mock/companies/{company_id}", path_params={"company_id": "OAS-NO-SUCH"},
             json={"name": "x"}, status=404)
    api.call("PATCH", "/_mock/companies/{company_id}", path_params={"company_id": cid},
             json={"ap_payment_summary_frequency": "Hourly"}, status=400)
    api.call("PATCH", "/_mock/companies/{company_id}", path_params={"company_id": cid},
             json={"company_id": "SOMEONE-ELSE"}, status=400)
    api.call("PATCH", "/_mock/companies/{company_id}", path_params={"company_id": cid}, json=[1, 2], status=400)

    api.call("DELETE", "/_mock/companies/{company_id}", path_params={"company_id": demo_id}, status=204)
    api.call("DELETE", "/_mock/companies/{company_id}", path_params={"company_id": cid}, status=204)
    api.call("DELETE", "/_mock/companies/{company_id}", path_params={"company_id": cid}, status=404)


def test_books(api, spec_company):
    cid, gw = spec_company
    one = {"company_id": cid}
    counts = api.call("GET", "/_mock/companies/{company_id}/books", path_params=one, status=200).json()
    assert counts["company"] == cid and counts["counts"]["VENDOR"] == 2 and counts["counts"]["APBILL"] == 0

    books = "/_mock/companies/{company_id}/books/{object_name}"
    page = api.call("GET", books, path_params={**one, "object_name": "vendor"}, params={"limit": 1}, status=200).json()
    assert page["object"] == "VENDOR" and page["count"] == 1 and isinstance(page["next_after"], int)
    assert "VENDOR_CATEGORY" in page["records"][0]  # custom fields are shown
    rest = api.call("GET", books, path_params={**one, "object_name": "VENDOR"},
                    params={"after": page["next_after"]}, status=200).json()
    assert [r["VENDORID"] for r in rest["records"]] == ["V-2"] and rest["next_after"] is None
    hit = api.call("GET", books, path_params={**one, "object_name": "VENDOR"}, params={"VENDORID": "V-1"},
                   status=200).json()
    assert [r["NAME"] for r in hit["records"]] == ["Initech"]

    for params in ({"limit": 0}, {"after": "-1"}, {"limit": "ten"}, {"COLOUR": "red"}):
        api.call("GET", books, path_params={**one, "object_name": "VENDOR"}, params=params, status=400)
    api.call("GET", books, path_params={**one, "object_name": "NOSUCHOBJECT"}, status=404)
    api.call("GET", books, path_params={**one, "object_name": "APBILLITEM"}, status=404)  # lines only via their bill
    api.call("GET", books, path_params={"company_id": "OAS-NO-SUCH", "object_name": "VENDOR"}, status=404)
    api.call("GET", "/_mock/companies/{company_id}/books", path_params={"company_id": "OAS-NO-SUCH"}, status=404)


def test_books_with_document_lines(api):
    """Bills carry their lines (a demo company has posted bills with two lines each)."""
    cid = new_id("OAS-DEMO")
    api.call("POST", "/_mock/companies", json={"demo_seed": 11, "company_id": cid}, status=201)
    try:
        page = api.call("GET", "/_mock/companies/{company_id}/books/{object_name}",
                        path_params={"company_id": cid, "object_name": "APBILL"}, params={"limit": 2},
                        status=200).json()
        assert page["count"] == 2 and all(len(r["APBILLITEMS"]) == 2 for r in page["records"])
    finally:
        api.call("DELETE", "/_mock/companies/{company_id}", path_params={"company_id": cid}, status=204)


# ---------------------------------------------------------------------------- (c) faults


def test_fault_rules(api, spec_company):
    cid, _ = spec_company
    catalog = api.call("GET", "/_mock/faults/catalog", status=200).json()
    assert "drop_ack" in catalog["actions"] and "numbering_collision" in catalog["intacct_error_presets"]

    smallest = api.call("POST", "/_mock/faults", json={
        "company": cid, "match": {"function": "create_bill"}, "action": {"type": "drop_ack", "variant": "reset"},
        "times": 1}, status=201).json()["faults"]
    assert len(smallest) == 1 and smallest[0]["company"] == cid and smallest[0]["times"] == 1

    # One rule of every action type, the counting keys in both places, every match criterion.
    p = f"{cid}-"
    rules = [
        {"id": p + "http", "company": cid, "action": {"type": "http_status", "status": 429}, "nth": 3},
        {"id": p + "err", "company": cid, "action": {"type": "intacct_error", "preset": "numbering_collision",
                                                   "document_number": "B-1"},
         "match": {"function": ["create_bill", "create"], "object": "apbill", "probability": 0.5, "seed": 7}},
        {"id": p + "gw", "company": cid, "action": {"type": "drop_ack", "variant": "gateway_error", "status": 524},
         "match": {"controlid": "re:bill-[0-9]+", "sender": "mock-sender", "user": "WS_USER"}},
        {"id": p + "hang", "company": cid, "action": {"type": "drop_ack", "variant": "hang", "hang_seconds": 1}},
        {"id": p + "lat", "company": cid, "action": {"type": "latency", "distribution": "lognormal",
                                                   "median_ms": 5}, "window": {"start": "2026-01-01T00:00:00Z"}},
        {"id": p + "uni", "company": cid, "action": {"type": "latency", "distribution": "uniform", "max_ms": 2}},
        {"id": p + "exp", "company": cid, "action": "session_expire", "match": {"session": True}},
        {"id": p + "rot", "company": cid, "action": {"type": "rotate_password", "new_password": "pw2"},
         "match": {"header": {"X-Rotate": "yes*"}}},
        {"id": p + "rate", "company": cid, "action": {"type": "rate_limit", "requests": 100, "per_seconds": 1}},
        {"id": p + "conc", "company": cid, "action": {"type": "concurrency_limit", "max": 5}},
        {"id": p + "short", "company": cid, "action": "http_status=503", "description": "shorthand",
         "match": {"function": "nothing_calls_this"}},
    ]
    installed = api.call("POST", "/_mock/faults", json=rules, status=201).json()["faults"]
    assert [r["id"] for r in installed] == [r["id"] for r in rules]
    assert installed[0]["action"]["retry_after"] == 60  # defaults are filled in on output

    listed = api.call("GET", "/_mock/faults", params={"company": cid.lower()}, status=200).json()["faults"]
    assert len(listed) == len(rules) + 1
    api.call("GET", "/_mock/faults", status=200)  # every company's rules, other tests' included
    one = api.call("GET", "/_mock/faults/{rule_id}", path_params={"rule_id": p + "lat"}, status=200).json()
    assert one["window"] == {"start": "2026-01-01T00:00:00+00:00", "end": None}

    # mistakes: each rejected whole, nothing installed
    for bad in ({"company": cid}, {"company": cid, "action": {"type": "explode"}},
                {"company": cid, "action": {"type": "http_status", "status": 418}},
                {"company": cid, "action": "drop_ack", "colour": "red"},
                {"company": cid, "action": "drop_ack", "times": 1, "match": {"times": 2}},
                [{"company": cid, "action": "drop_ack"}, {"id": p + "http", "company": cid, "action": "drop_ack"}],
                "drop_ack"):
        api.call("POST", "/_mock/faults", json=bad, status=400)
    api.call("POST", "/_mock/faults", data="{", headers={"Content-Type": "application/json"}, status=400)
    assert len(api.call("GET", "/_mock/faults", params={"company": cid}, status=200).json()["faults"]) == len(listed)

    api.call("GET", "/_mock/faults/{rule_id}", path_params={"rule_id": "oas-no-such-rule"}, status=404)
    api.call("DELETE", "/_mock/faults/{rule_id}", path_params={"rule_id": p + "short"},
             params={"company": "SOMEONE-ELSE"}, status=404)
    api.call("DELETE", "/_mock/faults/{rule_id}", path_params={"rule_id": p + "short"}, params={"company": cid},
             status=204)
    api.call("DELETE", "/_mock/faults/{rule_id}", path_params={"rule_id": p + "short"}, status=404)
    removed = api.call("DELETE", "/_mock/faults", params={"company": cid}, status=200).json()
    assert removed == {"removed": len(rules)}


# ---------------------------------------------------------------------------- (c) journal, export, replay


def test_journal_export_and_replay(api, spec_company, make_company):
    cid, gw = spec_company
    api.call("POST", "/_mock/faults", status=201, json=[
        {"company": cid, "match": {"function": "readByQuery"}, "action": {"type": "latency", "ms": 1}},
        {"company": cid, "match": {"controlid": "lost-*"}, "action": {"type": "drop_ack", "variant": "gateway_error"},
         "times": 1},
        {"company": cid, "match": {"controlid": "err-1"}, "action": {"type": "intacct_error",
                                                                    "preset": "unknown_field", "field": "COLOUR"}},
    ])
    gw.ok(fn("<readByQuery><object>VENDOR</object><fields>*</fields><query/></readByQuery>", "read-1"))
    lost = gw.call(fn(f"<create>{record_xml('VENDOR', {'VENDORID': 'V-7', 'NAME': 'Lost Ack'})}</create>", "lost-1"))
    assert lost.status == 504
    gw.call(fn("<readByQuery><object>VENDOR</object><fields>*</fields><query/></readByQuery>", "err-1"))

    journal = "/_mock/journal"
    page = api.call("GET", journal, params={"company": cid.lower(), "bodies": "true"}, status=200).json()
    assert page["mode"] == "full" and page["count"] == 3
    read, dropped, failed = page["entries"]
    assert read["faults"][0]["type"] == "latency" and read["faults"][0]["delay_ms"] == 1
    assert dropped["committed"] and dropped["delivery"] == "gateway_error" and not dropped["acknowledged"]
    assert failed["functions"][0]["status"] == "failure" and failed["functions"][0]["errorno"] == "DL02000001"
    assert "request_body" in read and "<password>***</password>" in read["request_body"]

    only = api.call("GET", journal, status=200, params={
        "company": cid, "function": "create", "committed": "yes", "delivery": "gateway_error",
        "controlid": "lost-1", "since": "2000-01-01", "until": "2999-01-01", "after_id": 0, "limit": 5}).json()
    assert [e["id"] for e in only["entries"]] == [dropped["id"]] and "request_body" not in only["entries"][0]
    api.call("GET", journal, params={"limit": 3}, status=200)  # everyone's entries, schema-checked too
    counted = api.call("GET", "/_mock/journal/count", status=200, params={
        "company": cid, "object": "vendor", "committed": "yes", "unacknowledged": "true"}).json()
    assert counted["count"] == 1
    api.call("GET", "/_mock/journal/count", params={"delivery": "lost"}, status=400)
    for params in ({"delivery": "lost"}, {"committed": "maybe"}, {"limit": 0}, {"after_id": "x"}, {"bodies": "2"}):
        api.call("GET", journal, params={"company": cid, **params}, status=400)

    entry = api.call("GET", "/_mock/journal/{entry_id}", path_params={"entry_id": dropped["id"]}, status=200).json()
    assert entry["request_body"] and entry["id"] == dropped["id"]
    api.call("GET", "/_mock/journal/{entry_id}", path_params={"entry_id": 10**9}, status=404)

    export = "/_mock/journal/export"
    bundle = api.call("GET", export, params={"company": cid}, status=200).json()
    assert len(bundle["requests"]) == 3 and len(bundle["faults"]) == 3 and bundle["setup"] == []
    later = api.call("GET", export, params={"company": cid, "since": "2999-01-01T00:00:00+00:00"}, status=200).json()
    assert len(later["setup"]) == 1 and later["requests"] == []  # the committed write before the range
    api.call("GET", export, status=400)
    api.call("GET", export, params={"company": "OAS-NO-SUCH"}, status=404)
    api.call("GET", export, params={"company": make_company()}, status=409)  # no recorded origin

    replay_id = new_id("OAS-REPLAY")
    report = api.call("POST", "/_mock/replay", json={"bundle": bundle, "as_company": replay_id}, status=200).json()
    try:
        assert report["company"] == replay_id and report["requests"] == 3 and report["matched"] == 3
        api.call("POST", "/_mock/replay", json={"bundle": bundle, "as_company": cid}, status=409)
        api.call("POST", "/_mock/replay", json={"bundle": {"format": "other"}, "as_company": new_id()}, status=400)
        api.call("POST", "/_mock/replay", json={"bundle": bundle}, status=400)
        api.call("POST", "/_mock/replay", status=400)
    finally:
        api.call("DELETE", "/_mock/companies/{company_id}", path_params={"company_id": replay_id}, status=204)

    removed = api.call("DELETE", journal, params={"company": cid}, status=200).json()
    assert removed == {"removed": 3}
    assert api.call("GET", journal, params={"company": cid}, status=200).json()["count"] == 0


# ---------------------------------------------------------------------------- access rule


def test_access_errors_match_the_document(app, doc):
    """401 (a token is configured, none given) and 403 (no token, not loopback), in process."""
    with_token = create_app(Settings.load(env={}, db_path=":memory:", admin_token="s3cret"))
    api = Api("", requests.Session(), doc)
    for client, environ, status in ((with_token.test_client(), {}, 401),
                                    (app.test_client(), {"REMOTE_ADDR": "203.0.113.9"}, 403)):
        resp = client.get("/_mock/health", environ_base=environ)
        assert resp.status_code == status
        api.validate(resp.get_json(), "/components/responses/" + ("Unauthorized" if status == 401 else "Forbidden")
                     + pointer("content", "application/json", "schema"))
        if status == 401:
            assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    ok = with_token.test_client().get("/_mock/health", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200


# ---------------------------------------------------------------------------- coverage of (c)


def test_every_documented_operation_was_exercised(doc, request):
    """Each operation answered at least once with a 2xx, and each route family with an error."""
    collected = {item.name for item in request.session.items if getattr(item, "module", None) is request.module}
    if collected != {name for name in vars(request.module) if name.startswith("test_")}:
        pytest.skip("run the whole module to check coverage")
    statuses: dict[tuple[str, str], set[str]] = {
        (m.upper(), t): set() for t, item in doc["paths"].items() for m in item if m in HTTP_METHODS}
    for method, template, code in EXERCISED:
        statuses[(method, template)].add(code)
    missing = [f"{m} {t}" for (m, t), codes in statuses.items() if not any(c.startswith("2") for c in codes)]
    assert not missing, f"never called successfully: {missing}"
    families = {"/_mock/reset": "404", "/_mock/clock": "400", "/_mock/companies": "404", "/_mock/faults": "404",
                "/_mock/journal": "404", "/_mock/replay": "400"}
    for prefix, code in families.items():
        assert any(t.startswith(prefix) and c == code for _, t, c in EXERCISED), f"no {code} for {prefix}"
