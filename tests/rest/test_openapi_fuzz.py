"""schemathesis against the REST OpenAPI document the server publishes, over real HTTP, with a
fixed seed and bounded examples: no 5xx, no status the document does not list, no answer outside
its schema, no content type it does not declare. The operations of a representative set of
objects (a master, a document with lines, a dimension), every core service and every workflow action; the document is
generated from the same declarations for all objects, so what holds for these holds by
construction for the rest (``test_every_object_has_its_operations`` checks they are there)."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi import checks

SAMPLE = (r"^/(objects/(accounts-payable/(vendor|bill)|company-config/department)(/\{key\})?|services/core/.*|oauth2/token"
          r"|workflows/.*)$")
CHECKS = [checks.status_code_conformance, checks.content_type_conformance, checks.response_schema_conformance]


@pytest.fixture(scope="module")
def rest_schema(live_server, app):
    from tests.conftest import new_company

    company = new_company(app)
    token = requests.post(live_server.base_url + "/ia/api/v1/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "mock-client", "client_secret": "mock-client-secret",
        "username": f"ws_user@{company}"}, timeout=10).json()["access_token"]
    schema = schemathesis.openapi.from_url(live_server.base_url + "/ia/api/v1/openapi.json")
    schema.config.update(base_url=live_server.base_url + "/ia/api/v1", headers={"Authorization": f"Bearer {token}"})
    return schema.include(path_regex=SAMPLE)


def test_the_rest_api_answers_as_its_document_says(rest_schema):
    """Each sampled operation in turn, ``max_examples`` cases each (hypothesis, derandomized)."""
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in rest_schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=8, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(timeout=10)
            statuses.append(response.status_code)
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect them all: one report for the whole surface
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)
    assert len(statuses) >= 4 * len(operations)  # the cases ran, and some got through to the books
    assert any(200 <= status < 300 for status in statuses) and any(status >= 400 for status in statuses)


def test_every_object_has_its_operations(live_server):
    document = requests.get(live_server.base_url + "/ia/api/v1/openapi.json", timeout=10).json()
    from intacct_mock.rest.objects import OBJECTS

    for path in OBJECTS:
        assert "get" in document["paths"][f"/objects/{path}"] and "get" in document["paths"][f"/objects/{path}/{{key}}"]


def test_every_workflow_action_is_documented(live_server):
    document = requests.get(live_server.base_url + "/ia/api/v1/openapi.json", timeout=10).json()
    from intacct_mock.rest.workflows import WORKFLOWS

    for path, action in WORKFLOWS:
        operation = document["paths"][f"/workflows/{path}/{action}"]["post"]
        assert "key" in operation["requestBody"]["content"]["application/json"]["schema"]["required"]
        assert {"200", "404", "422"} <= set(operation["responses"])
