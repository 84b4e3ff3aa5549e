"""Tax in a VAT company over real HTTP: tax details, tax entries on bill and invoice lines (3.0 and
legacy), totals with tax, rounding differences, and the errors for a missing or unknown detail."""

from __future__ import annotations

import pytest

from tests.conftest import BASIC_RECORDS
from tests.server.test_document_life import errors
from tests.support import Gateway, fn, record_xml
from tests.support import read_record as read

VAT_RECORDS = BASIC_RECORDS + [
    ("TAXDETAIL", {"DETAILID": "UK Purchase Goods Standard Rate", "TAXTYPE": "Purchase", "VALUE": "20",
                   "TAXSOLUTIONID": "UK VAT"}),
    ("TAXDETAIL", {"DETAILID": "UK Sale Goods Standard Rate", "TAXTYPE": "Sale", "VALUE": "20", "TAXSOLUTIONID": "UK VAT"}),
    ("TAXDETAIL", {"DETAILID": "UK Purchase Reduced Rate", "TAXTYPE": "Purchase", "VALUE": "5", "TAXSOLUTIONID": "UK VAT"}),
]


@pytest.fixture
def vat(make_company, gateway_url) -> Gateway:
    return Gateway(gateway_url, company=make_company(VAT_RECORDS, tax_solution="UK VAT", currencies=["USD", "GBP"]))


def bill(lines: list[dict], number: str) -> str:
    data = {"VENDORID": "V-1", "WHENCREATED": "03/02/2026", "RECORDID": number, "TERMNAME": "N30",
            "APBILLITEMS": {"APBILLITEM": [{"ACCOUNTNO": "6220", **line} for line in lines]}}
    return fn(f"<create>{record_xml('APBILL', data)}</create>")


def taxed(amount: str, detail: str = "UK Purchase Goods Standard Rate", tax: str | None = None) -> dict:
    entry = {"DETAILID": detail}
    if tax is not None:
        entry["TRX_TAX"] = tax
    return {"TRX_AMOUNT": amount, "TAXENTRIES": {"TAXENTRY": entry}}


def test_bill_lines_carry_their_tax_and_the_total_includes_it(vat):
    reply = vat.ok(bill([taxed("100.00"), taxed("10.05", "UK Purchase Reduced Rate")], "VAT-1"))
    key = reply.result().findtext("data/apbill/RECORDNO")
    rec = read(vat, "APBILL", key)
    assert (rec.findtext("TOTALENTERED"), rec.findtext("TAXSOLUTIONID")) == ("130.55", "UK VAT")  # 100+20 + 10.05+0.50
    entries = [(i.findtext("TAXENTRIES/TAXENTRY/DETAILID"), i.findtext("TAXENTRIES/TAXENTRY/TRX_TAX"))
               for i in rec.find("APBILLITEMS")]
    assert entries == [("UK Purchase Goods Standard Rate", "20.00"), ("UK Purchase Reduced Rate", "0.50")]


def test_a_rounding_difference_is_kept_and_a_wrong_tax_refused(vat):
    key = vat.ok(bill([taxed("33.33", tax="6.70")], "VAT-2")).result().findtext("data/apbill/RECORDNO")
    assert read(vat, "APBILL", key).findtext("TOTALENTERED") == "40.03"
    found = errors(vat.call(bill([taxed("100.00", tax="25.00")], "VAT-3")))
    assert found[0]["description2"].startswith("Line 1: the tax 25.00 differs from 20.00")


def test_missing_unknown_or_wrong_type_tax_detail(vat):
    assert "a tax detail is required" in errors(vat.call(bill([{"TRX_AMOUNT": "10"}], "VAT-4")))[0]["description2"]
    assert errors(vat.call(bill([taxed("10", "UK Purchase Zero")], "VAT-5")))[0]["description2"] == (
        "Invalid Tax Detail 'UK Purchase Zero' specified.")
    assert errors(vat.call(bill([taxed("10", "UK Sale Goods Standard Rate")], "VAT-6")))[0]["description2"] == (
        "Line 1: tax detail UK Sale Goods Standard Rate is a Sale tax detail; this document takes Purchase tax details.")


def test_legacy_invoice_lines_with_tax_entries(vat):
    body = ("<create_invoice><customerid>C-1</customerid><datecreated><year>2026</year><month>3</month><day>2</day>"
            "</datecreated><termname>N30</termname><invoiceitems><lineitem><glaccountno>4000</glaccountno>"
            "<amount>200.00</amount><taxentries><taxentry><detailid>UK Sale Goods Standard Rate</detailid>"
            "</taxentry></taxentries></lineitem></invoiceitems></create_invoice>")
    key = vat.ok(fn(body)).result().findtext("key")
    assert read(vat, "ARINVOICE", key).findtext("TOTALENTERED") == "240.00"


def test_a_company_without_a_tax_solution_needs_no_tax(company):
    company.ok(bill([{"TRX_AMOUNT": "10"}], "NOVAT-1"))


def test_the_vat_demo_company_is_seeded_with_its_tax_details_and_awkward_vendors(gateway_url):
    gw = Gateway(gateway_url, company="DEMO-VAT")
    details = gw.ok(fn("<readByQuery><object>TAXDETAIL</object><fields>DETAILID,TAXTYPE</fields><query></query>"
                       "</readByQuery>")).result().find("data")
    assert details.get("totalcount") == "5"
    vendors = {r.findtext("VENDORID"): r for r in gw.ok(fn(
        "<readByQuery><object>VENDOR</object><fields>VENDORID,NAME,CURRENCY,TERMNAME</fields><query></query>"
        "</readByQuery>")).result().find("data")}
    assert (vendors["V-UK3"].findtext("CURRENCY"), vendors["V-UK3"].findtext("TERMNAME")) == ("", "")
    assert vendors["V-UK4"].findtext("NAME") == "O'Brien & Söhne, \"Café\" Ltd"
    assert "a tax detail is required" in errors(gw.call(fn(
        "<create><APBILL><VENDORID>V-UK1</VENDORID><WHENCREATED>03/02/2026</WHENCREATED><TERMNAME>N30</TERMNAME>"
        "<APBILLITEMS><APBILLITEM><ACCOUNTNO>6220</ACCOUNTNO><TRX_AMOUNT>10</TRX_AMOUNT></APBILLITEM></APBILLITEMS>"
        "</APBILL></create>")))[0]["description2"]
