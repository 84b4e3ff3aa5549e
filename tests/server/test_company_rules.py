"""Company rules that refuse documents, over real HTTP: accounts requiring dimensions, vendors and
customers restricted to locations, role-based security, and a company without Web Services."""

from __future__ import annotations

import pytest

from intacct_mock.company.model import User
from tests.conftest import BASIC_RECORDS
from tests.server.test_document_life import errors
from tests.support import Gateway, fn, record_xml

RULE_RECORDS = BASIC_RECORDS + [
    ("GLACCOUNT", {"ACCOUNTNO": "6300", "TITLE": "Travel", "ACCOUNTTYPE": "incomestatement", "NORMALBALANCE": "debit",
                   "REQUIREDEPT": "true", "REQUIRELOC": "true"}),
    ("VENDOR", {"VENDORID": "V-LOC", "NAME": "Local only", "OBJECTRESTRICTION": "Restricted",
                "RESTRICTEDLOCATIONS": "L100"}),
    ("LOCATION", {"LOCATIONID": "L200", "NAME": "Branch"}),
]


def bill(vendor: str, line: dict, number: str) -> str:
    data = {"VENDORID": vendor, "WHENCREATED": "03/02/2026", "RECORDID": number, "TERMNAME": "N30",
            "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6300", "TRX_AMOUNT": "10.00", **line}]}}
    return fn(f"<create>{record_xml('APBILL', data)}</create>")


@pytest.fixture
def rules(make_company, gateway_url) -> Gateway:
    return Gateway(gateway_url, company=make_company(RULE_RECORDS))


def test_an_account_that_requires_dimensions_refuses_a_line_without_them(rules):
    found = errors(rules.call(bill("V-1", {"LOCATIONID": "L100"}, "RD-1")))
    assert found[0]["description2"] == "Line 1: GL account 6300 requires a department (DEPARTMENTID)."
    assert found[-1]["description2"] == "Could not create Bill record!"
    assert "requires a location (LOCATIONID)" in errors(rules.call(bill("V-1", {"DEPARTMENTID": "D100"}, "RD-2")))[0][
        "description2"]
    rules.ok(bill("V-1", {"DEPARTMENTID": "D100", "LOCATIONID": "L100"}, "RD-3"))
    journal = ("<create><GLBATCH><JOURNAL>GJ</JOURNAL><BATCH_DATE>03/05/2026</BATCH_DATE><BATCH_TITLE>Trip</BATCH_TITLE>"
               "<ENTRIES><GLENTRY><ACCOUNTNO>6300</ACCOUNTNO><TR_TYPE>1</TR_TYPE><TRX_AMOUNT>5</TRX_AMOUNT>"
               "<LOCATION>L100</LOCATION></GLENTRY><GLENTRY><ACCOUNTNO>1000</ACCOUNTNO><TR_TYPE>-1</TR_TYPE>"
               "<TRX_AMOUNT>5</TRX_AMOUNT></GLENTRY></ENTRIES></GLBATCH></create>")
    assert errors(rules.call(fn(journal)))[0]["description2"] == (
        "Line 1: GL account 6300 requires a department (DEPARTMENT).")


def test_a_vendor_restricted_to_locations_cannot_be_used_elsewhere(rules):
    line = {"DEPARTMENTID": "D100"}
    assert errors(rules.call(bill("V-LOC", {**line, "LOCATIONID": "L200"}, "RL-1")))[0]["description2"] == (
        "Line 1: Vendor V-LOC is restricted to locations L100 and cannot be used with location L200.")
    rules.ok(bill("V-LOC", {**line, "LOCATIONID": "L100"}, "RL-2"))


def role_company(make_company, gateway_url, **overrides) -> tuple[str, Gateway]:
    company = make_company(
        BASIC_RECORDS, security="role",
        roles={"AR Clerk": {"AR": "full", "CO": "read"}, "Auditor": {"AR": "read", "AP": "read", "GL": "read"}},
        users=[User("ws_user", "ws_user_pw", roles=["AR Clerk"]), User("audit", "audit_pw", roles=["Auditor"]),
               User("nobody", "nobody_pw")], **overrides)
    return company, Gateway(gateway_url, company=company)


def test_in_a_role_based_company_permissions_come_from_roles(make_company, gateway_url):
    company, clerk = role_company(make_company, gateway_url)
    invoice = ("<create_invoice><customerid>C-1</customerid><datecreated><year>2026</year><month>3</month><day>2</day>"
               "</datecreated><termname>N30</termname><invoiceitems><lineitem><glaccountno>4000</glaccountno>"
               "<amount>5</amount></lineitem></invoiceitems></create_invoice>")
    clerk.ok(fn(invoice))
    refused = errors(clerk.call(bill("V-1", {}, "ROLE-1")))
    assert refused[0]["errorno"] == "PL04000005"  # the role grants nothing in AP
    auditor = Gateway(gateway_url, company=company, user=("audit", "audit_pw"))
    auditor.ok(fn("<readByQuery><object>APBILL</object><fields>RECORDNO</fields><query></query></readByQuery>"))
    assert errors(auditor.call(fn(invoice)))[0]["errorno"] == "PL04000005"
    nobody = Gateway(gateway_url, company=company, user=("nobody", "nobody_pw"))
    assert errors(nobody.call(fn("<readByQuery><object>CUSTOMER</object><fields>RECORDNO</fields><query></query>"
                                 "</readByQuery>")))[0]["errorno"] == "PL04000005"


def test_role_configuration_errors_are_refused(make_company):
    from intacct_mock.company.model import ConfigError

    with pytest.raises(ConfigError, match="unknown role"):
        make_company(BASIC_RECORDS, security="role", roles={}, users=[User("u", "p", roles=["Ghost"])])
    with pytest.raises(ConfigError, match="takes permissions from roles"):
        make_company(BASIC_RECORDS, security="role", roles={"R": {"AR": "full"}},
                     users=[User("u", "p", permissions={"AR": "full"}, roles=["R"])])


def test_a_company_without_web_services_refuses_every_sign_in(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(web_services=False))
    reply = gw.call(fn("<getAPISession/>"))
    auth = reply.xml.find("operation/authentication")
    assert auth.findtext("status") == "failure"
    error = reply.xml.find("operation/errormessage/error")
    assert (error.findtext("errorno"), error.findtext("description2")) == (
        "XL03000006", "This company is not authorized for XML transactions. Please subscribe to the XML Gateway.")


def test_line_custom_fields_on_legacy_documents_are_kept_and_typed(make_company, gateway_url):
    from intacct_mock.company.model import CustomField

    gw = Gateway(gateway_url, company=make_company(custom_fields={
        "APBILLITEM": [CustomField("COST_CODE", "text"), CustomField("UNITS", "integer")]}))

    def legacy_bill(number: str, customfields: str) -> str:
        return fn(f"<create_bill><vendorid>V-1</vendorid><datecreated><year>2026</year><month>3</month><day>2</day>"
                  f"</datecreated><termname>N30</termname><billno>{number}</billno><billitems><lineitem>"
                  f"<glaccountno>6220</glaccountno><amount>12.00</amount><customfields>{customfields}</customfields>"
                  "</lineitem></billitems></create_bill>")

    def cf(name: str, value: str) -> str:
        return f"<customfield><customfieldname>{name}</customfieldname><customfieldvalue>{value}</customfieldvalue></customfield>"

    key = gw.ok(legacy_bill("CF-1", cf("COST_CODE", "CC-7") + cf("UNITS", "3"))).result().findtext("key")
    line = gw.ok(fn(f"<read><object>APBILL</object><keys>{key}</keys><fields>*</fields></read>")).result().find(
        "data/APBILL/APBILLITEMS/apbillitem")
    assert (line.findtext("COST_CODE"), line.findtext("UNITS")) == ("CC-7", "3")
    assert errors(gw.call(legacy_bill("CF-2", cf("NOPE", "x"))))[0]["errorno"] == "DL02000001"
    assert "UNITS" in str(errors(gw.call(legacy_bill("CF-3", cf("UNITS", "three"))))[0])


def test_bills_post_into_open_user_defined_summaries(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(ap_bill_summary_frequency="User-defined"))

    def legacy_bill(number: str, batch: str | None) -> str:
        key = f"<batchkey>{batch}</batchkey>" if batch else ""
        return fn(f"<create_bill><vendorid>V-1</vendorid><datecreated><year>2026</year><month>3</month><day>2</day>"
                  f"</datecreated><termname>N30</termname>{key}<billno>{number}</billno><billitems><lineitem>"
                  "<glaccountno>6220</glaccountno><amount>12.00</amount></lineitem></billitems></create_bill>")

    assert errors(gw.call(legacy_bill("S-1", None)))[0]["description2"].startswith("Provide a bill summary key")
    summary = gw.ok(fn("<create_billbatch><batchtitle>March bills</batchtitle><datecreated><year>2026</year>"
                       "<month>3</month><day>1</day></datecreated></create_billbatch>")).result().findtext("key")
    key = gw.ok(legacy_bill("S-2", summary)).result().findtext("key")
    bill = gw.ok(fn(f"<read><object>APBILL</object><keys>{key}</keys><fields>PRBATCH,PRBATCHKEY</fields></read>"))
    assert (bill.result().findtext("data/APBILL/PRBATCH"), bill.result().findtext("data/APBILL/PRBATCHKEY")) == (
        "March bills", summary)
    assert "bill summary key" in errors(gw.call(legacy_bill("S-3", "999999")))[0]["description2"]


def test_entities_are_listable_as_locationentity(make_company, gateway_url, control):
    from intacct_mock.company.model import Entity

    company = make_company(entities=[Entity("E100", "East"), Entity("E200", "West")])
    gw = Gateway(gateway_url, company=company)

    def entities() -> list[tuple[str, str]]:
        data = gw.ok(fn("<readByQuery><object>LOCATIONENTITY</object><fields>LOCATIONID,NAME</fields><query></query>"
                        "</readByQuery>")).result().find("data")
        return sorted((r.findtext("LOCATIONID"), r.findtext("NAME")) for r in data)

    assert entities() == [("E100", "East"), ("E200", "West")]
    control.configure_company(company, entities=[{"id": "E100", "name": "East Coast"}, {"id": "E300", "name": "North"}])
    assert entities() == [("E100", "East Coast"), ("E300", "North")]
    refused = errors(gw.call(fn("<create><LOCATIONENTITY><LOCATIONID>E9</LOCATIONID><NAME>x</NAME></LOCATIONENTITY></create>")))
    assert "cannot be performed" in refused[0]["description2"]


def test_roles_are_readable_and_inspect_lists_the_new_objects(make_company, gateway_url):
    company, clerk = role_company(make_company, gateway_url)
    roles = clerk.ok(fn("<readByQuery><object>ROLES</object><fields>NAME,DESCRIPTION,USERS</fields><query></query>"
                        "</readByQuery>")).result().find("data")
    assert sorted((r.findtext("NAME"), r.findtext("DESCRIPTION"), r.findtext("USERS")) for r in roles) == [
        ("AR Clerk", "AR: full, CO: read", "ws_user"), ("Auditor", "AR: read, AP: read, GL: read", "audit")]
    listed = {t.get("typename") for t in clerk.ok(fn("<inspect><object>*</object></inspect>")).result().find("data")}
    assert {"SODOCUMENT", "ITEM", "GLBATCH", "TAXDETAIL", "APBILLBATCH", "LOCATIONENTITY", "CONTACT", "ROLES"} <= listed
