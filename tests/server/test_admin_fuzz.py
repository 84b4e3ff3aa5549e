"""schemathesis (its CLI, as a user runs it) against the admin API's own OpenAPI document, over
real HTTP, with a fixed seed and bounded examples: no 5xx, no status or body outside the document,
405s with ``Allow``, what the document allows accepted and what it forbids refused. Four
operations have rules a schema does not say (a user's roles must be defined; a company keeps its
id; a short-form fault value is checked by the rule parser, `http_status=0` is not a status; a
bundle's recorded company spec is the company loader's to check), so for them the check that
every schema-valid body is accepted is left out; every other check runs on them too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEMANTIC = r"^(createCompany|configureCompany|addFaults|replayIncident)$"


def st() -> str:
    found = shutil.which("st", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("schemathesis is not installed (the test extra)")
    return found


def run(base: str, workdir: Path, *selection: str) -> subprocess.CompletedProcess:
    """The CLI keeps its example database in the working directory: a temporary one, not the clone."""
    return subprocess.run([st(), "run", base + "/_mock/openapi.json", "--url", base, "--seed", "1",
                           "--max-examples", "12", "--workers", "1", "--no-color", *selection],
                          capture_output=True, text=True, timeout=240, cwd=workdir)


def test_the_admin_api_answers_as_its_document_says(live_server, tmp_path):
    base = live_server.base_url
    rest = run(base, tmp_path, "--exclude-operation-id-regex", SEMANTIC)
    assert rest.returncode == 0, rest.stdout[-6000:]
    semantic = run(base, tmp_path, "--include-operation-id-regex", SEMANTIC, "--exclude-checks", "positive_data_acceptance")
    assert semantic.returncode == 0, semantic.stdout[-6000:]
    assert "passed" in rest.stdout and "passed" in semantic.stdout
