"""Legacy (2.1-style) functions over real HTTP, under dtdversion 2.1 and 3.0.

create_bill, create_invoice, create_apadjustment, create_aradjustment, create_arpayment,
create_arpaymentbatch answer with ``<key>`` (the new RECORDNO); create_supdoc, update_supdoc and
create_supdocfolder answer with the attachment or folder ID (the emulator's choice, protocol
notes open question 16); legacy deletes answer with status only; get_list lists attachments.
Under 2.1 the generic functions do not exist.
"""

from __future__ import annotations

from typing import Any

import pytest

from intacct_mock.company.model import CustomField
from tests.support import Gateway, fn, record_xml
from tests.support import count_records as count
from tests.support import read_record as read

BASE = "BL01001973"


# --------------------------------------------------------------------------- helpers


def d(mdy: str) -> dict:
    month, day, year = mdy.split("/")
    return {"year": year, "month": month, "day": day}


def create_bill(vendor: str | None = "V-1", billno: str | None = "B-1", lines: list[dict] | None = None, **extra: Any) -> str:
    data: dict[str, Any] = {}
    if vendor is not None:
        data["vendorid"] = vendor
    data["datecreated"] = extra.pop("datecreated", d("03/01/2026"))
    data.update(extra)
    data.setdefault("termname", "N30")
    if billno is not None:
        data["billno"] = billno
    data["billitems"] = {"lineitem": [{"glaccountno": "6220", "amount": "100.00"}] if lines is None else lines}
    return record_xml("create_bill", data)


def create_invoice(customer: str = "C-1", invoiceno: str | None = "INV-1", lines: list[dict] | None = None, **extra: Any) -> str:
    data: dict[str, Any] = {"customerid": customer, "datecreated": d("03/01/2026"), "termname": "N30"}
    if invoiceno:
        data["invoiceno"] = invoiceno
    data.update(extra)
    data["invoiceitems"] = {"lineitem": lines or [{"glaccountno": "4000", "amount": "250.00"}]}
    return record_xml("create_invoice", data)


def create_supdoc(supdocid: str = "ATT-1", name: str | None = "Scan of bill", folder: str = "Bills",
                  files: int = 1) -> str:
    data: dict[str, Any] = {"supdocid": supdocid}
    if name is not None:
        data["supdocname"] = name
    data["supdocfoldername"] = folder
    data["supdocdescription"] = "from the scanner"
    data["attachments"] = {"attachment": [
        {"attachmentname": f"page{n}", "attachmenttype": "pdf", "attachmentdata": "JVBERi0xLjQK"} for n in range(1, files + 1)
    ]}
    return record_xml("create_supdoc", data)


def legacy_ok(reply, index: int = 0) -> Any:
    result = reply.result(index)
    assert result.findtext("status") == "success", reply.body.decode()
    return result


def key_of(reply, index: int = 0) -> str:
    return legacy_ok(reply, index).findtext("key")


def errors_of(reply, index: int = 0) -> list[dict[str, str]]:
    result = reply.result(index)
    assert result.findtext("status") == "failure", reply.body.decode()
    return [{c.tag: (c.text or "") for c in e} for e in result.findall("errormessage/error")]


def control_failure(reply) -> dict[str, str]:
    """A whole-request failure: control status failure, errormessage under <response>, no operation."""
    assert reply.status == 200
    assert reply.text("control/status") == "failure", reply.body.decode()
    assert reply.xml.find("operation") is None
    errors = reply.errors("errormessage/error")
    assert errors, reply.body.decode()
    return errors[0]



def get_list(gw: Gateway, obj: str, filter_xml: str = "", **attrs: Any):
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    body = f'<get_list object="{obj}"{extra}>' + (f"<filter>{filter_xml}</filter>" if filter_xml else "") + "</get_list>"
    return gw.call(fn(body), dtdversion="2.1")


def expression(field: str, operator: str, value: str) -> str:
    return f"<expression><field>{field}</field><operator>{operator}</operator><value>{value}</value></expression>"


# --------------------------------------------------------------------------- dtdversion 2.1 envelopes


def test_create_bill_under_2_1_answers_with_the_new_recordno_as_key(company):
    reply = company.call(fn(create_bill(), "bill-1"), dtdversion="2.1")
    assert reply.status == 200
    assert reply.text("control/status") == "success"
    assert reply.text("control/dtdversion") == "2.1"
    result = legacy_ok(reply)
    assert [c.tag for c in result] == ["status", "function", "controlid", "key"]
    assert (result.findtext("function"), result.findtext("controlid")) == ("create_bill", "bill-1")
    key = result.findtext("key")
    assert key.isdigit()
    rec = read(company, "APBILL", key)
    assert rec.findtext("RECORDNO") == key
    assert (rec.findtext("RECORDID"), rec.findtext("TOTALENTERED"), rec.findtext("STATE")) == ("B-1", "100.00", "Posted")


def test_legacy_keys_are_increasing_record_numbers(company):
    reply = company.call(fn(create_bill(billno="B-1")), fn(create_bill(billno="B-2")), dtdversion="2.1")
    first, second = int(key_of(reply, 0)), int(key_of(reply, 1))
    assert second > first
    assert count(company, "APBILL") == 2


@pytest.mark.parametrize("function", [
    "<readByQuery><object>APBILL</object><fields>*</fields><query/></readByQuery>",
    "<create><CLASS><CLASSID>X</CLASSID><NAME>X</NAME></CLASS></create>",
    "<delete><object>APBILL</object><keys>1</keys></delete>",
])
def test_generic_functions_do_not_exist_under_2_1(company, function):
    reply = company.call(fn(function), dtdversion="2.1")
    err = control_failure(reply)
    assert err["errorno"] == "XL03000003"
    tag = function[1:function.index(">")]
    assert f"Element '{tag}': This element is not expected." in err["description2"]
    assert reply.text("control/dtdversion") == "2.1"
    assert count(company, "CLASS", "CLASSID = 'X'") == 0


def test_legacy_functions_also_work_under_3_0(company):
    key = key_of(company.call(fn(create_bill()), dtdversion="3.0"))
    assert read(company, "APBILL", key).findtext("VENDORID") == "V-1"


def test_legacy_uniqueid_ledger_applies_to_legacy_writes(company):
    company.ok(fn(create_bill(billno="U-1"), "legacy-u1"), dtdversion="2.1", uniqueid="true")
    reply = company.call(fn(create_bill(billno="U-2"), "legacy-u1"), dtdversion="2.1", uniqueid="true")
    err = errors_of(reply)[0]
    assert err["description2"] == "A successful transaction has already been recorded with the control id legacy-u1"
    assert count(company, "APBILL", "RECORDID = 'U-2'") == 0


# --------------------------------------------------------------------------- create_bill


def test_create_bill_maps_every_legacy_element(company):
    lines = [
        {"glaccountno": "6220", "amount": "80.00", "memo": "Licences", "locationid": "L100", "departmentid": "D100",
         "classid": "C1"},
        {"accountlabel": "Fees", "amount": "20.50", "customerid": "C-2", "billable": "true"},
    ]
    body = create_bill(billno="B-77", lines=lines, datedue=d("04/30/2026"), dateposted=d("03/02/2026"),
                       ponumber="PO-7", description="Spring", externalid="EXT-1", termname="N15")
    key = key_of(company.call(fn(body), dtdversion="2.1"))
    rec = read(company, "APBILL", key)
    assert (rec.findtext("RECORDID"), rec.findtext("DOCNUMBER"), rec.findtext("DESCRIPTION"), rec.findtext("EXTERNALID")) == (
        "B-77", "PO-7", "Spring", "EXT-1")
    assert (rec.findtext("WHENCREATED"), rec.findtext("WHENPOSTED"), rec.findtext("WHENDUE")) == (
        "03/01/2026", "03/02/2026", "04/30/2026")  # an explicit datedue wins over the term
    assert rec.findtext("TOTALENTERED") == "100.50" and rec.findtext("TOTALDUE") == "100.50"
    items = rec.findall("APBILLITEMS/apbillitem")
    assert [(i.findtext("ACCOUNTNO"), i.findtext("TRX_AMOUNT"), i.findtext("ENTRYDESCRIPTION"), i.findtext("LOCATIONID"),
             i.findtext("DEPARTMENTID"), i.findtext("CLASSID"), i.findtext("CUSTOMERID"), i.findtext("BILLABLE"))
            for i in items] == [
        ("6220", "80.00", "Licences", "L100", "D100", "C1", "", ""),
        ("6400", "20.50", "", "", "", "", "C-2", "true"),
    ]


def test_create_bill_due_date_from_termname(company):
    key = key_of(company.call(fn(create_bill(termname="N15")), dtdversion="2.1"))
    assert read(company, "APBILL", key).findtext("WHENDUE") == "03/16/2026"


def test_create_bill_accepts_plain_mdy_dates(company):
    key = key_of(company.call(fn(create_bill(datecreated="3/5/2026")), dtdversion="2.1"))
    assert read(company, "APBILL", key).findtext("WHENCREATED") == "03/05/2026"


@pytest.mark.parametrize("body, text", [
    (create_bill(vendor=None), "Required field 'Vendor ID' (VENDORID) is missing."),
    (create_bill(vendor="NOPE"), "Invalid Vendor 'NOPE' specified."),
    (create_bill(lines=[{"glaccountno": "9999", "amount": "1"}]), "Invalid GL Account '9999' specified."),
    (create_bill(lines=[{"glaccountno": "6220", "amount": "1", "projectid": "P-404"}]), "Invalid Project 'P-404' specified."),
    (create_bill(lines=[{"glaccountno": "6220"}]), "Line 1: required field 'Transaction amount' (TRX_AMOUNT) is missing."),
    (create_bill(lines=[{"glaccountno": "6220", "amount": "ten"}]), "'ten' is not a valid number for TRX_AMOUNT"),
    (create_bill(lines=[]), "A bill must have at least one line item."),
    (create_bill(datecreated=d("13/01/2026")), "Invalid date in <datecreated>."),
    (create_bill(supdocid="ATT-404"), "Invalid Attachment 'ATT-404' specified."),
], ids=["no-vendor", "vendor", "account", "project", "amount-missing", "amount-text", "no-lines", "bad-date", "supdoc"])
def test_create_bill_errors(company, body, text):
    reply = company.call(fn(body), dtdversion="2.1")
    errs = errors_of(reply)
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == text
    assert reply.result().find("key") is None
    assert count(company, "APBILL") == 0 and count(company, "APBILLITEM") == 0


def test_create_bill_duplicate_number(company):
    company.ok(fn(create_bill(billno="B-9")), dtdversion="2.1")
    errs = errors_of(company.call(fn(create_bill(billno="B-9")), dtdversion="2.1"))
    assert errs[0]["description2"] == "A transaction with the number 'B-9' already exists."
    assert errs[1]["description2"] == "Could not create Bill record!"


def test_create_bill_in_a_closed_period(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_through="2026-03-31"))
    errs = errors_of(gw.call(fn(create_bill()), dtdversion="2.1"))
    assert errs[0]["description2"] == "Periods are closed. Your transaction date (03/01/2026) is within a period that's been closed."
    # the GL date decides: a later dateposted is accepted
    key_of(gw.call(fn(create_bill(dateposted=d("04/01/2026"))), dtdversion="2.1"))


def test_unexpected_legacy_element_fails_the_whole_request(company):
    """The DTD rejects it: the request fails schema validation and nothing in it is written."""
    good = create_bill(billno="OK-1")
    bad = create_bill(billno="BAD-1").replace("<termname>", "<colour>red</colour><termname>")
    reply = company.call(fn(good), fn(bad), dtdversion="2.1")
    err = control_failure(reply)
    assert err["errorno"] == "XL03000003"
    assert err["description2"] == ("XML Parse schema error: Error 1871: Element 'colour': "
                                   "This element is not expected (in 'create_bill').")
    assert count(company, "APBILL") == 0 and count(company, "APBILLITEM") == 0


def test_unexpected_element_in_a_legacy_line(company):
    bad = create_bill(lines=[{"glaccountno": "6220", "amount": "1", "colour": "red"}])
    err = control_failure(company.call(fn(bad), dtdversion="2.1"))
    assert err["description2"].endswith("Element 'colour': This element is not expected (in 'lineitem').")
    assert count(company, "APBILL") == 0


def test_create_bill_custom_fields(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(custom_fields={"APBILL": [CustomField("PROJECT_CODE")]}))
    custom = {"customfield": [{"customfieldname": "project_code", "customfieldvalue": "PX-1"}]}
    key = key_of(gw.call(fn(create_bill(customfields=custom)), dtdversion="2.1"))
    assert read(gw, "APBILL", key).findtext("PROJECT_CODE") == "PX-1"
    bad = {"customfield": [{"customfieldname": "NOPE", "customfieldvalue": "x"}]}
    err = errors_of(gw.call(fn(create_bill(billno="B-2", customfields=bad)), dtdversion="2.1"))[0]
    assert err["errorno"] == "DL02000001"
    assert err["description2"] == "There was an error processing the request."
    assert count(gw, "APBILL") == 1


# --------------------------------------------------------------------------- create_invoice


def test_create_invoice_under_2_1(company):
    lines = [{"glaccountno": "4000", "amount": "1000.00", "memo": "Plan", "departmentid": "D100"},
             {"glaccountno": "4000", "amount": "99.99", "locationid": "L100"}]
    reply = company.call(fn(create_invoice(invoiceno="INV-42", lines=lines, ponumber="PO-1"), "inv-42"), dtdversion="2.1")
    result = legacy_ok(reply)
    assert (result.findtext("function"), result.findtext("controlid")) == ("create_invoice", "inv-42")
    rec = read(company, "ARINVOICE", result.findtext("key"))
    assert (rec.findtext("RECORDID"), rec.findtext("DOCNUMBER"), rec.findtext("CUSTOMERID")) == ("INV-42", "PO-1", "C-1")
    assert (rec.findtext("TOTALENTERED"), rec.findtext("TOTALDUE"), rec.findtext("STATE")) == ("1099.99", "1099.99", "Posted")
    assert [(i.findtext("TRX_AMOUNT"), i.findtext("DEPARTMENTID"), i.findtext("LOCATIONID"))
            for i in rec.findall("ARINVOICEITEMS/arinvoiceitem")] == [("1000.00", "D100", ""), ("99.99", "", "L100")]


def test_create_invoice_errors(company):
    company.ok(fn(create_invoice(invoiceno="INV-1")), dtdversion="2.1")
    errs = errors_of(company.call(fn(create_invoice(customer="C-2", invoiceno="INV-1")), dtdversion="2.1"))
    assert errs[0]["description2"] == "A transaction with the number 'INV-1' already exists."
    assert errs[1]["description2"] == "Could not create Invoice record!"
    errs = errors_of(company.call(fn(create_invoice(customer="NOPE", invoiceno="INV-2")), dtdversion="2.1"))
    assert errs[0]["description2"] == "Invalid Customer 'NOPE' specified."
    errs = errors_of(company.call(fn(create_invoice(invoiceno="INV-3", currency="GBP")), dtdversion="2.1"))
    assert errs[0]["description2"] == "Invalid Currency 'GBP' specified."
    assert count(company, "ARINVOICE") == 1


def test_create_invoice_draft_action(company):
    key = key_of(company.call(fn(create_invoice(action="Draft")), dtdversion="2.1"))
    rec = read(company, "ARINVOICE", key)
    assert (rec.findtext("STATE"), rec.findtext("RAWSTATE")) == ("Draft", "D")


# --------------------------------------------------------------------------- adjustments


def test_create_apadjustment_under_2_1(company):
    body = record_xml("create_apadjustment", {
        "vendorid": "V-2", "datecreated": d("03/03/2026"), "adjustmentno": "VC-1", "billno": "B-1",
        "description": "Credit for returns",
        "apadjustmentitems": {"lineitem": [{"glaccountno": "6220", "amount": "-15.00", "departmentid": "D100"}]},
    })
    reply = company.call(fn(body), dtdversion="2.1")
    assert legacy_ok(reply).findtext("function") == "create_apadjustment"
    rec = read(company, "APADJUSTMENT", key_of(reply))
    assert (rec.findtext("VENDORID"), rec.findtext("RECORDID"), rec.findtext("BILLNO")) == ("V-2", "VC-1", "B-1")
    assert (rec.findtext("TOTALENTERED"), rec.findtext("DESCRIPTION")) == ("-15.00", "Credit for returns")
    assert rec.findtext("APADJUSTMENTITEMS/apadjustmentitem/DEPARTMENTID") == "D100"


def test_create_aradjustment_under_2_1(company):
    body = record_xml("create_aradjustment", {
        "customerid": "C-2", "datecreated": d("03/03/2026"), "adjustmentno": "CM-1", "invoiceno": "INV-1",
        "aradjustmentitems": {"lineitem": [{"glaccountno": "4000", "amount": "-30.00"},
                                           {"glaccountno": "4000", "amount": "-5.25", "classid": "C1"}]},
    })
    reply = company.call(fn(body), dtdversion="2.1")
    rec = read(company, "ARADJUSTMENT", key_of(reply))
    assert (rec.findtext("CUSTOMERID"), rec.findtext("RECORDID"), rec.findtext("INVOICENO")) == ("C-2", "CM-1", "INV-1")
    assert rec.findtext("TOTALENTERED") == "-35.25"
    assert len(rec.findall("ARADJUSTMENTITEMS/aradjustmentitem")) == 2


def test_create_adjustment_errors(company):
    body = record_xml("create_aradjustment", {
        "customerid": "C-1", "datecreated": d("03/03/2026"),
        "aradjustmentitems": {"lineitem": [{"glaccountno": "4000", "amount": "-1", "departmentid": "D404"}]},
    })
    errs = errors_of(company.call(fn(body), dtdversion="2.1"))
    assert errs[0]["description2"] == "Invalid Department 'D404' specified."
    assert errs[-1]["description2"] == "Could not create AR Adjustment record!"
    body = record_xml("create_apadjustment", {"vendorid": "V-1", "datecreated": d("03/03/2026")})
    errs = errors_of(company.call(fn(body), dtdversion="2.1"))
    assert errs[0]["description2"] == "An AP adjustment must have at least one line item."
    assert count(company, "ARADJUSTMENT") == 0 and count(company, "APADJUSTMENT") == 0


# --------------------------------------------------------------------------- create_arpayment / batches


def test_create_arpaymentbatch_and_arpayment_under_2_1(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(ar_payment_summary_frequency="User-defined"))
    invoice_key = key_of(gw.call(fn(create_invoice()), dtdversion="2.1"))
    batch = gw.call(fn(record_xml("create_arpaymentbatch", {"batchtitle": "Lockbox", "datecreated": d("03/10/2026"),
                                                             "bankaccountid": "BOA"}), "batch-1"), dtdversion="2.1")
    result = legacy_ok(batch)
    assert (result.findtext("function"), result.findtext("controlid")) == ("create_arpaymentbatch", "batch-1")
    batchkey = result.findtext("key")
    assert batchkey.isdigit()
    # PHP SDK order: batchkey before translatedamount; ignored elements are accepted
    body = record_xml("create_arpayment", {
        "customerid": "C-1", "paymentamount": "250.00", "batchkey": batchkey, "translatedamount": "250.00",
        "refid": "CHK-9", "datereceived": d("03/11/2026"), "paymentmethod": "Printed Check",
        "arpaymentitem": {"invoicekey": invoice_key, "amount": "250.00"},
    })
    reply = gw.call(fn(body), dtdversion="2.1")
    payment = read(gw, "ARPYMT", key_of(reply))
    assert (payment.findtext("PRBATCHKEY"), payment.findtext("PRBATCH"), payment.findtext("DOCNUMBER")) == (
        batchkey, "Lockbox", "CHK-9")
    invoice = read(gw, "ARINVOICE", invoice_key)
    assert (invoice.findtext("STATE"), invoice.findtext("TOTALDUE"), invoice.findtext("WHENPAID")) == (
        "Paid", "0.00", "03/11/2026")


def test_create_arpayment_without_batchkey_when_one_is_needed(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(ar_payment_summary_frequency="User-defined"))
    invoice_key = key_of(gw.call(fn(create_invoice()), dtdversion="2.1"))
    body = record_xml("create_arpayment", {
        "customerid": "C-1", "paymentamount": "10.00", "bankaccountid": "BOA", "datereceived": d("03/11/2026"),
        "paymentmethod": "Cash", "arpaymentitem": {"invoicekey": invoice_key, "amount": "10.00"},
    })
    errs = errors_of(gw.call(fn(body), dtdversion="2.1"))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "Please provide a payment batch key."
    assert count(gw, "ARPYMT") == 0


def test_create_arpayment_several_items_and_unknown_element(company):
    a = key_of(company.call(fn(create_invoice(invoiceno="INV-A")), dtdversion="2.1"))
    b = key_of(company.call(fn(create_invoice(invoiceno="INV-B")), dtdversion="2.1"))
    body = record_xml("create_arpayment", {
        "customerid": "C-1", "bankaccountid": "BOA", "datereceived": d("03/11/2026"), "paymentmethod": "EFT",
        "arpaymentitem": [{"invoicekey": a, "amount": "250.00"}, {"invoicekey": b, "amount": "50.00"}],
    })
    payment = read(company, "ARPYMT", key_of(company.call(fn(body), dtdversion="2.1")))
    assert payment.findtext("TOTALENTERED") == "300.00"
    assert read(company, "ARINVOICE", a).findtext("STATE") == "Paid"
    assert read(company, "ARINVOICE", b).findtext("STATE") == "Partially Paid"
    bad = body.replace("<paymentmethod>", "<tip>5</tip><paymentmethod>")
    assert control_failure(company.call(fn(bad), dtdversion="2.1"))["errorno"] == "XL03000003"
    assert count(company, "ARPYMT") == 1


# --------------------------------------------------------------------------- supporting documents


def test_create_supdocfolder_answers_with_the_folder_name(company):
    body = record_xml("create_supdocfolder", {"supdocfoldername": "Receipts 2026", "supdocfolderdescription": "Scans"})
    reply = company.call(fn(body, "folder-1"), dtdversion="2.1")
    result = legacy_ok(reply)
    assert [c.tag for c in result] == ["status", "function", "controlid", "key"]
    assert result.findtext("key") == "Receipts 2026"
    listed = get_list(company, "supdocfolder", expression("name", "=", "Receipts 2026"))
    rec = legacy_ok(listed).find("data/supdocfolder")
    assert (rec.findtext("name"), rec.findtext("description")) == ("Receipts 2026", "Scans")
    errs = errors_of(company.call(fn(body), dtdversion="2.1"))
    assert errs[0]["errorno"] == "BL34000061"
    assert errs[0]["description2"] == "Another Attachment Folder with the given value(s) Receipts 2026  already exists"


def test_create_supdoc_answers_with_its_id_and_is_listed(company):
    reply = company.call(fn(create_supdoc("ATT-100", files=2)), dtdversion="2.1")
    assert key_of(reply) == "ATT-100"
    listed = get_list(company, "supdoc", expression("supdocid", "=", "ATT-100"))
    result = legacy_ok(listed)
    listtype = result.find("listtype")
    assert listtype.text == "supdoc"
    assert (listtype.get("start"), listtype.get("end"), listtype.get("total")) == ("0", "0", "1")
    rec = result.find("data/supdoc")
    assert (rec.findtext("supdocid"), rec.findtext("supdocname"), rec.findtext("folder"), rec.findtext("description")) == (
        "ATT-100", "Scan of bill", "Bills", "from the scanner")
    assert rec.findtext("creationdate") == "03/16/2026"  # MM/DD/YYYY, the emulator's frozen clock
    # the files themselves are readable through the 3.0 object
    attachment = read(company, "SUPDOC", rec.findtext("recordno"))
    files = attachment.findall("ATTACHMENTS/supdocattachment")
    assert [(f.findtext("ATTACHMENTNAME"), f.findtext("ATTACHMENTTYPE"), f.findtext("SIZE")) for f in files] == [
        ("page1", "pdf", "9"), ("page2", "pdf", "9")]


@pytest.mark.parametrize("body, errorno, text", [
    (create_supdoc(folder="Nowhere"), BASE, "Invalid Folder 'Nowhere' specified."),
    (create_supdoc(name=None), BASE, "Required field 'Attachment name' (SUPDOCNAME) is missing."),
], ids=["folder", "name"])
def test_create_supdoc_errors(company, body, errorno, text):
    errs = errors_of(company.call(fn(body), dtdversion="2.1"))
    assert (errs[0]["errorno"], errs[0]["description2"]) == (errorno, text)
    assert count(company, "SUPDOC") == 0


def test_create_supdoc_twice_is_a_duplicate(company):
    company.ok(fn(create_supdoc("ATT-1")), dtdversion="2.1")
    errs = errors_of(company.call(fn(create_supdoc("ATT-1")), dtdversion="2.1"))
    assert errs[0]["errorno"] == "BL34000061"
    assert errs[0]["description2"] == "Another Attachment with the given value(s) ATT-1  already exists"
    assert count(company, "SUPDOC") == 1


def test_update_supdoc_adds_files_and_changes_the_name(company):
    company.ok(fn(create_supdoc("ATT-7", files=1)), dtdversion="2.1")
    body = record_xml("update_supdoc", {
        "supdocid": "ATT-7", "supdocname": "Scan (signed)",
        "attachments": {"attachment": [{"attachmentname": "signature", "attachmenttype": "png", "attachmentdata": "iVBORw0K"}]},
    })
    assert key_of(company.call(fn(body), dtdversion="2.1")) == "ATT-7"
    rec = legacy_ok(get_list(company, "supdoc", expression("supdocid", "=", "ATT-7"))).find("data/supdoc")
    assert rec.findtext("supdocname") == "Scan (signed)"
    assert rec.findtext("folder") == "Bills"  # unchanged when not sent
    files = read(company, "SUPDOC", rec.findtext("recordno")).findall("ATTACHMENTS/supdocattachment")
    assert [f.findtext("ATTACHMENTNAME") for f in files] == ["page1", "signature"]


def test_update_supdoc_of_a_missing_attachment(company):
    body = record_xml("update_supdoc", {"supdocid": "ATT-404", "supdocname": "x"})
    err = errors_of(company.call(fn(body), dtdversion="2.1"))[0]
    assert err["errorno"] == "Cannot update non-existing SUPDOC with SUPDOCID=ATT-404."


def test_get_list_supdoc_filters_and_paging(company):
    company.ok(*(fn(create_supdoc(f"ATT-{n}")) for n in range(1, 5)), dtdversion="2.1")
    company.ok(fn(create_supdoc("OTHER-1")), dtdversion="2.1")
    either = (f'<logical logical_operator="or">{expression("supdocid", "=", "ATT-1")}'
              f'{expression("supdocid", "=", "OTHER-1")}</logical>')
    result = legacy_ok(get_list(company, "supdoc", either))
    assert sorted(r.findtext("supdocid") for r in result.findall("data/supdoc")) == ["ATT-1", "OTHER-1"]
    result = legacy_ok(get_list(company, "supdoc", expression("supdocid", "like", "ATT-%"), start=1, maxitems=2))
    listtype = result.find("listtype")
    assert (listtype.get("start"), listtype.get("end"), listtype.get("total")) == ("1", "2", "4")
    assert [r.findtext("supdocid") for r in result.findall("data/supdoc")] == ["ATT-2", "ATT-3"]
    empty = legacy_ok(get_list(company, "supdoc", expression("supdocid", "=", "NONE")))
    assert empty.find("listtype").get("total") == "0" and empty.findall("data/supdoc") == []


def test_get_list_errors(company):
    err = errors_of(get_list(company, "apbill"))[0]
    assert err["description2"] == "get_list of 'apbill' is not supported by the emulator."
    err = errors_of(get_list(company, "supdoc", expression("colour", "=", "red")))[0]
    assert err["description2"] == "Invalid filter expression on 'colour' with operator '='."


def test_bill_referencing_a_legacy_supdoc(company):
    company.ok(fn(create_supdoc("ATT-5")), dtdversion="2.1")
    key = key_of(company.call(fn(create_bill(supdocid="ATT-5")), dtdversion="2.1"))
    assert read(company, "APBILL", key).findtext("SUPDOCID") == "ATT-5"


def test_delete_supdoc(company):
    company.ok(fn(create_supdoc("ATT-8")), dtdversion="2.1")
    reply = company.call(fn('<delete_supdoc key="ATT-8"/>'), dtdversion="2.1")
    result = legacy_ok(reply)
    assert [c.tag for c in result] == ["status", "function", "controlid"]
    assert count(company, "SUPDOC") == 0
    errs = errors_of(company.call(fn(create_bill(supdocid="ATT-8")), dtdversion="2.1"))
    assert errs[0]["description2"] == "Invalid Attachment 'ATT-8' specified."
    err = errors_of(company.call(fn('<delete_supdoc key="ATT-8"/>'), dtdversion="2.1"))[0]
    assert err["description2"] == "Cannot find supdoc with key 'ATT-8' to delete."


# --------------------------------------------------------------------------- delete_bill / delete_invoice


@pytest.mark.parametrize("kind", ["bill", "invoice"])
def test_legacy_delete_then_read_update_delete_and_pay(company, kind):
    obj = "APBILL" if kind == "bill" else "ARINVOICE"
    key = key_of(company.call(fn(create_bill() if kind == "bill" else create_invoice()), dtdversion="2.1"))
    reply = company.call(fn(f'<delete_{kind} key="{key}"/>', "del-1"), dtdversion="2.1")
    result = legacy_ok(reply)
    assert [c.tag for c in result] == ["status", "function", "controlid"]  # no key, no data
    assert result.findtext("function") == f"delete_{kind}"
    # read: nothing
    data = company.ok(fn(f"<read><object>{obj}</object><keys>{key}</keys></read>")).result().find("data")
    assert data.get("count") == "0"
    assert count(company, obj) == 0 and count(company, f"{obj}ITEM") == 0
    # delete again
    err = errors_of(company.call(fn(f'<delete_{kind} key="{key}"/>'), dtdversion="2.1"))[0]
    assert (err["errorno"], err["description2"]) == (BASE, f"Cannot find {obj.lower()} with key '{key}' to delete.")
    # update (bills only: invoices have no generic update)
    if kind == "bill":
        reply = company.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': key, 'DESCRIPTION': 'x'})}</update>"))
        assert errors_of(reply)[0]["errorno"] == f"Cannot update non-existing APBILL with RECORDNO={key}."
    # pay
    if kind == "bill":
        pay = record_xml("APPYMT", {"FINANCIALENTITY": "BOA", "PAYMENTMETHOD": "EFT", "VENDORID": "V-1",
                                    "PAYMENTDATE": "03/20/2026",
                                    "APPYMTDETAILS": {"APPYMTDETAIL": [{"RECORDKEY": key, "TRX_PAYMENTAMOUNT": "1"}]}})
        errs = errors_of(company.call(fn(f"<create>{pay}</create>")))
        assert errs[0]["description2"] == f"Invalid Bill key '{key}' specified."
    else:
        body = record_xml("create_arpayment", {
            "customerid": "C-1", "bankaccountid": "BOA", "datereceived": d("03/11/2026"), "paymentmethod": "Cash",
            "arpaymentitem": {"invoicekey": key, "amount": "1.00"},
        })
        errs = errors_of(company.call(fn(body), dtdversion="2.1"))
        assert errs[0]["description2"] == f"Invalid Invoice key '{key}' specified."


@pytest.mark.parametrize("body, text", [
    ('<delete_bill key="999999"/>', "Cannot find apbill with key '999999' to delete."),
    ('<delete_bill key="B-1"/>', "Cannot find apbill with key 'B-1' to delete."),
    ('<delete_invoice key="999999"/>', "Cannot find arinvoice with key '999999' to delete."),
], ids=["bill-missing", "bill-not-a-recordno", "invoice-missing"])
def test_legacy_delete_of_a_missing_key(company, body, text):
    company.ok(fn(create_bill(billno="B-1")), dtdversion="2.1")
    err = errors_of(company.call(fn(body), dtdversion="2.1"))[0]
    assert (err["errorno"], err["description2"]) == (BASE, text)
    assert count(company, "APBILL") == 1


def test_legacy_delete_without_key_attribute_is_a_schema_error(company):
    err = control_failure(company.call(fn("<delete_bill/>"), dtdversion="2.1"))
    assert err["errorno"] == "XL03000003"
    assert "The attribute 'key' is required but missing." in err["description2"]


def test_legacy_delete_in_a_read_only_module(make_company, gateway_url):
    from intacct_mock.company.model import User

    company_id = make_company(users=[User("ws_user", "ws_user_pw"), User("ap_reader", "pw", permissions={"AP": "read"})])
    writer = Gateway(gateway_url, company=company_id)
    key = key_of(writer.call(fn(create_bill()), dtdversion="2.1"))
    reader = Gateway(gateway_url, company=company_id, user=("ap_reader", "pw"))
    err = errors_of(reader.call(fn(f'<delete_bill key="{key}"/>'), dtdversion="2.1"))[0]
    assert err["errorno"] == "PL04000005"
    assert err["description2"] == "You do not have permission for API operation DELETE on objects of type apbill"
    err = errors_of(reader.call(fn(create_bill(billno="B-2")), dtdversion="2.1"))[0]
    assert err["description2"] == "You do not have permission for API operation CREATE on objects of type apbill"
    assert count(writer, "APBILL") == 1
