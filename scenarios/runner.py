"""Run scenarios: one company per scenario, its faults and clock, its steps, then every expectation.

In-process by default (an emulator on a free loopback port for the whole run), or against a
running emulator with ``url``. A scenario never shares a company with another one, so a library
can run against one shared server.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from intacct_mock.client import ClientConfig
from intacct_mock.admin_client import AdminAPIError, EmulatorControl

from .checks import Mismatch, check_books, check_exporter, check_journal, check_step
from .model import Scenario
from .steps import RunContext, StepResult, run_step

BASIC_RECORDS: dict[str, list[dict[str, Any]]] = {
    "GLACCOUNT": [
        {"ACCOUNTNO": "1000", "TITLE": "Cash", "ACCOUNTTYPE": "balancesheet", "NORMALBALANCE": "debit"},
        {"ACCOUNTNO": "4000", "TITLE": "Revenue", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "credit"},
        {"ACCOUNTNO": "6220", "TITLE": "Software", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit"},
        {"ACCOUNTNO": "6400", "TITLE": "Professional fees", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit"},
    ],
    "DEPARTMENT": [{"DEPARTMENTID": "D100", "TITLE": "Finance"}],
    "LOCATION": [{"LOCATIONID": "L100", "NAME": "Head office"}],
    "CUSTOMER": [{"CUSTOMERID": "C-1", "NAME": "Acme Corp"}, {"CUSTOMERID": "C-2", "NAME": "Globex"}],
    "VENDOR": [{"VENDORID": "V-1", "NAME": "Initech"}, {"VENDORID": "V-2", "NAME": "Hooli"}],
}
DEFAULT_USERS = [{"userid": "ws_user", "password": "ws_user_pw"}]
JOURNAL_EXCERPT = 12


@dataclass
class ScenarioResult:
    scenario: Scenario | None
    path: Path
    company: str = ""
    mismatches: list[Mismatch] = field(default_factory=list)
    error: str | None = None  # the scenario could not run (bad file, setup failure)
    seconds: float = 0.0
    journal: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.error is None and not self.mismatches

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario else self.path.name


def company_spec(scenario: Scenario, company_id: str) -> dict[str, Any]:
    setup = scenario.data.get("company") or {}
    settings = dict(setup.get("settings") or {})
    records = setup.get("records") or {}
    base = setup.get("base", "demo" if "seed" in setup else "basic")
    if base == "demo":
        return {"demo_seed": setup.get("seed", 42), "company_id": company_id, "company": settings, "records": records}
    settings.setdefault("users", DEFAULT_USERS)
    if base == "basic":
        merged = {obj: list(recs) for obj, recs in BASIC_RECORDS.items()}
        for obj, recs in records.items():
            merged.setdefault(obj, []).extend(recs)
        records = merged
    return {"company": {**settings, "company_id": company_id}, "records": records}


def client_config(scenario: Scenario, company: str, gateway_url: str) -> ClientConfig:
    c = scenario.data.get("client") or {}
    users = ((scenario.data.get("company") or {}).get("settings") or {}).get("users") or DEFAULT_USERS
    user = c.get("user", users[0]["userid"] if users else "ws_user")
    password = c.get("password") or next((u.get("password") for u in users if u.get("userid") == user), "ws_user_pw")
    return ClientConfig("mock-sender", "mock-sender-pw", company, user, password, entity_id=c.get("entity"),
                        endpoint_url=gateway_url, timeout=c.get("timeout", 2.0), max_attempts=c.get("max_attempts", 6),
                        retry_budget=c.get("retry_budget", 20.0), backoff_base=c.get("backoff_base", 0.05),
                        backoff_cap=0.5, seed=7)


def _company_id(scenario: Scenario, n: int) -> str:
    slug = re.sub(r"[^A-Z0-9]+", "-", scenario.name.upper()).strip("-")
    return f"SC{n:02d}-{slug}"[:40]


def _steps(steps: list[dict[str, Any]], prefix: str = "steps") -> Iterator[tuple[str, dict[str, Any]]]:
    for n, step in enumerate(steps):
        yield f"{prefix}[{n}]", step


def run_scenario(scenario: Scenario, control: EmulatorControl, n: int = 1) -> ScenarioResult:
    started = time.monotonic()
    company = _company_id(scenario, n)
    result = ScenarioResult(scenario, scenario.path, company)
    try:
        control.delete_company(company)
    except AdminAPIError:
        pass
    try:
        control.create_company(company_spec(scenario, company))
        clock = scenario.data.get("clock")
        if clock:
            control.set_clock(company, today=clock.get("today"), now=clock.get("now"))
        if scenario.data.get("faults"):
            control.add_faults([{**rule, "company": company} for rule in scenario.data["faults"]])
    except AdminAPIError as exc:
        result.error = f"setup failed: {exc.message}"
        result.seconds = time.monotonic() - started
        return result

    with tempfile.TemporaryDirectory(prefix="intacct-scenario-") as workdir:
        ctx = RunContext(control, company, client_config(scenario, company, control.gateway_url), Path(workdir))
        try:
            produced: dict[str, Any] = {}
            for where, step in _steps(scenario.data["steps"]):
                step = _substitute(step, produced)
                outcomes = run_step(ctx, step, where)
                if step.get("id") and outcomes and outcomes[0].value is not None:
                    produced[step["id"]] = outcomes[0].value
                children = step["parallel"] if "parallel" in step else [step]
                for child_n, (child, outcome) in enumerate(zip(children, outcomes)):
                    label = f"{where}.parallel[{child_n}]" if "parallel" in step else where
                    if child.get("id"):
                        label += f" ({child['id']})"
                    result.mismatches += _step_checks(child, outcome, label, scenario, where)
            expect = scenario.data.get("expect") or {}
            result.journal = control.journal(company=company, limit=1000)
            if "exporter" in expect:
                result.mismatches += check_exporter(expect["exporter"], ctx.stores)
            if "journal" in expect:
                result.mismatches += check_journal(expect["journal"], result.journal)
            if "books" in expect:
                result.mismatches += check_books(expect["books"], control, company)
        finally:
            ctx.close()
    for m in result.mismatches:
        if m.line is None:
            m.line = scenario.line_of("expect") if m.where.startswith("expect") else None
    result.seconds = time.monotonic() - started
    return result


def _step_checks(step: dict[str, Any], outcome: StepResult, label: str, scenario: Scenario, where: str) -> list[Mismatch]:
    expect = step.get("expect")
    if expect is None:
        if outcome.error is None:
            return []
        # A step without expectations must not fail silently.
        summary = getattr(outcome.error, "summary", lambda: str(outcome.error))()
        return [Mismatch(label, "no error (add 'expect: {raises: ...}' if intended)",
                         f"{type(outcome.error).__name__}: {summary}", scenario.line_of(*_path(where)))]
    found = check_step(expect, outcome, label)
    for m in found:
        m.line = scenario.line_of(*_path(where), "expect")
    return found


def _path(where: str) -> tuple:
    """'steps[3]' -> ('steps', 3): the scenario's line map key."""
    m = re.match(r"steps\[(\d+)\]", where)
    return ("steps", int(m.group(1))) if m else ("steps",)


_REF = re.compile(r"\{\{\s*([A-Za-z0-9_-]+)\.recordno\s*\}\}")


def _substitute(value: Any, produced: dict[str, Any]) -> Any:
    """``{{step-id.recordno}}`` -> the RECORDNO an earlier step produced (what a sync tool stored)."""
    if isinstance(value, str):
        def repl(m: re.Match) -> str:
            found = produced.get(m.group(1))
            if isinstance(found, list) and len(found) == 1 and isinstance(found[0], dict) and found[0].get("RECORDNO"):
                return str(found[0]["RECORDNO"])  # a read step that found one record
            if found is None or not hasattr(found, "recordno"):
                raise ValueError(f"{m.group(0)}: no earlier step with id {m.group(1)!r} produced a RECORDNO")
            return str(found.recordno)
        return _REF.sub(repl, value)
    if isinstance(value, dict):
        return {_substitute(k, produced): _substitute(v, produced) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, produced) for v in value]
    return value


def comparable_journal(entries: Iterable[dict[str, Any]]) -> list[tuple]:
    """The parts of a journal that must be identical when a scenario runs twice."""
    return [(tuple((f["name"], f["controlid"], f["status"], f.get("errorno")) for f in e["functions"]),
             tuple(f["type"] for f in e["faults"]), e["committed"], e["delivery"], e["http_status"])
            for e in entries]
