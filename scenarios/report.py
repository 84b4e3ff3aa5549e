"""Readable console reports and JUnit XML for CI."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable
from xml.etree import ElementTree as ET

from .runner import JOURNAL_EXCERPT, ScenarioResult


def journal_line(e: dict) -> str:
    fns = ", ".join(f"{f['name']}:{f['status']}" + (f"({f['errorno']})" if f.get("errorno") else "") for f in e["functions"])
    faults = ",".join(f["type"] for f in e["faults"])
    return (f"#{e['id']:<5} {fns or '-':50} http {e['http_status']} {e['delivery']:13} "
            f"{'committed' if e['committed'] else 'no change':9} {('fault: ' + faults) if faults else ''}").rstrip()


def describe(result: ScenarioResult) -> str:
    status = "PASS" if result.passed else "FAIL"
    lines = [f"{status}  {result.path}  {result.title}  ({result.seconds:.1f}s)"]
    if result.error:
        lines.append(f"      {result.error}")
    for m in result.mismatches:
        loc = f"{result.path}:{m.line}: " if m.line else ""
        lines.append(f"      {loc}{m.where}")
        lines.append(f"          expected: {m.expected!r}")
        lines.append(f"          actual:   {m.actual!r}")
    if result.mismatches and result.journal:
        lines.append(f"      journal ({result.company}, last {min(JOURNAL_EXCERPT, len(result.journal))}):")
        lines += [f"        {journal_line(e)}" for e in result.journal[-JOURNAL_EXCERPT:]]
    return "\n".join(lines)


def summary(results: list[ScenarioResult]) -> str:
    passed = sum(r.passed for r in results)
    return f"{passed} passed, {len(results) - passed} failed, {len(results)} scenario(s)"


def write_junit(results: Iterable[ScenarioResult], path: str | Path) -> None:
    results = list(results)
    suite = ET.Element("testsuite", name="intacct-mock scenarios", tests=str(len(results)),
                       failures=str(sum(1 for r in results if r.mismatches and not r.error)),
                       errors=str(sum(1 for r in results if r.error)),
                       time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="scenarios." + r.path.stem, name=r.title,
                             file=str(r.path), time=f"{r.seconds:.3f}")
        if r.error:
            ET.SubElement(case, "error", message=r.error).text = describe(r)
        elif r.mismatches:
            ET.SubElement(case, "failure", message=str(r.mismatches[0])).text = describe(r)
    Path(path).write_text(ET.tostring(suite, encoding="unicode", xml_declaration=True))
