"""Contract tests: the official Sage Intacct JavaScript SDK (npm ``@intacct/intacct-sdk``) against
the emulator, unmodified but for its endpoint.

The emulator is tested here with the requests the SDK writes, not the ones we write: empty contact
groups, MM/DD/YYYY date blocks, booleans as ``true``/``false``, elements in the SDK's order. Every
case of ``js_cases.CASES`` runs once, in order, in one Node process against one fresh company;
each test then asserts on one case's outcome as the SDK's own client parsed it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from intacct_mock.objects.fieldsets import real_field_set
from tests.conftest import BASIC_RECORDS, new_company
from tests.contract import js_cases
from tests.contract.js_cases import ATTACHMENT_PATH, CASES, NAMESPACES, Case
from tests.contract.sdk_js import SDK_FUNCTIONS, require_sdk, run_cases, sdk_version

FIDELITY = Path(__file__).parents[2] / "docs" / "fidelity.md"
TABLE_START = "<!-- js-sdk-table:start -->"
TABLE_END = "<!-- js-sdk-table:end -->"


@pytest.fixture(scope="module")
def outcomes(app, live_server) -> dict[str, dict[str, Any]]:
    require_sdk()
    Path(ATTACHMENT_PATH).write_text("scanned receipt\n")
    company = new_company(app, BASIC_RECORDS + js_cases.RECORDS)
    cases = [{"id": c.id, "company": company, "user": "ws_user", "password": "ws_user_pw", "session": c.session,
              "fn": c.fn, "batch": list(c.batch), "transaction": c.transaction, "uniqueId": c.unique_id}
             for c in CASES]
    return run_cases(int(live_server.base_url.rsplit(":", 1)[1]), cases)


def describe(outcome: dict[str, Any]) -> str:
    if "buildError" in outcome:
        return f"the SDK could not build the function: {outcome['buildError']['message']}"
    if outcome.get("ok"):
        return "success"
    error = outcome.get("error", {})
    return f"{error.get('type')}: {error.get('message')} {error.get('errors')}\nrequest:\n{outcome.get('request')}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_sdk_case(case: Case, outcomes):
    outcome = outcomes[case.id]
    assert "buildError" not in outcome, describe(outcome)
    if case.expect == "success":
        assert outcome.get("ok"), describe(outcome)
        results = outcome["results"] if case.batch else [outcome["result"]]
        assert [r["status"] for r in results] == ["success"] * len(results)
    else:
        assert not outcome.get("ok"), f"expected {case.expect} ({case.why}), got success"
        # Each SDK error string starts with its errorno (which is sometimes the whole message).
        assert any(e.startswith(case.expect) for e in outcome["error"]["errors"]), describe(outcome)


def test_a_failed_transaction_writes_nothing_and_a_retried_control_id_writes_once(outcomes):
    found = [r["VENDORID"] for r in outcomes["after-transaction"]["result"]["data"]]
    assert sorted(found) == ["V-B1", "V-B2", "V-U1"]  # V-T1 rolled back with its transaction
    retry = outcomes["unique-retry"]["error"]["errors"][0]
    assert "already been recorded with the control id js-retry-1" in retry


def test_updates_reversals_and_voids_through_the_sdk(outcomes):
    paid, reversed_bill = outcomes["after-life"]["result"]["data"]
    assert (paid["STATE"], paid["TOTALDUE"]) == ("Posted", "120.25")  # its payment reversed: all due again
    assert (reversed_bill["STATE"], reversed_bill["TOTALENTERED"], reversed_bill["TOTALDUE"],
            reversed_bill["DESCRIPTION"]) == ("Reversed", "100.00", "0.00", "Desks, corrected")
    assert outcomes["bill-reverse"]["result"]["key"] != outcomes["bill-3"]["result"]["key"]  # the reversal's own key
    [credit] = outcomes["after-credit"]["result"]["data"]
    assert (credit["STATE"], credit["TOTALDUE"]) == ("Paid", "0.00")  # the debit memo fully applied to a bill


def test_an_edited_sales_invoice_gets_a_new_ar_invoice(outcomes):
    before = outcomes["so-read-before"]["result"]["data"][0]
    after = outcomes["so-read-after"]["result"]["data"][0]
    assert before["CREATEDFROM"] == "Sales Order-JS-SO-1" and before["TOTAL"] == "370.00"
    assert after["TOTAL"] == "520.00" and after["PRRECORDKEY"] != before["PRRECORDKEY"]
    lines = after["SODOCUMENTENTRIES"]["sodocumententry"]
    assert [line["LINE_NO"] for line in lines] == ["0", "1"]


def test_session_provider_adopts_the_endpoint_and_company(outcomes):
    session = outcomes["session"]["session"]
    assert session["endpoint"].startswith("http://emulator.intacct.com:")
    assert session["company"].startswith("T")


def test_created_documents_read_back_with_the_sdk_values(outcomes):
    bill = outcomes["read"]["result"]["data"][0]
    assert bill["RECORDID"] == "JS-BILL-1" and bill["VENDORID"] == "V-JS-1"
    assert float(bill["TOTALENTERED"]) == pytest.approx(120.25)
    customer = outcomes["read-by-name"]["result"]["data"][0]
    assert customer["NAME"] == "JS Retail plc"  # the update with an empty DISPLAYCONTACT kept the contact
    assert customer["DISPLAYCONTACT"]["EMAIL1"] == "billing@js.example"


def test_paging_and_query_answers_parse_in_the_sdk(outcomes):
    first = outcomes["read-by-query"]["result"]
    assert first["count"] == 1 and first["numRemaining"] >= 2 and first["resultId"]
    more = outcomes["read-more"]["result"]
    assert more["count"] >= 1 and more["data"][0]["VENDORID"].startswith("V-")
    query = outcomes["query"]["result"]
    assert [r["RECORDID"] for r in query["data"]] == ["JS-BILL-1"]
    assert float(query["data"][0]["TOTALDUE"]) == pytest.approx(70.25)


def test_star_reads_answer_intacct_field_set_with_what_the_sdk_wrote(outcomes):
    """readByQuery '*' answers the fields Intacct answers (mock_server/objects/fieldsets.json, read
    off captured answers), in its order and flat; readByName nests the groups. Every element the
    SDK's VendorCreate wrote with every property set reads back."""
    flat = outcomes["query-vendor-full"]["result"]["data"][0]
    expected = list(real_field_set("VENDOR").fields)
    assert list(flat)[:len(expected)] == expected
    assert (flat["NAME1099"], flat["BILLINGTYPE"], flat["OFFSETGLACCOUNTNO"], flat["PAYTO.CONTACTNAME"],
            flat["DISPLOCACCTNOCHECK"], flat["MERGEPAYMENTREQ"]) == (
        "Full Vendor Ltd", "openitem", "1000", "Jo Bloggs", "false", "true")
    nested = outcomes["read-vendor-full"]["result"]["data"][0]
    assert nested["DISPLAYCONTACT"]["MAILADDRESS"]["CITY"] == "Leeds"
    assert "HIDEDISPLAYCONTACT" not in flat and "HIDEDISPLAYCONTACT" not in nested  # write-only, as in Intacct


# ---------------------------------------------------------------------------- every class accounted for

def sdk_classes() -> list[str]:
    """Every concrete function class the SDK ships in the covered namespaces (from its files)."""
    found = ["ApiSessionCreate"]
    for namespace in NAMESPACES:
        for path in sorted((SDK_FUNCTIONS / namespace).rglob("*.js")):
            name = path.stem
            if name == "index" or name.startswith("Abstract") or re.match(r"I[A-Z]", name):
                continue
            found.append(".".join((namespace, *path.relative_to(SDK_FUNCTIONS / namespace).with_suffix("").parts)))
    return found


def test_every_sdk_class_is_accounted_for():
    require_sdk()
    covered = {c.sdk_class for c in CASES} | {x for c in CASES for x in c.extra_classes}
    missing = [name for name in sdk_classes() if name not in covered and name not in js_cases.NOT_EMULATED]
    assert not missing, f"SDK classes neither tested nor listed as not emulated: {missing}"
    stale = sorted(set(js_cases.NOT_EMULATED) & covered)
    assert not stale, f"listed as not emulated but tested: {stale}"


PAYMENT_FUNCTIONS = {"DELETE": "delete", "DECLINE": "decline_appaymentrequest", "CONFIRM": "confirm_appaymentrequest",
                     "APPROVE": "approve_appaymentrequest", "SEND": "send_appaymentrequest",
                     "VOID": "void_appaymentrequest"}


def function_of(sdk_class: str) -> str:
    """What the class writes, read from the SDK's own source: ``create VENDOR``, ``create_bill``,
    ``delete GLBATCH`` ... (empty for a part of another function, such as a line)."""
    if sdk_class.endswith(("Factory", "Builder")):
        return ""  # builds other classes' objects; writes nothing itself
    source = (SDK_FUNCTIONS / (sdk_class.replace(".", "/") + ".js")).read_text()
    tail = source.partition('writeStartElement("function")')[2]
    if not tail:
        via = re.search(r"AbstractApPaymentFunction_1\.default\.([A-Z]+)", source)
        name = PAYMENT_FUNCTIONS.get(via.group(1), "") if via else ""
        return f"`{name} APPYMT`" if name == "delete" else (f"`{name}`" if name else "")
    elements = re.findall(r'writeStartElement\("(\w+)"\)|writeElement\("object", "(\w+)"', tail)
    names = [a or b for a, b in elements[:2]]
    if names and names[0] in ("create", "update", "delete", "retrievepdf") and len(names) > 1 and names[1].isupper():
        return f"`{names[0]} {names[1]}`"
    return f"`{names[0]}`" if names else ""


def render_table() -> str:
    """Function classes one row each; parts of functions (lines, payment details, query builders)
    in one line, since they are exercised inside the cases of the functions that carry them."""
    rows = [f"Official JavaScript SDK `@intacct/intacct-sdk` {sdk_version()}, driven unmodified by "
            "`tests/contract/test_intacct_sdk_js.py` (`make test`); regenerate with `UPDATE_FIDELITY=1`.", "",
            "| SDK class | writes | outcome on the emulator |", "|---|---|---|"]
    by_class: dict[str, list[Case]] = {}
    for case in CASES:
        by_class.setdefault(case.sdk_class, []).append(case)
    parts, parts_not = [], []
    for name in sdk_classes():
        writes = function_of(name)
        if not writes:
            (parts_not if name in js_cases.NOT_EMULATED else parts).append(name)
            continue
        if name in by_class:
            outcomes = ["success"] if any(c.expect == "success" for c in by_class[name]) else []
            outcomes += [f"`{c.expect}` when {c.why}" for c in by_class[name] if c.expect != "success"]
            rows.append(f"| {name} | {writes} | {'; '.join(outcomes)} |")
        else:
            rows.append(f"| {name} | {writes} | not emulated: {js_cases.NOT_EMULATED[name]} |")
    rows += ["", f"Parts of functions exercised inside the cases above ({len(parts)}): "
             + ", ".join(f"`{p}`" for p in parts) + "."]
    if parts_not:
        rows += ["", "Parts of functions not emulated: " + ", ".join(
            f"`{p}` ({js_cases.NOT_EMULATED[p]})" for p in parts_not) + "."]
    return "\n".join(rows)


def test_fidelity_table_is_current():
    require_sdk()
    text = FIDELITY.read_text()
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    expected = "\n" + render_table() + "\n"
    if text[start:end] != expected:
        import os

        if os.environ.get("UPDATE_FIDELITY") == "1":
            FIDELITY.write_text(text[:start] + expected + text[end:])
            return
        pytest.fail("docs/fidelity.md's JS SDK table is stale: rerun with UPDATE_FIDELITY=1")
