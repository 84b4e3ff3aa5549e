"""AP/AR documents with lines over real HTTP: APBILL, ARINVOICE, APADJUSTMENT, ARADJUSTMENT.

Covers what an integration meets when it posts documents: header totals derived from lines,
line dimensions read back, references that do not exist or are inactive, closed periods, the
numbering collision (and companies that allow duplicates), missing and unknown fields,
attachments, STATE/RAWSTATE, deletes, and that a failed function leaves nothing behind.
Invoices and adjustments have no generic ``create`` (protocol notes 8.4, 8.7), so they are
written with the legacy functions and read with the generic ones.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Gateway, fn, record_xml
from tests.support import count_records as count
from tests.support import read_record as read

BASE = "BL01001973"
INACTIVE_RECORDS = [
    ("GLACCOUNT", {"ACCOUNTNO": "6999", "TITLE": "Old expenses", "ACCOUNTTYPE": "incomestatement",
                   "NORMALBALANCE": "debit", "STATUS": "inactive"}),
    ("DEPARTMENT", {"DEPARTMENTID": "D900", "TITLE": "Closed dept", "STATUS": "inactive"}),
    ("LOCATION", {"LOCATIONID": "L900", "NAME": "Closed office", "STATUS": "inactive"}),
    ("CLASS", {"CLASSID": "C900", "NAME": "Retired class", "STATUS": "inactive"}),
    ("VENDOR", {"VENDORID": "V-OLD", "NAME": "Gone Ltd", "DISPLAYCONTACT": {"PRINTAS": "Gone Ltd"}, "STATUS": "inactive"}),
    ("CUSTOMER", {"CUSTOMERID": "C-OLD", "NAME": "Old Co", "DISPLAYCONTACT": {"PRINTAS": "Old Co"}, "STATUS": "inactive"}),
]


# --------------------------------------------------------------------------- helpers


def bill(number: str | None = "B-1", vendor: str | None = "V-1", lines: list[dict] | None = None, **header: Any) -> str:
    """An APBILL element; a header value of None leaves the field out."""
    data: dict[str, Any] = {"VENDORID": vendor, "WHENCREATED": "03/01/2026", "RECORDID": number, "TERMNAME": "N30"}
    data.update(header)
    data = {k: v for k, v in data.items() if v is not None}
    data["APBILLITEMS"] = {"APBILLITEM": [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "100.00"}] if lines is None else lines}
    return record_xml("APBILL", data)


def legacy_date(tag: str, mdy: str) -> dict:
    month, day, year = mdy.split("/")
    return {tag: {"year": year, "month": month, "day": day}}


def legacy_doc(function: str, party: tuple[str, str], number: tuple[str, str] | None, items: str,
               lines: list[dict], when: str = "03/01/2026", **extra: Any) -> str:
    """A legacy create_invoice / create_aradjustment / create_apadjustment body."""
    data: dict[str, Any] = {party[0]: party[1], **legacy_date("datecreated", when)}
    if number:
        data[number[0]] = number[1]
    data.update(extra)
    data[items] = {"lineitem": lines}
    return record_xml(function, data)


def invoice(number: str | None = "INV-1", customer: str = "C-1", lines: list[dict] | None = None, **extra: Any) -> str:
    extra.setdefault("termname", "N30")
    return legacy_doc("create_invoice", ("customerid", customer), ("invoiceno", number) if number else None,
                      "invoiceitems", lines or [{"glaccountno": "4000", "amount": "250.00"}], **extra)


def errors_of(reply, index: int = 0) -> list[dict[str, str]]:
    result = reply.result(index)
    assert result.findtext("status") == "failure", reply.body.decode()
    return [{c.tag: (c.text or "") for c in e} for e in result.findall("errormessage/error")]


def created_recordno(reply, obj: str) -> int:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return int(result.findtext(f"data/{obj.lower()}/RECORDNO"))


def legacy_key(reply) -> int:
    result = reply.result()
    assert result.findtext("status") == "success", reply.body.decode()
    return int(result.findtext("key"))



def inactive_company(make_company, gateway_url) -> Gateway:
    from tests.conftest import BASIC_RECORDS

    return Gateway(gateway_url, company=make_company(BASIC_RECORDS + INACTIVE_RECORDS))


# --------------------------------------------------------------------------- APBILL: create and read back


def test_bill_create_answers_recordno_and_record_url(company):
    reply = company.call(fn(f"<create>{bill()}</create>"))
    data = reply.result().find("data")
    assert data.get("listtype") == "objects" and data.get("count") == "1"
    recordno = created_recordno(reply, "APBILL")
    assert data.findtext("apbill/RECORD_URL").endswith(f"?.r={recordno}")


def test_bill_header_totals_are_derived_from_lines_not_from_input(company):
    lines = [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "100.10"}, {"ACCOUNTNO": "6400", "TRX_AMOUNT": "200.25"},
             {"ACCOUNTNO": "6220", "TRX_AMOUNT": "49.65"}]
    # TOTALENTERED/TOTALDUE are read-only: values sent by the client are ignored
    xml = bill(lines=lines, TOTALENTERED="1.00", TOTALDUE="1.00")
    recordno = created_recordno(company.call(fn(f"<create>{xml}</create>")), "APBILL")
    rec = read(company, "APBILL", recordno)
    assert rec.findtext("TOTALENTERED") == "350.00"
    assert rec.findtext("TOTALDUE") == "350.00"
    assert rec.findtext("TOTALPAID") == "0.00"
    assert [i.findtext("TRX_AMOUNT") for i in rec.findall("APBILLITEMS/apbillitem")] == ["100.10", "200.25", "49.65"]


def test_bill_amounts_are_rounded_to_cents_before_totalling(company):
    lines = [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "10.004"}, {"ACCOUNTNO": "6220", "TRX_AMOUNT": "10.006"}]
    recordno = created_recordno(company.call(fn(f"<create>{bill(lines=lines)}</create>")), "APBILL")
    rec = read(company, "APBILL", recordno)
    assert [i.findtext("TRX_AMOUNT") for i in rec.findall("APBILLITEMS/apbillitem")] == ["10.00", "10.01"]
    assert rec.findtext("TOTALENTERED") == "20.01"


def test_bill_lines_keep_their_dimensions_and_memo(company):
    lines = [
        {"ACCOUNTNO": "6220", "TRX_AMOUNT": "40.00", "ENTRYDESCRIPTION": "Licences",
         "LOCATIONID": "L100", "DEPARTMENTID": "D100", "CLASSID": "C1"},
        {"ACCOUNTNO": "6400", "TRX_AMOUNT": "60.00", "ENTRYDESCRIPTION": "Fees", "CUSTOMERID": "C-2"},
    ]
    recordno = created_recordno(company.call(fn(f"<create>{bill(lines=lines)}</create>")), "APBILL")
    items = read(company, "APBILL", recordno).findall("APBILLITEMS/apbillitem")
    assert len(items) == 2
    first, second = items
    assert (first.findtext("ACCOUNTNO"), first.findtext("LOCATIONID"), first.findtext("DEPARTMENTID"),
            first.findtext("CLASSID"), first.findtext("ENTRYDESCRIPTION")) == ("6220", "L100", "D100", "C1", "Licences")
    assert (second.findtext("ACCOUNTNO"), second.findtext("CUSTOMERID"), second.findtext("LOCATIONID")) == ("6400", "C-2", "")
    # the line object is queryable on its own
    assert count(company, "APBILLITEM", "DEPARTMENTID = 'D100'") == 1


def test_bill_line_account_may_be_given_by_label(company):
    lines = [{"ACCOUNTLABEL": "Software", "TRX_AMOUNT": "12.00"}]
    recordno = created_recordno(company.call(fn(f"<create>{bill(lines=lines)}</create>")), "APBILL")
    assert read(company, "APBILL", recordno).findtext("APBILLITEMS/apbillitem/ACCOUNTNO") == "6220"
    reply = company.call(fn(f"<create>{bill('B-2', lines=[{'ACCOUNTLABEL': 'Nope', 'TRX_AMOUNT': '1'}])}</create>"))
    assert errors_of(reply)[0]["description2"] == "Invalid Account Label 'Nope' specified."


def test_bill_header_fields_derived_by_the_emulator(company):
    recordno = created_recordno(company.call(fn(f"<create>{bill(DESCRIPTION='March licences')}</create>")), "APBILL")
    rec = read(company, "APBILL", recordno)
    assert rec.findtext("VENDORNAME") == "Initech"
    assert rec.findtext("WHENCREATED") == "03/01/2026"
    assert rec.findtext("WHENPOSTED") == "03/01/2026"  # GL date defaults to the transaction date
    assert rec.findtext("WHENDUE") == "03/31/2026"  # N30 from the transaction date
    assert rec.findtext("CURRENCY") == "USD" and rec.findtext("BASECURR") == "USD"
    assert rec.findtext("RECORDTYPE") == "pi"
    assert rec.findtext("DESCRIPTION") == "March licences"
    assert rec.findtext("AUWHENCREATED") and rec.findtext("WHENMODIFIED")


def test_bill_explicit_due_date_wins_over_terms(company):
    recordno = created_recordno(company.call(fn(f"<create>{bill(TERMNAME=None, WHENDUE='04/15/2026')}</create>")), "APBILL")
    assert read(company, "APBILL", recordno).findtext("WHENDUE") == "04/15/2026"


def test_posted_bill_has_state_label_and_raw_state_code(company):
    recordno = created_recordno(company.call(fn(f"<create>{bill()}</create>")), "APBILL")
    rec = read(company, "APBILL", recordno)
    assert (rec.findtext("STATE"), rec.findtext("RAWSTATE")) == ("Posted", "A")
    # readByQuery compares stored codes (protocol notes 7.5)
    assert count(company, "APBILL", "STATE = 'A'") == 1
    assert count(company, "APBILL", "STATE = 'D'") == 0


def test_draft_bill_needs_no_due_date_or_lines_and_is_draft(company):
    xml = record_xml("APBILL", {"VENDORID": "V-1", "WHENCREATED": "03/01/2026", "RECORDID": "DR-1", "ACTION": "Draft"})
    recordno = created_recordno(company.call(fn(f"<create>{xml}</create>")), "APBILL")
    rec = read(company, "APBILL", recordno)
    assert (rec.findtext("STATE"), rec.findtext("RAWSTATE")) == ("Draft", "D")
    assert rec.findtext("TOTALENTERED") == "0.00"
    assert rec.find("ACTION") is None  # write-only
    assert count(company, "APBILL", "STATE = 'D'") == 1


def test_submitting_a_draft_bill_posts_it(company):
    draft = bill("DR-2", ACTION="Draft")
    recordno = created_recordno(company.call(fn(f"<create>{draft}</create>")), "APBILL")
    # an update that does not submit keeps the draft a draft
    company.ok(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'DESCRIPTION': 'still drafting'})}</update>"))
    assert read(company, "APBILL", recordno).findtext("RAWSTATE") == "D"
    company.ok(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'ACTION': 'Submit'})}</update>"))
    rec = read(company, "APBILL", recordno)
    assert (rec.findtext("STATE"), rec.findtext("RAWSTATE")) == ("Posted", "A")
    assert rec.findtext("DESCRIPTION") == "still drafting"


def test_submitting_a_draft_into_a_closed_period_is_refused(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_through="2026-02-28"))
    draft = bill("DR-3", WHENCREATED="02/10/2026", ACTION="Draft")
    recordno = created_recordno(gw.call(fn(f"<create>{draft}</create>")), "APBILL")
    reply = gw.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'ACTION': 'Submit'})}</update>"))
    assert "(02/10/2026) is within a period that's been closed." in errors_of(reply)[0]["description2"]
    assert read(gw, "APBILL", recordno).findtext("RAWSTATE") == "D"


def test_submitting_a_draft_without_lines_is_refused(company):
    xml = record_xml("APBILL", {"VENDORID": "V-1", "WHENCREATED": "03/01/2026", "TERMNAME": "N30", "ACTION": "Draft"})
    recordno = created_recordno(company.call(fn(f"<create>{xml}</create>")), "APBILL")
    reply = company.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'ACTION': 'Submit'})}</update>"))
    errs = errors_of(reply)
    assert errs[0]["description2"] == "A bill must have at least one line item."
    assert errs[-1]["description2"] == "Could not update Bill record!"
    assert read(company, "APBILL", recordno).findtext("STATE") == "Draft"


def test_a_posted_bill_cannot_go_back_to_draft(company):
    recordno = created_recordno(company.call(fn(f"<create>{bill()}</create>")), "APBILL")
    reply = company.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'ACTION': 'Draft'})}</update>"))
    assert errors_of(reply)[0]["description2"] == "This bill is posted and cannot be saved as a draft."
    assert read(company, "APBILL", recordno).findtext("STATE") == "Posted"


def test_invalid_action_is_refused(company):
    reply = company.call(fn(f"<create>{bill(ACTION='Approve')}</create>"))
    errs = errors_of(reply)
    assert errs[0]["description2"] == "Invalid ACTION 'Approve'."
    assert errs[-1]["description2"] == "Could not create Bill record!"


# --------------------------------------------------------------------------- APBILL: required and unknown fields


@pytest.mark.parametrize(
    "xml, text",
    [
        (bill(vendor=None), "Required field 'Vendor ID' (VENDORID) is missing."),
        (bill(WHENCREATED=None), "Required field 'Transaction date' (WHENCREATED) is missing."),
        (bill(TERMNAME=None), "Required field 'Due date' (WHENDUE) is missing."),
        (bill(lines=[]), "A bill must have at least one line item."),
        (bill(lines=[{"ACCOUNTNO": "6220"}]), "Line 1: required field 'Transaction amount' (TRX_AMOUNT) is missing."),
        (bill(lines=[{"ACCOUNTNO": "6220", "TRX_AMOUNT": "1"}, {"TRX_AMOUNT": "5"}]),
         "Line 2: required field 'GL account' (ACCOUNTNO) is missing."),
    ],
    ids=["vendor", "date", "due-date", "no-lines", "line-amount", "line-account"],
)
def test_bill_missing_required_fields(company, xml, text):
    reply = company.call(fn(f"<create>{xml}</create>"))
    errs = errors_of(reply)
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == text
    assert errs[0]["correction"]
    assert errs[-1] == {"errorno": BASE, "description": "", "description2": "Could not create Bill record!", "correction": ""}
    assert reply.result().find("data").get("count") == "0"
    assert count(company, "APBILL") == 0


@pytest.mark.parametrize("where", ["header", "line"])
def test_unknown_field_on_bill_is_dl02000001(company, where):
    if where == "header":
        xml = bill(NOSUCHFIELD="x")
    else:
        xml = bill(lines=[{"ACCOUNTNO": "6220", "TRX_AMOUNT": "1", "NOSUCHFIELD": "x"}])
    reply = company.call(fn(f"<create>{xml}</create>"))
    err = errors_of(reply)[0]
    assert err["errorno"] == "DL02000001"
    assert err["description2"] == "There was an error processing the request."
    assert "NOSUCHFIELD" in err["correction"]
    assert count(company, "APBILL") == 0


def test_bad_date_value_is_refused_not_a_traceback(company):
    reply = company.call(fn(f"<create>{bill(WHENCREATED='2026-13-45')}</create>"))
    err = errors_of(reply)[0]
    assert err["errorno"] == BASE and "2026-13-45" in err["description2"]


# --------------------------------------------------------------------------- APBILL: references


@pytest.mark.parametrize("vendor", ["NOPE", "V-OLD"], ids=["missing", "inactive"])
def test_bill_vendor_that_does_not_exist_or_is_inactive(make_company, gateway_url, vendor):
    gw = inactive_company(make_company, gateway_url)
    errs = errors_of(gw.call(fn(f"<create>{bill(vendor=vendor)}</create>")))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == f"Invalid Vendor '{vendor}' specified."
    assert errs[1]["description2"] == "Could not create Bill record!"
    assert count(gw, "APBILL") == 0


@pytest.mark.parametrize("account", ["9999", "6999"], ids=["missing", "inactive"])
def test_bill_account_that_does_not_exist_or_is_inactive(make_company, gateway_url, account):
    gw = inactive_company(make_company, gateway_url)
    errs = errors_of(gw.call(fn(f"<create>{bill(lines=[{'ACCOUNTNO': account, 'TRX_AMOUNT': '5'}])}</create>")))
    assert errs[0]["description2"] == f"Invalid GL Account '{account}' specified."


@pytest.mark.parametrize("account", ["9999", "6999"], ids=["missing", "inactive"])
def test_a_bad_account_among_good_lines_is_named_and_nothing_is_written(make_company, gateway_url, account):
    """The accounts of all lines are looked up together; the one that fails must still be the one named."""
    gw = inactive_company(make_company, gateway_url)
    lines = [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "5"}, {"ACCOUNTNO": account, "TRX_AMOUNT": "5"},
             {"ACCOUNTNO": "6220", "TRX_AMOUNT": "7"}]
    errs = errors_of(gw.call(fn(f"<create>{bill(lines=lines)}</create>")))
    assert errs[0]["description2"] == f"Invalid GL Account '{account}' specified."
    assert count(gw, "APBILL") == 0
    reply = gw.call(fn(f"<create>{bill(lines=[lines[0], lines[2]])}</create>"))
    recordno = created_recordno(reply, "APBILL")
    items = read(gw, "APBILL", recordno).findall("APBILLITEMS/apbillitem")
    assert [(i.findtext("LINE_NO"), i.findtext("TRX_AMOUNT")) for i in items] == [("1", "5.00"), ("2", "7.00")]


@pytest.mark.parametrize(
    "field, value, label",
    [
        ("DEPARTMENTID", "D999", "Department"), ("DEPARTMENTID", "D900", "Department"),
        ("LOCATIONID", "L999", "Location"), ("LOCATIONID", "L900", "Location"),
        ("CLASSID", "C999", "Class"), ("CLASSID", "C900", "Class"),
        ("PROJECTID", "P999", "Project"), ("CUSTOMERID", "C-OLD", "Customer"), ("VENDORID", "V-404", "Vendor"),
    ],
    ids=["dept-missing", "dept-inactive", "loc-missing", "loc-inactive", "class-missing", "class-inactive",
         "project-missing", "customer-inactive", "vendor-missing"],
)
def test_bill_line_dimension_that_does_not_exist_or_is_inactive(make_company, gateway_url, field, value, label):
    gw = inactive_company(make_company, gateway_url)
    lines = [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "5"}, {"ACCOUNTNO": "6220", "TRX_AMOUNT": "5", field: value}]
    errs = errors_of(gw.call(fn(f"<create>{bill(lines=lines)}</create>")))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == f"Invalid {label} '{value}' specified."
    assert count(gw, "APBILL") == 0 and count(gw, "APBILLITEM") == 0


def test_bill_unknown_term_and_currency(company):
    assert errors_of(company.call(fn(f"<create>{bill(TERMNAME='N99')}</create>")))[0]["description2"] == \
        "Invalid Term 'N99' specified."
    assert errors_of(company.call(fn(f"<create>{bill(CURRENCY='EUR')}</create>")))[0]["description2"] == \
        "Invalid Currency 'EUR' specified."


def test_bill_in_a_second_currency_of_the_company(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(currencies=["USD", "EUR"]))
    recordno = created_recordno(gw.call(fn(f"<create>{bill(CURRENCY='EUR')}</create>")), "APBILL")
    rec = read(gw, "APBILL", recordno)
    assert (rec.findtext("CURRENCY"), rec.findtext("BASECURR")) == ("EUR", "USD")


def supdoc(gw: Gateway, supdocid: str) -> None:
    body = record_xml("create_supdoc", {
        "supdocid": supdocid, "supdocname": "Scan", "supdocfoldername": "Bills",
        "attachments": {"attachment": [{"attachmentname": "scan", "attachmenttype": "pdf", "attachmentdata": "JVBERi0x"}]},
    })
    gw.ok(fn(body))


def test_bill_referencing_an_existing_attachment(company):
    supdoc(company, "ATT-1")
    recordno = created_recordno(company.call(fn(f"<create>{bill(SUPDOCID='ATT-1')}</create>")), "APBILL")
    assert read(company, "APBILL", recordno).findtext("SUPDOCID") == "ATT-1"
    assert count(company, "APBILL", "SUPDOCID = 'ATT-1'") == 1


def test_bill_referencing_a_missing_attachment(company):
    errs = errors_of(company.call(fn(f"<create>{bill(SUPDOCID='ATT-404')}</create>")))
    assert errs[0]["description2"] == "Invalid Attachment 'ATT-404' specified."
    assert count(company, "APBILL") == 0


def test_attaching_a_supdoc_to_an_existing_bill_by_update(company):
    """fylein's flow: create the bill, upload the attachment, update the bill with SUPDOCID."""
    recordno = created_recordno(company.call(fn(f"<create>{bill()}</create>")), "APBILL")
    supdoc(company, "ATT-2")
    company.ok(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'SUPDOCID': 'ATT-2'})}</update>"))
    rec = read(company, "APBILL", recordno)
    assert rec.findtext("SUPDOCID") == "ATT-2"
    assert len(rec.findall("APBILLITEMS/apbillitem")) == 1  # lines kept when not sent
    reply = company.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'SUPDOCID': 'ATT-3'})}</update>"))
    assert errors_of(reply)[0]["description2"] == "Invalid Attachment 'ATT-3' specified."
    assert read(company, "APBILL", recordno).findtext("SUPDOCID") == "ATT-2"


# --------------------------------------------------------------------------- APBILL: closed periods


def test_bill_posting_date_in_a_closed_period(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_through="2026-02-28"))
    errs = errors_of(gw.call(fn(f"<create>{bill(WHENCREATED='02/15/2026')}</create>")))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "Periods are closed. Your transaction date (02/15/2026) is within a period that's been closed."
    assert errs[0]["correction"]
    assert errs[1]["description2"] == "Could not create Bill record!"
    assert count(gw, "APBILL") == 0
    gw.ok(fn(f"<create>{bill(WHENCREATED='03/01/2026')}</create>"))  # first open day


def test_bill_gl_posting_date_decides_not_the_transaction_date(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_periods=["2026-01"]))
    # transaction date in the closed month, GL date in an open one: accepted
    gw.ok(fn(f"<create>{bill('B-1', WHENCREATED='01/20/2026', WHENPOSTED='02/01/2026')}</create>"))
    # GL date in the closed month: refused with that date
    errs = errors_of(gw.call(fn(f"<create>{bill('B-2', WHENCREATED='02/20/2026', WHENPOSTED='01/31/2026')}</create>")))
    assert errs[0]["description2"] == "Periods are closed. Your transaction date (01/31/2026) is within a period that's been closed."
    # months around the closed one stay open
    gw.ok(fn(f"<create>{bill('B-3', WHENCREATED='12/31/2025')}</create>"))


def test_moving_a_posted_bill_into_a_closed_period_is_refused(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_periods=["2026-01"]))
    recordno = created_recordno(gw.call(fn(f"<create>{bill()}</create>")), "APBILL")
    reply = gw.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'WHENPOSTED': '01/05/2026'})}</update>"))
    errs = errors_of(reply)
    assert "(01/05/2026) is within a period that's been closed." in errs[0]["description2"]
    assert errs[-1]["description2"] == "Could not update Bill record!"
    assert read(gw, "APBILL", recordno).findtext("WHENPOSTED") == "03/01/2026"


# --------------------------------------------------------------------------- APBILL: document numbers


def test_duplicate_bill_number_for_the_same_vendor_is_refused(company):
    company.ok(fn(f"<create>{bill('B-7')}</create>"))
    reply = company.call(fn(f"<create>{bill('B-7')}</create>"))
    errs = errors_of(reply)
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "A transaction with the number 'B-7' already exists."
    assert errs[1]["description2"] == "Could not create Bill record!"
    assert count(company, "APBILL", "RECORDID = 'B-7'") == 1


def test_same_bill_number_from_another_vendor_is_accepted(company):
    """AP bill numbers are the vendor's own invoice numbers: they collide per vendor."""
    company.ok(fn(f"<create>{bill('B-7', vendor='V-1')}</create>"))
    company.ok(fn(f"<create>{bill('B-7', vendor='V-2')}</create>"))
    assert count(company, "APBILL", "RECORDID = 'B-7'") == 2


def test_duplicate_bill_numbers_accepted_when_the_company_allows_them(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(reject_duplicate_document_numbers=False))
    gw.ok(fn(f"<create>{bill('B-7')}</create>"))
    gw.ok(fn(f"<create>{bill('B-7')}</create>"))
    assert count(gw, "APBILL", "RECORDID = 'B-7'") == 2


def test_renaming_a_bill_onto_a_used_number_is_refused(company):
    company.ok(fn(f"<create>{bill('B-1')}</create>"))
    recordno = created_recordno(company.call(fn(f"<create>{bill('B-2')}</create>")), "APBILL")
    # keeping its own number is not a collision
    company.ok(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'RECORDID': 'B-2'})}</update>"))
    reply = company.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'RECORDID': 'B-1'})}</update>"))
    assert errors_of(reply)[0]["description2"] == "A transaction with the number 'B-1' already exists."
    assert read(company, "APBILL", recordno).findtext("RECORDID") == "B-2"


# --------------------------------------------------------------------------- APBILL: updates


def test_update_with_lines_replaces_them_and_recomputes_totals(company):
    recordno = created_recordno(company.call(fn(f"<create>{bill()}</create>")), "APBILL")
    new_lines = {"APBILLITEM": [{"ACCOUNTNO": "6400", "TRX_AMOUNT": "30.00", "DEPARTMENTID": "D100"},
                                {"ACCOUNTNO": "6220", "TRX_AMOUNT": "12.50"}]}
    company.ok(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'APBILLITEMS': new_lines})}</update>"))
    rec = read(company, "APBILL", recordno)
    assert rec.findtext("TOTALENTERED") == "42.50" and rec.findtext("TOTALDUE") == "42.50"
    assert [(i.findtext("ACCOUNTNO"), i.findtext("TRX_AMOUNT"), i.findtext("DEPARTMENTID"))
            for i in rec.findall("APBILLITEMS/apbillitem")] == [("6400", "30.00", "D100"), ("6220", "12.50", "")]
    assert count(company, "APBILLITEM") == 2


def test_failed_update_with_a_bad_line_leaves_the_old_lines(company):
    recordno = created_recordno(company.call(fn(f"<create>{bill()}</create>")), "APBILL")
    bad = {"APBILLITEM": [{"ACCOUNTNO": "6400", "TRX_AMOUNT": "30.00"},
                          {"ACCOUNTNO": "6400", "TRX_AMOUNT": "1", "DEPARTMENTID": "NOPE"}]}
    xml = record_xml("APBILL", {"RECORDNO": recordno, "DESCRIPTION": "x", "APBILLITEMS": bad})
    reply = company.call(fn(f"<update>{xml}</update>"))
    assert errors_of(reply)[0]["description2"] == "Invalid Department 'NOPE' specified."
    rec = read(company, "APBILL", recordno)
    assert rec.findtext("TOTALENTERED") == "100.00" and rec.findtext("DESCRIPTION") == ""
    assert [i.findtext("ACCOUNTNO") for i in rec.findall("APBILLITEMS/apbillitem")] == ["6220"]


# --------------------------------------------------------------------------- APBILL: deletes


def test_deleted_bill_reads_as_nothing_and_cannot_be_updated_or_deleted_again(company):
    recordno = created_recordno(company.call(fn(f"<create>{bill()}</create>")), "APBILL")
    reply = company.ok(fn(f"<delete><object>APBILL</object><keys>{recordno}</keys></delete>"))
    assert reply.result().find("data") is None  # delete answers status only
    # read of a deleted key: success, nothing found
    data = company.ok(fn(f"<read><object>APBILL</object><keys>{recordno}</keys><fields>*</fields></read>")).result().find("data")
    assert data.get("count") == "0" and len(data) == 0
    assert count(company, "APBILL") == 0 and count(company, "APBILLITEM") == 0
    # update: the whole sentence is the errorno
    reply = company.call(fn(f"<update>{record_xml('APBILL', {'RECORDNO': recordno, 'DESCRIPTION': 'x'})}</update>"))
    assert errors_of(reply)[0]["errorno"] == f"Cannot update non-existing APBILL with RECORDNO={recordno}."
    # delete again
    reply = company.call(fn(f"<delete><object>APBILL</object><keys>{recordno}</keys></delete>"))
    err = errors_of(reply)[0]
    assert err["errorno"] == BASE and err["description2"] == f"Cannot find apbill with key '{recordno}' to delete."
    assert reply.result().find("data") is None


def test_record_numbers_are_not_reused_after_a_delete(company):
    first = created_recordno(company.call(fn(f"<create>{bill('B-1')}</create>")), "APBILL")
    company.ok(fn(f"<delete><object>APBILL</object><keys>{first}</keys></delete>"))
    second = created_recordno(company.call(fn(f"<create>{bill('B-1')}</create>")), "APBILL")
    assert second > first  # and the number B-1 is free again


def test_delete_of_several_keys_is_all_or_nothing(company):
    a = created_recordno(company.call(fn(f"<create>{bill('B-1')}</create>")), "APBILL")
    b = created_recordno(company.call(fn(f"<create>{bill('B-2')}</create>")), "APBILL")
    reply = company.call(fn(f"<delete><object>APBILL</object><keys>{a},999999,{b}</keys></delete>"))
    assert errors_of(reply)[0]["description2"] == "Cannot find apbill with key '999999' to delete."
    assert count(company, "APBILL") == 2


# --------------------------------------------------------------------------- nothing half-written


def test_bill_with_one_bad_line_leaves_no_header_and_no_lines(company):
    lines = [{"ACCOUNTNO": "6220", "TRX_AMOUNT": "10"}, {"ACCOUNTNO": "6220", "TRX_AMOUNT": "20"},
             {"ACCOUNTNO": "9999", "TRX_AMOUNT": "30"}]
    reply = company.call(fn(f"<create>{bill(lines=lines)}</create>"))
    assert errors_of(reply)[0]["description2"] == "Invalid GL Account '9999' specified."
    assert count(company, "APBILL") == 0
    assert count(company, "APBILLITEM") == 0
    # and the number is still free
    company.ok(fn(f"<create>{bill()}</create>"))
    assert count(company, "APBILLITEM") == 1


def test_multi_object_create_keeps_the_objects_before_the_failure(company):
    reply = company.call(fn(f"<create>{bill('M-1')}{bill('M-2', vendor='NOPE')}{bill('M-3')}</create>"))
    errs = errors_of(reply)
    assert errs[0]["description2"] == "Invalid Vendor 'NOPE' specified."
    data = reply.result().find("data")
    assert data.get("count") == "1" and len(data.findall("apbill")) == 1
    assert count(company, "APBILL", "RECORDID = 'M-1'") == 1
    assert count(company, "APBILL", "RECORDID IN ('M-2', 'M-3')") == 0
    assert count(company, "APBILLITEM") == 1


def test_multi_object_create_under_transaction_true_keeps_nothing(company):
    reply = company.call(fn(f"<create>{bill('T-1')}{bill('T-2', vendor='NOPE')}</create>"), transaction="true")
    assert reply.result().findtext("status") == "failure"
    assert count(company, "APBILL", "RECORDID IN ('T-1', 'T-2')") == 0


def test_failed_legacy_invoice_leaves_nothing(company):
    lines = [{"glaccountno": "4000", "amount": "10"}, {"glaccountno": "4000", "amount": "10", "locationid": "L404"}]
    errs = errors_of(company.call(fn(invoice(lines=lines))))
    assert errs[0]["description2"] == "Invalid Location 'L404' specified."
    assert count(company, "ARINVOICE") == 0 and count(company, "ARINVOICEITEM") == 0


# --------------------------------------------------------------------------- ARINVOICE


def test_invoice_has_no_generic_create(company):
    xml = record_xml("ARINVOICE", {"CUSTOMERID": "C-1", "WHENCREATED": "03/01/2026",
                                   "ARINVOICEITEMS": {"ARINVOICEITEM": [{"ACCOUNTNO": "4000", "TRX_AMOUNT": "1"}]}})
    err = errors_of(company.call(fn(f"<create>{xml}</create>")))[0]
    assert err["description2"] == "API operation 'CREATE' cannot be performed on objects of type arinvoice"
    assert count(company, "ARINVOICE") == 0


def test_invoice_totals_lines_and_dimensions_read_back(company):
    lines = [
        {"glaccountno": "4000", "amount": "1000.00", "memo": "Subscription", "locationid": "L100", "departmentid": "D100"},
        {"glaccountno": "4000", "amount": "234.56", "classid": "C1", "projectid": ""},
    ]
    recordno = legacy_key(company.call(fn(invoice("INV-10", lines=lines, description="Q1"))))
    rec = read(company, "ARINVOICE", recordno)
    assert rec.findtext("RECORDID") == "INV-10"
    assert rec.findtext("CUSTOMERID") == "C-1" and rec.findtext("CUSTOMERNAME") == "Acme Corp"
    assert rec.findtext("TOTALENTERED") == "1234.56" and rec.findtext("TOTALDUE") == "1234.56"
    assert rec.findtext("TOTALPAID") == "0.00"
    assert (rec.findtext("STATE"), rec.findtext("RAWSTATE"), rec.findtext("RECORDTYPE")) == ("Posted", "A", "ri")
    assert rec.findtext("WHENDUE") == "03/31/2026"
    assert rec.findtext("DESCRIPTION") == "Q1"
    items = rec.findall("ARINVOICEITEMS/arinvoiceitem")
    assert [(i.findtext("ACCOUNTNO"), i.findtext("TRX_AMOUNT"), i.findtext("ENTRYDESCRIPTION"), i.findtext("LOCATIONID"),
             i.findtext("DEPARTMENTID"), i.findtext("CLASSID")) for i in items] == [
        ("4000", "1000.00", "Subscription", "L100", "D100", ""), ("4000", "234.56", "", "", "", "C1")]


def test_invoice_readbyquery_lists_headers_without_lines(company):
    company.ok(fn(invoice("INV-1")), fn(invoice("INV-2", customer="C-2")))
    reply = company.query("ARINVOICE", "CUSTOMERID = 'C-2'", fields="RECORDID,CUSTOMERID,TOTALDUE,STATE")
    data = reply.result().find("data")
    assert data.get("listtype") == "arinvoice" and data.get("count") == "1"
    rec = data.find("arinvoice")
    assert [c.tag for c in rec] == ["RECORDID", "CUSTOMERID", "TOTALDUE", "STATE"]
    assert (rec.findtext("RECORDID"), rec.findtext("TOTALDUE"), rec.findtext("STATE")) == ("INV-2", "250.00", "Posted")


def test_invoice_unknown_field_in_reads_is_dl02000001(company):
    company.ok(fn(invoice()))
    err = errors_of(company.query("ARINVOICE", "", fields="RECORDNO,NOSUCHFIELD"))[0]
    assert err["errorno"] == "DL02000001" and err["description2"] == "There was an error processing the request."
    err = errors_of(company.query("ARINVOICE", "NOSUCHFIELD = 'x'"))[0]
    assert err["errorno"] == "DL02000001"


@pytest.mark.parametrize("customer", ["NOPE", "C-OLD"], ids=["missing", "inactive"])
def test_invoice_customer_that_does_not_exist_or_is_inactive(make_company, gateway_url, customer):
    gw = inactive_company(make_company, gateway_url)
    errs = errors_of(gw.call(fn(invoice(customer=customer))))
    assert errs[0]["description2"] == f"Invalid Customer '{customer}' specified."
    assert errs[1]["description2"] == "Could not create Invoice record!"
    assert count(gw, "ARINVOICE") == 0


def test_invoice_line_account_and_inactive_dimension(make_company, gateway_url):
    gw = inactive_company(make_company, gateway_url)
    errs = errors_of(gw.call(fn(invoice(lines=[{"glaccountno": "4999", "amount": "1"}]))))
    assert errs[0]["description2"] == "Invalid GL Account '4999' specified."
    errs = errors_of(gw.call(fn(invoice(lines=[{"glaccountno": "4000", "amount": "1", "departmentid": "D900"}]))))
    assert errs[0]["description2"] == "Invalid Department 'D900' specified."


def test_duplicate_invoice_number_is_refused_company_wide(company):
    company.ok(fn(invoice("INV-1001", customer="C-1")))
    errs = errors_of(company.call(fn(invoice("INV-1001", customer="C-2"))))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "A transaction with the number 'INV-1001' already exists."
    assert errs[1]["description2"] == "Could not create Invoice record!"
    assert count(company, "ARINVOICE", "RECORDID = 'INV-1001'") == 1


def test_duplicate_invoice_number_accepted_when_allowed(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(reject_duplicate_document_numbers=False))
    gw.ok(fn(invoice("INV-1001")), fn(invoice("INV-1001")))
    assert count(gw, "ARINVOICE", "RECORDID = 'INV-1001'") == 2


def test_invoices_without_numbers_never_collide(company):
    company.ok(fn(invoice(None)), fn(invoice(None)))
    assert count(company, "ARINVOICE") == 2


def test_invoice_in_a_closed_period(make_company, gateway_url):
    gw = Gateway(gateway_url, company=make_company(closed_through="2026-02-28"))
    errs = errors_of(gw.call(fn(invoice(when="02/27/2026"))))
    assert errs[0]["description2"] == "Periods are closed. Your transaction date (02/27/2026) is within a period that's been closed."
    assert count(gw, "ARINVOICE") == 0


def test_invoice_missing_due_date_and_terms(company):
    body = legacy_doc("create_invoice", ("customerid", "C-1"), ("invoiceno", "INV-1"), "invoiceitems",
                      [{"glaccountno": "4000", "amount": "1"}])
    assert errors_of(company.call(fn(body)))[0]["description2"] == "Required field 'Due date' (WHENDUE) is missing."
    body = legacy_doc("create_invoice", ("customerid", "C-1"), ("invoiceno", "INV-1"), "invoiceitems",
                      [{"glaccountno": "4000", "amount": "1"}], **legacy_date("datedue", "05/01/2026"))
    recordno = legacy_key(company.call(fn(body)))
    assert read(company, "ARINVOICE", recordno).findtext("WHENDUE") == "05/01/2026"


def test_invoice_referencing_an_attachment(company):
    supdoc(company, "ATT-9")
    recordno = legacy_key(company.call(fn(invoice(supdocid="ATT-9"))))
    assert read(company, "ARINVOICE", recordno).findtext("SUPDOCID") == "ATT-9"
    errs = errors_of(company.call(fn(invoice("INV-2", supdocid="ATT-404"))))
    assert errs[0]["description2"] == "Invalid Attachment 'ATT-404' specified."


def test_deleted_invoice_reads_as_nothing_and_cannot_be_deleted_again(company):
    recordno = legacy_key(company.call(fn(invoice())))
    company.ok(fn(f"<delete><object>ARINVOICE</object><keys>{recordno}</keys></delete>"))
    assert company.ok(fn(f"<read><object>ARINVOICE</object><keys>{recordno}</keys></read>")).result().find("data").get("count") == "0"
    assert count(company, "ARINVOICEITEM") == 0
    err = errors_of(company.call(fn(f"<delete><object>ARINVOICE</object><keys>{recordno}</keys></delete>")))[0]
    assert err["description2"] == f"Cannot find arinvoice with key '{recordno}' to delete."
    # the number is free again
    company.ok(fn(invoice()))


def test_invoice_has_no_generic_update(company):
    recordno = legacy_key(company.call(fn(invoice())))
    reply = company.call(fn(f"<update>{record_xml('ARINVOICE', {'RECORDNO': recordno, 'DESCRIPTION': 'x'})}</update>"))
    assert errors_of(reply)[0]["description2"] == "API operation 'UPDATE' cannot be performed on objects of type arinvoice"


# --------------------------------------------------------------------------- APADJUSTMENT / ARADJUSTMENT


def ap_adjustment(number: str | None = "ADJ-1", vendor: str = "V-1", lines: list[dict] | None = None, **extra: Any) -> str:
    return legacy_doc("create_apadjustment", ("vendorid", vendor), ("adjustmentno", number) if number else None,
                      "apadjustmentitems", lines or [{"glaccountno": "6220", "amount": "-40.00"}], **extra)


def ar_adjustment(number: str | None = "CR-1", customer: str = "C-1", lines: list[dict] | None = None, **extra: Any) -> str:
    return legacy_doc("create_aradjustment", ("customerid", customer), ("adjustmentno", number) if number else None,
                      "aradjustmentitems", lines or [{"glaccountno": "4000", "amount": "-25.00"}], **extra)


def test_ap_adjustment_credit_note_totals_and_lines(company):
    lines = [{"glaccountno": "6220", "amount": "-40.00", "memo": "Credit", "departmentid": "D100"},
             {"glaccountno": "6400", "amount": "-2.50"}]
    recordno = legacy_key(company.call(fn(ap_adjustment(lines=lines, billno="B-1"))))
    rec = read(company, "APADJUSTMENT", recordno)
    assert rec.findtext("VENDORID") == "V-1" and rec.findtext("VENDORNAME") == "Initech"
    assert rec.findtext("RECORDID") == "ADJ-1" and rec.findtext("BILLNO") == "B-1"
    assert rec.findtext("TOTALENTERED") == "-42.50" and rec.findtext("TOTALDUE") == "-42.50"
    assert (rec.findtext("STATE"), rec.findtext("RAWSTATE"), rec.findtext("RECORDTYPE")) == ("Posted", "A", "pa")
    assert rec.findtext("WHENDUE") == ""  # adjustments need no due date
    items = rec.findall("APADJUSTMENTITEMS/apadjustmentitem")
    assert [(i.findtext("TRX_AMOUNT"), i.findtext("DEPARTMENTID"), i.findtext("ENTRYDESCRIPTION")) for i in items] == [
        ("-40.00", "D100", "Credit"), ("-2.50", "", "")]
    assert count(company, "APADJUSTMENT", "VENDORID = 'V-1'") == 1


def test_ar_adjustment_totals_and_lines(company):
    recordno = legacy_key(company.call(fn(ar_adjustment(lines=[{"glaccountno": "4000", "amount": "-25.00", "classid": "C1"}],
                                                          invoiceno="INV-1"))))
    rec = read(company, "ARADJUSTMENT", recordno)
    assert rec.findtext("CUSTOMERNAME") == "Acme Corp" and rec.findtext("INVOICENO") == "INV-1"
    assert rec.findtext("TOTALENTERED") == "-25.00"
    assert (rec.findtext("STATE"), rec.findtext("RAWSTATE"), rec.findtext("RECORDTYPE")) == ("Posted", "A", "ra")
    assert rec.findtext("ARADJUSTMENTITEMS/aradjustmentitem/CLASSID") == "C1"


@pytest.mark.parametrize("obj", ["APADJUSTMENT", "ARADJUSTMENT"])
def test_adjustments_have_no_generic_create(company, obj):
    party = "VENDORID" if obj.startswith("AP") else "CUSTOMERID"
    xml = record_xml(obj, {party: "V-1" if obj.startswith("AP") else "C-1", "WHENCREATED": "03/01/2026"})
    err = errors_of(company.call(fn(f"<create>{xml}</create>")))[0]
    assert err["description2"] == f"API operation 'CREATE' cannot be performed on objects of type {obj.lower()}"


@pytest.mark.parametrize("maker, obj", [(ap_adjustment, "APADJUSTMENT"), (ar_adjustment, "ARADJUSTMENT")])
def test_adjustment_lines_must_all_have_the_same_sign(company, maker, obj):
    """Protocol notes 8.7: adjustment line amounts are all positive or all negative."""
    account = "6220" if obj.startswith("AP") else "4000"
    errs = errors_of(company.call(fn(maker(lines=[{"glaccountno": account, "amount": "-10"},
                                                 {"glaccountno": account, "amount": "3"}]))))
    assert errs[0]["errorno"] == BASE
    assert errs[0]["description2"] == "The line amounts of an adjustment must be all positive or all negative."
    assert count(company, obj) == 0
    # all positive (a debit memo) is fine
    legacy_key(company.call(fn(maker(lines=[{"glaccountno": account, "amount": "10"}, {"glaccountno": account, "amount": "3"}]))))


def test_adjustment_references_and_periods(make_company, gateway_url):
    from tests.conftest import BASIC_RECORDS

    gw = Gateway(gateway_url, company=make_company(BASIC_RECORDS + INACTIVE_RECORDS, closed_periods=["2026-02"]))
    assert errors_of(gw.call(fn(ap_adjustment(vendor="V-OLD"))))[0]["description2"] == "Invalid Vendor 'V-OLD' specified."
    assert errors_of(gw.call(fn(ar_adjustment(customer="NOPE"))))[0]["description2"] == "Invalid Customer 'NOPE' specified."
    errs = errors_of(gw.call(fn(ar_adjustment(lines=[{"glaccountno": "4000", "amount": "-1", "locationid": "L900"}]))))
    assert errs[0]["description2"] == "Invalid Location 'L900' specified."
    assert errs[-1]["description2"] == "Could not create AR Adjustment record!"
    errs = errors_of(gw.call(fn(ap_adjustment(when="02/02/2026"))))
    assert errs[0]["description2"] == "Periods are closed. Your transaction date (02/02/2026) is within a period that's been closed."
    assert count(gw, "APADJUSTMENT") == 0 and count(gw, "ARADJUSTMENT") == 0
    assert count(gw, "APADJUSTMENTITEM") == 0 and count(gw, "ARADJUSTMENTITEM") == 0


def test_duplicate_adjustment_numbers(company):
    company.ok(fn(ap_adjustment("ADJ-5")))
    errs = errors_of(company.call(fn(ap_adjustment("ADJ-5"))))
    assert errs[0]["description2"] == "A transaction with the number 'ADJ-5' already exists."
    company.ok(fn(ap_adjustment("ADJ-5", vendor="V-2")))  # per vendor, like bills
    company.ok(fn(ar_adjustment("CR-5")))
    errs = errors_of(company.call(fn(ar_adjustment("CR-5", customer="C-2"))))
    assert errs[0]["description2"] == "A transaction with the number 'CR-5' already exists."


@pytest.mark.parametrize("maker, obj", [(ap_adjustment, "APADJUSTMENT"), (ar_adjustment, "ARADJUSTMENT")])
def test_deleted_adjustment(company, maker, obj):
    recordno = legacy_key(company.call(fn(maker())))
    company.ok(fn(f"<delete><object>{obj}</object><keys>{recordno}</keys></delete>"))
    assert count(company, obj) == 0 and count(company, f"{obj}ITEM") == 0
    err = errors_of(company.call(fn(f"<delete><object>{obj}</object><keys>{recordno}</keys></delete>")))[0]
    assert err["description2"] == f"Cannot find {obj.lower()} with key '{recordno}' to delete."


# --------------------------------------------------------------------------- multi-entity companies


def test_multi_entity_bill_lines_need_a_location(make_company, gateway_url):
    from intacct_mock.company.model import Entity

    company_id = make_company(entities=[Entity("L100", "Head office")])
    top = Gateway(gateway_url, company=company_id)
    errs = errors_of(top.call(fn(f"<create>{bill()}</create>")))
    assert errs[0]["description2"] == "Use of empty Location is invalid. A valid Multi-Entity Location must be specified."
    assert count(top, "APBILL") == 0
    top.ok(fn(f"<create>{bill('B-2', lines=[{'ACCOUNTNO': '6220', 'TRX_AMOUNT': '5', 'LOCATIONID': 'L100'}])}</create>"))
    # in an entity session the entity fills the line location
    entity = top.call(fn(f"<create>{bill('B-3')}</create>"), login=("ws_user", company_id, "ws_user_pw", "L100"))
    recordno = created_recordno(entity, "APBILL")
    assert read(top, "APBILL", recordno).findtext("APBILLITEMS/apbillitem/LOCATIONID") == "L100"


def test_reference_checks_see_a_deactivation_earlier_in_the_same_request(company):
    """References are remembered per request; a write to the referenced object must forget them."""
    reply = company.call(
        fn(f"<create>{bill('SAME-1')}</create>"),
        fn("<update><GLACCOUNT><ACCOUNTNO>6220</ACCOUNTNO><STATUS>inactive</STATUS></GLACCOUNT></update>"),
        fn(f"<create>{bill('SAME-2')}</create>"),
    )
    assert [r.findtext("status") for r in reply.results()] == ["success", "success", "failure"]
    assert errors_of(reply, 2)[0]["description2"] == "Invalid GL Account '6220' specified."
