"""A document's whole life over real HTTP: legacy updates, reversals, payment reversals and voids.

The shapes are the official SDKs' (BillUpdate, InvoiceUpdate with ``<updatelineitem line_num>``,
BillReverse, InvoiceReverse, ArPaymentReverse, ApPaymentReverse, ApPaymentVoid); the rules are
what integrators meet: an edited document keeps its lines but the ones it changes, a reversed
document cannot be paid or deleted, a reversed payment gives the documents their amounts due
back, and a lookback sync over WHENMODIFIED sees every record that moved.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.test_payments import appymt, arpymt, ok_key, ok_recordno
from tests.support import Gateway, fn, record_xml
from tests.support import count_records as count
from tests.support import read_record as read


def day(tag: str, mdy: str) -> dict[str, dict[str, str]]:
    month, dd, year = mdy.split("/")
    return {tag: {"year": year, "month": month, "day": dd}}


def new_bill(gw: Gateway, number: str = "L-1", amounts: tuple[str, ...] = ("100.00", "20.00"), **extra: Any) -> int:
    data: dict[str, Any] = {"vendorid": "V-1", **day("datecreated", "03/02/2026"), "termname": "N30", "billno": number,
                            **extra, "billitems": {"lineitem": [{"glaccountno": "6220", "amount": a, "memo": f"line {n}"}
                                                                for n, a in enumerate(amounts, start=1)]}}
    return ok_key(gw.call(fn(record_xml("create_bill", data))))


def new_invoice(gw: Gateway, number: str = "INV-L1", amount: str = "100.00") -> int:
    data = {"customerid": "C-1", **day("datecreated", "03/02/2026"), "termname": "N30", "invoiceno": number,
            "invoiceitems": {"lineitem": [{"glaccountno": "4000", "amount": amount}]}}
    return ok_key(gw.call(fn(record_xml("create_invoice", data))))


def errors(reply) -> list[dict[str, str]]:
    result = reply.result()
    assert result.findtext("status") == "failure", reply.body.decode()
    return [{c.tag: c.text or "" for c in e} for e in result.findall("errormessage/error")]


def lines_of(gw: Gateway, obj: str, recordno: int) -> list[tuple[str, str]]:
    rec = read(gw, obj, recordno)
    return [(line.findtext("TRX_AMOUNT"), line.findtext("ENTRYDESCRIPTION")) for line in rec.find(f"{obj}ITEMS")]


def reverse(gw: Gateway, function: str, key: int, mdy: str = "03/25/2026", memo: str | None = None):
    data: dict[str, Any] = day("datereversed", mdy)
    if memo:
        data["description"] = memo
    body = record_xml(function, data).replace(f"<{function}>", f'<{function} key="{key}">', 1)
    return gw.call(fn(body))


@pytest.fixture
def travel(clock):
    start = clock.now()
    yield clock
    clock.set(start)


# --------------------------------------------------------------------------- update_bill / update_invoice


def test_update_bill_changes_the_header_and_the_line_it_names_and_adds_one(company):
    key = new_bill(company)
    body = (f'<update_bill key="{key}"><description>Edited</description><ponumber>PO-9</ponumber>'
            '<updatebillitems><updatelineitem line_num="2"><amount>25.50</amount></updatelineitem>'
            '<lineitem><glaccountno>6400</glaccountno><amount>4.50</amount><memo>fee</memo></lineitem>'
            "</updatebillitems></update_bill>")
    reply = company.ok(fn(body))
    assert reply.result().findtext("key") == str(key)
    rec = read(company, "APBILL", key)
    assert (rec.findtext("DESCRIPTION"), rec.findtext("DOCNUMBER"), rec.findtext("TOTALENTERED")) == (
        "Edited", "PO-9", "130.00")
    assert lines_of(company, "APBILL", key) == [("100.00", "line 1"), ("25.50", "line 2"), ("4.50", "fee")]


def test_update_bill_by_external_key(company):
    key = new_bill(company, "L-EXT", externalid="EXT-77")
    company.ok(fn('<update_bill key="EXT-77" externalkey="true"><description>By external id</description>'
                  "</update_bill>"))
    assert read(company, "APBILL", key).findtext("DESCRIPTION") == "By external id"
    assert lines_of(company, "APBILL", key) == [("100.00", "line 1"), ("20.00", "line 2")]  # no lines sent: kept


def test_update_bill_of_a_missing_record_or_line(company):
    assert errors(company.call(fn('<update_bill key="999999"><description>x</description></update_bill>')))[0][
        "errorno"] == "Cannot update non-existing APBILL with RECORDNO=999999."
    key = new_bill(company, "L-LINES")
    found = errors(company.call(fn(f'<update_bill key="{key}"><updatebillitems><updatelineitem line_num="3">'
                                   "<amount>1</amount></updatelineitem></updatebillitems></update_bill>")))
    assert found[0]["description2"] == "Line 3 does not exist on bill L-LINES: it has 2 line(s)."
    assert found[-1]["description2"] == "Could not update Bill record!"


def test_an_invoice_with_a_payment_cannot_be_edited(company):
    inv = new_invoice(company)
    company.ok(fn(arpymt([(inv, "40.00")])))
    found = errors(company.call(fn(f'<update_invoice key="{inv}"><description>late edit</description></update_invoice>')))
    assert found[0]["description2"] == "This invoice cannot be updated because it is Partially Paid."


def test_generic_update_of_a_bill_changes_it_as_update_bill_does(company):
    key = new_bill(company, "L-GEN")
    company.ok(fn(f"<update>{record_xml('APBILL', {'RECORDNO': key, 'DESCRIPTION': 'via update'})}</update>"))
    assert read(company, "APBILL", key).findtext("DESCRIPTION") == "via update"
    assert lines_of(company, "APBILL", key) == [("100.00", "line 1"), ("20.00", "line 2")]


# --------------------------------------------------------------------------- reverse_bill / reverse_invoice


def test_reversing_a_bill_marks_it_reversed_and_writes_the_reversal(company):
    key = new_bill(company, "L-REV")
    reply = reverse(company, "reverse_bill", key, memo="Entered twice")
    reversal = int(reply.result().findtext("key"))
    assert reversal != key
    original, rev = read(company, "APBILL", key), read(company, "APBILL", reversal)
    assert (original.findtext("STATE"), original.findtext("TOTALDUE")) == ("Reversed", "0.00")
    assert (rev.findtext("STATE"), rev.findtext("TOTALENTERED"), rev.findtext("WHENCREATED"),
            rev.findtext("DESCRIPTION"), rev.findtext("RECORDID")) == ("Reversal", "-120.00", "03/25/2026",
                                                                       "Entered twice", "L-REV")
    assert lines_of(company, "APBILL", reversal) == [("-100.00", "line 1"), ("-20.00", "line 2")]


def test_a_reversed_bill_cannot_be_paid_deleted_edited_or_reversed_again(company):
    key = new_bill(company, "L-DEAD")
    reverse(company, "reverse_bill", key)
    paid = errors(company.call(fn(appymt([(key, "10.00")]))))
    assert paid[0]["description2"] == "Bill L-DEAD is reversed and cannot be paid."
    assert errors(company.call(fn(f'<delete_bill key="{key}"/>')))[0]["description2"] == (
        "Cannot delete bill L-DEAD: it is reversed.")
    assert errors(company.call(fn(f'<update_bill key="{key}"><description>x</description></update_bill>')))[0][
        "description2"] == "This bill cannot be updated because it is Reversed."
    assert errors(reverse(company, "reverse_bill", key))[0]["description2"] == "The bill L-DEAD is already reversed."


def test_reversal_is_refused_for_paid_draft_early_or_closed_period_documents(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_through="2026-02-28"))
    paid = new_invoice(gw, "INV-PAID")
    gw.ok(fn(arpymt([(paid, "10.00")])))
    assert errors(reverse(gw, "reverse_invoice", paid))[0]["description2"] == (
        "The invoice INV-PAID has payments applied and cannot be reversed.")
    draft = new_bill(gw, "L-DRAFT", action="Draft")
    assert "is a draft" in errors(reverse(gw, "reverse_bill", draft))[0]["description2"]
    bill = new_bill(gw, "L-EARLY")
    assert errors(reverse(gw, "reverse_bill", bill, "03/01/2026"))[0]["description2"] == (
        "The reversal date 03/01/2026 is before the bill's date 03/02/2026.")
    closed = errors(reverse(gw, "reverse_bill", bill, "02/15/2026"))
    assert "03/02/2026" in closed[0]["description2"]  # the date check comes first, as the earlier date
    assert errors(reverse(gw, "reverse_bill", 999999))[0]["description2"] == (
        "Cannot find apbill with key '999999' to reverse.")


# --------------------------------------------------------------------------- payments


def test_reversing_an_ar_payment_gives_the_invoices_their_amounts_due_back(company, travel):
    first, second = new_invoice(company, "INV-P1"), new_invoice(company, "INV-P2", "50.00")
    payment = ok_recordno(company.call(fn(arpymt([(first, "100.00"), (second, "20.00")]))), "ARPYMT")
    assert read(company, "ARINVOICE", first).findtext("STATE") == "Paid"
    travel.advance(hours=12)
    since = travel.now().strftime("%m/%d/%Y %H:%M:%S")
    reply = reverse(company, "reverse_arpayment", payment, memo="Cheque bounced")
    assert reply.result().findtext("key") == str(payment)
    assert [(r.findtext("STATE"), r.findtext("TOTALPAID"), r.findtext("TOTALDUE"), r.findtext("WHENPAID"))
            for r in (read(company, "ARINVOICE", first), read(company, "ARINVOICE", second))] == [
        ("Posted", "0.00", "100.00", ""), ("Posted", "0.00", "50.00", "")]
    pay = read(company, "ARPYMT", payment)
    assert (pay.findtext("STATE"), pay.findtext("DESCRIPTION")) == ("Reversed", "Cheque bounced")
    # A sync that looks back over WHENMODIFIED finds the payment and both invoices with their new state.
    assert count(company, "ARPYMT", f"WHENMODIFIED >= '{since}' AND STATE = 'R'") == 1
    assert count(company, "ARINVOICE", f"WHENMODIFIED >= '{since}'") == 2
    assert errors(reverse(company, "reverse_arpayment", payment))[0]["description2"].endswith("is already reversed.")


def test_voiding_and_reversing_ap_payments(company):
    bill = new_bill(company, "L-PAY", ("300.00",))
    first = ok_recordno(company.call(fn(appymt([(bill, "100.00")]))), "APPYMT")
    second = ok_recordno(company.call(fn(appymt([(bill, "200.00")]))), "APPYMT")
    assert read(company, "APBILL", bill).findtext("STATE") == "Paid"
    company.ok(fn(f"<void_appaymentrequest><appaymentkeys><appaymentkey>{first}</appaymentkey></appaymentkeys>"
                  "</void_appaymentrequest>"))
    assert read(company, "APPYMT", first).findtext("STATE") == "Voided"
    rec = read(company, "APBILL", bill)
    assert (rec.findtext("STATE"), rec.findtext("TOTALDUE")) == ("Partially Paid", "100.00")
    reverse(company, "reverse_appayment", second, "03/26/2026")
    rec = read(company, "APBILL", bill)
    assert (rec.findtext("STATE"), rec.findtext("TOTALDUE")) == ("Posted", "300.00")
    assert errors(reverse(company, "reverse_appayment", first))[0]["description2"].endswith("is already voided.")
    # The bill can be paid again now, and reversed once nothing is applied.
    company.ok(fn(appymt([(bill, "300.00")])))
