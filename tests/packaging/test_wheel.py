"""The wheel as a user gets it: built from this clone, installed (not editable) into an empty venv,
and used from a folder outside the clone, so nothing of the repository can leak onto the path.

It checks what a ``pip install intacct-mock`` puts into someone's environment (one import
namespace, ``intacct_mock``, and nothing else at the top level), its metadata (an SPDX license
expression, the extras by role, the pytest classifier), and that the installed copy works: the
CLI, ``serve`` answering a gateway request, the pytest plugin's fixtures in a user's test module,
and the bundled scenario library. ``make wheel-check`` runs this file alone.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support import Gateway, served

ROOT = Path(__file__).resolve().parents[2]
OURS = {"intacct_mock"}

pytestmark = pytest.mark.timeout(600)

USER_TESTS = '''
import pytest

from intacct_mock.client import IntacctClient
from intacct_mock.client.errors import TransientServerError


def test_a_fresh_company_per_test(intacct_company):
    assert len(intacct_company.books("VENDOR")) == 25
    client = IntacctClient(intacct_company.client_config())
    assert next(client.read_by_query("VENDOR", fields="VENDORID", page_size=1))["VENDORID"]


@pytest.mark.intacct_faults({"match": {"function": "readByQuery"}, "action": {"type": "http_status", "status": 503}})
def test_faults_for_one_test(intacct_company):
    client = IntacctClient(intacct_company.client_config(max_attempts=1))
    with pytest.raises(TransientServerError):
        next(client.read_by_query("VENDOR", fields="VENDORID", page_size=1))
'''


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)
    assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the empty venv it is installed into, with the ``pytest`` extra)."""
    work = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work / "dist"), str(ROOT)])
    wheel = next((work / "dist").glob("intacct_mock-*.whl"))
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[pytest]"], timeout=600)
    return wheel, venv


def test_the_wheel_installs_one_namespace(installed):
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        top = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
        meta = email.message_from_bytes(zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))))
    assert top == OURS, f"top-level names in the wheel: {sorted(top)}"
    for data in ("intacct_mock/rest/mapping.json", "intacct_mock/admin/openapi.yaml", "intacct_mock/objects/fieldsets.json",
                 "intacct_mock/scenarios/scenario.schema.json", "intacct_mock/loadtests/locustfile.py"):
        assert data in names, f"{data} is missing from the wheel"
    assert any(n.startswith("intacct_mock/scenarios/library/") and n.endswith(".yaml") for n in names)
    assert meta["License-Expression"] == "MIT"
    assert {"pytest", "load", "tls", "test"} <= set(meta.get_all("Provides-Extra"))
    assert "Framework :: Pytest" in meta.get_all("Classifier")


def test_the_installed_cli_serves_a_request(installed, tmp_path):
    _, venv = installed
    cli = [str(venv / "bin" / "intacct-mock")]
    assert "serve" in _run([*cli, "--help"], cwd=tmp_path).stdout
    with served(cli, tmp_path / "books.db", cwd=tmp_path) as base:
        reply = Gateway(base + "/ia/xml/xmlgw.phtml").query("VENDOR", fields="VENDORID", pagesize=1)
        assert reply.status == 200 and [r.findtext("status") for r in reply.results()] == ["success"], reply.body.decode()


def test_the_installed_plugin_and_library(installed, tmp_path):
    _, venv = installed
    (tmp_path / "test_user_suite.py").write_text(USER_TESTS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "INTACCT_MOCK"))}
    _run([str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user_suite.py"], cwd=tmp_path, env=env)
    ran = _run([str(venv / "bin" / "intacct-mock"), "scenario", "run"], cwd=tmp_path, env=env)
    assert ", 0 failed," in ran.stdout.strip().splitlines()[-1], ran.stdout[-2000:]
