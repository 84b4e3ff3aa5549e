"""High-level operations: reconciliation after lost answers, collisions on the same document, AR payments."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from intacct_mock.client import Bill, CreditNote, Invoice, Line, Operations, Payment
from intacct_mock.client.errors import BatchKeyRequired, NumberingCollision, OutcomeUnknown, PeriodClosed


def bill(number: str, amount: str = "120.50", vendor: str = "V-1", day: int = 2) -> Bill:
    return Bill(vendor, number, date(2026, 3, day), [Line("6220", Decimal(amount), "seats", department="D100")],
                due_date=date(2026, 4, 1), po_number=f"PO-{number}")


@pytest.mark.parametrize("variant", ["reset", "close", "truncate", "gateway_error"])
def test_lost_answer_is_reconciled_by_lookup_not_resent(ops, control, tenant, variant):
    control.add_fault({"company": tenant, "match": {"object": "APBILL"},
                       "action": {"type": "drop_ack", "variant": variant}, "times": 1})
    posted = ops.export_bill(bill("B-1"))
    [stored] = control.books(tenant, "APBILL", RECORDID="B-1")
    assert posted.how == "reconciled" and posted.recordno == str(stored["RECORDNO"])
    creates = [e for e in control.journal(company=tenant) if e["functions"][0]["name"] == "create"]
    assert len(creates) == 1  # looked up, never sent again


def test_answer_lost_before_commit_is_resent_once_lookup_proves_absence(ops, control, tenant):
    control.add_fault({"company": tenant, "match": {"object": "APBILL"}, "action": "http_status=502", "times": 1})
    posted = ops.export_bill(bill("B-2"))
    assert posted.how == "created" and len(control.books(tenant, "APBILL", RECORDID="B-2")) == 1


def test_outcome_unknown_after_the_resend_limit_is_raised(ops, control, tenant):
    control.add_fault({"company": tenant, "match": {"function": "create"}, "action": "http_status=504"})
    with pytest.raises(OutcomeUnknown):
        ops.export_bill(bill("B-3"))
    assert control.books(tenant, "APBILL", RECORDID="B-3") == []
    creates = [e for e in control.journal(company=tenant) if e["functions"][0]["name"] == "create"]
    assert len(creates) == 3  # RESEND_LIMIT sends, each after a lookup proved the bill absent


def test_re_export_of_an_exported_bill_is_recognised(ops, control, tenant):
    first = ops.export_bill(bill("B-4"))
    again = ops.export_bill(bill("B-4"))  # same control id: Intacct says it already ran
    assert again.recordno == first.recordno and again.how == "reconciled"
    assert len(control.books(tenant, "APBILL", RECORDID="B-4")) == 1


def test_collision_with_the_same_document_is_already_exported(ops, intacct, control, tenant):
    first = ops.export_bill(bill("B-5"))
    # Another tool (or an older version of ours) used a different control id: Intacct reports a collision.
    other = Operations(intacct)
    b = bill("B-5")
    posted = other._post(lambda: intacct.create("APBILL", b.fields(), controlid="other-tool-1"),
                         lambda: other.find_bill(b.vendor_id, b.number), lambda rec: True)
    assert posted == type(posted)(first.recordno, "already_exported")


def test_collision_with_a_different_document_is_a_real_error(ops, intacct, tenant):
    ops.export_bill(bill("B-6", "100.00"))
    different = bill("B-6", "999.00")
    with pytest.raises(NumberingCollision) as caught:
        ops._post(lambda: intacct.create("APBILL", different.fields(), controlid="other-2"),
                  lambda: ops.find_bill(different.vendor_id, different.number),
                  lambda rec: rec.get("TOTALENTERED") == "999.00")
    assert caught.value.document_number == "B-6"


def test_bill_fields_reach_the_books(ops, control, tenant):
    b = Bill("V-2", "B-7", date(2026, 3, 3), [Line("6220", Decimal("10"), department="D100", location="L100"),
                                              Line("6400", Decimal("5.25"), class_id="C1")],
             due_date=date(2026, 4, 2), po_number="PO-77", description="march")
    ops.export_bill(b)
    [stored] = control.books(tenant, "APBILL", RECORDID="B-7")
    assert stored["DOCNUMBER"] == "PO-77" and stored["TOTALENTERED"] == "15.25"
    assert [(l["ACCOUNTNO"], l["DEPARTMENTID"], l["LOCATIONID"], l["CLASSID"]) for l in stored["APBILLITEMS"]] == [
        ("6220", "D100", "L100", None), ("6400", None, None, "C1")]


def test_closed_period_is_a_typed_failure(client_for, make_company):
    cid = make_company(closed_through="2026-03-31")
    with pytest.raises(PeriodClosed):
        Operations(client_for(cid)).export_bill(bill("B-8"))


def test_credit_note_and_invoice_export(ops, control, tenant):
    note = CreditNote("V-1", "CN-1", date(2026, 3, 4), [Line("6220", Decimal("20"))])
    assert ops.export_credit_note(note).how == "created"
    assert ops.export_credit_note(note).how == "reconciled"
    inv = Invoice("C-1", "INV-1", date(2026, 3, 2), [Line("4000", Decimal("300"))], due_date=date(2026, 4, 1))
    posted = ops.export_invoice(inv)
    [stored] = control.books(tenant, "ARINVOICE", RECORDID="INV-1")
    assert posted.recordno == str(stored["RECORDNO"]) and stored["TOTALDUE"] == "300.00"


def test_payment_with_and_without_batch_key(client_for, make_company, control):
    cid = make_company(ar_payment_summary_frequency="User-defined")
    ops = Operations(client_for(cid))
    inv = ops.export_invoice(Invoice("C-1", "INV-P", date(2026, 3, 2), [Line("4000", Decimal("100"))],
                                     due_date=date(2026, 4, 1)))
    pay = Payment("C-1", "CHK-1", date(2026, 3, 5), Decimal("40"), {inv.recordno: Decimal("40")}, bank_account="BOA")
    with pytest.raises(BatchKeyRequired):
        ops.record_payment(pay)
    batch = ops.client.legacy("create_arpaymentbatch", {"batchtitle": "March", "bankaccountid": "BOA",
                                                        "datecreated": {"year": "2026", "month": "03", "day": "05"}})
    pay.batch_key = batch
    assert ops.record_payment(pay).how == "created"
    [invoice] = control.books(cid, "ARINVOICE", RECORDID="INV-P")
    assert invoice["TOTALDUE"] == "60.00" and invoice["STATE"] == "Partially Paid"


def test_sync_payments_uses_a_lookback_window(client_for, make_company, control, clock):
    cid = make_company()
    ops = Operations(client_for(cid))
    inv = ops.export_invoice(Invoice("C-1", "INV-S", date(2026, 3, 2), [Line("4000", Decimal("50"))],
                                     due_date=date(2026, 4, 1)))
    control.set_clock(cid, today="2026-02-20")
    ops.record_payment(Payment("C-1", "OLD", date(2026, 2, 20), Decimal("10"), {inv.recordno: Decimal("10")},
                               bank_account="BOA"))
    control.set_clock(cid, today="2026-03-03")
    ops.record_payment(Payment("C-1", "NEW", date(2026, 3, 3), Decimal("10"), {inv.recordno: Decimal("10")},
                               bank_account="BOA"))
    seen = [p["DOCNUMBER"] for p in ops.sync_payments(lookback_days=8, now=datetime(2026, 3, 5, tzinfo=timezone.utc))]
    assert seen == ["NEW"]


def test_master_data_import_is_an_upsert(ops, control, tenant):
    result = ops.import_vendors([{"VENDORID": "V-1", "NAME": "Initech Renamed"}, {"VENDORID": "V-NEW", "NAME": "New"}])
    assert result == {"V-1": "updated", "V-NEW": "created"}
    assert control.books(tenant, "VENDOR", VENDORID="V-1")[0]["NAME"] == "Initech Renamed"
    assert ops.import_dimension("DEPARTMENT", [{"DEPARTMENTID": "D900", "TITLE": "Ops"}]) == {"D900": "created"}
    assert ops.import_gl_accounts([{"ACCOUNTNO": "6999", "TITLE": "Misc", "ACCOUNTTYPE": "incomestatement",
                                    "NORMALBALANCE": "debit"}]) == {"6999": "created"}


def test_bill_with_an_uploaded_attachment(ops, control, tenant):
    supdoc = ops.upload_attachment("INV-ATT-1", "Bills", [("invoice.pdf", b"%PDF-1.4 fake")])
    assert supdoc == "INV-ATT-1"
    assert ops.upload_attachment("INV-ATT-1", "Bills", [("invoice.pdf", b"%PDF-1.4 fake")]) == "INV-ATT-1"
    b = bill("B-ATT")
    b.attachment_id = supdoc
    ops.export_bill(b)
    [stored] = control.books(tenant, "APBILL", RECORDID="B-ATT")
    assert stored["SUPDOCID"] == "INV-ATT-1"
    assert len(control.books(tenant, "SUPDOC", SUPDOCID="INV-ATT-1")) == 1
