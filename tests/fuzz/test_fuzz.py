"""A fixed-seed slice of the fuzzers (``make fuzz`` runs the full budget), plus regressions they found."""

from __future__ import annotations

import json
import logging

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from intacct_mock.fuzz.corpus import envelope
from intacct_mock.fuzz.harness import GatewayHarness
from intacct_mock.errors import IntacctError
from intacct_mock.faults.model import FaultSpecError, parse_rule
from intacct_mock.gateway.filters import parse_filter_element
from intacct_mock.query.legacy import parse_legacy_query
from intacct_mock.scenarios.model import ScenarioFileError, load

FUZZ = settings(max_examples=300, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def harness():
    logging.disable(logging.CRITICAL)
    h = GatewayHarness()
    yield h
    logging.disable(logging.NOTSET)
    h.db.close()


def test_a_fixed_seed_slice_of_mutated_requests(harness, tmp_path):
    result = harness.run(2000, seed=20261122, out_dir=tmp_path)
    assert result.failures == [], [f.reason for f in result.failures[:5]]


@pytest.mark.parametrize("function", [
    # found by the fuzzer: integers past SQLite's range and past C long
    "<create_invoice><customerid>C-0001</customerid><datecreated><year>99999999999999999999999</year><month>1</month>"
    "<day>1</day></datecreated><invoiceno>X</invoiceno><invoiceitems><lineitem><glaccountno>4000</glaccountno>"
    "<amount>1</amount></lineitem></invoiceitems></create_invoice>",
    "<delete><object>VENDOR</object><keys>99999999999999999999999999</keys></delete>",
    "<read><object>VENDOR</object><keys>99999999999999999999999,²,-1</keys></read>",
    "<query><object>VENDOR</object><select><field>RECORDNO</field></select><offset>99999999999999999999999</offset></query>",
    "<readByQuery><object>VENDOR</object><query>RECORDNO = 99999999999999999999999</query></readByQuery>",
])
def test_regressions_answer_cleanly(harness, function):
    assert harness.check(envelope(function)) is None


@FUZZ
@given(st.text(max_size=200))
def test_legacy_query_parser_only_raises_intacct_errors(text):
    try:
        parse_legacy_query(text)
    except IntacctError:
        pass


@FUZZ
@given(st.recursive(st.sampled_from(["equalto", "in", "isnull", "between", "like", "field", "value", "x"]),
                    lambda children: st.tuples(st.sampled_from(["and", "or", "notin", "equalto", "value", "field"]),
                                               st.lists(children, max_size=4)), max_leaves=12),
       st.text(max_size=20))
def test_filter_parser_only_raises_intacct_errors(tree, text):
    def build(node):
        if isinstance(node, str):
            el = etree.Element(node)
            el.text = text.replace("\x00", "") if all(ord(c) >= 32 or c in "\t\n\r" for c in text) else "v"
            return el
        tag, kids = node
        el = etree.Element(tag)
        el.extend(build(k) for k in kids)
        return el

    root = etree.Element("filter")
    root.append(build(tree))
    try:
        parse_filter_element(root)
    except IntacctError:
        pass


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                       lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4),
                       max_leaves=15)


@FUZZ
@given(st.dictionaries(st.sampled_from(["company", "match", "action", "times", "nth", "probability", "seed",
                                        "window", "id", "colour"]), JSONISH, max_size=5))
def test_fault_rules_are_accepted_or_refused_with_a_message(rule):
    try:
        parse_rule(rule, "f1")
    except FaultSpecError as exc:
        assert str(exc)


@FUZZ
@given(st.dictionaries(st.sampled_from(["title", "incident", "advice", "steps", "expect", "company", "faults",
                                        "clock", "tags", "client"]), JSONISH, max_size=6))
def test_scenario_files_are_loaded_or_refused_with_file_and_line(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("sc") / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    try:
        load(path)
    except ScenarioFileError as exc:
        assert str(exc).startswith(f"{path}:")


def test_admin_api_never_answers_500_to_odd_json(control):
    import requests

    bodies = [b"", b"null", b"[]", b"{}", b"[1,2]", b'{"action": null}', b'{"company": 5, "action": "latency=1"}',
              b"\xff\xfe", b'{"action": {"type": "latency", "ms": "fast"}}', json.dumps({"x": "y" * 10000}).encode()]
    for path in ("/faults", "/companies", "/clock", "/reset", "/replay"):
        for body in bodies:
            if path == "/reset" and body in (b"", b"{}"):
                continue  # valid: would reset every company of the shared test server
            method = "PUT" if path == "/clock" else "POST"
            r = requests.request(method, control.base_url + "/_mock" + path, data=body, timeout=10,
                                 headers={"Content-Type": "application/json"})
            assert r.status_code < 500, (path, body[:40], r.text[:200])
            if r.status_code >= 400:
                assert r.json()["error"]["message"]
