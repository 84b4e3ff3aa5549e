"""Run a set of scenario files: against a running emulator (``url``), or an in-process one
started for the run. Kept apart from ``runner.py`` (one scenario against a given emulator), which
the emulator's own inspector imports: only this module starts emulators.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from intacct_mock.admin_client import EmulatorControl
from intacct_mock.testing.runner import running_emulator

from .model import Scenario, ScenarioFileError, discover, load
from .runner import ScenarioResult, run_scenario


def run_paths(paths: Iterable[str | Path], *, url: str | None = None, tags: Iterable[str] = (),
              admin_token: str | None = None, on_result=None) -> list[ScenarioResult]:
    files = discover(paths)
    wanted = set(tags)
    results: list[ScenarioResult] = []
    scenarios: list[Scenario] = []
    for path in files:
        try:
            scenario = load(path)
        except ScenarioFileError as exc:
            results.append(ScenarioResult(None, path, error=str(exc)))
            if on_result:
                on_result(results[-1])
            continue
        if wanted and not wanted & set(scenario.tags):
            continue
        scenarios.append(scenario)

    def run_all(control: EmulatorControl) -> None:
        for n, scenario in enumerate(scenarios, start=1):
            res = run_scenario(scenario, control, n)
            results.append(res)
            if on_result:
                on_result(res)

    if not scenarios:
        return results
    if url:
        run_all(EmulatorControl(url, token=admin_token))
    else:
        with running_emulator(seed=42) as emu:
            run_all(emu.control)
    return results
