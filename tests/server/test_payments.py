"""AR and AP payments over real HTTP: ARPYMT, APPYMT, legacy create_arpayment and payment batches.

A payment applied to invoices or bills moves their TOTALPAID, TOTALDUE, STATE and WHENPAID;
over-application, already-paid and deleted documents are refused; the AR payment summary
frequency decides whether a batch key is required ("Please provide a payment batch key.");
paid documents can no longer be deleted or changed; a failed payment changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Gateway, fn, record_xml
from tests.support import count_records as count
from tests.support import read_record as read

BASE = "BL01001973"


# --------------------------------------------------------------------------- helpers


def errors_of(reply, index: int = 0) -> list[dict[str, str]]:
    result = reply.result(index)
    assert result.findtext("status") == "failure", reply.body.decode()
    return [{c.tag: (c.text or "") for c in e} for e in result.findall("errormessage/error")]


def ok_key(reply) -> int:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return int(result.findtext("key"))


def ok_recordno(reply, obj: str) -> int:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return int(result.findtext(f"data/{obj.lower()}/RECORDNO"))



def balance(gw: Gateway, obj: str, recordno: int) -> tuple[str, str, str, str, str]:
    rec = read(gw, obj, recordno)
    return (rec.findtext("STATE"), rec.findtext("RAWSTATE"), rec.findtext("TOTALPAID"), rec.findtext("TOTALDUE"),
            rec.findtext("WHENPAID"))


def legacy_date(mdy: str) -> dict:
    month, day, year = mdy.split("/")
    return {"year": year, "month": month, "day": day}


def new_invoice(gw: Gateway, amount: str = "100.00", number: str | None = None, customer: str = "C-1",
                action: str | None = None) -> int:
    data: dict[str, Any] = {"customerid": customer, "datecreated": legacy_date("03/01/2026"), "termname": "N30"}
    if action:
        data["action"] = action
    if number:
        data["invoiceno"] = number
    data["invoiceitems"] = {"lineitem": [{"glaccountno": "4000", "amount": amount}]}
    return ok_key(gw.call(fn(record_xml("create_invoice", data))))


def new_bill(gw: Gateway, amount: str = "300.00", number: str = "B-1", vendor: str = "V-1") -> int:
    xml = record_xml("APBILL", {
        "VENDORID": vendor, "WHENCREATED": "03/01/2026", "RECORDID": number, "TERMNAME": "N30",
        "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": amount}]},
    })
    return ok_recordno(gw.call(fn(f"<create>{xml}</create>")), "APBILL")


def arpymt(details: list[tuple[int, str]], customer: str = "C-1", **header: Any) -> str:
    data: dict[str, Any] = {"FINANCIALENTITY": "BOA", "PAYMENTMETHOD": "Cash", "CUSTOMERID": customer,
                            "RECEIPTDATE": "03/10/2026"}
    data.update(header)
    data = {k: v for k, v in data.items() if v is not None}
    if details:
        data["ARPYMTDETAILS"] = {"ARPYMTDETAIL": [{"RECORDKEY": k, "TRX_PAYMENTAMOUNT": a} for k, a in details]}
    return f"<create>{record_xml('ARPYMT', data)}</create>"


def appymt(details: list[tuple[int, str]], vendor: str = "V-1", **header: Any) -> str:
    data: dict[str, Any] = {"FINANCIALENTITY": "BOA", "PAYMENTMETHOD": "Printed Check", "VENDORID": vendor,
                            "PAYMENTDATE": "03/20/2026"}
    data.update(header)
    data = {k: v for k, v in data.items() if v is not None}
    if details:
        data["APPYMTDETAILS"] = {"APPYMTDETAIL": [{"RECORDKEY": k, "TRX_PAYMENTAMOUNT": a} for k, a in details]}
    return f"<create>{record_xml('APPYMT', data)}</create>"


def create_arpayment(customer: str = "C-1", items: list[tuple[int, str]] = (), **extra: Any) -> str:
    data: dict[str, Any] = {"customerid": customer}
    data.update(extra)
    body = record_xml("create_arpayment", data)
    lines = "".join(record_xml("arpaymentitem", {"invoicekey": k, "amount": a}) for k, a in items)
    return body.replace("</create_arpayment>", lines + "</create_arpayment>")


def create_batch(gw: Gateway, title: str = "March receipts", bank: str | None = "BOA") -> int:
    data: dict[str, Any] = {"batchtitle": title, "datecreated": legacy_date("03/10/2026")}
    if bank:
        data["bankaccountid"] = bank
    return ok_key(gw.call(fn(record_xml("create_arpaymentbatch", data))))


# --------------------------------------------------------------------------- ARPYMT applied to invoices


def test_partial_then_full_payment_moves_invoice_state_and_amounts(company):
    inv = new_invoice(company, "100.00", "INV-1")
    assert balance(company, "ARINVOICE", inv) == ("Posted", "A", "0.00", "100.00", "")

    first = ok_recordno(company.call(fn(arpymt([(inv, "40.00")]))), "ARPYMT")
    assert balance(company, "ARINVOICE", inv) == ("Partially Paid", "PP", "40.00", "60.00", "")

    ok_recordno(company.call(fn(arpymt([(inv, "60.00")], RECEIPTDATE="03/12/2026"))), "ARPYMT")
    assert balance(company, "ARINVOICE", inv) == ("Paid", "P", "100.00", "0.00", "03/12/2026")

    # the stored codes are what readByQuery filters on
    assert count(company, "ARINVOICE", "STATE = 'P'") == 1
    pay = read(company, "ARPYMT", first)
    assert pay.findtext("CUSTOMERID") == "C-1" and pay.findtext("CUSTOMERNAME") == "Acme Corp"
    assert pay.findtext("TOTALENTERED") == "40.00" and pay.findtext("TOTALPAID") == "40.00"
    assert pay.findtext("STATE") == "Complete" and pay.findtext("FINANCIALENTITY") == "BOA"
    details = pay.findall("ARPYMTDETAILS/arpymtdetail")
    assert [(d.findtext("RECORDKEY"), d.findtext("TRX_PAYMENTAMOUNT")) for d in details] == [(str(inv), "40.00")]


def test_one_payment_applied_to_several_invoices(company):
    a = new_invoice(company, "100.00", "INV-A")
    b = new_invoice(company, "50.00", "INV-B")
    c = new_invoice(company, "70.00", "INV-C")
    pay = ok_recordno(company.call(fn(arpymt([(a, "100.00"), (b, "20.00")]))), "ARPYMT")
    assert balance(company, "ARINVOICE", a)[:4] == ("Paid", "P", "100.00", "0.00")
    assert balance(company, "ARINVOICE", b)[:4] == ("Partially Paid", "PP", "20.00", "30.00")
    assert balance(company, "ARINVOICE", c)[:4] == ("Posted", "A", "0.00", "70.00")
    assert read(company, "ARPYMT", pay).findtext("TOTALENTERED") == "120.00"


def test_two_details_on_the_same_invoice_count_together(company):
    inv = new_invoice(company, "100.00")
    errs = errors_of(company.call(fn(arpymt([(inv, "60.00"), (inv, "60.00")]))))
    assert errs[0]["description2"] == "The payment amount 60.00 exceeds the amount due 40.00 for invoice " + str(inv) + "."
    company.ok(fn(arpymt([(inv, "60.00"), (inv, "40.00")])))
    assert balance(company, "ARINVOICE", inv)[:4] == ("Paid", "P", "100.00", "0.00")


def test_payment_larger_than_the_amount_due_is_refused_and_changes_nothing(company):
    inv = new_invoice(company, "100.00", "INV-1")
    company.ok(fn(arpymt([(inv, "30.00")])))
    reply = company.call(fn(arpymt([(inv, "70.01")])))
    errs = errors_of(reply)
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "The payment amount 70.01 exceeds the amount due 70.00 for invoice INV-1."
    assert errs[-1]["description2"] == "Could not create Payment record!"
    assert reply.result().find("data").get("count") == "0"
    assert balance(company, "ARINVOICE", inv)[:4] == ("Partially Paid", "PP", "30.00", "70.00")
    assert count(company, "ARPYMT") == 1


def test_paying_an_invoice_that_is_already_paid_is_bl03000130(company):
    inv = new_invoice(company, "100.00", "INV-9")
    company.ok(fn(arpymt([(inv, "100.00")])))
    errs = errors_of(company.call(fn(arpymt([(inv, "1.00")]))))
    assert errs[0]["errorno"] == "BL03000130"
    assert errs[0]["description2"] == "Invoice INV-9 is already paid."
    assert errs[-1]["description2"] == "Could not create Payment record!"
    assert count(company, "ARPYMT") == 1


@pytest.mark.parametrize("amount", ["0", "-5.00"])
def test_payment_detail_amount_must_be_positive(company, amount):
    inv = new_invoice(company)
    errs = errors_of(company.call(fn(arpymt([(inv, amount)]))))
    assert errs[0]["description2"] == "Payment detail 1: the payment amount must be greater than zero."
    assert balance(company, "ARINVOICE", inv)[:4] == ("Posted", "A", "0.00", "100.00")


def test_paying_a_deleted_invoice(company):
    inv = new_invoice(company, "100.00")
    company.ok(fn(f"<delete><object>ARINVOICE</object><keys>{inv}</keys></delete>"))
    errs = errors_of(company.call(fn(arpymt([(inv, "10.00")]))))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == f"Invalid Invoice key '{inv}' specified."
    assert count(company, "ARPYMT") == 0


def test_paying_another_customers_invoice_is_refused(company):
    inv = new_invoice(company, customer="C-2")
    errs = errors_of(company.call(fn(arpymt([(inv, "10.00")], customer="C-1"))))
    assert errs[0]["description2"] == f"Invoice {inv} does not belong to customer C-1."


def test_draft_invoice_cannot_be_paid(company):
    inv = new_invoice(company, action="Draft")
    errs = errors_of(company.call(fn(arpymt([(inv, "10.00")]))))
    assert errs[0]["description2"] == f"Invoice {inv} is not posted and cannot be paid."


def test_applied_amounts_cannot_exceed_the_payment_amount(company):
    inv = new_invoice(company, "100.00")
    errs = errors_of(company.call(fn(arpymt([(inv, "80.00")], PAYMENTAMOUNT="50.00"))))
    assert errs[0]["description2"] == "The amounts applied (80.00) exceed the payment amount (50.00)."
    # a payment larger than what it applies keeps the rest unapplied
    pay = ok_recordno(company.call(fn(arpymt([(inv, "80.00")], PAYMENTAMOUNT="120.00"))), "ARPYMT")
    rec = read(company, "ARPYMT", pay)
    assert (rec.findtext("TOTALENTERED"), rec.findtext("TOTALPAID"), rec.findtext("TOTALDUE")) == ("120.00", "80.00", "40.00")


def test_failed_payment_with_one_bad_detail_changes_no_invoice(company):
    good = new_invoice(company, "100.00", "INV-1")
    paid = new_invoice(company, "10.00", "INV-2")
    company.ok(fn(arpymt([(paid, "10.00")])))
    errs = errors_of(company.call(fn(arpymt([(good, "50.00"), (paid, "5.00")]))))
    assert errs[0]["errorno"] == "BL03000130"
    assert balance(company, "ARINVOICE", good)[:4] == ("Posted", "A", "0.00", "100.00")
    assert count(company, "ARPYMT") == 1 and count(company, "ARPYMTDETAIL") == 1


@pytest.mark.parametrize(
    "header, text",
    [
        ({"CUSTOMERID": None}, "Invalid Customer '' specified."),
        ({"CUSTOMERID": "NOPE"}, "Invalid Customer 'NOPE' specified."),
        ({"PAYMENTMETHOD": None}, "Required field 'Payment method' (PAYMENTMETHOD) is missing."),
        ({"RECEIPTDATE": None}, "Required field 'Receipt date' (RECEIPTDATE) is missing."),
        ({"FINANCIALENTITY": "NOBANK"}, "Invalid Bank Account 'NOBANK' specified."),
        ({"FINANCIALENTITY": None},
         "Provide a bank account (FINANCIALENTITY), an undeposited funds account or a payment batch key."),
        ({"FINANCIALENTITY": None, "UNDEPOSITEDACCOUNTNO": "1999"}, "Invalid GL Account '1999' specified."),
        ({"CURRENCY": "EUR"}, "Invalid Currency 'EUR' specified."),
    ],
    ids=["no-customer", "unknown-customer", "no-method", "no-date", "unknown-bank", "no-funds-source",
         "unknown-undeposited", "unknown-currency"],
)
def test_arpymt_header_errors(company, header, text):
    inv = new_invoice(company)
    errs = errors_of(company.call(fn(arpymt([(inv, "10.00")], **header))))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == text
    assert count(company, "ARPYMT") == 0
    assert balance(company, "ARINVOICE", inv)[:4] == ("Posted", "A", "0.00", "100.00")


def test_unknown_field_on_arpymt_is_dl02000001(company):
    inv = new_invoice(company)
    errs = errors_of(company.call(fn(arpymt([(inv, "10.00")], NOSUCHFIELD="x"))))
    assert errs[0]["errorno"] == "DL02000001"
    assert errs[0]["description2"] == "There was an error processing the request."


def test_undeposited_funds_account_instead_of_a_bank(company):
    inv = new_invoice(company)
    pay = ok_recordno(company.call(fn(arpymt([(inv, "10.00")], FINANCIALENTITY=None, UNDEPOSITEDACCOUNTNO="1000"))), "ARPYMT")
    assert read(company, "ARPYMT", pay).findtext("UNDEPOSITEDACCOUNTNO") == "1000"


def test_payment_receipt_date_in_a_closed_period(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_periods=["2026-04"]))
    inv = new_invoice(gw)
    errs = errors_of(gw.call(fn(arpymt([(inv, "10.00")], RECEIPTDATE="04/05/2026"))))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "Periods are closed. Your transaction date (04/05/2026) is within a period that's been closed."
    assert balance(gw, "ARINVOICE", inv)[:4] == ("Posted", "A", "0.00", "100.00")
    gw.ok(fn(arpymt([(inv, "10.00")], RECEIPTDATE="05/01/2026")))


# --------------------------------------------------------------------------- batch keys and summary frequency


def user_defined(make_company, gateway_url) -> Gateway:
    return Gateway(gateway_url, company=make_company(ar_payment_summary_frequency="User-defined"))


def test_user_defined_frequency_requires_a_batch_key_on_arpymt(make_company, gateway_url):
    gw = user_defined(make_company, gateway_url)
    inv = new_invoice(gw)
    errs = errors_of(gw.call(fn(arpymt([(inv, "10.00")]))))  # a bank account is not enough
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "Please provide a payment batch key."
    assert errs[-1]["description2"] == "Could not create Payment record!"
    assert count(gw, "ARPYMT") == 0
    batch = create_batch(gw, "March receipts")
    pay = ok_recordno(gw.call(fn(arpymt([(inv, "10.00")], FINANCIALENTITY=None, PRBATCHKEY=batch))), "ARPYMT")
    rec = read(gw, "ARPYMT", pay)
    assert rec.findtext("PRBATCHKEY") == str(batch)
    assert rec.findtext("PRBATCH") == "March receipts"
    assert rec.findtext("FINANCIALENTITY") == "BOA"  # from the batch
    assert balance(gw, "ARINVOICE", inv)[:4] == ("Partially Paid", "PP", "10.00", "90.00")


def test_create_arpayment_without_batchkey_under_user_defined_frequency(make_company, gateway_url):
    gw = user_defined(make_company, gateway_url)
    inv = new_invoice(gw)
    reply = gw.call(fn(create_arpayment(items=[(inv, "25.00")], bankaccountid="BOA", paymentmethod="Printed Check",
                                        datereceived=legacy_date("03/10/2026"))))
    errs = errors_of(reply)
    assert errs[0]["description2"] == "Please provide a payment batch key."
    assert reply.result().find("key") is None
    assert balance(gw, "ARINVOICE", inv)[:4] == ("Posted", "A", "0.00", "100.00")


def test_create_arpayment_with_batchkey_under_user_defined_frequency(make_company, gateway_url):
    gw = user_defined(make_company, gateway_url)
    inv = new_invoice(gw)
    batch = create_batch(gw)
    key = ok_key(gw.call(fn(create_arpayment(items=[(inv, "25.00")], batchkey=batch, paymentmethod="Printed Check",
                                             datereceived=legacy_date("03/10/2026"), refid="CHK-1"))))
    rec = read(gw, "ARPYMT", key)
    assert rec.findtext("PRBATCHKEY") == str(batch) and rec.findtext("DOCNUMBER") == "CHK-1"
    assert rec.findtext("RECEIPTDATE") == "03/10/2026"
    assert balance(gw, "ARINVOICE", inv)[:4] == ("Partially Paid", "PP", "25.00", "75.00")


def test_unknown_batch_key_is_refused(make_company, gateway_url):
    gw = user_defined(make_company, gateway_url)
    inv = new_invoice(gw)
    errs = errors_of(gw.call(fn(create_arpayment(items=[(inv, "25.00")], batchkey="999999", paymentmethod="Cash",
                                                 datereceived=legacy_date("03/10/2026")))))
    assert errs[0]["description2"] == "Invalid payment batch key '999999' specified."


@pytest.mark.parametrize("frequency", ["Daily", "Monthly"])
def test_daily_and_monthly_frequencies_need_no_batch_key(make_company, gateway_url, frequency):
    gw = Gateway(gateway_url, company=make_company(ar_payment_summary_frequency=frequency))
    inv = new_invoice(gw)
    key = ok_key(gw.call(fn(create_arpayment(items=[(inv, "100.00")], bankaccountid="BOA", paymentmethod="Cash",
                                             datereceived=legacy_date("03/15/2026")))))
    assert read(gw, "ARPYMT", key).findtext("PRBATCHKEY") == ""
    assert balance(gw, "ARINVOICE", inv) == ("Paid", "P", "100.00", "0.00", "03/15/2026")
    # ARPYMT by generic create likewise
    inv2 = new_invoice(gw, "20.00")
    gw.ok(fn(arpymt([(inv2, "20.00")])))
    # a batch key is still accepted with these frequencies
    batch = create_batch(gw)
    inv3 = new_invoice(gw, "30.00")
    gw.ok(fn(arpymt([(inv3, "30.00")], FINANCIALENTITY=None, PRBATCHKEY=batch)))


def test_create_arpayment_with_no_funds_source_under_daily_frequency(company):
    inv = new_invoice(company)
    errs = errors_of(company.call(fn(create_arpayment(items=[(inv, "1.00")], paymentmethod="Cash",
                                                      datereceived=legacy_date("03/15/2026")))))
    assert errs[0]["description2"] == \
        "Provide a bank account (FINANCIALENTITY), an undeposited funds account or a payment batch key."


def test_create_arpayment_paymentamount_and_advance(company):
    inv = new_invoice(company, "100.00")
    key = ok_key(company.call(fn(create_arpayment(paymentamount="150.00", items=[(inv, "100.00")], bankaccountid="BOA",
                                                  paymentmethod="EFT", datereceived=legacy_date("03/15/2026")))))
    rec = read(company, "ARPYMT", key)
    assert (rec.findtext("TOTALENTERED"), rec.findtext("TOTALPAID"), rec.findtext("TOTALDUE")) == ("150.00", "100.00", "50.00")
    # without arpaymentitem: an advance, no invoice touched
    advance = ok_key(company.call(fn(create_arpayment(paymentamount="75.00", bankaccountid="BOA", paymentmethod="Cash",
                                                      datereceived=legacy_date("03/16/2026")))))
    rec = read(company, "ARPYMT", advance)
    assert rec.findtext("RECORDTYPE") == "rr" and rec.findtext("TOTALDUE") == "75.00"
    assert rec.findall("ARPYMTDETAILS/arpymtdetail") == []


def test_create_arpayment_against_a_paid_invoice_is_bl03000130(company):
    inv = new_invoice(company, "40.00", "INV-40")
    pay = dict(bankaccountid="BOA", paymentmethod="Cash", datereceived=legacy_date("03/15/2026"))
    ok_key(company.call(fn(create_arpayment(items=[(inv, "40.00")], **pay))))
    errs = errors_of(company.call(fn(create_arpayment(items=[(inv, "40.00")], **pay))))
    assert errs[0]["errorno"] == "BL03000130"
    assert errs[0]["description2"] == "Invoice INV-40 is already paid."


# --------------------------------------------------------------------------- ARPAYMENTBATCH


def test_payment_batch_is_created_with_the_legacy_function_and_readable(company):
    key = create_batch(company, "Lockbox 12")
    reply = company.query("ARPAYMENTBATCH", f"RECORDNO = {key}", fields="RECORDNO,TITLE,BATCHDATE,FINANCIALENTITY,STATUS")
    rec = reply.result().find("data/arpaymentbatch")
    assert (rec.findtext("TITLE"), rec.findtext("BATCHDATE"), rec.findtext("FINANCIALENTITY"), rec.findtext("STATUS")) == (
        "Lockbox 12", "03/10/2026", "BOA", "active")


def test_payment_batch_errors(company):
    errs = errors_of(company.call(fn(record_xml("create_arpaymentbatch", {"datecreated": legacy_date("03/10/2026")}))))
    assert errs[0]["description2"] == "Required field 'Title' (TITLE) is missing."
    errs = errors_of(company.call(fn(record_xml("create_arpaymentbatch", {"batchtitle": "X"}))))
    assert errs[0]["description2"] == "Required field 'Batch date' is missing."
    errs = errors_of(company.call(fn(record_xml("create_arpaymentbatch", {
        "batchtitle": "X", "datecreated": legacy_date("03/10/2026"), "bankaccountid": "NOBANK"}))))
    assert errs[0]["description2"] == "Invalid Bank Account 'NOBANK' specified."
    xml = record_xml("ARPAYMENTBATCH", {"TITLE": "X", "BATCHDATE": "03/10/2026"})
    errs = errors_of(company.call(fn(f"<create>{xml}</create>")))
    assert errs[0]["description2"] == "API operation 'CREATE' cannot be performed on objects of type arpaymentbatch"
    assert count(company, "ARPAYMENTBATCH") == 0


# --------------------------------------------------------------------------- deleting paid and paying deleted


def test_paid_invoice_cannot_be_deleted(company):
    inv = new_invoice(company, "100.00", "INV-5")
    company.ok(fn(arpymt([(inv, "10.00")])))
    errs = errors_of(company.call(fn(f"<delete><object>ARINVOICE</object><keys>{inv}</keys></delete>")))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "Cannot delete invoice INV-5: payments have been applied to it."
    assert errs[-1]["description2"] == "Could not delete Invoice record!"
    errs = errors_of(company.call(fn(f'<delete_invoice key="{inv}"/>')))
    assert errs[0]["description2"] == "Cannot delete invoice INV-5: payments have been applied to it."
    assert count(company, "ARINVOICE") == 1 and count(company, "ARINVOICEITEM") == 1


def test_complete_payment_cannot_be_deleted_but_a_draft_can(company):
    inv = new_invoice(company, "100.00")
    pay = ok_recordno(company.call(fn(arpymt([(inv, "10.00")]))), "ARPYMT")
    errs = errors_of(company.call(fn(f"<delete><object>ARPYMT</object><keys>{pay}</keys></delete>")))
    assert errs[0]["description2"] == "Only draft payments can be deleted."
    draft = ok_recordno(company.call(fn(arpymt([(inv, "20.00")], ACTION="Draft"))), "ARPYMT")
    assert read(company, "ARPYMT", draft).findtext("STATE") == "Draft"
    # a draft payment does not move the invoice
    assert balance(company, "ARINVOICE", inv)[:4] == ("Partially Paid", "PP", "10.00", "90.00")
    company.ok(fn(f"<delete><object>ARPYMT</object><keys>{draft}</keys></delete>"))
    assert count(company, "ARPYMT") == 1


# --------------------------------------------------------------------------- APPYMT against bills


def test_ap_payment_moves_bill_state_and_amounts(company):
    bill = new_bill(company, "300.00", "B-1")
    pay = ok_recordno(company.call(fn(appymt([(bill, "100.00")]))), "APPYMT")
    assert balance(company, "APBILL", bill) == ("Partially Paid", "PP", "100.00", "200.00", "")
    rec = read(company, "APPYMT", pay)
    assert rec.findtext("VENDORID") == "V-1" and rec.findtext("VENDORNAME") == "Initech"
    assert rec.findtext("TOTALENTERED") == "100.00" and rec.findtext("STATE") == "Complete"
    assert [(d.findtext("RECORDKEY"), d.findtext("TRX_PAYMENTAMOUNT"))
            for d in rec.findall("APPYMTDETAILS/appymtdetail")] == [(str(bill), "100.00")]
    company.ok(fn(appymt([(bill, "200.00")], PAYMENTDATE="03/25/2026")))
    assert balance(company, "APBILL", bill) == ("Paid", "P", "300.00", "0.00", "03/25/2026")
    assert count(company, "APBILL", "STATE = 'P'") == 1


def test_ap_payment_overpayment_and_already_paid(company):
    bill = new_bill(company, "50.00", "B-50")
    errs = errors_of(company.call(fn(appymt([(bill, "50.01")]))))
    assert errs[0]["description2"] == "The payment amount 50.01 exceeds the amount due 50.00 for bill B-50."
    company.ok(fn(appymt([(bill, "50.00")])))
    errs = errors_of(company.call(fn(appymt([(bill, "1.00")]))))
    assert errs[0]["errorno"] == "BL03000130"
    assert errs[0]["description2"] == "Bill B-50 is already paid."
    assert count(company, "APPYMT") == 1


def test_ap_payment_references(company):
    bill = new_bill(company, "50.00", "B-1", vendor="V-2")
    errs = errors_of(company.call(fn(appymt([(bill, "5.00")], vendor="V-1"))))
    assert errs[0]["description2"] == f"Bill {bill} does not belong to vendor V-1."
    errs = errors_of(company.call(fn(appymt([(bill, "5.00")], vendor="V-2", FINANCIALENTITY=None))))
    assert errs[0]["description2"] == "Required field 'Bank account' (FINANCIALENTITY) is missing."
    errs = errors_of(company.call(fn(appymt([(bill, "5.00")], vendor="V-2", FINANCIALENTITY="NOBANK"))))
    assert errs[0]["description2"] == "Invalid Bank Account 'NOBANK' specified."
    errs = errors_of(company.call(fn(appymt([(bill, "5.00")], vendor="V-2", PAYMENTDATE=None))))
    assert errs[0]["description2"] == "Required field 'Payment date' (PAYMENTDATE) is missing."
    errs = errors_of(company.call(fn(appymt([(bill, "5.00")], vendor="NOPE"))))
    assert errs[0]["description2"] == "Invalid Vendor 'NOPE' specified."
    assert balance(company, "APBILL", bill)[:4] == ("Posted", "A", "0.00", "50.00")


def test_ap_payment_ignores_the_ar_batch_rule(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(ar_payment_summary_frequency="User-defined"))
    bill = new_bill(gw)
    gw.ok(fn(appymt([(bill, "10.00")])))


def test_paying_a_deleted_bill(company):
    bill = new_bill(company)
    company.ok(fn(f'<delete_bill key="{bill}"/>'))
    errs = errors_of(company.call(fn(appymt([(bill, "10.00")]))))
    assert errs[0]["description2"] == f"Invalid Bill key '{bill}' specified."
    assert count(company, "APPYMT") == 0


def test_paid_bill_cannot_be_deleted_or_changed(company):
    bill = new_bill(company, "300.00", "B-3")
    company.ok(fn(appymt([(bill, "100.00")])))
    errs = errors_of(company.call(fn(f"<delete><object>APBILL</object><keys>{bill}</keys></delete>")))
    assert errs[0]["description2"] == "Cannot delete bill B-3: payments have been applied to it."
    errs = errors_of(company.call(fn(f'<delete_bill key="{bill}"/>')))
    assert errs[0]["description2"] == "Cannot delete bill B-3: payments have been applied to it."
    reply = company.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': bill, 'DESCRIPTION': 'x'})}</update>"))
    errs = errors_of(reply)
    assert errs[0]["description2"] == "This bill cannot be updated because it is Partially Paid."
    assert errs[-1]["description2"] == "Could not update Bill record!"
    assert balance(company, "APBILL", bill)[:4] == ("Partially Paid", "PP", "100.00", "200.00")


def test_ap_payment_date_in_a_closed_period(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_periods=["2026-04"]))
    bill = new_bill(gw)
    errs = errors_of(gw.call(fn(appymt([(bill, "10.00")], PAYMENTDATE="04/02/2026"))))
    assert errs[0]["description2"] == "Periods are closed. Your transaction date (04/02/2026) is within a period that's been closed."
    assert balance(gw, "APBILL", bill)[:4] == ("Posted", "A", "0.00", "300.00")


def test_a_subledger_numbers_its_documents_and_payments_from_one_sequence(make_company, gateway_url):
    """Intacct numbers AR invoices, adjustments and payments from one sequence (AP likewise), so a key
    such as apply_arpayment's names one record: a payment and a credit memo are never both record 2."""
    gw = Gateway(gateway_url, company=make_company())
    invoice = new_invoice(gw, "100.00", number="SEQ-1")
    bill = new_bill(gw, number="SEQ-B1")
    memo = ok_key(gw.call(fn(record_xml("create_aradjustment", {
        "customerid": "C-1", "datecreated": legacy_date("03/02/2026"), "adjustmentno": "CM-SEQ",
        "aradjustmentitems": {"lineitem": [{"glaccountno": "4000", "amount": "-5.00"}]}}))))
    payment = ok_recordno(gw.call(fn(arpymt([(invoice, "10.00")]))), "ARPYMT")
    bill_payment = ok_recordno(gw.call(fn(appymt([(bill, "20.00")]))), "APPYMT")
    assert [memo - invoice, payment - memo] == [1, 1]  # the bill between them took nothing from AR's sequence
    assert bill_payment == bill + 1
    for obj, recordno in (("ARINVOICE", invoice), ("ARADJUSTMENT", memo), ("ARPYMT", payment)):
        others = {"ARINVOICE", "ARADJUSTMENT", "ARPYMT"} - {obj}
        assert all(count(gw, other, f"RECORDNO = {recordno}") == 0 for other in others)
