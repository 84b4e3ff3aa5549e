"""Credits applied to documents over real HTTP: credit memos inside payments (AR and AP, the
shape of the official SDKs' debit-memo detail), apply_arpayment of an unapplied payment, and the
over-application Intacct refuses."""

from __future__ import annotations

from typing import Any

from tests.server.test_document_life import day, errors, new_bill, new_invoice, reverse
from tests.server.test_payments import ok_key, ok_recordno
from tests.support import Gateway, fn, record_xml
from tests.support import read_record as read


def credit_memo(gw: Gateway, amount: str = "-40.00", number: str = "CM-1", customer: str = "C-1") -> int:
    return ok_key(gw.call(fn(record_xml("create_aradjustment", {
        "customerid": customer, **day("datecreated", "03/03/2026"), "adjustmentno": number,
        "aradjustmentitems": {"lineitem": [{"glaccountno": "4000", "amount": amount}]}}))))


def debit_memo(gw: Gateway, amount: str = "-50.00", number: str = "DM-1") -> int:
    return ok_key(gw.call(fn(record_xml("create_apadjustment", {
        "vendorid": "V-1", **day("datecreated", "03/03/2026"), "adjustmentno": number,
        "apadjustmentitems": {"lineitem": [{"glaccountno": "6220", "amount": amount}]}}))))


def payment(obj: str, party: tuple[str, str], details: list[dict[str, Any]], **header: Any) -> str:
    date_field = "RECEIPTDATE" if obj == "ARPYMT" else "PAYMENTDATE"
    data = {"FINANCIALENTITY": "BOA", "PAYMENTMETHOD": "EFT", party[0]: party[1], date_field: "03/10/2026", **header}
    if details:
        data[f"{obj}DETAILS"] = {f"{obj}DETAIL": details}
    return fn(f"<create>{record_xml(obj, data)}</create>")


def balance(gw: Gateway, obj: str, recordno: int) -> tuple[str, str, str]:
    rec = read(gw, obj, recordno)
    return rec.findtext("STATE"), rec.findtext("TOTALPAID"), rec.findtext("TOTALDUE")


def test_a_credit_memo_applied_with_cash_pays_the_invoice(company):
    inv, cm = new_invoice(company, "INV-C1"), credit_memo(company)
    pay = ok_recordno(company.call(payment("ARPYMT", ("CUSTOMERID", "C-1"), [
        {"RECORDKEY": inv, "TRX_PAYMENTAMOUNT": "60.00", "ADJUSTMENTKEY": cm, "TRX_ADJUSTMENTAMOUNT": "40.00"}])),
        "ARPYMT")
    assert balance(company, "ARINVOICE", inv) == ("Paid", "100.00", "0.00")
    assert balance(company, "ARADJUSTMENT", cm) == ("Paid", "-40.00", "0.00")
    assert read(company, "ARPYMT", pay).findtext("TOTALENTERED") == "60.00"  # the cash; the credit is not cash


def test_part_of_a_credit_and_what_it_has_left(company):
    first, second, cm = new_invoice(company, "INV-C2"), new_invoice(company, "INV-C3"), credit_memo(company)
    company.ok(payment("ARPYMT", ("CUSTOMERID", "C-1"), [{"RECORDKEY": first, "ADJUSTMENTKEY": cm,
                                                          "TRX_ADJUSTMENTAMOUNT": "15.00"}]))
    assert balance(company, "ARADJUSTMENT", cm) == ("Partially Paid", "-15.00", "-25.00")
    assert balance(company, "ARINVOICE", first) == ("Partially Paid", "15.00", "85.00")
    found = errors(company.call(payment("ARPYMT", ("CUSTOMERID", "C-1"), [
        {"RECORDKEY": second, "ADJUSTMENTKEY": cm, "TRX_ADJUSTMENTAMOUNT": "30.00"}])))
    assert found[0]["description2"] == (
        "Payment detail 1: the credit to apply (30.00) exceeds what credit CM-1 has left (25.00).")
    assert balance(company, "ARINVOICE", second) == ("Posted", "0.00", "100.00")  # nothing moved


def test_a_credit_of_another_customer_or_not_a_credit_is_refused(company):
    inv = new_invoice(company, "INV-C4")
    other = credit_memo(company, number="CM-OTHER", customer="C-2")
    assert errors(company.call(payment("ARPYMT", ("CUSTOMERID", "C-1"), [
        {"RECORDKEY": inv, "ADJUSTMENTKEY": other, "TRX_ADJUSTMENTAMOUNT": "5.00"}])))[0]["description2"] == (
        f"Credit {other} does not belong to customer C-1.")
    assert "credit key" in errors(company.call(payment("ARPYMT", ("CUSTOMERID", "C-1"), [
        {"RECORDKEY": inv, "ADJUSTMENTKEY": inv, "TRX_ADJUSTMENTAMOUNT": "5.00"}])))[0]["description2"]


def test_a_debit_memo_applied_to_a_bill_and_given_back_by_the_reversal(company):
    bill, dm = new_bill(company, "L-DM", ("300.00",)), debit_memo(company)
    pay = ok_recordno(company.call(payment("APPYMT", ("VENDORID", "V-1"), [
        {"RECORDKEY": bill, "TRX_PAYMENTAMOUNT": "250.00", "ADJUSTMENTKEY": dm, "TRX_ADJUSTMENTAMOUNT": "50.00"}])),
        "APPYMT")
    assert balance(company, "APBILL", bill) == ("Paid", "300.00", "0.00")
    assert balance(company, "APADJUSTMENT", dm) == ("Paid", "-50.00", "0.00")
    reverse(company, "reverse_appayment", pay)
    assert balance(company, "APBILL", bill) == ("Posted", "0.00", "300.00")
    assert balance(company, "APADJUSTMENT", dm) == ("Posted", "0.00", "-50.00")


def apply(gw: Gateway, key: int, items: list[tuple[int, str]], mdy: str = "03/12/2026"):
    data = {"arpaymentkey": key, **day("paymentdate", mdy),
            "arpaymentitems": {"arpaymentitem": [{"invoicekey": k, "amount": a} for k, a in items]}}
    return gw.call(fn(record_xml("apply_arpayment", data)))


def test_apply_arpayment_spreads_an_unapplied_payment_and_refuses_an_over_application(company):
    first, second = new_invoice(company, "INV-A1", "150.00"), new_invoice(company, "INV-A2", "100.00")
    advance = ok_recordno(company.call(payment("ARPYMT", ("CUSTOMERID", "C-1"), [], PAYMENTAMOUNT="200.00",
                                               DOCNUMBER="ADV-1")), "ARPYMT")
    assert balance(company, "ARPYMT", advance) == ("Complete", "0.00", "200.00")
    reply = apply(company, advance, [(first, "150.00"), (second, "30.00")])
    assert reply.result().findtext("status") == "success" and reply.result().findtext("key") == str(advance)
    assert balance(company, "ARPYMT", advance) == ("Complete", "180.00", "20.00")
    assert balance(company, "ARINVOICE", first)[0] == "Paid"
    assert balance(company, "ARINVOICE", second) == ("Partially Paid", "30.00", "70.00")
    found = errors(apply(company, advance, [(second, "25.00")]))
    assert found[0]["description2"] == "The amounts to apply (25.00) exceed what the payment ADV-1 has unapplied (20.00)."
    assert found[-1]["description2"] == "Could not apply Payment record!"
    assert errors(apply(company, advance, [(first, "5.00")]))[0]["errorno"] == "BL03000130"  # already paid
    assert errors(apply(company, 999999, [(second, "1.00")]))[0]["description2"] == (
        "Cannot find arpymt with key '999999' to apply.")
    # The details it applied are the payment's now: reversing it gives both invoices their amounts back.
    reverse(company, "reverse_arpayment", advance)
    assert [balance(company, "ARINVOICE", k) for k in (first, second)] == [
        ("Posted", "0.00", "150.00"), ("Posted", "0.00", "100.00")]
