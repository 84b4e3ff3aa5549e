"""The request envelope is checked as strictly as the real gateway checks it, and never crashes."""

from urllib.parse import quote

import pytest
import requests

from tests.support import SENDER, envelope, fn
from intacct_mock.web import emulator_of

LOGIN = ("ws_user", "DEMO", "ws_user_pw")


def control_error(reply):
    assert reply.text("control/status") == "failure", reply.body.decode()
    return reply.errors("errormessage/error")


def test_malformed_xml_is_a_control_failure_with_the_parser_message(demo):
    reply = demo.post(b"<request><control></request>")
    assert reply.status == 200
    errors = control_error(reply)
    assert errors[0]["errorno"] == "XL03000003"
    assert errors[0]["description2"].startswith("XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch")
    assert reply.xml.find("operation") is None


def test_parse_errors_of_one_request_do_not_leak_into_the_next(demo):
    demo.post(b"<request><control></request>")
    errors = control_error(demo.post(b""))
    assert len(errors) == 1 and "Document is empty" in errors[0]["description2"]


def test_doctype_with_entities_is_refused_without_expansion(demo):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE request [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b"<request>&c;</request>")
    errors = control_error(demo.post(bomb))
    assert errors[0]["errorno"] == "XL03000003"
    assert "DOCTYPE" in errors[0]["description2"]


def test_external_entity_is_never_fetched(demo):
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request>&x;</request>'
    reply = demo.post(xxe)
    assert b"root:" not in reply.body
    assert control_error(reply)[0]["errorno"] == "XL03000003"


def test_wrong_root_element_is_a_schema_error(demo):
    errors = control_error(demo.post(b"<response/>"))
    assert "No matching global declaration" in errors[0]["description2"]


@pytest.mark.parametrize("missing", ["senderid", "controlid"])
def test_missing_control_child_is_a_schema_error(demo, missing):
    body = envelope(fn("<getAPISession/>"), login=LOGIN).replace(f"<{missing}>".encode(), b"<x>").replace(
        f"</{missing}>".encode(), b"</x>")
    errors = control_error(demo.post(body))
    assert f"Expected is ( {missing} )" in errors[0]["description2"]


def test_unsupported_dtd_version_is_rejected(demo):
    errors = control_error(demo.post(envelope(fn("<getAPISession/>"), login=LOGIN, dtdversion="4.0")))
    assert "dtdversion" in errors[0]["description2"]


def test_unknown_function_fails_the_whole_request_before_anything_runs(demo):
    reply = demo.call(fn("<getAPISession/>"), fn("<frobnicate/>"))
    errors = control_error(reply)
    assert errors[0]["errorno"] == "XL03000003"
    assert "'frobnicate'" in errors[0]["description2"]


def test_generic_functions_are_not_offered_under_dtd_2_1(demo):
    reply = demo.call(fn("<readByQuery><object>VENDOR</object><query/></readByQuery>"), dtdversion="2.1")
    assert control_error(reply)[0]["errorno"] == "XL03000003"


def test_legacy_functions_work_under_dtd_2_1(demo):
    demo.ok(fn("<getAPISession/>"), dtdversion="2.1")


def test_function_without_controlid_is_a_schema_error(demo):
    body = envelope("<function><getAPISession/></function>", login=LOGIN)
    assert "controlid" in control_error(demo.post(body))[0]["description2"]


def test_control_fields_are_echoed_and_results_keep_request_order(demo):
    reply = demo.ok(fn("<getAPISession/>", "s-1"), fn("<readByQuery><object>CLASS</object><query/></readByQuery>", "q-2"),
                    controlid="my request 1")
    assert reply.text("control/controlid") == "my request 1"
    assert reply.text("control/senderid") == SENDER[0]
    assert reply.text("control/uniqueid") == "false"
    assert reply.text("control/dtdversion") == "3.0"
    assert [r.findtext("controlid") for r in reply.results()] == ["s-1", "q-2"]
    assert [r.findtext("function") for r in reply.results()] == ["getAPISession", "readByQuery"]


def test_responses_are_xml_with_the_gateway_content_type_and_escaping(demo):
    reply = demo.call(fn("<readByQuery><object>VENDOR</object><query>NAME = 'Erin\\'s'</query></readByQuery>"))
    assert reply.headers["Content-Type"].startswith("text/xml")
    assert reply.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_includewhitespace_true_pretty_prints(demo):
    compact = demo.call(fn("<getAPISession/>"))
    pretty = demo.call(fn("<getAPISession/>"), includewhitespace="true")
    assert b"\n" not in compact.body.split(b"?>", 1)[1]
    assert b"\n  <control>" in pretty.body


def test_form_encoded_xmlrequest_body_is_accepted(demo):
    body = b"xmlrequest=" + quote(envelope(fn("<getAPISession/>"), login=LOGIN)).encode()
    reply = demo.post(body, **{"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.text("operation/result/status") == "success"


def test_content_type_is_not_required(demo, gateway_url):
    r = requests.post(gateway_url, data=envelope(fn("<getAPISession/>"), login=LOGIN),
                      headers={"Content-Type": "x-intacct-xml-request"}, timeout=10)
    assert r.status_code == 200 and b"<status>success</status>" in r.content


def test_cdata_and_whitespace_in_values_are_tolerated(demo):
    body = envelope(fn("<getAPISession/>"), login=LOGIN).replace(
        b"<userid>ws_user</userid>", b"<userid>\n  <![CDATA[ws_user]]>  </userid>")
    assert demo.post(body).text("operation/authentication/status") == "success"


def test_oversized_body_gets_413_without_parsing(demo, app):
    limit = emulator_of(app).settings.max_body_bytes
    reply = demo.post(b"<request>" + b" " * (limit + 10) + b"</request>")
    assert reply.status == 413
    assert reply.text("errormessage/error/errorno") == "GW-0011"


def test_get_is_refused_with_405(gateway_url):
    r = requests.get(gateway_url, timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "POST"


def test_asynchronous_policy_id_is_unknown(demo):
    body = envelope(fn("<getAPISession/>"), login=LOGIN).replace(b"</controlid>", b"</controlid><policyid>test</policyid>")
    errors = control_error(demo.post(body))
    assert errors[0] == {"errorno": "XL03000006", "description": "", "description2": "test is not a valid transport policy.",
                         "correction": ""}


def test_too_many_functions_is_a_schema_error(demo, app):
    n = emulator_of(app).settings.max_functions_per_request + 1
    reply = demo.call(*[fn("<getDimensions/>") for _ in range(n)])
    assert control_error(reply)[0]["errorno"] == "XL03000003"


@pytest.mark.parametrize("garbage", [b"\x00\xff\xfe", b"<request>" * 5000, "<request>é</request>".encode("latin-1"),
                                     b"<?xml version='1.0' encoding='bogus'?><request/>", b"   "])
def test_garbage_always_gets_a_well_formed_intacct_answer(demo, garbage):
    reply = demo.post(garbage)
    assert reply.status == 200
    assert reply.xml.tag == "response"
    assert reply.text("control/status") == "failure"
