"""The pytest plugin used the way an integration's suite uses it: a module of the user's tests run
by pytest (``pytester``, in a subprocess so the plugin loads from its entry point), with a fresh
company per test, faults per test, assertions on what reached the books, and the same module run
against a separately started emulator (``--intacct-mock-url``)."""

from __future__ import annotations

import sys

import pytest
import requests

from tests.support import served

pytest_plugins = ["pytester"]

USER_MODULE = '''
from datetime import date
from decimal import Decimal

import pytest

from intacct_mock.client import Bill, IntacctClient, Line, Operations
from intacct_mock.client.errors import TransientServerError


def bill(number):
    return Bill(vendor_id="V-0001", number=number, date=date(2026, 3, 2), due_date=date(2026, 4, 1),
                lines=[Line(account="6220", amount=Decimal("125.00"))])


def test_a_fresh_company_per_test_a(intacct_company):
    ops = Operations(IntacctClient(intacct_company.client_config()))
    ops.export_bill(bill("INV-1"))
    assert len(intacct_company.books("APBILL", RECORDID="INV-1")) == 1


def test_a_fresh_company_per_test_b(intacct_company):
    assert intacct_company.books("APBILL", RECORDID="INV-1") == []  # test a's bill is not here
    assert intacct_company.count() == 0


@pytest.mark.intacct_faults({"match": {"function": "create", "object": "APBILL"}, "times": 1,
                             "action": {"type": "drop_ack", "variant": "reset"}})
def test_a_lost_acknowledgement_then_the_export_retries_once(intacct_company):
    ops = Operations(IntacctClient(intacct_company.client_config(max_attempts=3, backoff_base=0.01)))
    ops.export_bill(bill("INV-778"))  # the reference client looks the bill up before it resends
    written = intacct_company.assert_written_once("INV-778")
    assert written["delivery"] == "reset" and intacct_company.recordno_of("INV-778") == written["recordno"]


@pytest.mark.intacct_faults({"match": {"function": "readByQuery"}, "action": {"type": "http_status", "status": 503}})
def test_faults_last_one_test(intacct_company):
    client = IntacctClient(intacct_company.client_config(max_attempts=1))
    with pytest.raises(TransientServerError):
        next(client.read_by_query("VENDOR", fields="VENDORID", page_size=1))
    assert [e["http_status"] for e in intacct_company.requests(function="readByQuery")] == [503]


def test_the_fault_of_the_test_before_is_gone(intacct_company):
    client = IntacctClient(intacct_company.client_config(max_attempts=1))
    assert next(client.read_by_query("VENDOR", fields="VENDORID", page_size=1))["VENDORID"]


def test_the_assertions_say_what_was_sent(intacct_company):
    Operations(IntacctClient(intacct_company.client_config())).export_bill(bill("INV-5"))
    with pytest.raises(AssertionError, match="'INV-5' reached"):
        intacct_company.assert_not_written("INV-5")
    with pytest.raises(AssertionError, match="written 0 times"):
        intacct_company.assert_written_once("INV-6")
    assert intacct_company.count(document="INV-5", committed=True) == 1


@pytest.mark.intacct_company(seed=3, records=[("VENDOR", {"VENDORID": "V-MINE", "NAME": "Mine"})])
def test_the_company_can_be_shaped(intacct_company):
    assert len(intacct_company.books("VENDOR", VENDORID="V-MINE")) == 1
'''


def _outcomes(result) -> dict:
    return result.parseoutcomes()


def test_a_users_suite_runs_on_an_in_process_emulator(pytester):
    pytester.makepyfile(test_integration=USER_MODULE)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning")
    assert _outcomes(result).get("passed") == 7, result.stdout.str()[-4000:]


@pytest.fixture
def separate_emulator(tmp_path):
    """``intacct-mock serve`` in a process of its own, as a CI job's shared emulator would be."""
    with served([sys.executable, "-m", "intacct_mock"], tmp_path / "shared.db", "--quiet") as base:
        yield base


def test_the_same_suite_runs_against_a_separately_started_emulator(pytester, separate_emulator):
    before = requests.get(separate_emulator + "/_mock/companies", timeout=10).json()
    pytester.makepyfile(test_integration=USER_MODULE)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "--intacct-mock-url", separate_emulator)
    assert _outcomes(result).get("passed") == 7, result.stdout.str()[-4000:]
    companies = lambda: requests.get(separate_emulator + "/_mock/companies", timeout=10).json()["companies"]  # noqa: E731
    assert companies() == before["companies"]  # each test's company was deleted after it
    kept = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "--intacct-mock-url", separate_emulator,
                                         "--intacct-mock-keep", "-k", "fresh_company_per_test_a")
    assert _outcomes(kept).get("passed") == 1, kept.stdout.str()[-3000:]
    [made] = [c for c in companies() if c not in before["companies"]]  # made there, kept to look at
    bills = requests.get(f"{separate_emulator}/_mock/companies/{made['company_id']}"
                         "/books/APBILL", params={"RECORDID": "INV-1"}, timeout=10).json()
    assert len(bills["records"]) == 1


def test_the_url_comes_from_the_environment_too(pytester, separate_emulator, monkeypatch):
    monkeypatch.setenv("INTACCT_MOCK_URL", separate_emulator)
    pytester.makepyfile(test_one='''
def test_on_the_shared_emulator(intacct_mock_server, intacct_company):
    assert intacct_mock_server.app is None and intacct_company.base_url == "%s"
''' % separate_emulator)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    assert _outcomes(result).get("passed") == 1, result.stdout.str()[-3000:]


def test_a_misused_marker_is_a_clear_error(pytester):
    pytester.makepyfile(test_bad='''
import pytest

@pytest.mark.intacct_company(colour="blue")
def test_bad(intacct_company):
    pass
''')
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*intacct_company takes seed=, settings=, records= only*"])
