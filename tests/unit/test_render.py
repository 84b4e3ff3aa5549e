"""Response documents have the shape and escaping of the real gateway's, checked without a server."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from intacct_mock.errors import (
    EnvelopeError,
    ErrorDetail,
    GatewayLoginError,
    RateLimitError,
    RequestValidationError,
    TransactionRolledBackError,
)
from intacct_mock.gateway.envelope import Control
from intacct_mock.gateway.render import (
    AuthEcho,
    FunctionResult,
    render_auth_failure,
    render_control_failure,
    render_gateway_error,
    render_response,
)
from intacct_mock.gateway.replies import NO_DATA, KeyReply, ListTypeReply, RawReply, RecordsReply, record_indent
from intacct_mock.xmlwriter import XmlBuilder, escape, flat_fragment

CONTROL = Control(senderid="snd", password="pw", controlid="req-1", uniqueid=False, dtdversion="3.0")
AUTH = AuthEcho("success", "ws_user", "DEMO", "", "2026-03-16T12:00:00+00:00", "2026-03-17T12:00:00+00:00")
RECORD = ("vendor", [("VENDORID", "V-1"), ("NAME", "O'Brien \"& Sons\" <Ltd>")])


def tags(el) -> list[str]:
    return [c.tag for c in el]


def parse(body: bytes):
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return etree.fromstring(body)


def result_of(reply=NO_DATA, error=None, status="success") -> etree._Element:
    root = parse(render_response(CONTROL, AUTH, [FunctionResult("readByQuery", "f1", status, reply, error)]))
    return root.find("operation/result")


def test_the_control_echo_lists_status_sender_controlid_uniqueid_and_dtdversion_in_order():
    ctl = parse(render_response(CONTROL, AUTH, [])).find("control")
    assert [(c.tag, c.text) for c in ctl] == [("status", "success"), ("senderid", "snd"), ("controlid", "req-1"),
                                              ("uniqueid", "false"), ("dtdversion", "3.0")]


def test_the_control_echo_omits_dtdversion_when_the_request_had_none():
    ctl = parse(render_response(replace(CONTROL, uniqueid=True, dtdversion=None), AUTH, [])).find("control")
    assert tags(ctl) == ["status", "senderid", "controlid", "uniqueid"] and ctl.findtext("uniqueid") == "true"


def test_the_authentication_block_lists_its_fields_in_order():
    auth = parse(render_response(CONTROL, AUTH, [])).find("operation/authentication")
    assert [(c.tag, c.text or "") for c in auth] == [
        ("status", "success"), ("userid", "ws_user"), ("companyid", "DEMO"), ("locationid", ""),
        ("sessiontimestamp", "2026-03-16T12:00:00+00:00"), ("sessiontimeout", "2026-03-17T12:00:00+00:00")]


def test_authentication_without_location_or_session_times_leaves_them_out():
    auth = parse(render_response(CONTROL, AuthEcho("success", "u", "C", None), [])).find("operation/authentication")
    assert tags(auth) == ["status", "userid", "companyid"]


def test_a_result_lists_status_function_controlid_then_data():
    result = result_of(RecordsReply({"listtype": "vendor", "count": 1}, [RECORD]))
    assert tags(result) == ["status", "function", "controlid", "data"]
    assert [result.findtext(t) for t in ("status", "function", "controlid")] == ["success", "readByQuery", "f1"]
    data = result.find("data")
    assert dict(data.attrib) == {"listtype": "vendor", "count": "1"}
    assert [(c.tag, c.text) for c in data.find("vendor")] == list(RECORD[1])


def test_a_failed_result_carries_its_errormessage_after_controlid():
    error = RequestValidationError("x").with_also(ErrorDetail("BL01001973", "", "Could not create Vendor record!"))
    result = result_of(error=error, status="failure")
    assert tags(result) == ["status", "function", "controlid", "errormessage"]
    errors = result.findall("errormessage/error")
    assert [tags(e) for e in errors] == [["errorno", "description", "description2", "correction"]] * 2
    assert [e.findtext("description2") for e in errors] == ["x", "Could not create Vendor record!"]
    assert errors[0].findtext("errorno") == "BL01001973"


def test_a_rolled_back_result_names_the_transaction_error():
    error = result_of(error=TransactionRolledBackError(), status="aborted").find("errormessage/error")
    assert error.findtext("errorno") == "XL03000009" and "rolled back" in error.findtext("description2")


def test_results_keep_the_order_they_were_given():
    results = [FunctionResult("create", f"f{i}", "success", KeyReply(str(i))) for i in range(3)]
    root = parse(render_response(CONTROL, AUTH, results))
    assert [(r.findtext("controlid"), r.findtext("key")) for r in root.iterfind("operation/result")] == [
        ("f0", "0"), ("f1", "1"), ("f2", "2")]


def test_a_reply_without_data_and_a_raw_reply_write_nothing_into_the_result():
    assert tags(result_of(NO_DATA)) == ["status", "function", "controlid"]
    raw = RawReply(b'[{"A": 1}]', "application/json")
    assert tags(result_of(raw)) == ["status", "function", "controlid"] and raw.body == b'[{"A": 1}]'


def test_a_list_type_reply_writes_listtype_with_its_range_then_data():
    result = result_of(ListTypeReply("vendor", 0, 1, 5, [RECORD, RECORD]))
    assert tags(result)[3:] == ["listtype", "data"]
    listtype = result.find("listtype")
    assert listtype.text == "vendor" and dict(listtype.attrib) == {"start": "0", "end": "1", "total": "5"}
    assert tags(result.find("data")) == ["vendor", "vendor"] and result.find("data").attrib == {}


def test_an_empty_records_reply_renders_an_empty_data_element_with_its_attributes():
    body = render_response(CONTROL, AUTH, [FunctionResult("readByQuery", "f1", "success",
                                                          RecordsReply({"count": 0, "numremaining": 0}))])
    assert b'<data count="0" numremaining="0"/>' in body
    assert len(parse(body).find("operation/result/data")) == 0


def test_a_control_failure_echoes_the_control_and_puts_errors_under_response():
    root = parse(render_control_failure(CONTROL, EnvelopeError("y")))
    assert tags(root) == ["control", "errormessage"]
    assert [(c.tag, c.text) for c in root.find("control")] == [("status", "failure"), ("senderid", "snd"), (
        "controlid", "req-1"), ("uniqueid", "false"), ("dtdversion", "3.0")]
    error = root.find("errormessage/error")
    assert (error.findtext("errorno"), error.findtext("description2")) == ("XL03000003", "y")


def test_a_control_failure_without_a_readable_control_echoes_empty_sender_and_controlid():
    ctl = parse(render_control_failure(None, EnvelopeError("y"))).find("control")
    assert [(c.tag, c.text) for c in ctl] == [("status", "failure"), ("senderid", None), ("controlid", None)]


def test_an_auth_failure_reports_success_in_control_and_the_error_under_operation():
    body = render_auth_failure(CONTROL, AuthEcho("failure", "u", "DEMO", None), EnvelopeError("z"))
    root = parse(body)
    assert root.findtext("control/status") == "success" and tags(root.find("operation")) == [
        "authentication", "errormessage"]
    assert root.findtext("operation/authentication/status") == "failure"
    assert root.findtext("operation/errormessage/error/description2") == "z"


@pytest.mark.parametrize("error, errorno", [(GatewayLoginError(), "XMLGW_JPP0002"), (RateLimitError(), "GW-0010")])
def test_gateway_errors_have_a_bare_control_and_no_description2_or_correction(error, errorno):
    root = parse(render_gateway_error(error))
    assert [(c.tag, c.text) for c in root.find("control")] == [("status", "failure")]
    detail = root.find("errormessage/error")
    assert tags(detail) == ["errorno", "description"] and detail.findtext("errorno") == errorno
    assert detail.findtext("description") == error.description


def test_apostrophes_and_quotes_are_escaped_as_intacct_does():
    body = render_response(replace(CONTROL, controlid="it's \"q\""), AUTH,
                           [FunctionResult("readByQuery", "f1", "success", RecordsReply({"x": "a'b\""}, [RECORD]))])
    assert b"<controlid>it&#039;s &quot;q&quot;</controlid>" in body
    assert b'x="a&#039;b&quot;"' in body
    assert b"<NAME>O&#039;Brien &quot;&amp; Sons&quot; &lt;Ltd&gt;</NAME>" in body
    assert parse(body).findtext("operation/result/data/vendor/NAME") == RECORD[1][1][1]


@pytest.mark.parametrize("value, expected", [("a&b", "a&amp;b"), ("<x>", "&lt;x&gt;"), ("'", "&#039;"),
                                             ('"', "&quot;"), (12, "12"), ("plain", "plain")])
def test_escape_encodes_each_special_character(value, expected):
    assert escape(value) == expected


def test_compact_output_has_no_whitespace_and_the_same_tree_as_pretty_output():
    pretty = render_response(CONTROL, AUTH, [FunctionResult("read", "f1", "success", RecordsReply({}, [RECORD]))])
    compact = render_response(replace(CONTROL, includewhitespace=False), AUTH,
                              [FunctionResult("read", "f1", "success", RecordsReply({}, [RECORD]))])
    assert b"\n" not in compact and b"\n  <control>" in pretty and pretty.endswith(b"</response>\n")
    strip = etree.XMLParser(remove_blank_text=True)
    assert etree.tostring(etree.fromstring(pretty, strip)) == etree.tostring(etree.fromstring(compact, strip))


def test_a_control_failure_follows_the_requests_includewhitespace():
    assert b"\n" not in render_control_failure(replace(CONTROL, includewhitespace=False), EnvelopeError("y"))
    assert b"\n  <control>" in render_control_failure(None, EnvelopeError("y"))


def _page(pretty: bool, records) -> bytes:
    xml = XmlBuilder(pretty=pretty)
    for tag in ("response", "operation", "result"):
        xml.open(tag)
    RecordsReply({"count": len(records)}, records).write(xml)
    return xml.to_bytes()


@pytest.mark.parametrize("pretty", [True, False])
def test_pre_rendered_records_at_record_indent_render_like_tuples(pretty):
    text = flat_fragment(RECORD[0], RECORD[1], record_indent(pretty))
    assert _page(pretty, [text, RECORD, text]) == _page(pretty, [RECORD, RECORD, RECORD])


@pytest.mark.parametrize("made_for, used_with", [(True, False), (False, True)])
def test_a_pre_rendered_record_made_for_another_whitespace_mode_is_refused(made_for, used_with):
    text = flat_fragment(RECORD[0], RECORD[1], record_indent(made_for))
    with pytest.raises(RuntimeError, match="another depth"):
        _page(used_with, [text])


def test_a_pre_rendered_record_made_for_another_depth_is_refused():
    text = flat_fragment(RECORD[0], RECORD[1], "\n" + "  " * 3)
    with pytest.raises(RuntimeError, match="another depth"):
        _page(True, [text])


def test_records_with_nested_groups_take_the_general_path():
    nested = ("vendor", [("VENDORID", "V-1"), ("DISPLAYCONTACT", [("PRINTAS", "Initech")])])
    data = etree.fromstring(_page(True, [nested])).find("operation/result/data")
    assert data.findtext("vendor/DISPLAYCONTACT/PRINTAS") == "Initech"


@pytest.mark.parametrize("pretty", [True, False])
@pytest.mark.parametrize("depth", [0, 2, 4])
def test_flat_fragment_equals_what_open_leaf_close_write(pretty, depth):
    slow, fast = XmlBuilder(pretty), XmlBuilder(pretty)
    for level in range(depth):
        slow.open(f"l{level}")
        fast.open(f"l{level}")
    slow.open(RECORD[0])
    for name, value in RECORD[1]:
        slow.leaf(name, value)
    slow.close()
    fast.fragments([flat_fragment(RECORD[0], RECORD[1], fast.child_indent())])
    assert fast.to_bytes() == slow.to_bytes()


@pytest.mark.parametrize("entries", [[], [("A", "1"), ("B", 2)], [("A", None)], [("G", [("X", "1")])]])
def test_flat_fragment_declines_entries_that_are_not_all_text(entries):
    assert flat_fragment("r", entries, None) is None
    xml = XmlBuilder()
    assert xml.flat_element("r", entries) is False and xml.to_bytes() == b'<?xml version="1.0" encoding="UTF-8"?>'


def test_leaf_renders_none_and_empty_text_as_an_empty_pair():
    body = XmlBuilder().open("r").leaf("a", None).leaf("b", "").empty("c", {"k": "v"}).to_bytes()
    assert body.endswith(b'<r><a></a><b></b><c k="v"/></r>')
