"""pytest plugin (registered through the ``pytest11`` entry point: installing the package is enough).

For an integration's own test suite (docs/pytest.md has a worked example)::

    @pytest.mark.intacct_faults({"match": {"function": "create_bill"},
                                 "action": {"type": "drop_ack", "variant": "reset"}, "times": 1})
    def test_export_survives_a_lost_ack(intacct_company):
        my_exporter.run(**intacct_company.credentials)
        intacct_company.assert_written_once("INV-778")

- ``intacct_company`` (per test): a fresh company on the session's emulator, made from a demo
  seed and deleted afterwards (``MockCompany``: credentials, faults, books, journal helpers).
  ``@pytest.mark.intacct_company(seed=7, settings={...}, records=[...])`` shapes it.
- ``@pytest.mark.intacct_faults(rule, ...)``: fault rules for that test's company only.
- ``intacct_mock_server`` (per session): the emulator: in-process on a free port, or the one
  ``--intacct-mock-url`` / ``INTACCT_MOCK_URL`` names (a shared emulator in CI; its admin token
  from ``--intacct-mock-admin-token`` / ``MOCK_INTACCT_ADMIN_TOKEN``).
- ``intacct_mock`` (per module, kept from the first version): an emulator of its own with the
  demo company ``DEMO``; against a shared emulator it is the shared one.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import pytest

from .company import MockCompany, fresh_company
from .runner import RunningEmulator, connect, running_emulator

DEFAULT_SEED = 42


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("intacct-mock")
    group.addoption("--intacct-mock-seed", type=int, default=DEFAULT_SEED,
                    help="Faker seed of the in-process emulator's demo company (default 42).")
    group.addoption("--intacct-mock-url", default=os.environ.get("INTACCT_MOCK_URL"),
                    help="Use this running emulator (e.g. http://127.0.0.1:8085) instead of starting one "
                         "(default: $INTACCT_MOCK_URL).")
    group.addoption("--intacct-mock-admin-token", default=os.environ.get("MOCK_INTACCT_ADMIN_TOKEN"),
                    help="The shared emulator's admin token (default: $MOCK_INTACCT_ADMIN_TOKEN).")
    group.addoption("--intacct-mock-keep", action="store_true",
                    help="Keep each test's company after the test (to look at it in the inspector).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "intacct_faults(*rules): fault rules for this test's intacct_company "
                                       "(the rule's company is filled in)")
    config.addinivalue_line("markers", "intacct_company(seed=7, settings=None, records=None): how this test's "
                                       "intacct_company is made (demo seed, company settings, extra records)")


@contextmanager
def _emulator(config: pytest.Config) -> Iterator[RunningEmulator]:
    """The shared emulator ``--intacct-mock-url`` names, or one started here and stopped after."""
    url = config.getoption("--intacct-mock-url")
    if url:
        yield connect(url, token=config.getoption("--intacct-mock-admin-token"))
        return
    with running_emulator(seed=config.getoption("--intacct-mock-seed")) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def intacct_mock_server(request: pytest.FixtureRequest) -> Iterator[RunningEmulator]:
    """The emulator this session's companies live on: a shared one, or one started for the session."""
    with _emulator(request.config) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def intacct_mock(request: pytest.FixtureRequest) -> Iterator[RunningEmulator]:
    """A running emulator (in-memory store, demo company DEMO) for this test module."""
    with _emulator(request.config) as emulator:
        yield emulator


def _company_options(request: pytest.FixtureRequest) -> dict:
    marker = request.node.get_closest_marker("intacct_company")
    options = dict(marker.kwargs) if marker else {}
    unknown = set(options) - {"seed", "settings", "records"}
    if unknown or (marker and marker.args):
        raise pytest.UsageError(f"intacct_company takes seed=, settings=, records= only; got {sorted(unknown) or marker.args}")
    return options


@pytest.fixture
def intacct_company(request: pytest.FixtureRequest, intacct_mock_server: RunningEmulator) -> Iterator[MockCompany]:
    """A fresh company for this test on the session's emulator, with its faults; deleted afterwards."""
    rules = [rule for marker in reversed(list(request.node.iter_markers("intacct_faults"))) for rule in marker.args]
    with fresh_company(intacct_mock_server.control, intacct_mock_server.base_url, faults=rules,
                       keep=request.config.getoption("--intacct-mock-keep"), **_company_options(request)) as company:
        yield company
