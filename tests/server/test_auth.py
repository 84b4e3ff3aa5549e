"""Sender and user authentication, sessions and their expiry, as the gateway answers each failure."""



import pytest

from intacct_mock.app import create_app
from intacct_mock.company.model import Entity, User
from intacct_mock.config import Settings
from intacct_mock.web import emulator_of
from tests.support import Gateway, ServerThread, fn


def auth_error(reply):
    assert reply.text("control/status") == "success"
    assert reply.text("operation/authentication/status") == "failure", reply.body.decode()
    assert reply.xml.find("operation/result") is None
    return reply.errors("operation/errormessage/error")


def test_wrong_sender_password_is_a_control_failure(demo):
    reply = demo.call(fn("<getAPISession/>"), sender=("mock-sender", "wrong"))
    assert reply.status == 200
    assert reply.text("control/status") == "failure"
    assert reply.errors("errormessage/error")[0]["description2"] == "Incorrect Intacct XML Partner ID or password."


def test_sender_id_is_case_sensitive(demo):
    reply = demo.call(fn("<getAPISession/>"), sender=("MOCK-SENDER", "mock-sender-pw"))
    assert reply.text("control/status") == "failure"


@pytest.mark.parametrize("user,company,password", [
    ("ws_user", "DEMO", "wrong"), ("nobody", "DEMO", "x"), ("ws_user", "NOSUCHCO", "ws_user_pw"),
    ("former_user", "DEMO", "former_user_pw"),
])
def test_bad_login_is_http_401_with_the_gateway_error(demo, user, company, password):
    reply = demo.call(fn("<getAPISession/>"), login=(user, company, password))
    assert reply.status == 401
    assert reply.headers["Content-Type"].startswith("text/xml")
    assert reply.text("control/status") == "failure"
    error = reply.xml.find("errormessage/error")
    assert error.findtext("errorno") == "XMLGW_JPP0002"
    assert error.findtext("description") == "Sign-in information is incorrect. Please check your request."
    assert error.find("description2") is None


def test_company_and_user_ids_are_case_insensitive_but_passwords_are_not(demo):
    demo.ok(fn("<getAPISession/>"), login=("WS_USER", "demo", "ws_user_pw"))
    assert demo.call(fn("<getAPISession/>"), login=("ws_user", "DEMO", "WS_USER_PW")).status == 401


@pytest.fixture(scope="module")
def legacy_gateway(tmp_path_factory):
    settings = Settings.load(env={}, db_path=str(tmp_path_factory.mktemp("legacy") / "m.db"), login_failure_mode="legacy")
    server = ServerThread(create_app(settings)).start()
    yield Gateway(server.base_url + "/ia/xml/xmlgw.phtml")
    server.stop()


def test_legacy_mode_answers_bad_login_with_http_200_authentication_failure(legacy_gateway):
    reply = legacy_gateway.call(fn("<getAPISession/>"), login=("ws_user", "DEMO", "wrong"))
    assert reply.status == 200
    errors = auth_error(reply)
    assert errors[0]["errorno"] == "XL03000006"
    assert errors[0]["description2"] == "Sign-in information is incorrect"
    assert reply.text("operation/authentication/userid") == "ws_user"


def test_sender_not_authorized_for_company(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(senders=["someone-else"]))
    errors = auth_error(gw.call(fn("<getAPISession/>")))
    assert errors[0]["errorno"] == "XL03000006"
    assert errors[0]["description"] == "Invalid Web Services Authorization"
    assert errors[0]["description2"] == (
        f"The sender ID 'mock-sender' is not authorized to make Web Services requests to company ID '{gw.company}'.")
    assert errors[0]["correction"].startswith("Contact the company administrator")


def test_ip_outside_the_allow_list_is_refused_and_inside_accepted(make_company, gateway_url):
    blocked = Gateway(gateway_url, company=make_company(ip_allowlist=["10.1.0.0/16"]))
    errors = auth_error(blocked.call(fn("<getAPISession/>")))
    assert "127.0.0.1" in errors[0]["description2"]
    allowed = Gateway(gateway_url, company=make_company(ip_allowlist=["127.0.0.0/8"]))
    allowed.ok(fn("<getAPISession/>"))


def test_session_authentication_echoes_user_and_company(demo):
    sid = demo.session()
    reply = demo.ok(fn("<readByQuery><object>CLASS</object><query/></readByQuery>"), session=sid)
    assert reply.text("operation/authentication/userid") == "ws_user"
    assert reply.text("operation/authentication/companyid") == "DEMO"
    assert reply.text("operation/authentication/sessiontimeout").endswith("+00:00")


def test_get_api_session_on_a_session_returns_the_same_session(demo):
    sid = demo.session()
    assert demo.session(session=sid) == sid


def test_unknown_session_is_an_authentication_failure_with_empty_ids(demo):
    reply = demo.call(fn("<getAPISession/>"), session="not-a-session..")
    errors = auth_error(reply)
    assert errors[0]["description2"] == "Invalid session ***sion.."  # the id is masked (docs/fidelity.md)
    assert reply.text("operation/authentication/userid") == ""


def test_session_expires_after_the_timeout_and_slides_while_used(demo, clock):
    sid = demo.session()
    try:
        clock.advance(hours=5)
        demo.ok(fn("<getDimensions/>"), session=sid)  # used: expiry moves to now + 6 h
        clock.advance(hours=5)
        demo.ok(fn("<getDimensions/>"), session=sid)
        clock.advance(hours=6, seconds=1)
        errors = auth_error(demo.call(fn("<getDimensions/>"), session=sid))
        assert errors[0]["description2"] == f"Invalid session ***{sid[-6:]}"
    finally:
        clock.advance(hours=-16, seconds=-1)


def test_session_dies_when_the_user_is_deactivated(make_company, gateway_url, app):
    gw = Gateway(gateway_url, company=make_company(users=[User("ws_user", "ws_user_pw")]))
    sid = gw.session()
    companies, db = emulator_of(app).companies, emulator_of(app).db
    with db.transaction(write=True) as conn:
        config, _ = companies.get(conn, gw.company)
        config.users[0].status = "inactive"
        companies.put(conn, config)
    auth_error(gw.call(fn("<getDimensions/>"), session=sid))


def test_entity_login_and_entity_switch_with_get_api_session(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(entities=[Entity("E100", "East"), Entity("E200", "West")]))
    reply = gw.ok(fn("<getAPISession/>"), login=("ws_user", gw.company, "ws_user_pw", "E100"))
    assert reply.text("operation/authentication/locationid") == "E100"
    assert reply.result().findtext("data/api/locationid") == "E100"
    sid = reply.result().findtext("data/api/sessionid")
    switched = gw.ok(fn("<getAPISession><locationid>E200</locationid></getAPISession>"), session=sid)
    new_sid = switched.result().findtext("data/api/sessionid")
    assert new_sid != sid and switched.result().findtext("data/api/locationid") == "E200"
    top = gw.ok(fn("<getAPISession><locationid/></getAPISession>"), session=new_sid)
    assert top.result().findtext("data/api/locationid") == ""


def test_login_to_an_unknown_entity_fails(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(entities=[Entity("E100", "East")]))
    errors = auth_error(gw.call(fn("<getAPISession/>"), login=("ws_user", gw.company, "ws_user_pw", "E999")))
    assert "E999" in errors[0]["description2"]


def test_password_change_invalidates_login_but_not_running_sessions(make_company, gateway_url, app):
    gw = Gateway(gateway_url, company=make_company())
    sid = gw.session()
    companies, db = emulator_of(app).companies, emulator_of(app).db
    with db.transaction(write=True) as conn:
        config, _ = companies.get(conn, gw.company)
        config.users[0].password = "new-password"
        companies.put(conn, config)
    assert gw.call(fn("<getAPISession/>")).status == 401
    gw.ok(fn("<getDimensions/>"), session=sid)


def test_expired_demo_company_is_a_control_failure(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(expired=True))
    reply = gw.call(fn("<getAPISession/>"))
    assert reply.text("control/status") == "failure"
    assert reply.errors("errormessage/error")[0]["errorno"] == "PL04000055"


