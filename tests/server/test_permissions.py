"""Role permissions per module (full / read / none) and user status, over real HTTP.

A user's role grants each module (AR, AP, GL, CO, PA) full access, read-only access or none.
Writing where the role only reads, or reading where it has nothing, answers PL04000005
"You do not have permission for API operation OP on objects of type obj" (protocol notes 4.2;
the operation names other than READ_BY_QUERY are the emulator's choice, docs/fidelity.md).
Inactive and locked users cannot sign in at all.
"""

from __future__ import annotations

import pytest

from intacct_mock.company.model import User
from tests.support import Gateway, count_records, fn, record_xml

MODULE_OF = {"CUSTOMER": "AR", "VENDOR": "AP", "GLACCOUNT": "GL", "LOCATION": "CO", "DEPARTMENT": "CO", "CLASS": "CO",
             "PROJECT": "PA", "APBILL": "AP", "ARINVOICE": "AR"}
NEW = {
    "CUSTOMER": {"CUSTOMERID": "C-NEW", "NAME": "New"},
    "VENDOR": {"VENDORID": "V-NEW", "NAME": "New"},
    "GLACCOUNT": {"ACCOUNTNO": "7100", "TITLE": "New", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit"},
    "LOCATION": {"LOCATIONID": "L-NEW", "NAME": "New"},
    "DEPARTMENT": {"DEPARTMENTID": "D-NEW", "TITLE": "New"},
    "CLASS": {"CLASSID": "K-NEW", "NAME": "New"},
    "PROJECT": {"PROJECTID": "P-NEW", "NAME": "New", "PROJECTCATEGORY": "Contract"},
}
ID_FIELD = {"CUSTOMER": "CUSTOMERID", "VENDOR": "VENDORID", "GLACCOUNT": "ACCOUNTNO", "LOCATION": "LOCATIONID",
            "DEPARTMENT": "DEPARTMENTID", "CLASS": "CLASSID", "PROJECT": "PROJECTID"}
MASTER = pytest.mark.parametrize("obj", list(NEW))


def bill(number: str = "B-1") -> str:
    return record_xml("APBILL", {
        "VENDORID": "V-1", "WHENCREATED": "03/01/2026", "RECORDID": number, "TERMNAME": "N30",
        "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "100.00"}]},
    })


LEGACY_BILL = ("<create_bill><vendorid>V-1</vendorid><datecreated><year>2026</year><month>03</month><day>01</day>"
               "</datecreated><termname>N30</termname><billno>LB-1</billno><billitems><lineitem>"
               "<glaccountno>6220</glaccountno><amount>10.00</amount></lineitem></billitems></create_bill>")


@pytest.fixture
def roles(make_company, gateway_url):
    """A company with one user per interesting role; ``roles(name)`` is a client signed in as that user."""
    users = [
        User("ws_user", "ws_user_pw"),
        User("ap_reader", "pw", permissions={"AP": "read"}),
        User("ap_blind", "pw", permissions={"AP": "none"}),
        User("reader", "pw", permissions={m: "read" for m in ("AR", "AP", "GL", "CO", "PA")}),
        User("nobody", "pw", permissions={m: "none" for m in ("AR", "AP", "GL", "CO", "PA")}),
        User("explicit_full", "pw", permissions={m: "full" for m in ("AR", "AP", "GL", "CO", "PA")}),
        *(User(f"ro_{m}", "pw", permissions={m: "read"}) for m in ("AR", "AP", "GL", "CO", "PA")),
        User("gone", "pw", status="inactive"),
        User("locked_out", "pw", status="locked"),
    ]
    company_id = make_company(users=users)

    def as_user(userid: str) -> Gateway:
        password = "ws_user_pw" if userid == "ws_user" else "pw"
        return Gateway(gateway_url, company=company_id, user=(userid, password))

    return as_user


def denied(reply, operation: str, obj: str, index: int = 0) -> None:
    assert reply.status == 200, reply.body.decode()
    result = reply.result(index)
    assert result.findtext("status") == "failure", reply.body.decode()
    errors = [{c.tag: c.text or "" for c in e} for e in result.findall("errormessage/error")]
    assert errors[0] == {
        "errorno": "PL04000005", "description": "",
        "description2": f"You do not have permission for API operation {operation} on objects of type {obj.lower()}",
        "correction": "",
    }


def recordno_of(gw: Gateway, obj: str, ident: str) -> str:
    reply = gw.ok(fn(f"<readByName><object>{obj}</object><keys>{ident}</keys><fields>RECORDNO</fields></readByName>"))
    return reply.result().findtext(f"data/{obj}/RECORDNO")


# --------------------------------------------------------------------------- read-only module


def test_read_only_ap_user_cannot_create_update_or_delete_a_vendor(roles):
    admin, reader = roles("ws_user"), roles("ap_reader")
    denied(reader.create("VENDOR", NEW["VENDOR"]), "CREATE", "VENDOR")
    assert reader.create("VENDOR", NEW["VENDOR"]).result().find("data").attrib == {"listtype": "objects", "count": "0"}
    denied(reader.call(fn("<update>" + record_xml("VENDOR", {"VENDORID": "V-1", "NAME": "Changed"}) + "</update>")),
           "UPDATE", "VENDOR")
    recordno = recordno_of(admin, "VENDOR", "V-1")
    denied(reader.call(fn(f"<delete><object>VENDOR</object><keys>{recordno}</keys></delete>")), "DELETE", "VENDOR")

    assert count_records(admin, "VENDOR", "VENDORID = 'V-NEW'") == 0
    reply = admin.ok(fn("<readByName><object>VENDOR</object><keys>V-1</keys><fields>NAME</fields></readByName>"))
    assert reply.result().findtext("data/VENDOR/NAME") == "Initech"


def test_read_only_ap_user_cannot_create_a_bill_generic_or_legacy(roles):
    admin, reader = roles("ws_user"), roles("ap_reader")
    denied(reader.call(fn(f"<create>{bill()}</create>")), "CREATE", "APBILL")
    denied(reader.call(fn(LEGACY_BILL)), "CREATE", "APBILL")
    denied(reader.call(fn(LEGACY_BILL), dtdversion="2.1"), "CREATE", "APBILL")
    assert reader.call(fn(LEGACY_BILL)).result().findtext("function") == "create_bill"
    assert count_records(admin, "APBILL") == 0


def test_read_only_ap_user_cannot_change_or_delete_an_existing_bill(roles):
    admin, reader = roles("ws_user"), roles("ap_reader")
    reply = admin.ok(fn(f"<create>{bill('B-9')}</create>"))
    recordno = reply.result().findtext("data/apbill/RECORDNO")
    denied(reader.call(fn("<update>" + record_xml("APBILL", {"RECORDNO": recordno, "DESCRIPTION": "x"}) + "</update>")),
           "UPDATE", "APBILL")
    denied(reader.call(fn(f"<delete><object>APBILL</object><keys>{recordno}</keys></delete>")), "DELETE", "APBILL")
    denied(reader.call(fn(f'<delete_bill key="{recordno}"/>')), "DELETE", "APBILL")
    denied(reader.call(fn('<delete_vendor vendorid="V-2"/>')), "DELETE", "VENDOR")
    assert count_records(admin, "APBILL", "RECORDID = 'B-9'") == 1
    assert count_records(admin, "VENDOR", "VENDORID = 'V-2'") == 1


def test_read_only_ap_user_can_still_read_everything_in_ap(roles):
    admin, reader = roles("ws_user"), roles("ap_reader")
    admin.ok(fn(f"<create>{bill('B-R')}</create>"))
    recordno = recordno_of(admin, "VENDOR", "V-1")
    reply = reader.ok(
        fn(f"<read><object>VENDOR</object><keys>{recordno}</keys><fields>VENDORID</fields></read>"),
        fn("<readByName><object>VENDOR</object><keys>V-2</keys><fields>VENDORID</fields></readByName>"),
        fn("<readByQuery><object>APBILL</object><fields>RECORDID</fields><query/></readByQuery>"),
        fn("<query><object>VENDOR</object><select><field>VENDORID</field></select></query>"),
        fn("<inspect><object>VENDOR</object></inspect>"),
        fn("<lookup><object>APBILL</object></lookup>"),
    )
    assert reply.result(0).findtext("data/VENDOR/VENDORID") == "V-1"
    assert reply.result(1).findtext("data/VENDOR/VENDORID") == "V-2"
    assert reply.result(2).findtext("data/apbill/RECORDID") == "B-R"
    assert reply.result(3).find("data").get("totalcount") == "2"


def test_read_only_in_one_module_does_not_limit_the_others(roles):
    reader = roles("ap_reader")
    reply = reader.ok(fn("<create>" + record_xml("CUSTOMER", NEW["CUSTOMER"]) + "</create>"),
                      fn("<create>" + record_xml("CLASS", NEW["CLASS"]) + "</create>"))
    assert reply.result(0).findtext("data/customer/CUSTOMERID") == "C-NEW"
    assert reply.result(1).findtext("data/class/CLASSID") == "K-NEW"


def test_permission_is_checked_after_parsing_but_before_business_rules(roles):
    reply = roles("ap_reader").create("VENDOR", {"VENDORID": "BAD#ID", "NOSUCHFIELD": "x"})
    # an unknown field is found while parsing, before any rule: DL02000001 wins over the permission
    assert reply.result().findtext("errormessage/error/errorno") == "DL02000001"
    denied(roles("ap_reader").create("VENDOR", {"VENDORID": "BAD#ID"}), "CREATE", "VENDOR")  # no NAME, bad ID


# --------------------------------------------------------------------------- no access


@pytest.mark.parametrize("body,operation", [
    ("<readByQuery><object>VENDOR</object><query/></readByQuery>", "READ_BY_QUERY"),
    ("<read><object>VENDOR</object><keys>1</keys></read>", "READ"),
    ("<readByName><object>VENDOR</object><keys>V-1</keys></readByName>", "READ"),
    ("<query><object>VENDOR</object><select><field>VENDORID</field></select></query>", "READ_BY_QUERY"),
    ("<inspect><object>VENDOR</object></inspect>", "READ"),
    ("<lookup><object>VENDOR</object></lookup>", "READ"),
])
def test_user_without_ap_access_cannot_read_vendors(roles, body, operation):
    reply = roles("ap_blind").call(fn(body))
    denied(reply, operation, "VENDOR")
    assert reply.result().find("data") is None


def test_user_without_ap_access_cannot_read_bills_nor_write_them(roles):
    blind = roles("ap_blind")
    denied(blind.call(fn("<readByQuery><object>APBILL</object><query/></readByQuery>")), "READ_BY_QUERY", "APBILL")
    denied(blind.call(fn(f"<create>{bill()}</create>")), "CREATE", "APBILL")
    blind.ok(fn("<readByQuery><object>CUSTOMER</object><query/></readByQuery>"))  # AR untouched


def test_read_more_is_refused_to_a_user_without_access(roles):
    """Result ids are company-scoped; the module permission is checked again on every page."""
    admin = roles("ws_user")
    for n in range(3):
        admin.ok(fn("<create>" + record_xml("VENDOR", {"VENDORID": f"V-P{n}", "NAME": f"Paged {n}"}) + "</create>"))
    reply = admin.ok(fn("<readByQuery><object>VENDOR</object><fields>VENDORID</fields><query/><pagesize>2</pagesize>"
                        "</readByQuery>"))
    result_id = reply.result().find("data").get("resultId")
    assert result_id
    denied(roles("ap_blind").call(fn(f"<readMore><resultId>{result_id}</resultId></readMore>")), "READ_BY_QUERY", "VENDOR")
    more = admin.ok(fn(f"<readMore><resultId>{result_id}</resultId></readMore>"))
    assert more.result().find("data").get("count") == "2"  # the refused page was not consumed


@MASTER
def test_each_object_follows_its_module(roles, obj):
    module = MODULE_OF[obj]
    denied(roles(f"ro_{module}").create(obj, NEW[obj]), "CREATE", obj)
    other = next(m for m in ("AR", "AP", "GL", "CO", "PA") if m != module)
    allowed = roles(f"ro_{other}").create(obj, NEW[obj])
    assert allowed.result().findtext("status") == "success", allowed.body.decode()


@MASTER
def test_read_role_reads_and_none_role_does_nothing_full_role_writes(roles, obj):
    denied(roles("reader").create(obj, NEW[obj]), "CREATE", obj)
    reply = roles("reader").ok(fn(f"<readByQuery><object>{obj}</object><fields>RECORDNO</fields><query/></readByQuery>"))
    # a read-only role sees every record a full one sees (not an empty answer that merely succeeds)
    assert int(reply.result().find("data").get("totalcount")) == count_records(roles("explicit_full"), obj)
    denied(roles("nobody").call(fn(f"<readByQuery><object>{obj}</object><query/></readByQuery>")), "READ_BY_QUERY", obj)
    denied(roles("nobody").create(obj, NEW[obj]), "CREATE", obj)
    reply = roles("explicit_full").ok(fn("<create>" + record_xml(obj, NEW[obj]) + "</create>"))
    assert reply.result().findtext(f"data/{obj.lower()}/{ID_FIELD[obj]}") == NEW[obj][ID_FIELD[obj]]


def test_user_without_listed_permissions_has_full_access(roles):
    full = roles("ws_user")
    reply = full.ok(*(fn("<create>" + record_xml(obj, data) + "</create>") for obj, data in NEW.items()))
    assert len(reply.results()) == len(NEW)
    reply = full.ok(fn(f"<create>{bill('B-F')}</create>"))
    assert reply.result().findtext("data/apbill/RECORDNO")


def test_a_denied_function_fails_alone_without_transaction(roles):
    reader = roles("ap_reader")
    reply = reader.call(fn("<create>" + record_xml("CUSTOMER", NEW["CUSTOMER"]) + "</create>"),
                        fn("<create>" + record_xml("VENDOR", NEW["VENDOR"]) + "</create>"),
                        fn("<readByQuery><object>VENDOR</object><fields>VENDORID</fields><query/></readByQuery>"))
    assert [r.findtext("status") for r in reply.results()] == ["success", "failure", "success"]
    denied(reply, "CREATE", "VENDOR", index=1)
    assert count_records(roles("ws_user"), "CUSTOMER", "CUSTOMERID = 'C-NEW'") == 1


def test_a_denied_function_aborts_the_whole_transaction(roles):
    reader = roles("ap_reader")
    reply = reader.call(fn("<create>" + record_xml("CUSTOMER", NEW["CUSTOMER"]) + "</create>"),
                        fn("<create>" + record_xml("VENDOR", NEW["VENDOR"]) + "</create>"), transaction="true")
    assert [r.findtext("status") for r in reply.results()] == ["aborted", "failure"]
    errornos = [e.findtext("errorno") for e in reply.result(1).findall("errormessage/error")]
    assert errornos == ["PL04000005", "XL03000009"]
    assert count_records(roles("ws_user"), "CUSTOMER", "CUSTOMERID = 'C-NEW'") == 0


def test_permissions_apply_to_session_authentication_too(roles):
    reader = roles("ap_reader")
    sid = reader.session()
    reply = reader.call(fn("<create>" + record_xml("VENDOR", NEW["VENDOR"]) + "</create>"), session=sid)
    assert reply.text("operation/authentication/userid") == "ap_reader"
    denied(reply, "CREATE", "VENDOR")
    reader.ok(fn("<readByQuery><object>VENDOR</object><query/></readByQuery>"), session=sid)


def test_permission_errors_do_not_spend_the_control_id(roles):
    reader, admin = roles("ap_reader"), roles("ws_user")
    denied(reader.call(fn("<create>" + record_xml("VENDOR", NEW["VENDOR"]) + "</create>", "vendor-once"),
                       uniqueid="true"), "CREATE", "VENDOR")
    admin.ok(fn("<create>" + record_xml("VENDOR", NEW["VENDOR"]) + "</create>", "vendor-once"), uniqueid="true")


# --------------------------------------------------------------------------- user status


@pytest.mark.parametrize("userid", ["gone", "locked_out"])
def test_inactive_or_locked_user_cannot_sign_in_even_with_the_right_password(roles, userid):
    reply = roles(userid).call(fn("<readByQuery><object>CUSTOMER</object><query/></readByQuery>"))
    assert reply.status == 401
    assert reply.text("control/status") == "failure"
    error = reply.xml.find("errormessage/error")
    assert error.findtext("errorno") == "XMLGW_JPP0002"
    assert error.findtext("description") == "Sign-in information is incorrect. Please check your request."
    assert reply.xml.find("operation") is None  # nothing ran


def test_inactive_user_gets_the_same_answer_as_a_wrong_password(roles):
    inactive = roles("gone").call(fn("<getAPISession/>"))
    wrong = roles("ws_user").call(fn("<getAPISession/>"), login=("ws_user", roles("ws_user").company, "not-it"))
    assert (inactive.status, inactive.body) == (wrong.status, wrong.body)


def test_active_users_of_the_same_company_sign_in(roles):
    for userid in ("ws_user", "ap_reader", "nobody"):
        reply = roles(userid).ok(fn("<getAPISession/>"))
        assert reply.text("operation/authentication/userid") == userid
        assert reply.result().findtext("data/api/sessionid").endswith("..")
