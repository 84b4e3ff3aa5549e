"""The reference client's document life operations: reversals and voids, safe to retry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from intacct_mock.client import Bill, Invoice, Line, Payment
from intacct_mock.client.errors import FunctionFailed


def bill(number: str, amount: str = "90.00") -> Bill:
    return Bill("V-1", number, date(2026, 3, 2), [Line("6220", Decimal(amount), "chairs")], due_date=date(2026, 4, 1))


def test_reverse_a_bill_and_its_lost_answer_is_reconciled(ops, control, tenant):
    posted = ops.export_bill(bill("LC-1"))
    control.add_fault({"company": tenant, "match": {"function": "reverse_bill"},
                       "action": {"type": "drop_ack", "variant": "reset"}, "times": 1})
    result = ops.reverse("APBILL", posted.recordno, date(2026, 3, 20), "entered twice")
    assert result.how == "reconciled"
    [original] = control.books(tenant, "APBILL", RECORDNO=posted.recordno)
    assert original["STATE"] == "Reversed"
    reversals = [e for e in control.journal(company=tenant) if e["functions"][0]["name"] == "reverse_bill"]
    assert len(reversals) == 1  # looked up, never sent again
    # Asked again later (a user clicks twice): Intacct says it is reversed, and so the client agrees.
    assert ops.reverse("APBILL", posted.recordno, date(2026, 3, 20)).how == "reconciled"


def test_reversing_a_paid_invoice_is_refused_until_its_payment_is_reversed(ops, control, tenant):
    invoice = ops.export_invoice(Invoice("C-1", "LC-INV", date(2026, 3, 2), [Line("4000", Decimal("50.00"), "fee")],
                                         due_date=date(2026, 4, 1)))
    payment = ops.record_payment(Payment("C-1", "LC-PAY", date(2026, 3, 3), Decimal("50.00"), bank_account="BOA",
                                         applied_to={invoice.recordno: Decimal("50.00")}))
    with pytest.raises(FunctionFailed, match="has payments applied"):
        ops.reverse("ARINVOICE", invoice.recordno, date(2026, 3, 20))
    ops.reverse("ARPYMT", payment.recordno, date(2026, 3, 20), "cheque bounced")
    assert ops.reverse("ARINVOICE", invoice.recordno, date(2026, 3, 21)).how == "created"
    [inv] = control.books(tenant, "ARINVOICE", RECORDNO=invoice.recordno)
    assert (inv["STATE"], inv["TOTALDUE"]) == ("Reversed", "0.00")


def test_void_an_ap_payment(ops, intacct, control, tenant):
    posted = ops.export_bill(bill("LC-2", "40.00"))
    paid = intacct.create("APPYMT", {"FINANCIALENTITY": "BOA", "PAYMENTMETHOD": "EFT", "VENDORID": "V-1",
                                     "PAYMENTDATE": "03/05/2026",
                                     "APPYMTDETAILS": {"APPYMTDETAIL": [{"RECORDKEY": posted.recordno,
                                                                          "TRX_PAYMENTAMOUNT": "40.00"}]}})
    assert ops.void_ap_payment(paid).how == "created"
    [b] = control.books(tenant, "APBILL", RECORDNO=posted.recordno)
    assert (b["STATE"], b["TOTALDUE"]) == ("Posted", "40.00")
    with pytest.raises(ValueError):
        ops.reverse("VENDOR", 1, date(2026, 3, 20))


def test_sales_documents_journal_entries_and_applying_a_payment(ops, control, make_company, client_for):
    from intacct_mock.client import JournalEntry, JournalLine, Operations, SalesDocument, SalesLine
    from tests.conftest import BASIC_RECORDS

    tenant = make_company(BASIC_RECORDS + [("ITEM", {"ITEMID": "HOUR", "NAME": "Hour", "BASEPRICE": "100",
                                                     "ITEMGLGROUP.INCOMEACCOUNT.ACCTNO": "4000"})])
    ops = Operations(client_for(tenant))
    control.add_fault({"company": tenant, "match": {"function": "create_sotransaction"},
                       "action": {"type": "drop_ack", "variant": "reset"}, "times": 1})
    posted = ops.export_sales_document(SalesDocument("Sales Invoice", "C-1", "SI-9", date(2026, 3, 2),
                                                     [SalesLine("HOUR", Decimal("2"))]))
    assert (posted.recordno, posted.how) == ("Sales Invoice-SI-9", "reconciled")
    invoice = ops.ar_invoice_of(posted.recordno)
    [ar] = control.books(tenant, "ARINVOICE", RECORDNO=invoice)
    assert ar["TOTALENTERED"] == "200.00"
    entry = JournalEntry("GJ", date(2026, 3, 5), "Accrual", "ACC-1",
                         [JournalLine("6220", Decimal("50")), JournalLine("1000", Decimal("-50"))])
    assert ops.post_journal_entry(entry).how == "created"
    assert ops.post_journal_entry(entry).how == "reconciled"  # sent twice: Intacct refuses the control id, found
    advance = ops.record_payment(Payment("C-1", "ADV-9", date(2026, 3, 6), Decimal("200"), bank_account="BOA"))
    ops.apply_payment(advance.recordno, date(2026, 3, 7), {invoice: Decimal("200")})
    [ar] = control.books(tenant, "ARINVOICE", RECORDNO=invoice)
    assert ar["STATE"] == "Paid"
