"""Run the official JavaScript SDK (npm ``@intacct/intacct-sdk``, pinned in ``js/package.json``).

``make test`` installs the package into ``tests/contract/js/node_modules`` (ignored by git) with
``npm ci``. The SDK accepts only endpoints under ``.intacct.com``, so it is pointed at
``http://emulator.intacct.com:<port>/...`` and ``js/loopback.js``, preloaded into the Node process,
resolves that name to 127.0.0.1 inside the process: nothing leaves loopback and /etc/hosts is
untouched. The driver (``js/driver.js``) builds each case's SDK function object from plain JSON,
sends it through the SDK's ``OnlineClient`` and reports what the SDK made of the answer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Mapping

import pytest

JS_DIR = Path(__file__).parent / "js"
SDK_DIR = JS_DIR / "node_modules" / "@intacct" / "intacct-sdk"
SDK_FUNCTIONS = SDK_DIR / "dist" / "Functions"
HOST = "emulator.intacct.com"
SENDER = {"id": "mock-sender", "password": "mock-sender-pw"}


def sdk_version() -> str:
    return json.loads((SDK_DIR / "package.json").read_text())["version"]


def require_sdk() -> str:
    """The node binary; skip when Node is absent, fail when the SDK was not installed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the official JavaScript SDK contract tests need it")
    if not SDK_DIR.is_dir():
        pytest.fail(f"the official JavaScript SDK is not installed in {SDK_DIR.parent.parent}: "
                    "`make test` installs it (or run `npm ci --prefix tests/contract/js`)")
    return node


def C(sdk_class: str, *args: Any, chain: list[list[Any]] | None = None, **props: Any) -> dict[str, Any]:
    """One SDK object: ``C("AccountsPayable.VendorCreate", vendorId="V1")``."""
    spec: dict[str, Any] = {"$class": f"Functions.{sdk_class}", **props}
    if args:
        spec["$args"] = list(args)
    if chain:
        spec["$chain"] = chain
    return spec


def D(iso: str) -> dict[str, str]:
    """A JavaScript Date for the SDK (local midnight; the driver runs with TZ=UTC)."""
    return {"$date": iso}


def run_cases(port: int, cases: list[dict[str, Any]], *, timeout: float = 120.0, endpoint: str | None = None,
              env_overrides: Mapping[str, str | None] = {}) -> dict[str, dict[str, Any]]:
    """Run ``cases`` in one Node process, in order; returns each case's outcome by id.

    ``endpoint`` replaces ``http://emulator.intacct.com:<port>/...`` (the TLS tests use https);
    ``env_overrides`` sets Node's environment variables, or removes those given as None.
    """
    node = require_sdk()
    payload = {"endpoint": endpoint or f"http://{HOST}:{port}/ia/xml/xmlgw.phtml", "sender": SENDER, "cases": cases}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(payload, handle)
    try:
        env = {**os.environ, "TZ": "UTC", "INTACCT_ENDPOINT_URL": "", **env_overrides}
        env = {name: value for name, value in env.items() if value is not None}
        done = subprocess.run([node, "--require", str(JS_DIR / "loopback.js"), str(JS_DIR / "driver.js"), handle.name],
                              capture_output=True, text=True, timeout=timeout, env=env, cwd=JS_DIR)
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        raise AssertionError(f"the JS SDK driver failed ({done.returncode}): {done.stderr[-2000:]}")
    return {outcome["id"]: outcome for outcome in json.loads(done.stdout)}
