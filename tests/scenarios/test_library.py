"""Every scenario in the bundled library, as its own pytest item, against the session's live emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from intacct_mock.scenarios.model import discover, load
from intacct_mock.scenarios.report import describe
from intacct_mock.scenarios.runner import run_scenario

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"
FILES = discover([LIBRARY])


def test_the_library_covers_the_support_incidents():
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path, control):
    result = run_scenario(load(path), control, n=FILES.index(path) + 1)
    assert result.passed, describe(result)
