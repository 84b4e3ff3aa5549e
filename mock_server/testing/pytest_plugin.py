"""pytest plugin (registered through the ``pytest11`` entry point: installing the project is enough).

Gives every test module an emulator of its own::

    def test_export_survives_a_lost_ack(intacct_mock):
        intacct_mock.add_fault({"company": "DEMO", "match": {"function": "create_bill"},
                                "action": {"type": "drop_ack", "variant": "reset"}, "times": 1})
        my_exporter.run(endpoint=intacct_mock.url)
        assert len(intacct_mock.books("DEMO", "APBILL", RECORDID="B-1")) == 1

``--intacct-mock-seed`` changes the demo company's Faker seed (default 42).
"""

from __future__ import annotations

from typing import Iterator

import pytest

from .runner import RunningEmulator, running_emulator


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("intacct-mock")
    group.addoption("--intacct-mock-seed", type=int, default=42, help="Faker seed of the emulator's demo company.")


@pytest.fixture(scope="module")
def intacct_mock(request: pytest.FixtureRequest) -> Iterator[RunningEmulator]:
    """A running emulator (in-memory store, demo company DEMO) for this test module."""
    with running_emulator(seed=request.config.getoption("--intacct-mock-seed")) as emulator:
        yield emulator
