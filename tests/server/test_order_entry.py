"""Order Entry over real HTTP: items, sales transactions (legacy and generic), conversion, and the
AR invoice a posted Sales Invoice writes, deleted and written again under a new RECORDNO when the
document is edited, as Intacct does."""

from __future__ import annotations

from typing import Any

import pytest

from intacct_mock.company.model import User
from tests.conftest import BASIC_RECORDS
from tests.server.test_document_life import day, errors
from tests.server.test_payments import arpymt
from tests.support import Gateway, fn, record_xml
from tests.support import read_record as read

ITEMS = [
    ("ITEM", {"ITEMID": "HOUR", "NAME": "Consulting hour", "ITEMTYPE": "Non-Inventory (Sales only)", "BASEPRICE": "150",
              "ITEMGLGROUP.INCOMEACCOUNT.ACCTNO": "4000"}),
    ("ITEM", {"ITEMID": "KIT", "NAME": "Starter kit", "BASEPRICE": "80", "ITEMGLGROUP.INCOMEACCOUNT.ACCTNO": "4000"}),
    ("ITEM", {"ITEMID": "NOACCT", "NAME": "Item without an income account", "BASEPRICE": "10"}),
]


@pytest.fixture
def oe(make_company, gateway_url) -> Gateway:
    return Gateway(gateway_url, company=make_company(BASIC_RECORDS + ITEMS))


def so_transaction(definition: str, number: str | None, lines: list[dict[str, Any]], **extra: Any) -> str:
    data: dict[str, Any] = {"transactiontype": definition, **day("datecreated", "03/05/2026"), "customerid": "C-1"}
    if number:
        data["documentno"] = number
    data.update(extra)
    data["sotransitems"] = {"sotransitem": lines}
    return fn(record_xml("create_sotransaction", data))


LINES = [{"itemid": "HOUR", "quantity": "4"}, {"itemid": "KIT", "quantity": "2", "price": "75.00", "memo": "discounted"}]


def key_of(reply) -> str:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return result.findtext("key")


def document(gw: Gateway, docid: str):
    reply = gw.ok(fn(f"<readByName><object>SODOCUMENT</object><keys>{docid}</keys><fields>*</fields></readByName>"))
    return reply.result().find("data/SODOCUMENT")


def test_a_sales_order_reads_back_with_zero_based_lines_and_writes_nothing_to_ar(oe):
    docid = key_of(oe.call(so_transaction("Sales Order", "SO-1001", LINES, referenceno="PO-77", termname="N30")))
    assert docid == "Sales Order-SO-1001"
    doc = document(oe, docid)
    assert (doc.findtext("DOCPARID"), doc.findtext("STATE"), doc.findtext("TOTAL"), doc.findtext("PONUMBER"),
            doc.findtext("WHENDUE"), doc.findtext("PRRECORDKEY")) == (
        "Sales Order", "Pending", "750.00", "PO-77", "04/04/2026", "")
    lines = [(e.findtext("LINE_NO"), e.findtext("ITEMID"), e.findtext("ITEMNAME"), e.findtext("PRICE"), e.findtext("TOTAL"))
             for e in doc.find("SODOCUMENTENTRIES")]
    assert lines == [("0", "HOUR", "Consulting hour", "150.00", "600.00"), ("1", "KIT", "Starter kit", "75.00", "150.00")]
    assert oe.query("ARINVOICE", fields="RECORDNO").result().find("data").get("totalcount") == "0"


def test_a_sales_invoice_writes_its_ar_invoice_and_names_it(oe):
    docid = key_of(oe.call(so_transaction("Sales Invoice", "INV-2001", LINES)))
    doc = document(oe, docid)
    assert doc.findtext("STATE") == "Closed"
    invoice = read(oe, "ARINVOICE", doc.findtext("PRRECORDKEY"))
    assert (invoice.findtext("RECORDID"), invoice.findtext("CUSTOMERID"), invoice.findtext("TOTALENTERED"),
            invoice.findtext("STATE"), invoice.findtext("DOCHDRKEY")) == (
        "INV-2001", "C-1", "750.00", "Posted", doc.findtext("RECORDNO"))
    assert [(i.findtext("ACCOUNTNO"), i.findtext("TRX_AMOUNT"), i.findtext("ITEMID")) for i in invoice.find("ARINVOICEITEMS")] == [
        ("4000", "600.00", "HOUR"), ("4000", "150.00", "KIT")]


def test_editing_a_sales_invoice_replaces_its_ar_invoice_under_a_new_recordno(oe):
    docid = key_of(oe.call(so_transaction("Sales Invoice", "INV-2002", LINES)))
    old = int(document(oe, docid).findtext("PRRECORDKEY"))
    body = (f'<update_sotransaction key="{docid}"><message>One hour less</message><updatesotransitems>'
            '<updatesotransitem line_num="1"><itemid>HOUR</itemid><quantity>3</quantity></updatesotransitem>'
            "</updatesotransitems></update_sotransaction>")
    assert key_of(oe.call(fn(body))) == docid
    doc = document(oe, docid)
    new = int(doc.findtext("PRRECORDKEY"))
    assert new != old and doc.findtext("TOTAL") == "600.00"
    assert read(oe, "ARINVOICE", old) is None  # the integration's stored RECORDNO names nothing now
    assert read(oe, "ARINVOICE", new).findtext("TOTALENTERED") == "600.00"
    paid = errors(oe.call(fn(arpymt([(old, "10.00")]))))
    assert paid[0]["description2"] == f"Invalid Invoice key '{old}' specified."


def test_a_sales_invoice_whose_ar_invoice_has_a_payment_cannot_be_edited_or_deleted(oe):
    docid = key_of(oe.call(so_transaction("Sales Invoice", "INV-2003", LINES)))
    invoice = int(document(oe, docid).findtext("PRRECORDKEY"))
    oe.ok(fn(arpymt([(invoice, "100.00")])))
    found = errors(oe.call(fn(f'<update_sotransaction key="{docid}"><message>x</message></update_sotransaction>')))
    assert found[0]["description2"] == f"Document {docid} cannot be changed: its AR invoice has payments applied."
    assert errors(oe.call(fn(f'<delete_sotransaction key="{docid}"/>')))[0]["description2"].endswith(
        "its AR invoice has payments applied.")


def test_converting_a_sales_order_into_a_sales_invoice(oe):
    order = key_of(oe.call(so_transaction("Sales Order", "SO-1002", LINES)))
    invoice = key_of(oe.call(so_transaction("Sales Invoice", "INV-2004", [], createdfrom=order)))
    assert document(oe, order).findtext("STATE") == "Converted"
    doc = document(oe, invoice)
    assert (doc.findtext("CREATEDFROM"), doc.findtext("TOTAL")) == (order, "750.00")
    again = errors(oe.call(so_transaction("Sales Invoice", "INV-2005", [], createdfrom=order)))
    assert again[0]["description2"] == f"Document {order} is Converted and cannot be converted."
    assert "converted and cannot be edited" in errors(oe.call(fn(
        f'<update_sotransaction key="{order}"><message>x</message></update_sotransaction>')))[0]["description2"]


def test_generic_create_update_and_reads_by_transaction_definition(oe):
    record = {"DOCPARID": "Sales Order", "CUSTVENDID": "C-2", "WHENCREATED": "03/06/2026",
              "SODOCUMENTENTRIES": {"sodocumententry": [{"ITEMID": "KIT", "QUANTITY": "1"}]}}
    reply = oe.ok(fn(f"<create>{record_xml('SODOCUMENT', record)}</create>"))
    recordno = reply.result().findtext("data/sodocument/RECORDNO")
    docid = reply.result().findtext("data/sodocument/DOCID")
    assert docid == f"Sales Order-SO-{recordno}"  # numbered by the definition's prefix
    oe.ok(fn(f"<update>{record_xml('SODOCUMENT', {'DOCID': docid, 'MESSAGE': 'Rush'})}</update>"))
    assert document(oe, docid).findtext("MESSAGE") == "Rush"
    key_of(oe.call(so_transaction("Sales Invoice", "INV-2006", LINES)))
    rbq = oe.ok(fn("<readByQuery><object>SODOCUMENT</object><fields>DOCID</fields><query></query>"
                   "<docparid>Sales Invoice</docparid></readByQuery>"))
    assert [r.findtext("DOCID") for r in rbq.result().find("data")] == ["Sales Invoice-INV-2006"]


def test_order_entry_refusals(oe):
    assert errors(oe.call(so_transaction("Sales Quote", "Q-1", LINES)))[0]["description2"] == (
        "Invalid Transaction Definition 'Sales Quote' specified.")
    assert errors(oe.call(so_transaction("Sales Order", "SO-X", [{"itemid": "NOPE", "quantity": "1"}])))[0][
        "description2"] == "Invalid Item 'NOPE' specified."
    assert errors(oe.call(so_transaction("Sales Invoice", "INV-X", [{"itemid": "NOACCT", "quantity": "1"}])))[0][
        "description2"] == "Line 1: item NOACCT has no income account to post to."
    key_of(oe.call(so_transaction("Sales Order", "SO-DUP", LINES)))
    assert errors(oe.call(so_transaction("Sales Order", "SO-DUP", LINES)))[0]["description2"] == (
        "A transaction with the number 'SO-DUP' already exists.")
    assert errors(oe.call(fn('<update_sotransaction key="Sales Order-NOPE"><message>x</message>'
                             "</update_sotransaction>")))[0]["errorno"] == (
        "Cannot update non-existing SODOCUMENT with DOCID=Sales Order-NOPE.")


def test_deleting_a_sales_invoice_deletes_its_ar_invoice(oe):
    docid = key_of(oe.call(so_transaction("Sales Invoice", "INV-2007", LINES)))
    invoice = document(oe, docid).findtext("PRRECORDKEY")
    oe.ok(fn(f'<delete_sotransaction key="{docid}"/>'))
    assert read(oe, "ARINVOICE", invoice) is None


def test_order_entry_permissions(make_company, gateway_url):
    company = make_company(BASIC_RECORDS + ITEMS, users=[User("ws_user", "ws_user_pw"),
                                                         User("viewer", "viewer_pw", permissions={"OE": "read"})])
    owner, viewer = Gateway(gateway_url, company=company), Gateway(gateway_url, company=company, user=("viewer", "viewer_pw"))
    docid = key_of(owner.call(so_transaction("Sales Order", "SO-P1", LINES)))
    assert document(viewer, docid).findtext("DOCID") == docid
    refused = errors(viewer.call(so_transaction("Sales Order", "SO-P2", LINES)))
    assert refused[0]["errorno"] == "PL04000005"
