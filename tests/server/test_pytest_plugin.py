"""The pytest plugin as a user gets it: the ``intacct_mock`` fixture comes from the installed entry point."""

from __future__ import annotations

import pytest
import requests

from intacct_mock.testing.runner import running_emulator
from tests.support import Gateway, fn


def test_fixture_serves_the_demo_company_and_controls_it(intacct_mock):
    demo = Gateway(intacct_mock.url)
    assert demo.ok(fn("<getAPISession/>")).status == 200
    intacct_mock.add_fault({"company": "DEMO", "action": "http_status=503", "times": 1})
    assert demo.call(fn("<getAPISession/>")).status == 503
    assert [e["http_status"] for e in intacct_mock.journal(company="DEMO")][-2:] == [200, 503]
    assert intacct_mock.books("DEMO")["VENDOR"] == 25


def test_fixture_is_shared_by_the_module(intacct_mock):
    before = len(intacct_mock.journal(company="DEMO"))
    Gateway(intacct_mock.url).ok(fn("<getAPISession/>"))
    Gateway(intacct_mock.url).ok(fn("<getAPISession/>"))
    assert len(intacct_mock.journal(company="DEMO")) == before + 2  # one emulator, its journal kept between calls
    intacct_mock.reset()
    assert intacct_mock.journal() == []


def test_context_manager_stops_the_server_on_exit():
    with running_emulator(seed=1) as emu:
        url = emu.url
        assert Gateway(url).ok(fn("<getAPISession/>")).status == 200
    with pytest.raises(requests.ConnectionError):
        requests.post(url, data=b"<request/>", timeout=2)


def test_context_manager_with_an_admin_token():
    with running_emulator(admin_token="s3cret") as emu:
        assert emu.control.health()["status"] == "ok"
        assert requests.get(emu.base_url + "/_mock/health", timeout=5).status_code == 401
