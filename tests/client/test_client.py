"""The client's sessions, retries and pagination against the live emulator, with real faults."""

from __future__ import annotations

import pytest

from intacct_mock.client import ClientConfig, ConfigurationError, IntacctClient
from intacct_mock.client.errors import (
    AuthenticationFailed,
    OutcomeUnknown,
    RateLimited,
    SenderNotAuthorized,
    TransientServerError,
    UnknownField,
)
from intacct_mock.client.filters import all_of, eq, gte


def names(client: IntacctClient) -> list[tuple[tuple[str, ...], str]]:
    return [(a.functions, a.outcome) for a in client.attempts]


def test_one_session_is_opened_and_reused(intacct, control, tenant):
    for _ in range(3):
        assert list(intacct.read_by_query("VENDOR", fields="VENDORID"))
    sessions = [e for e in control.journal(company=tenant) if e["functions"][0]["name"] == "getAPISession"]
    assert len(sessions) == 1


def test_expired_session_is_refreshed_transparently(intacct, control, tenant):
    list(intacct.read_by_query("VENDOR"))
    control.add_fault({"company": tenant, "match": {"session": True}, "action": "session_expire", "times": 1})
    assert len(list(intacct.read_by_query("VENDOR"))) == 2
    assert names(intacct)[-3:] == [(("readByQuery",), "SessionExpired"), (("getAPISession",), "ok"),
                                   (("readByQuery",), "ok")]


def test_bad_password_is_an_authentication_error_not_retried(client_for, tenant, control):
    client = client_for(tenant, password="changed-yesterday")
    with pytest.raises(AuthenticationFailed) as caught:
        list(client.read_by_query("VENDOR"))
    assert caught.value.http_status == 401 and caught.value.errorno == "XMLGW_JPP0002"
    assert len(control.journal(company=tenant)) == 1


def test_rotated_password_mid_run_stops_with_401(intacct, control, tenant):
    list(intacct.read_by_query("VENDOR"))
    intacct.invalidate_session()
    control.add_fault({"company": tenant, "action": "rotate_password", "times": 1})
    with pytest.raises(AuthenticationFailed):
        list(intacct.read_by_query("VENDOR"))


def test_sender_not_authorized_is_its_own_error(intacct, control, tenant):
    control.add_fault({"company": tenant, "action": "intacct_error=sender_not_authorized"})
    with pytest.raises(SenderNotAuthorized):
        intacct.session()


def test_reads_retry_5xx_and_lost_answers_then_succeed(intacct, control, tenant):
    intacct.session()
    control.add_fault({"company": tenant, "match": {"function": "readByQuery"}, "action": "http_status=502", "times": 1})
    control.add_fault({"company": tenant, "match": {"function": "readByQuery"}, "action": "drop_ack=reset", "nth": 2,
                       "times": 1})
    assert len(list(intacct.read_by_query("VENDOR"))) == 2
    assert [o for f, o in names(intacct) if f == ("readByQuery",)] == ["TransientServerError", "TransientServerError",
                                                                       "ok"]
    assert len(intacct.sleeps) == 2


def test_retries_are_bounded(client_for, tenant, control):
    client = client_for(tenant, max_attempts=3)
    client.session()
    control.add_fault({"company": tenant, "match": {"function": "readByQuery"}, "action": "http_status=503"})
    with pytest.raises(TransientServerError):
        list(client.read_by_query("VENDOR"))
    assert len([e for e in control.journal(company=tenant) if e["http_status"] == 503]) == 3


def test_retry_after_is_honoured(intacct, control, tenant):
    intacct.session()
    control.add_fault({"company": tenant, "action": {"type": "http_status", "status": 429, "retry_after": 2},
                       "times": 1})
    assert list(intacct.read_by_query("VENDOR"))
    assert intacct.sleeps == [2.0]


def test_retry_budget_caps_the_wait(client_for, tenant, control):
    client = client_for(tenant, retry_budget=1.0)
    client.session()
    control.add_fault({"company": tenant, "action": {"type": "http_status", "status": 429, "retry_after": 30}})
    with pytest.raises(RateLimited):
        list(client.read_by_query("VENDOR"))
    assert client.sleeps == []


def test_an_unprotected_write_whose_answer_is_lost_is_never_resent(intacct, control, tenant):
    intacct.session()
    control.add_fault({"company": tenant, "match": {"function": "create"}, "action": "drop_ack=close", "times": 1})
    with pytest.raises(OutcomeUnknown):
        intacct.create("VENDOR", {"VENDORID": "V-LOST", "NAME": "Lost"})
    creates = [e for e in control.journal(company=tenant) if e["functions"][0]["name"] == "create"]
    assert len(creates) == 1 and creates[0]["committed"]
    assert control.books(tenant, "VENDOR", VENDORID="V-LOST")


@pytest.mark.parametrize("status", [500, 502, 504, 524])
def test_a_write_answered_by_a_gateway_error_is_outcome_unknown(intacct, control, tenant, status):
    intacct.session()
    control.add_fault({"company": tenant, "match": {"function": "create"},
                       "action": {"type": "http_status", "status": status}, "times": 1})
    with pytest.raises(OutcomeUnknown):
        intacct.create("VENDOR", {"VENDORID": f"V-{status}", "NAME": "Maybe"})


def test_a_503_write_is_retried_because_nothing_ran(intacct, control, tenant):
    intacct.session()
    control.add_fault({"company": tenant, "match": {"function": "create"}, "action": "http_status=503", "times": 1})
    assert intacct.create("VENDOR", {"VENDORID": "V-503", "NAME": "Later"})
    assert len(control.books(tenant, "VENDOR", VENDORID="V-503")) == 1


def test_function_errors_are_typed(intacct):
    with pytest.raises(UnknownField) as caught:
        list(intacct.read_by_query("VENDOR", fields="VENDORID,NOPE"))
    assert caught.value.errorno == "DL02000001" and caught.value.controlid


def test_read_by_query_pages_lazily_through_read_more(client_for):
    client = client_for("DEMO")
    it = client.read_by_query("CUSTOMER", fields="CUSTOMERID", page_size=10)
    first = next(it)
    assert [a.functions for a in client.attempts] == [("getAPISession",), ("readByQuery",)]
    rest = list(it)
    assert len(rest) + 1 == 25 and first["CUSTOMERID"] not in {r["CUSTOMERID"] for r in rest}
    assert [a.functions[0] for a in client.attempts].count("readMore") == 2


def test_query_pages_with_offsets_and_filters(client_for):
    client = client_for("DEMO")
    rows = list(client.query("CUSTOMER", ["CUSTOMERID", "NAME"], filter=eq("STATUS", "active"),
                             order_by=[("CUSTOMERID", True)], page_size=10))
    assert len(rows) == 25 and rows[0]["CUSTOMERID"] > rows[-1]["CUSTOMERID"]
    assert [a.functions[0] for a in client.attempts].count("query") == 3
    bills = list(client.query("APBILL", ["RECORDID"], filter=all_of(eq("STATE", "Posted"),
                                                                  gte("WHENCREATED", "01/01/2000"))))
    assert len(bills) == 10


def test_entity_switching_keeps_one_session_per_entity(client_for, make_company, control):
    from intacct_mock.company.model import Entity

    cid = make_company(entities=[Entity("E1", "East"), Entity("E2", "West")])
    top = client_for(cid)
    east = top.for_entity("E1")
    top.create("VENDOR", {"VENDORID": "V-TOP", "NAME": "Top"})
    east.create("VENDOR", {"VENDORID": "V-EAST", "NAME": "East"})
    assert top.session() != east.session()
    journal = control.journal(company=cid)
    assert [e["functions"][0]["name"] for e in journal].count("getAPISession") == 2
    assert {v["VENDORID"]: v["MEGAENTITYID"] for v in control.books(cid, "VENDOR") if v["VENDORID"] in ("V-TOP", "V-EAST")} == {
        "V-TOP": None, "V-EAST": "E1"}


def test_configuration_from_the_environment():
    env = {"INTACCT_SENDER_ID": "s", "INTACCT_SENDER_PASSWORD": "sp", "INTACCT_COMPANY_ID": "C",
           "INTACCT_USER_ID": "u", "INTACCT_USER_PASSWORD": "p", "INTACCT_TIMEOUT": "7.5"}
    config = ClientConfig.from_env(env)
    assert config.timeout == 7.5 and config.endpoint_url == "https://api.intacct.com/ia/xml/xmlgw.phtml"
    with pytest.raises(ConfigurationError) as caught:
        ClientConfig.from_env({})
    assert "INTACCT_SENDER_ID" in str(caught.value)
    with pytest.raises(ConfigurationError):
        ClientConfig.from_env({**env, "INTACCT_TIMEOUT": "soon"})


def test_a_lost_read_more_answer_is_not_replayed(client_for, control):
    """readMore moves the server's cursor: resending it after a lost answer would silently skip a page."""
    client = client_for("DEMO")
    control.add_fault({"company": "DEMO", "match": {"function": "readMore"}, "action": "drop_ack=close", "times": 1})
    with pytest.raises(OutcomeUnknown):
        list(client.read_by_query("CUSTOMER", fields="CUSTOMERID", page_size=10))
    assert [o for f, o in names(client) if f == ("readMore",)] == ["OutcomeUnknown"]
    control.clear_faults("DEMO")
