"""The scenario runner itself: failing expectations report well, bad files are refused with file:line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from intacct_mock.cli import main
from intacct_mock.scenarios.model import ScenarioFileError, load
from intacct_mock.scenarios.report import describe, write_junit
from intacct_mock.scenarios.batch import run_paths
from intacct_mock.scenarios.runner import comparable_journal, run_scenario

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"

GOOD = """\
title: A bill export that works
incident: "nothing is wrong"
advice: "nothing to do"
tags: [smoke]
steps:
  - id: export
    export_bill: {vendor_id: V-1, number: OK-1, date: "2026-03-02", due_date: "2026-04-01",
                  lines: [{account: "6220", amount: "10.00"}]}
    expect: {how: created}
expect:
  books:
    - {object: APBILL, where: {RECORDID: OK-1}, count: 1}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_a_wrong_expectation_fails_with_expected_actual_line_and_journal(tmp_path, control):
    path = write(tmp_path, "wrong.yaml", GOOD.replace("count: 1}", "count: 2}").replace("how: created", "how: reconciled"))
    result = run_scenario(load(path), control, n=90)
    assert not result.passed
    report = describe(result)
    assert "FAIL" in report and f"{path}:9: steps[0] (export).how" in report
    assert "expected: 'reconciled'" in report and "actual:   'created'" in report
    assert "expect.books[0] APBILL {'RECORDID': 'OK-1'} count" in report and "expected: 2" in report
    assert "journal (SC90-WRONG" in report and "create:success" in report


def test_an_unexpected_client_error_is_a_failure(tmp_path, control):
    path = write(tmp_path, "boom.yaml", GOOD.replace("vendor_id: V-1", "vendor_id: V-NOPE").replace(
        "    expect: {how: created}\n", ""))
    result = run_scenario(load(path), control, n=91)
    assert not result.passed and "InvalidReference" in describe(result)


@pytest.mark.parametrize("text, line, message", [
    (GOOD.replace("title: A bill export that works\n", ""), 1, "'title' is a required property"),
    (GOOD.replace("  - id: export\n", "  - id: export\n    colour: red\n"), 7, "Additional properties are not allowed ('colour'"),
    (GOOD.replace("expect: {how: created}", "expect: {how: teleported}"), 9, "expected one of 'created'"),
    (GOOD.replace("count: 1}", "count: lots}"), 12, "'lots' is not of type 'integer'"),
    (GOOD.replace("steps:\n", "steps:\n  - {set_clock: {today: '2026/03/01'}}\n"), 6, "does not match"),
    (GOOD.replace("steps:\n", "steps:\n  - {set_clock: {today: '2026-03-01'}, clear_faults: true}\n"), 6,
     "a step has exactly one action"),
    ("title: [unclosed\n", 2, "not valid YAML"),
    ("- just a list\n", 1, "a scenario file is a mapping"),
])
def test_invalid_files_are_refused_with_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ScenarioFileError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:{line}: "), str(caught.value)
    assert message in str(caught.value)


def test_running_twice_gives_the_same_journal(control):
    path = LIBRARY / "bill-ack-lost-reset.yaml"
    first = run_scenario(load(path), control, n=92)
    second = run_scenario(load(path), control, n=92)  # same company id: recreated from scratch
    assert first.passed and second.passed
    assert comparable_journal(first.journal) == comparable_journal(second.journal) != []


def test_cli_runs_a_folder_filters_by_tag_and_writes_junit(tmp_path, live_server):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "sub/good.yaml", GOOD)  # folders are searched recursively
    write(tmp_path, "other.yaml", GOOD.replace("tags: [smoke]", "tags: [other]").replace("OK-1", "OK-2"))
    junit = tmp_path / "junit.xml"
    result = CliRunner().invoke(main, ["scenario", "run", str(tmp_path), "--tag", "smoke", "--junit", str(junit),
                                       "--url", live_server.base_url])
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed, 1 scenario(s)" in result.output
    suite = ET.parse(junit).getroot()
    assert suite.get("tests") == "1" and suite.get("failures") == "0"


def test_cli_exits_non_zero_on_failure_and_on_invalid_files(tmp_path, live_server):
    write(tmp_path, "wrong.yaml", GOOD.replace("count: 1}", "count: 3}"))
    write(tmp_path, "broken.yaml", "title: x\n")
    junit = tmp_path / "junit.xml"
    result = CliRunner().invoke(main, ["scenario", "run", str(tmp_path), "--url", live_server.base_url,
                                       "--junit", str(junit)])
    assert result.exit_code == 1
    assert "0 passed, 2 failed" in result.output and "broken.yaml:1:" in result.output
    suite = ET.parse(junit).getroot()
    assert suite.get("failures") == "1" and suite.get("errors") == "1"
    validate = CliRunner().invoke(main, ["scenario", "validate", str(tmp_path)])
    assert validate.exit_code == 1 and "ok    " in validate.output and "error " in validate.output


def test_the_bundled_library_validates():
    result = CliRunner().invoke(main, ["scenario", "validate", str(LIBRARY)])
    assert result.exit_code == 0, result.output


def test_from_bundle_makes_a_scenario_that_reproduces_the_incident(tmp_path, control, gateway_url):
    from tests.support import Gateway, fn, record_xml

    cid = "FB-INCIDENT"
    control.create_company({"company": {"company_id": cid, "users": [{"userid": "ws_user", "password": "pw"}]},
                            "records": {"VENDOR": [{"VENDORID": "V-1", "NAME": "Initech"}],
                                        "GLACCOUNT": [{"ACCOUNTNO": "6220", "TITLE": "Software",
                                                       "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit"}]}})
    gw = Gateway(gateway_url, company=cid, user=("ws_user", "pw"))
    control.add_fault({"company": cid, "match": {"function": "create"}, "action": "http_status=502", "times": 1})
    bill = {"VENDORID": "V-1", "RECORDID": "FB-1", "WHENCREATED": "03/02/2026", "WHENDUE": "04/01/2026",
            "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "5"}]}}
    assert gw.call(fn(f"<create>{record_xml('APBILL', bill)}</create>")).status == 502
    assert gw.call(fn(f"<create>{record_xml('APBILL', bill)}</create>")).status == 200
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(control.call("GET", "/journal/export", params={"company": cid})))
    out = tmp_path / "from-bundle.yaml"
    made = CliRunner().invoke(main, ["scenario", "from-bundle", str(bundle), "-o", str(out)])
    assert made.exit_code == 0, made.output
    scenario = load(out)
    assert scenario.data["faults"][0]["action"] == {"type": "http_status", "status": 502}
    result = run_scenario(scenario, control, n=93)
    assert result.passed, describe(result)
    assert [e["http_status"] for e in result.journal if e["functions"][0]["name"] == "create"] == [502, 200]


def test_run_paths_reports_missing_paths(tmp_path):
    with pytest.raises(ScenarioFileError):
        run_paths([tmp_path / "nope.yaml"])


def test_junit_escapes_text(tmp_path, control):
    path = write(tmp_path, "wrong.yaml", GOOD.replace("count: 1}", "count: 5}"))
    result = run_scenario(load(path), control, n=94)
    junit = tmp_path / "j.xml"
    write_junit([result], junit)
    failure = ET.parse(junit).getroot().find("testcase/failure")
    assert failure is not None and "expected" in failure.get("message")


def test_raw_function_text_is_parsed_without_expanding_entities(tmp_path, control):
    """A raw step's XML is user input: it goes through the server's hardened parser, so a DOCTYPE's
    entity is never expanded into the request (the default lxml parser would have expanded it)."""
    path = write(tmp_path, "entity.yaml", """\
        title: An entity in a raw function
        incident: "none"
        advice: "none"
        steps:
          - id: entity
            raw:
              functions:
                - '<!DOCTYPE create [<!ENTITY e "EXPANDED">]><create><VENDOR><VENDORID>&e;</VENDORID><NAME>E</NAME></VENDOR></create>'
        expect:
          books:
            - {object: VENDOR, where: {VENDORID: EXPANDED}, count: 0}
        """)
    result = run_scenario(load(path), control, n=92)
    assert result.passed, describe(result)
