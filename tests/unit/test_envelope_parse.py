"""Request envelopes are read the way the real gateway's schema reads them, without a server in the way."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from intacct_mock import xmlsafe
from intacct_mock.errors import EnvelopeError
from intacct_mock.gateway.envelope import Control, Login, decode_body, parse_control, parse_operation, parse_request, parse_xml

CONTROL = ("<control><senderid>snd</senderid><password>pw</password><controlid>req-1</controlid>"
           "<uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>")
LOGIN = "<login><userid>ws_user</userid><companyid>DEMO</companyid><password>secret</password></login>"
FUNCTION = '<function controlid="f1"><readByQuery><object>VENDOR</object></readByQuery></function>'


def envelope(control: str = CONTROL, auth: str = LOGIN, content: str = FUNCTION, op_attrs: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><request>{control}<operation{op_attrs}>'
            f"<authentication>{auth}</authentication><content>{content}</content></operation></request>").encode()


def failure(body: bytes) -> EnvelopeError:
    _, request, error = parse_request(body)
    assert request is None and isinstance(error, EnvelopeError)
    assert error.first.errorno == "XL03000003"
    return error


def test_a_well_formed_login_request_yields_control_login_and_functions():
    control, request, error = parse_request(envelope())
    assert error is None
    assert control == Control(senderid="snd", password="pw", controlid="req-1", uniqueid=False,
                              uniqueid_text="false", dtdversion="3.0", policyid="", includewhitespace=True)
    op = request.operation
    assert op.login == Login(userid="ws_user", companyid="DEMO", password="secret", locationid=None, clientid=None)
    assert op.sessionid is None and op.transaction is False
    assert [(f.controlid, f.name) for f in op.functions] == [("f1", "readByQuery")]
    assert op.functions[0].element.findtext("object") == "VENDOR"


def test_a_sessionid_request_has_no_login_and_keeps_the_session_text():
    _, request, error = parse_request(envelope(auth="<sessionid> abc123 </sessionid>"))
    assert error is None
    assert request.operation.login is None and request.operation.sessionid == "abc123"


def test_login_with_an_empty_locationid_means_top_level_and_clientid_is_read():
    auth = ("<login><locationid></locationid><password>p</password><clientid>C9</clientid>"
            "<companyid>DEMO</companyid><userid>u</userid></login>")
    _, request, _ = parse_request(envelope(auth=auth))
    assert request.operation.login == Login("u", "DEMO", "p", locationid="", clientid="C9")


def test_control_fields_are_read_by_name_in_any_order():
    shuffled = ("<control><dtdversion>2.1</dtdversion><includewhitespace>false</includewhitespace>"
                "<controlid>c-9</controlid><policyid>pol</policyid><password>pw</password>"
                "<senderid>snd</senderid></control>")
    control = parse_control(xmlsafe.parse(envelope(control=shuffled)))
    assert (control.senderid, control.password, control.controlid) == ("snd", "pw", "c-9")
    assert (control.dtdversion, control.policyid, control.includewhitespace) == ("2.1", "pol", False)


def test_uniqueid_defaults_to_true_when_omitted():
    control, _, error = parse_request(envelope(control="<control><senderid>s</senderid><controlid>c</controlid></control>"))
    assert error is None
    assert control.uniqueid is True and control.uniqueid_text is None and control.dtdversion is None


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_both_supported_dtd_versions_are_accepted(version):
    control, _, error = parse_request(envelope(control=CONTROL.replace("3.0", version)))
    assert error is None and control.dtdversion == version


@pytest.mark.parametrize("version", ["3.1", "", "2.0"])
def test_other_dtd_versions_are_refused_and_dropped_from_the_echo(version):
    control, _, error = parse_request(envelope(control=CONTROL.replace("3.0", version)))
    assert isinstance(error, EnvelopeError) and error.first.errorno == "XL03000003"
    assert "Error 1840" in error.first.description2 and f"The value '{version}'" in error.first.description2
    assert control.controlid == "req-1" and control.dtdversion is None


@pytest.mark.parametrize("control, expected", [
    ("", "Expected is ( control )"),
    ("<control><controlid>c</controlid></control>", "Expected is ( senderid )"),
    ("<control><senderid>s</senderid></control>", "Expected is ( controlid )"),
])
def test_a_missing_control_element_is_a_schema_error(control, expected):
    error = failure(envelope(control=control))
    assert "Error 1871" in error.first.description2 and expected in error.first.description2


def test_a_control_id_longer_than_256_characters_is_refused():
    assert parse_request(envelope(control=CONTROL.replace("req-1", "c" * 256)))[2] is None
    error = failure(envelope(control=CONTROL.replace("req-1", "c" * 257)))
    assert "Error 1831" in error.first.description2 and "greater than 256" in error.first.description2


@pytest.mark.parametrize("body, expected", [
    (f"<request>{CONTROL}</request>", "Expected is ( operation )"),
    (f"<request>{CONTROL}<operation><content>{FUNCTION}</content></operation></request>", "Expected is ( authentication )"),
    (f"<request>{CONTROL}<operation><authentication>{LOGIN}</authentication></operation></request>", "Expected is ( content )"),
    (f"<request>{CONTROL}<operation><authentication/><content>{FUNCTION}</content></operation></request>",
     "Expected is one of ( login, sessionid )"),
    (f"<request>{CONTROL}<operation><authentication>{LOGIN.replace('<password>secret</password>', '')}"
     f"</authentication><content>{FUNCTION}</content></operation></request>", "Expected is ( password )"),
    (f"<request>{CONTROL}<operation><authentication>{LOGIN}</authentication><content/></operation></request>",
     "Expected is ( function )"),
    (f"<request>{CONTROL}<operation/><operation/></request>", "Only one operation per request"),
])
def test_a_missing_operation_part_is_a_schema_error_with_the_control_echoed(body, expected):
    control, _, error = parse_request(body.encode())
    assert isinstance(error, EnvelopeError) and error.first.errorno == "XL03000003"
    assert expected in error.first.description2
    assert control is not None and control.controlid == "req-1"


def test_a_root_other_than_request_is_refused_without_an_echo():
    control, _, error = parse_request(b"<response><control/></response>")
    assert control is None and "Error 1845" in error.first.description2 and "'response'" in error.first.description2


def test_a_function_without_controlid_is_refused():
    error = failure(envelope(content="<function><getAPISession/></function>"))
    assert "Error 1868" in error.first.description2 and "'controlid' is required" in error.first.description2


@pytest.mark.parametrize("cid", ["", "f" * 257])
def test_a_function_controlid_outside_1_to_256_characters_is_refused(cid):
    error = failure(envelope(content=f'<function controlid="{cid}"><getAPISession/></function>'))
    assert "Error 1831" in error.first.description2 and "1 to 256 characters" in error.first.description2


def test_a_function_controlid_of_exactly_256_characters_is_accepted():
    _, request, error = parse_request(envelope(content=f'<function controlid="{"f" * 256}"><getAPISession/></function>'))
    assert error is None and request.operation.functions[0].controlid == "f" * 256


@pytest.mark.parametrize("inner", ["<getAPISession/><getAPISession/>", ""])
def test_a_function_must_hold_exactly_one_element(inner):
    error = failure(envelope(content=f'<function controlid="f1">{inner}</function>'))
    assert "Expected exactly one function element" in error.first.description2


def test_an_element_other_than_function_in_content_is_refused():
    error = failure(envelope(content="<query/>"))
    assert "Element 'query': This element is not expected" in error.first.description2


@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("TRUE", True), (" False ", False)])
def test_the_transaction_attribute_reads_true_and_false(value, expected):
    _, request, error = parse_request(envelope(op_attrs=f' transaction="{value}"'))
    assert error is None and request.operation.transaction is expected


@pytest.mark.parametrize("value", ["yes", "1", ""])
def test_any_other_transaction_value_is_an_enumeration_error(value):
    error = failure(envelope(op_attrs=f' transaction="{value}"'))
    assert "Error 1840" in error.first.description2 and "attribute 'transaction'" in error.first.description2


def test_a_doctype_is_refused_before_anything_is_read():
    body = b'<!DOCTYPE request [<!ELEMENT request ANY>]>' + envelope().split(b"?>", 1)[1]
    control, request, error = parse_request(body)
    assert control is None and request is None
    assert "DOCTYPE declarations are not allowed" in error.first.description2


BILLION_LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b"<request><control>a&lol3;b</control></request>")


def test_a_billion_laughs_body_is_refused_as_a_doctype():
    with pytest.raises(EnvelopeError, match="DOCTYPE declarations are not allowed"):
        parse_xml(BILLION_LAUGHS)


def test_the_hardened_parser_never_expands_entities():
    control = xmlsafe.parse(BILLION_LAUGHS)[0]
    assert xmlsafe.text_of(control) == "a&lol3;b"
    assert xmlsafe.elements(control) == []


def test_malformed_xml_gives_one_error_per_parser_message():
    error = failure(b"<request><a></b></request>")
    assert len(error.details) == 1
    assert error.first.description2.startswith("XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch")
    assert error.first.description2.endswith("Line: 1, column: 17.")


def test_malformed_xml_lists_at_most_ten_parser_messages():
    error = failure(b"<request>" + b"<x a=1>" * 30)
    assert len(error.details) == 10
    assert all(d.errorno == "XL03000003" and d.description2.startswith("XML Parse schema error: Fatal Error")
               for d in error.details)


def test_an_empty_body_is_reported_as_an_empty_document():
    assert "Document is empty" in failure(b"").first.description2


def test_the_form_encoded_xmlrequest_body_is_decoded():
    xml = envelope()
    form = urlencode({"xmlrequest": xml.decode()}).encode()
    assert decode_body(form) == xml
    assert decode_body(b"  \n" + form) == xml
    assert decode_body(xml) is xml
    control, request, error = parse_request(form)
    assert error is None and control.controlid == "req-1" and request.operation.functions[0].name == "readByQuery"


def test_parse_operation_is_usable_on_its_own():
    root = parse_xml(envelope(auth="<sessionid>s-1</sessionid>", op_attrs=' transaction="true"'))
    op = parse_operation(root, parse_control(root))
    assert op.transaction is True and op.sessionid == "s-1" and len(op.functions) == 1


def test_cdata_is_text_and_text_of_strips_it():
    el = xmlsafe.parse(b"<a>  <![CDATA[ x < y & z ]]>  </a>")
    assert xmlsafe.text_of(el) == "x < y & z"


def test_text_of_joins_the_text_of_an_element_with_children():
    el = xmlsafe.parse(b"<a> p <b>q</b> r </a>")
    assert xmlsafe.text_of(el) == "p q r"
    assert xmlsafe.text_of(xmlsafe.parse(b"<a/>")) == "" and xmlsafe.text_of(None) is None


def test_child_finds_by_name_and_comments_are_dropped_unless_kept():
    root = xmlsafe.parse(b"<r><!-- c --><?pi x?><b>1</b><a>2</a><a>3</a></r>")
    assert len(root) == 3 and xmlsafe.child(root, "a").text == "2" and xmlsafe.child(root, "zz") is None
    kept = xmlsafe.parse(b"<r><!-- c --><?pi x?><a/></r>", keep_comments=True)
    assert len(kept) == 3 and [e.tag for e in xmlsafe.elements(kept)] == ["a"]


@pytest.mark.parametrize("value, default, expected", [
    (None, True, True), ("", False, False), ("true", False, True), (" TRUE ", False, True), ("1", False, True),
    ("t", False, True), ("yes", False, True), ("false", True, False), ("0", True, False), ("no", True, False),
    ("maybe", True, False),
])
def test_parse_bool_reads_intacct_booleans(value, default, expected):
    assert xmlsafe.parse_bool(value, default) is expected


def test_a_doctype_naming_a_local_file_never_opens_it(tmp_path):
    """A FIFO blocks whoever opens it: if the parser read the DOCTYPE's file, this would not return."""
    import os
    import threading

    fifo = tmp_path / "blocking.dtd"
    os.mkfifo(fifo)
    body = f'<?xml version="1.0"?><!DOCTYPE request SYSTEM "{fifo}"><request/>'.encode()
    outcome: list = []
    worker = threading.Thread(target=lambda: outcome.append(parse_request(body)), daemon=True)
    worker.start()
    worker.join(5)
    assert outcome, "the parser opened the DOCTYPE's file"
    assert "DOCTYPE declarations are not allowed" in outcome[0][2].first.description2


def test_a_doctype_naming_a_network_dtd_is_refused_as_a_doctype():
    error = failure(b'<?xml version="1.0"?><!DOCTYPE request SYSTEM "http://example.invalid/x.dtd"><request/>')
    assert "DOCTYPE declarations are not allowed" in error.first.description2


def test_the_form_field_name_is_matched_in_any_case_like_the_prefix():
    body = "XMLREQUEST=" + urlencode({"x": "<request/>"})[2:]
    assert decode_body(body.encode()) == b"<request/>"
