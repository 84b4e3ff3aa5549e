"""Read functions over HTTP: read, readByName, readByQuery, readMore, query, inspect, lookup, getDimensions.

Shapes follow the protocol notes section 7 table (listtype and record element case per function,
data attributes), query language rules from 7.5 (stored codes, MM/DD/YYYY literals, DL02000001)
and 7.7 (labels, dotted relations, aggregates, offset paging). Choices for unverified behaviour
(readMore lifetime and error text, aggregate names, lookup wrapper) are in docs/fidelity.md.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from intacct_mock.company.model import CustomField
from tests.conftest import BASIC_RECORDS
from tests.support import Gateway, fn, record_xml

CLASSES = [("CLASS", {"CLASSID": f"K{n:02d}", "NAME": f"Class {n:02d}", "DESCRIPTION": "even" if n % 2 == 0 else None,
                      "STATUS": "inactive" if n % 3 == 0 else "active"}) for n in range(1, 13)]
PROJECTS = [
    ("PROJECT", {"PROJECTID": "P1", "NAME": "Alpha", "PROJECTCATEGORY": "Contract", "CUSTOMERID": "C-1",
                 "BUDGETAMOUNT": "100.50", "BEGINDATE": "01/15/2026"}),
    ("PROJECT", {"PROJECTID": "P2", "NAME": "Beta", "PROJECTCATEGORY": "Contract", "CUSTOMERID": "C-2",
                 "BUDGETAMOUNT": "200", "BEGINDATE": "02/20/2026"}),
    ("PROJECT", {"PROJECTID": "P3", "NAME": "Gamma", "PROJECTCATEGORY": "Internal", "BUDGETAMOUNT": "50",
                 "BEGINDATE": "03/10/2026"}),
]
EXTRA = [("CUSTOMER", {"CUSTOMERID": "C-3", "NAME": "Erin's Software", "STATUS": "inactive"})]
ALL_CLASS_IDS = ["C1"] + [f"K{n:02d}" for n in range(1, 13)]  # RECORDNO order
CUSTOM = {"PROJECT": [CustomField("REGION", "text", "Region"), CustomField("KICKOFF", "date", "Kickoff date")]}


@pytest.fixture
def gw(make_company, gateway_url) -> Gateway:
    """Thirteen classes (every third inactive), three projects, three customers, custom project fields."""
    return Gateway(gateway_url, company=make_company(BASIC_RECORDS + CLASSES + PROJECTS + EXTRA, custom_fields=CUSTOM))


@pytest.fixture
def travel(clock):
    start = clock.now()
    yield clock
    clock.set(start)


def failure(reply, index: int = 0) -> list[dict[str, str]]:
    assert reply.status == 200, reply.body.decode()
    result = reply.result(index)
    assert result.findtext("status") == "failure", reply.body.decode()
    assert result.find("data") is None
    return [{c.tag: c.text or "" for c in e} for e in result.findall("errormessage/error")]


def assert_dl02000001(reply) -> None:
    errors = failure(reply)
    assert errors[0]["errorno"] == "DL02000001"
    assert errors[0]["description"] == "Error"
    assert errors[0]["description2"] == "There was an error processing the request."


def rbq(gw: Gateway, obj: str, query: str = "", fields: str = "*", pagesize: int | None = None, extra: str = ""):
    ps = f"<pagesize>{pagesize}</pagesize>" if pagesize is not None else ""
    return gw.call(fn(f"<readByQuery><object>{obj}</object><fields>{fields}</fields><query>{query}</query>{ps}{extra}"
                      "</readByQuery>"))


def ids(reply, obj: str = "CLASS", id_field: str = "CLASSID") -> list[str]:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return [r.findtext(id_field) for r in result.find("data") if r.tag.upper() == obj]


def recordnos(gw: Gateway, obj: str, *idents: str) -> list[str]:
    reply = gw.ok(fn(f"<readByName><object>{obj}</object><keys>{','.join(idents)}</keys><fields>RECORDNO</fields>"
                     "</readByName>"))
    return [r.findtext("RECORDNO") for r in reply.result().findall(f"data/{obj}")]


def query(gw: Gateway, select: str, filter_xml: str = "", extra: str = "", obj: str = "CLASS"):
    flt = f"<filter>{filter_xml}</filter>" if filter_xml else ""
    return gw.call(fn(f"<query><object>{obj}</object><select>{select}</select>{flt}{extra}</query>"))


def rows(reply, obj: str = "CLASS") -> list[dict[str, str]]:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return [{c.tag: c.text or "" for c in r} for r in result.findall(f"data/{obj}")]


# --------------------------------------------------------------------------- read / readByName


def test_read_by_recordno_has_upper_case_listtype_and_records(gw):
    keys = recordnos(gw, "CLASS", "K02", "K01")
    reply = gw.ok(fn(f"<read><object>CLASS</object><keys>{','.join(keys)}</keys><fields>CLASSID,NAME,STATUS</fields>"
                     "</read>"))
    data = reply.result().find("data")
    assert data.attrib == {"listtype": "CLASS", "count": "2"}
    assert [r.tag for r in data] == ["CLASS", "CLASS"]
    assert [[(c.tag, c.text) for c in r] for r in data] == [  # keys order and fields order as requested
        [("CLASSID", "K02"), ("NAME", "Class 02"), ("STATUS", "active")],
        [("CLASSID", "K01"), ("NAME", "Class 01"), ("STATUS", "active")],
    ]


def test_read_with_all_fields_nests_groups_and_shows_empty_values_as_empty_elements(gw):
    (key,) = recordnos(gw, "CUSTOMER", "C-1")
    for fields in ("*", ""):
        reply = gw.ok(fn(f"<read><object>CUSTOMER</object><keys>{key}</keys><fields>{fields}</fields></read>"))
        record = reply.result().find("data/CUSTOMER")
        assert record.findtext("RECORDNO") == key
        assert record.findtext("DISPLAYCONTACT/PRINTAS") == "Acme Corp"
        assert record.find("PARENTID") is not None and record.findtext("PARENTID") == ""
        assert record.find("DISPLAYCONTACT.PRINTAS") is None


def test_read_of_missing_keys_returns_only_what_exists(gw):
    (key,) = recordnos(gw, "CLASS", "K01")
    reply = gw.ok(fn(f"<read><object>CLASS</object><keys>{key},999999999,abc</keys><fields>CLASSID</fields></read>"))
    assert reply.result().find("data").get("count") == "1"
    assert ids(reply) == ["K01"]
    reply = gw.ok(fn("<read><object>CLASS</object><keys>999999999</keys></read>"))
    data = reply.result().find("data")
    assert data.attrib == {"listtype": "CLASS", "count": "0"} and len(data) == 0


def test_read_by_name_uses_the_id_field_of_each_object(gw):
    reply = gw.ok(
        fn("<readByName><object>GLACCOUNT</object><keys>4000,1000</keys><fields>ACCOUNTNO,TITLE</fields></readByName>"),
        fn("<readByName><object>PROJECT</object><keys>P2,NOPE</keys><fields>PROJECTID,NAME</fields></readByName>"),
        fn("<readByName><object>DEPARTMENT</object><keys>D100</keys><fields>TITLE</fields></readByName>"),
    )
    assert [(r.findtext("ACCOUNTNO"), r.findtext("TITLE")) for r in reply.result(0).find("data")] == [
        ("4000", "Revenue"), ("1000", "Cash")]
    assert reply.result(1).find("data").attrib == {"listtype": "PROJECT", "count": "1"}
    assert reply.result(1).findtext("data/PROJECT/NAME") == "Beta"
    assert reply.result(2).findtext("data/DEPARTMENT/TITLE") == "Finance"


def test_read_unknown_field_is_dl02000001(gw):
    (key,) = recordnos(gw, "CLASS", "K01")
    assert_dl02000001(gw.call(fn(f"<read><object>CLASS</object><keys>{key}</keys><fields>CLASSID,COLOUR</fields></read>")))
    assert_dl02000001(gw.call(fn("<readByName><object>CLASS</object><keys>K01</keys><fields>COLOUR</fields></readByName>")))


def test_read_unknown_object(gw):
    errors = failure(gw.call(fn("<read><object>VENDOR2</object><keys>1</keys></read>")))
    assert errors[0]["description2"] == "Object definition VENDOR2 not found"


def test_read_more_than_100_keys_is_refused(gw):
    keys = ",".join(str(n) for n in range(1, 102))
    errors = failure(gw.call(fn(f"<read><object>CLASS</object><keys>{keys}</keys></read>")))
    assert errors[0]["description2"] == "Attempting to read more than 100 records."


def test_read_returns_json_or_csv_without_an_envelope(gw):
    keys = recordnos(gw, "CLASS", "K01", "K03")
    reply = gw.call(fn(f"<read><object>CLASS</object><keys>{','.join(keys)}</keys><fields>CLASSID,STATUS</fields>"
                       "<returnFormat>json</returnFormat></read>"))
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    assert json.loads(reply.body) == [{"CLASSID": "K01", "STATUS": "active"}, {"CLASSID": "K03", "STATUS": "inactive"}]


# --------------------------------------------------------------------------- readByQuery


def test_read_by_query_shape_single_page(gw):
    reply = rbq(gw, "CLASS", "STATUS = 'F'", fields="CLASSID,NAME")
    result = reply.result()
    assert result.findtext("function") == "readByQuery"
    data = result.find("data")
    assert data.attrib == {"listtype": "class", "count": "4", "totalcount": "4", "numremaining": "0", "resultId": ""}
    assert [r.tag for r in data] == ["class"] * 4
    assert [[c.tag for c in r] for r in data] == [["CLASSID", "NAME"]] * 4
    assert ids(reply) == ["K03", "K06", "K09", "K12"]


def test_read_by_query_with_an_empty_query_lists_everything_in_recordno_order(gw):
    for query_xml in ("<query/>", "<query></query>", "<query>   </query>"):
        reply = gw.ok(fn(f"<readByQuery><object>CLASS</object><fields>CLASSID</fields>{query_xml}</readByQuery>"))
        assert ids(reply) == ALL_CLASS_IDS


def test_read_by_query_with_no_match_is_an_empty_data_element(gw):
    reply = rbq(gw, "CLASS", "CLASSID = 'NOPE'")
    data = reply.result().find("data")
    assert data.attrib == {"listtype": "class", "count": "0", "totalcount": "0", "numremaining": "0", "resultId": ""}
    assert len(data) == 0


def test_read_by_query_flattens_groups_into_dotted_names(gw):
    reply = rbq(gw, "CUSTOMER", "CUSTOMERID = 'C-1'", fields="CUSTOMERID,DISPLAYCONTACT.PRINTAS")
    record = reply.result().find("data/customer")
    assert [(c.tag, c.text) for c in record] == [("CUSTOMERID", "C-1"), ("DISPLAYCONTACT.PRINTAS", "Acme Corp")]


def test_fields_are_case_insensitive_and_kept_in_order(gw):
    reply = rbq(gw, "CLASS", "CLASSID = 'K02'", fields="name, classid ,description")
    assert [(c.tag, c.text) for c in reply.result().find("data/class")] == [
        ("NAME", "Class 02"), ("CLASSID", "K02"), ("DESCRIPTION", "even")]


def test_read_by_query_paging_with_read_more(gw):
    first = rbq(gw, "CLASS", "", fields="CLASSID", pagesize=5)
    data = first.result().find("data")
    result_id = data.get("resultId")
    assert {k: data.get(k) for k in ("count", "totalcount", "numremaining")} == {
        "count": "5", "totalcount": "13", "numremaining": "8"}
    assert len(result_id) >= 20
    seen = ids(first)

    pages = []
    for expected_count, expected_remaining in (("5", "3"), ("3", "0")):
        reply = gw.ok(fn(f"<readMore><resultId>{result_id}</resultId></readMore>"))
        result = reply.result()
        assert result.findtext("function") == "readMore"
        data = result.find("data")
        assert data.attrib == {"listtype": "class", "count": expected_count, "totalcount": "13",
                               "numremaining": expected_remaining, "resultId": result_id}
        pages.append(ids(reply))
        seen += ids(reply)
    assert [len(p) for p in pages] == [5, 3]
    assert seen == ALL_CLASS_IDS  # every record once, in order

    errors = failure(gw.call(fn(f"<readMore><resultId>{result_id}</resultId></readMore>")))
    assert errors[0] == {"errorno": "readMore failed", "description": "", "correction": "",
                         "description2": f"Attempt to readMore with an invalid or expired resultId: {result_id}"}


def test_read_more_keeps_the_query_and_fields_of_the_first_page(gw):
    first = rbq(gw, "CLASS", "STATUS = 'T'", fields="CLASSID,STATUS", pagesize=4)
    result_id = first.result().find("data").get("resultId")
    more = gw.ok(fn(f"<readMore><resultId>{result_id}</resultId></readMore>"))
    records = more.result().find("data")
    assert records.get("totalcount") == "9"
    assert {(c.tag, c.text) for r in records for c in r if c.tag == "STATUS"} == {("STATUS", "active")}
    assert [[c.tag for c in r] for r in records] == [["CLASSID", "STATUS"]] * 4


def test_read_more_by_object_continues_the_last_query_on_that_object(gw):
    sid = gw.session()
    first = gw.ok(fn("<readByQuery><object>CLASS</object><fields>CLASSID</fields><query/><pagesize>10</pagesize>"
                     "</readByQuery>"), session=sid)
    more = gw.ok(fn("<readMore><object>CLASS</object></readMore>"), session=sid)
    assert more.result().find("data").get("resultId") == first.result().find("data").get("resultId")
    assert ids(more) == ALL_CLASS_IDS[10:]


def test_read_more_with_an_unknown_result_id(gw):
    errors = failure(gw.call(fn("<readMore><resultId>nosuchresult</resultId></readMore>")))
    assert errors[0]["description2"] == "Attempt to readMore with an invalid or expired resultId: nosuchresult"


def test_read_more_result_ids_expire(gw, travel):
    """Result sets live readmore_ttl_seconds (default one hour) on the emulator's clock."""
    first = rbq(gw, "CLASS", "", fields="CLASSID", pagesize=2)
    second = rbq(gw, "CLASS", "", fields="CLASSID", pagesize=2)
    live, dead = (r.result().find("data").get("resultId") for r in (first, second))
    travel.advance(minutes=59)
    assert ids(gw.ok(fn(f"<readMore><resultId>{live}</resultId></readMore>"))) == ["K02", "K03"]
    travel.advance(minutes=1, seconds=1)
    errors = failure(gw.call(fn(f"<readMore><resultId>{dead}</resultId></readMore>")))
    assert errors[0]["description2"].endswith(f"invalid or expired resultId: {dead}")


def test_read_more_belongs_to_its_company(make_company, gateway_url, gw):
    result_id = rbq(gw, "CLASS", "", pagesize=2).result().find("data").get("resultId")
    other = Gateway(gateway_url, company=make_company())
    errors = failure(other.call(fn(f"<readMore><resultId>{result_id}</resultId></readMore>")))
    assert errors[0]["description2"].endswith(f"invalid or expired resultId: {result_id}")
    assert ids(gw.ok(fn(f"<readMore><resultId>{result_id}</resultId></readMore>"))) == ["K02", "K03"]


def test_page_size_default_is_100_and_maximum_is_1000(make_company, gateway_url):
    many = Gateway(gateway_url, company=make_company(
        [("CLASS", {"CLASSID": f"M{n:04d}", "NAME": f"Many {n}"}) for n in range(1005)]))
    data = rbq(many, "CLASS", "", fields="CLASSID").result().find("data")
    assert (data.get("count"), data.get("numremaining")) == ("100", "905")
    data = rbq(many, "CLASS", "", fields="CLASSID", pagesize=5000).result().find("data")
    assert (data.get("count"), data.get("totalcount"), data.get("numremaining")) == ("1000", "1005", "5")
    more = many.ok(fn(f"<readMore><resultId>{data.get('resultId')}</resultId></readMore>"))
    assert ids(more) == [f"M{n:04d}" for n in range(1000, 1005)]


@pytest.mark.parametrize("size", ["0", "-5", "ten"])
def test_invalid_page_size(gw, size):
    errors = failure(gw.call(fn(f"<readByQuery><object>CLASS</object><query/><pagesize>{size}</pagesize></readByQuery>")))
    assert errors[0]["description2"] == f"Invalid pagesize '{size}'."


def test_unknown_field_in_fields_or_query_is_dl02000001(gw):
    assert_dl02000001(rbq(gw, "CLASS", "", fields="CLASSID,COLOUR"))
    assert_dl02000001(rbq(gw, "CLASS", "COLOUR = 'red'"))
    assert_dl02000001(rbq(gw, "CLASS", "CLASSID = 'K01' OR COLOUR IS NULL"))


@pytest.mark.parametrize("literal", ["2026-03-16", "2026-03-16T00:00:00", "2026-03-16T00:00:00Z", "16.03.2026"])
def test_iso_date_literal_is_dl02000001(gw, literal):
    assert_dl02000001(rbq(gw, "CLASS", f"WHENMODIFIED &gt;= '{literal}'"))
    assert_dl02000001(rbq(gw, "PROJECT", f"BEGINDATE &gt; '{literal}'"))


def test_us_date_and_datetime_literals_work(gw):
    assert ids(rbq(gw, "PROJECT", "BEGINDATE &gt;= '02/01/2026'", fields="PROJECTID"), "PROJECT", "PROJECTID") == ["P2", "P3"]
    assert ids(rbq(gw, "PROJECT", "BEGINDATE = '3/10/2026'", fields="PROJECTID"), "PROJECT", "PROJECTID") == ["P3"]
    assert len(ids(rbq(gw, "CLASS", "WHENMODIFIED &gt;= '01/01/2000 00:00:00'", fields="CLASSID"))) == 13
    assert ids(rbq(gw, "CLASS", "WHENCREATED &lt; '01/01/2000 23:59:59'", fields="CLASSID")) == []


def test_read_by_query_compares_stored_codes_not_labels(gw):
    assert len(ids(rbq(gw, "CLASS", "STATUS = 'T'", fields="CLASSID,STATUS"))) == 9
    reply = rbq(gw, "CLASS", "STATUS = 'F'", fields="CLASSID,STATUS")
    assert {r.findtext("STATUS") for r in reply.result().find("data")} == {"inactive"}  # shown as labels
    assert ids(rbq(gw, "CLASS", "STATUS = 'active'")) == []  # a label matches nothing (docs/fidelity.md)
    assert ids(rbq(gw, "CUSTOMER", "ONHOLD = 'F' AND STATUS = 'F'", fields="CUSTOMERID"), "CUSTOMER", "CUSTOMERID") == ["C-3"]


@pytest.mark.parametrize("query,expected", [
    ("CLASSID = 'K01'", ["K01"]),
    ("CLASSID != 'C1' AND CLASSID &lt;&gt; 'K01' AND STATUS = 'F'", ["K03", "K06", "K09", "K12"]),
    ("CLASSID &lt; 'K03'", ["C1", "K01", "K02"]),
    ("CLASSID &gt;= 'K11'", ["K11", "K12"]),
    ("NAME LIKE 'Class 1%'", ["K10", "K11", "K12"]),
    ("NAME LIKE 'Class 0_' AND NOT NAME LIKE '%5'", ["K01", "K02", "K03", "K04", "K06", "K07", "K08", "K09"]),
    ("NAME NOT LIKE 'Class%'", ["C1"]),
    ("CLASSID IN ('K02', 'K04', 'NOPE')", ["K02", "K04"]),
    ("CLASSID NOT IN ('C1') AND STATUS = 'F'", ["K03", "K06", "K09", "K12"]),
    ("DESCRIPTION IS NULL AND STATUS = 'F'", ["K03", "K09"]),
    ("DESCRIPTION IS NOT NULL AND STATUS = 'F'", ["K06", "K12"]),
    ("(CLASSID = 'K01' OR CLASSID = 'K02') AND STATUS = 'T'", ["K01", "K02"]),
    ("CLASSID = 'K01' OR CLASSID = 'K02' AND STATUS = 'F'", ["K01"]),  # AND binds tighter than OR
    ("NOT (STATUS = 'T')", ["K03", "K06", "K09", "K12"]),
    ("name = 'Class 01'", ["K01"]),  # field names are case-insensitive ...
    ("NAME = 'class 01'", []),  # ... values are not
    ("STATUS = 'T' AND rownum &lt; 3", ["C1", "K01"]),
    ("rownum = 1", ["C1"]),
])
def test_query_language(gw, query, expected):
    assert ids(rbq(gw, "CLASS", query, fields="CLASSID")) == expected


def test_apostrophes_are_escaped_with_a_backslash(gw):
    reply = rbq(gw, "CUSTOMER", "NAME = 'Erin\\'s Software'", fields="CUSTOMERID,NAME")
    assert [(r.findtext("CUSTOMERID"), r.findtext("NAME")) for r in reply.result().find("data")] == [
        ("C-3", "Erin's Software")]


def test_order_by_inside_the_query_is_dl02000001(gw):
    assert_dl02000001(rbq(gw, "CLASS", "STATUS = 'T' ORDER BY CLASSID"))


def test_backticks_cannot_be_parsed(gw):
    errors = failure(rbq(gw, "CLASS", "CLASSID = `K01`"))
    assert errors[0]["description2"] == "Unable to parse Query value: CLASSID = `K01`"


def test_read_by_query_cannot_filter_across_a_relation(gw):
    assert_dl02000001(rbq(gw, "PROJECT", "CUSTOMER.NAME = 'Globex'"))


def test_read_by_query_on_an_unknown_object(gw):
    errors = failure(rbq(gw, "BADOBJECT"))
    assert errors[0] == {"errorno": "Query Failed", "description": "",
                         "description2": "Object definition BADOBJECT not found", "correction": ""}


def test_read_by_query_requires_a_query_element(gw):
    errors = failure(gw.call(fn("<readByQuery><object>CLASS</object><fields>*</fields></readByQuery>")))
    assert errors[0]["errorno"] == "BL01001973"


def test_read_by_query_json_and_csv(gw):
    reply = rbq(gw, "CLASS", "STATUS = 'F'", fields="CLASSID,STATUS", extra="<returnFormat>json</returnFormat>")
    assert reply.headers["Content-Type"].startswith("application/json")
    assert json.loads(reply.body) == [{"CLASSID": i, "STATUS": "inactive"} for i in ("K03", "K06", "K09", "K12")]
    assert not reply.body.startswith(b"<?xml")

    reply = rbq(gw, "CLASS", "STATUS = 'F'", fields="CLASSID,DESCRIPTION", extra="<returnFormat>csv</returnFormat>")
    assert reply.headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(reply.body.decode()))) == [
        ["CLASSID", "DESCRIPTION"], ["K03", ""], ["K06", "even"], ["K09", ""], ["K12", "even"]]

    empty = rbq(gw, "CLASS", "CLASSID = 'NOPE'", extra="<returnFormat>csv</returnFormat>")
    assert (empty.status, empty.body) == (200, b"")


def test_unknown_return_format(gw):
    errors = failure(rbq(gw, "CLASS", "", extra="<returnFormat>xlsx</returnFormat>"))
    assert errors[0]["description2"] == "Invalid returnFormat 'xlsx'."


# --------------------------------------------------------------------------- query


def test_query_shape_selects_only_the_named_fields(gw):
    reply = query(gw, "<field>CLASSID</field><field>NAME</field>",
                  "<equalto><field>STATUS</field><value>inactive</value></equalto>")
    result = reply.result()
    assert result.findtext("function") == "query"
    data = result.find("data")
    assert data.attrib == {"listtype": "CLASS", "totalcount": "4", "offset": "0", "count": "4", "numremaining": "0"}
    assert rows(reply)[0] == {"CLASSID": "K03", "NAME": "Class 03"}
    assert all(r.tag == "CLASS" for r in data)


def test_query_with_no_match(gw):
    reply = query(gw, "<field>CLASSID</field>", "<equalto><field>CLASSID</field><value>NOPE</value></equalto>")
    data = reply.result().find("data")
    assert data.attrib == {"listtype": "CLASS", "totalcount": "0", "offset": "0", "count": "0", "numremaining": "0"}


def test_query_filters_use_labels_and_a_code_is_the_enum_error(gw):
    reply = query(gw, "<field>CLASSID</field>", "<equalto><field>STATUS</field><value>active</value></equalto>")
    assert reply.result().find("data").get("totalcount") == "9"
    errors = failure(query(gw, "<field>CLASSID</field>", "<equalto><field>STATUS</field><value>T</value></equalto>"))
    assert errors[0]["description2"] == (
        "There's an error with the value for field STATUS. Value: [T]. Expected values: [active, inactive].")
    errors = failure(query(gw, "<field>ACCOUNTNO</field>",
                           "<in><field>ACCOUNTTYPE</field><value>incomestatement</value><value>N</value></in>",
                           obj="GLACCOUNT"))
    assert errors[0]["description2"] == ("There's an error with the value for field ACCOUNTTYPE. Value: [N]. "
                                         "Expected values: [balancesheet, incomestatement].")


def test_query_labels_are_case_sensitive_unless_caseinsensitive(gw):
    flt = "<equalto><field>NAME</field><value>class 05</value></equalto>"
    assert rows(query(gw, "<field>CLASSID</field>", flt)) == []
    ci = "<options><caseinsensitive>true</caseinsensitive></options>"
    assert rows(query(gw, "<field>CLASSID</field>", flt, ci)) == [{"CLASSID": "K05"}]
    reply = query(gw, "<field>CLASSID</field>", "<equalto><field>STATUS</field><value>INACTIVE</value></equalto>", ci)
    assert reply.result().find("data").get("totalcount") == "4"


@pytest.mark.parametrize("filter_xml,expected", [
    ("<notequalto><field>STATUS</field><value>active</value></notequalto>", ["K03", "K06", "K09", "K12"]),
    ("<lessthan><field>CLASSID</field><value>K02</value></lessthan>", ["C1", "K01"]),
    ("<lessthanorequalto><field>CLASSID</field><value>K02</value></lessthanorequalto>", ["C1", "K01", "K02"]),
    ("<greaterthan><field>CLASSID</field><value>K11</value></greaterthan>", ["K12"]),
    ("<between><field>CLASSID</field><value>K04</value><value>K06</value></between>", ["K04", "K05", "K06"]),
    ("<in><field>CLASSID</field><value>K07</value><value>C1</value></in>", ["C1", "K07"]),
    ("<and><notin><field>CLASSID</field><value>K03</value></notin>"
     "<equalto><field>STATUS</field><value>inactive</value></equalto></and>", ["K06", "K09", "K12"]),
    ("<like><field>NAME</field><value>Class 1%</value></like>", ["K10", "K11", "K12"]),
    ("<and><notlike><field>NAME</field><value>Class%</value></notlike>"
     "<isnotnull><field>NAME</field></isnotnull></and>", ["C1"]),
    ("<and><isnull><field>DESCRIPTION</field></isnull>"
     "<equalto><field>STATUS</field><value>inactive</value></equalto></and>", ["K03", "K09"]),
    ("<or><equalto><field>CLASSID</field><value>K01</value></equalto>"
     "<and><equalto><field>STATUS</field><value>inactive</value></equalto>"
     "<greaterthan><field>CLASSID</field><value>K10</value></greaterthan></and></or>", ["K01", "K12"]),
])
def test_query_filter_operators(gw, filter_xml, expected):
    assert [r["CLASSID"] for r in rows(query(gw, "<field>CLASSID</field>", filter_xml))] == expected


def test_query_order_by_and_offset_paging(gw):
    order = "<orderby><order><field>CLASSID</field><descending/></order></orderby>"
    collected, offset = [], 0
    while True:
        reply = query(gw, "<field>CLASSID</field>", "", f"{order}<pagesize>5</pagesize><offset>{offset}</offset>")
        data = reply.result().find("data")
        assert data.get("offset") == str(offset) and data.get("totalcount") == "13"
        collected += [r["CLASSID"] for r in rows(reply)]
        assert int(data.get("numremaining")) == 13 - len(collected)
        if data.get("numremaining") == "0":
            break
        offset += 5
    assert collected == sorted(ALL_CLASS_IDS, reverse=True)
    ascending = "<orderby><order><field>STATUS</field></order><order><field>NAME</field><descending/></order></orderby>"
    reply = query(gw, "<field>CLASSID</field><field>STATUS</field>", "", ascending + "<pagesize>2</pagesize>")
    assert rows(reply) == [{"CLASSID": "K12", "STATUS": "inactive"}, {"CLASSID": "K09", "STATUS": "inactive"}]


def test_query_offset_past_the_end_is_empty(gw):
    reply = query(gw, "<field>CLASSID</field>", "", "<offset>50</offset>")
    data = reply.result().find("data")
    assert (data.get("count"), data.get("totalcount"), data.get("numremaining")) == ("0", "13", "0")


def test_query_aggregates(gw):
    reply = query(gw, "<field>STATUS</field><count>RECORDNO</count>", "",
                  "<orderby><order><field>STATUS</field></order></orderby>")
    # enums order by their stored code (F before T), not by label: the emulator's choice
    assert rows(reply) == [{"STATUS": "inactive", "COUNT.RECORDNO": "4"}, {"STATUS": "active", "COUNT.RECORDNO": "9"}]
    reply = query(gw, "<field>PROJECTCATEGORY</field><sum>BUDGETAMOUNT</sum><avg>BUDGETAMOUNT</avg>"
                      "<min>BUDGETAMOUNT</min><max>BUDGETAMOUNT</max><count>RECORDNO</count>", "",
                  "<orderby><order><field>PROJECTCATEGORY</field></order></orderby>", obj="PROJECT")
    assert rows(reply, "PROJECT") == [
        {"PROJECTCATEGORY": "Contract", "BUDGETAMOUNT": "300.50", "AVG.BUDGETAMOUNT": "150.25",
         "MIN.BUDGETAMOUNT": "100.50", "MAX.BUDGETAMOUNT": "200.00", "COUNT.RECORDNO": "2"},
        {"PROJECTCATEGORY": "Internal", "BUDGETAMOUNT": "50.00", "AVG.BUDGETAMOUNT": "50.00",
         "MIN.BUDGETAMOUNT": "50.00", "MAX.BUDGETAMOUNT": "50.00", "COUNT.RECORDNO": "1"},
    ]
    assert reply.result().find("data").get("totalcount") == "2"  # groups, not records
    total = query(gw, "<count>RECORDNO</count>", "<equalto><field>STATUS</field><value>active</value></equalto>")
    assert rows(total) == [{"COUNT.RECORDNO": "9"}]


def test_query_sum_of_a_text_field_is_refused(gw):
    assert_dl02000001(query(gw, "<sum>NAME</sum>"))


def test_query_dotted_relation_fields(gw):
    reply = query(gw, "<field>PROJECTID</field><field>CUSTOMER.NAME</field>",
                  "<equalto><field>CUSTOMER.NAME</field><value>Globex</value></equalto>", obj="PROJECT")
    assert rows(reply, "PROJECT") == [{"PROJECTID": "P2", "CUSTOMER.NAME": "Globex"}]
    reply = query(gw, "<field>PROJECTID</field><field>CUSTOMER.NAME</field>", "",
                  "<orderby><order><field>PROJECTID</field></order></orderby>", obj="PROJECT")
    assert [r["CUSTOMER.NAME"] for r in rows(reply, "PROJECT")] == ["Acme Corp", "Globex", ""]
    own_group = query(gw, "<field>CUSTOMERID</field><field>DISPLAYCONTACT.PRINTAS</field>",
                      "<equalto><field>DISPLAYCONTACT.PRINTAS</field><value>Globex</value></equalto>", obj="CUSTOMER")
    assert rows(own_group, "CUSTOMER") == [{"CUSTOMERID": "C-2", "DISPLAYCONTACT.PRINTAS": "Globex"}]


def test_query_crosses_the_relationships_intacct_lookup_lists(make_company, gateway_url):
    """Relationships from Intacct's lookup answers (objects/fieldsets.json): a vendor's PAYTOCONTACT
    is the CONTACT its PAYTO.CONTACTNAME names, a line's GLACCOUNT the account it posts to."""
    gw = Gateway(gateway_url, company=make_company())
    gw.ok(fn(f"<create>{record_xml('CONTACT', {'CONTACTNAME': 'AP desk', 'PRINTAS': 'AP desk', 'EMAIL1': 'ap@x.example'})}"
             f"{record_xml('VENDOR', {'VENDORID': 'V-C', 'NAME': 'With contact', 'PAYTO': {'CONTACTNAME': 'AP desk'}})}"
             "</create>"))
    reply = query(gw, "<field>VENDORID</field><field>PAYTOCONTACT.EMAIL1</field>",
                  "<equalto><field>VENDORID</field><value>V-C</value></equalto>", obj="VENDOR")
    assert rows(reply, "VENDOR") == [{"VENDORID": "V-C", "PAYTOCONTACT.EMAIL1": "ap@x.example"}]
    gw.ok(fn('<create_bill><vendorid>V-1</vendorid><datecreated><year>2026</year><month>3</month><day>16</day>'
             '</datecreated><datedue><year>2026</year><month>4</month><day>15</day></datedue><billno>REL-1</billno>'
             '<billitems><lineitem><glaccountno>6220</glaccountno><amount>5</amount></lineitem></billitems>'
             '</create_bill>'))
    lines = query(gw, "<field>ACCOUNTNO</field><field>GLACCOUNT.TITLE</field>", obj="APBILLITEM")
    assert rows(lines, "APBILLITEM") == [{"ACCOUNTNO": "6220", "GLACCOUNT.TITLE": "Software"}]
    # readByQuery does no joins (Intacct: "joins are not supported"): the same path is an unknown field.
    assert_dl02000001(rbq(gw, "VENDOR", "", fields="VENDORID,PAYTOCONTACT.EMAIL1"))


def test_query_more_than_one_hop_or_unknown_relation_is_dl02000001(gw):
    assert_dl02000001(query(gw, "<field>PROJECTID</field>",
                            "<equalto><field>CUSTOMER.PARENT.NAME</field><value>x</value></equalto>", obj="PROJECT"))
    assert_dl02000001(query(gw, "<field>VENDOR.NAME</field>", obj="PROJECT"))


@pytest.mark.parametrize("select", ["<field>*</field>", "<field>COLOUR</field>", "<field>CLASSID</field><max>COLOUR</max>"])
def test_query_select_star_or_unknown_field_is_dl02000001(gw, select):
    assert_dl02000001(query(gw, select))


def test_query_unknown_field_in_filter_or_order_is_dl02000001(gw):
    assert_dl02000001(query(gw, "<field>CLASSID</field>", "<equalto><field>COLOUR</field><value>red</value></equalto>"))
    assert_dl02000001(query(gw, "<field>CLASSID</field>", "",
                            "<orderby><order><field>COLOUR</field></order></orderby>"))


def test_query_iso_date_in_filter_is_refused(gw):
    reply = query(gw, "<field>PROJECTID</field>",
                  "<greaterthan><field>BEGINDATE</field><value>2026-02-01</value></greaterthan>", obj="PROJECT")
    assert_dl02000001(reply)
    ok = query(gw, "<field>PROJECTID</field>",
               "<greaterthan><field>BEGINDATE</field><value>02/01/2026</value></greaterthan>", obj="PROJECT")
    assert [r["PROJECTID"] for r in rows(ok, "PROJECT")] == ["P2", "P3"]


def test_query_on_an_unknown_object(gw):
    errors = failure(query(gw, "<field>X</field>", obj="BADOBJECT"))
    assert errors[0]["description2"] == "Object definition BADOBJECT not found"


def test_query_without_select_is_refused(gw):
    errors = failure(gw.call(fn("<query><object>CLASS</object></query>")))
    assert errors[0]["errorno"] == "BL01001973"


def test_query_json_and_csv(gw):
    flt = "<equalto><field>STATUS</field><value>inactive</value></equalto>"
    reply = query(gw, "<field>CLASSID</field><field>STATUS</field>", flt,
                  "<options><returnformat>json</returnformat></options><pagesize>2</pagesize>")
    assert reply.headers["Content-Type"].startswith("application/json")
    assert json.loads(reply.body) == [{"CLASSID": "K03", "STATUS": "inactive"}, {"CLASSID": "K06", "STATUS": "inactive"}]
    reply = query(gw, "<field>STATUS</field><count>RECORDNO</count>", "",
                  "<options><returnformat>csv</returnformat></options>"
                  "<orderby><order><field>STATUS</field></order></orderby>")
    assert list(csv.reader(io.StringIO(reply.body.decode()))) == [
        ["STATUS", "COUNT.RECORDNO"], ["inactive", "4"], ["active", "9"]]


def test_query_custom_fields(gw):
    gw.ok(fn("<update><PROJECT><PROJECTID>P1</PROJECTID><REGION>EMEA</REGION><KICKOFF>04/01/2026</KICKOFF></PROJECT>"
             "</update>"))
    reply = query(gw, "<field>PROJECTID</field><field>REGION</field><field>KICKOFF</field>",
                  "<greaterthan><field>KICKOFF</field><value>03/01/2026</value></greaterthan>", obj="PROJECT")
    assert rows(reply, "PROJECT") == [{"PROJECTID": "P1", "REGION": "EMEA", "KICKOFF": "04/01/2026"}]
    reply = query(gw, "<field>PROJECTID</field>", "<isnull><field>REGION</field></isnull>", obj="PROJECT")
    assert [r["PROJECTID"] for r in rows(reply, "PROJECT")] == ["P2", "P3"]


# --------------------------------------------------------------------------- inspect / lookup / getDimensions


def test_inspect_lists_field_names_including_custom_fields(gw):
    reply = gw.ok(fn("<inspect><object>PROJECT</object></inspect>"))
    data = reply.result().find("data")
    assert data.attrib == {"listtype": "All", "count": "1"}
    (type_el,) = list(data)
    assert type_el.tag == "Type" and type_el.attrib == {"Name": "PROJECT"}
    names = [f.text for f in type_el.findall("Fields/Field")]
    assert names[0] == "RECORDNO"
    assert {"PROJECTID", "NAME", "PROJECTCATEGORY", "CUSTOMERID", "WHENCREATED", "WHENMODIFIED"} <= set(names)
    assert names[-2:] == ["REGION", "KICKOFF"]


def test_inspect_detail_describes_each_field(gw):
    reply = gw.ok(fn('<inspect detail="1"><object>CLASS</object></inspect>'))
    type_el = reply.result().find("data/Type")
    assert type_el.get("Name") == "CLASS"
    assert [(c.tag, c.text) for c in type_el.find("Attributes")] == [
        ("SingularName", "Class"), ("PluralName", "Classes"), ("Description", "Class")]
    fields = {f.findtext("Name"): f for f in type_el.findall("Fields/Field")}
    assert fields["CLASSID"].findtext("isRequired") == "true"
    assert fields["CLASSID"].findtext("maxLength") == "20"
    assert fields["CLASSID"].findtext("DisplayLabel") == "Class ID"
    assert fields["RECORDNO"].findtext("isReadOnly") == "true"
    assert (fields["RECORDNO"].findtext("dataName"), fields["RECORDNO"].findtext("externalDataName")) == (
        "Pt_FieldInt", "integer")
    assert (fields["NAME"].findtext("dataName"), fields["NAME"].findtext("maxLength")) == ("Pt_FieldString", "40")
    assert [c.tag for c in fields["NAME"]][-1] == "id" and len(fields["NAME"].findtext("id")) == 15
    project = gw.ok(fn('<inspect detail="1"><object>PROJECT</object></inspect>')).result().find("data/Type")
    region = next(f for f in project.findall("Fields/Field") if f.findtext("Name") == "REGION")
    assert region.findtext("DisplayLabel") == "Region"  # custom fields are listed like the others


def test_inspect_star_lists_the_objects(gw):
    reply = gw.ok(fn("<inspect><object>*</object></inspect>"))
    data = reply.result().find("data")
    assert data.attrib == {"listtype": "All", "count": "1"}
    types = {t.get("typename"): t.text for t in data.findall("type")}
    for name in ("CUSTOMER", "VENDOR", "GLACCOUNT", "LOCATION", "DEPARTMENT", "CLASS", "PROJECT", "APBILL", "ARINVOICE"):
        assert name in types
    assert types["GLACCOUNT"] == "GL Account"
    assert "APBILLITEM" not in types  # owned line objects are not listed


def test_lookup_shape_with_valid_values_relationships_and_custom_fields(gw):
    reply = gw.ok(fn("<lookup><object>PROJECT</object></lookup>"))
    data = reply.result().find("data")
    assert data.attrib == {"listtype": "All", "count": "1"}
    type_el = data.find("Type")
    assert type_el.attrib == {"Name": "PROJECT", "DocumentType": ""}
    fields = {f.findtext("ID"): f for f in type_el.findall("Fields/Field")}
    assert [c.tag for c in fields["STATUS"]] == ["ID", "LABEL", "DESCRIPTION", "REQUIRED", "READONLY", "DATATYPE",
                                                 "VALIDVALUES", "ISCUSTOM"]
    assert [v.text for v in fields["STATUS"].findall("VALIDVALUES/VALIDVALUE")] == ["active", "inactive"]
    assert fields["PROJECTID"].findtext("REQUIRED") == "true" and fields["PROJECTID"].find("VALIDVALUES") is None
    assert fields["BUDGETAMOUNT"].findtext("DATATYPE") == "DECIMAL"
    assert fields["WHENCREATED"].findtext("READONLY") == "true"
    assert (fields["KICKOFF"].findtext("ISCUSTOM"), fields["KICKOFF"].findtext("DATATYPE"),
            fields["KICKOFF"].findtext("LABEL")) == ("true", "DATE", "Kickoff date")
    relationships = [{c.tag: c.text or "" for c in r} for r in type_el.findall("Relationships/Relationship")]
    assert {"OBJECTPATH": "CUSTOMER", "OBJECTNAME": "CUSTOMER", "LABEL": "", "RELATIONSHIPTYPE": "MANY2ONE",
            "RELATEDBY": "CUSTOMERID"} in relationships
    # The rest are the lookup relationships Intacct lists for PROJECT, to objects the emulator keeps.
    assert {(r["OBJECTPATH"], r["OBJECTNAME"], r["RELATEDBY"]) for r in relationships} >= {
        ("PARENT", "PROJECT", "PARENTID"), ("PRIMARYCONTACT", "CONTACT", "CONTACTINFO.CONTACTNAME")}


def test_custom_fields_are_per_company(make_company, gateway_url, gw):
    plain = Gateway(gateway_url, company=make_company())
    names = [f.findtext("ID") for f in
             plain.ok(fn("<lookup><object>PROJECT</object></lookup>")).result().findall("data/Type/Fields/Field")]
    assert "REGION" not in names and "PROJECTID" in names


def test_inspect_and_lookup_of_an_unknown_object(gw):
    for body in ("<inspect><object>NOPE</object></inspect>", "<lookup><object>NOPE</object></lookup>"):
        errors = failure(gw.call(fn(body)))
        assert errors[0]["description2"] == "Object definition NOPE not found"


def test_get_dimensions(gw):
    reply = gw.ok(fn("<getDimensions/>"))
    data = reply.result().find("data")
    assert data.attrib == {}
    dims = [{c.tag: c.text for c in d} for d in data.findall("dimensions/dimension")]
    by_name = {d["objectName"]: d for d in dims}
    assert {"DEPARTMENT", "LOCATION", "CLASS", "PROJECT", "CUSTOMER", "VENDOR"} <= set(by_name)
    assert by_name["DEPARTMENT"] == {"objectName": "DEPARTMENT", "objectLabel": "Department", "termLabel": "Department",
                                     "userDefinedDimension": "false", "enabledInGL": "true"}
