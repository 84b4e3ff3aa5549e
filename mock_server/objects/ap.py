"""Accounts payable: bills (APBILL), credit notes (APADJUSTMENT), payments (APPYMT).

Bill numbers (RECORDID) collide per vendor, as AP's duplicate-number check works per vendor.
Not emulated: approvals, recurring bills, 1099 reporting, payment requests and their selection.
"""

from __future__ import annotations

from .documents import DocumentType, document_lines
from ..errors import BusinessRuleError, InvalidReferenceError, RequestValidationError, could_not
from .base import ObjectType
from .legacy import LegacyDelete, LegacyReverse, LegacyWrite, document_create, document_update
from .payments import PaymentType, payment_details
from .fields import choice, day, flag, money, status, text


class APBill(DocumentType):
    record_sequence = "AP"  # one record-number sequence for the subledger's documents and payments
    name, label, module = "APBILL", "Bill", "AP"
    number_per_party = True
    own_fields = (
        *DocumentType.header_fields("VENDORID", "VENDORNAME", "Vendor"),
        day("RECPAYMENTDATE", label="Recommended payment date"),
        choice("PAYMENTPRIORITY", (("urgent", "urgent"), ("high", "high"), ("normal", "normal"), ("low", "low")),
               label="Payment priority"),
        text("RECORD_URL", label="Record URL", readonly=True),
    )
    lines = document_lines("APBILLITEM", "Bill line", "APBILL", "AP", "APBILLITEMS")
    summary_fields = ("RECORDID", "VENDORID", "WHENCREATED", "WHENDUE", "TOTALENTERED", "TOTALDUE", "STATE")
    def prepare(self, ctx, parsed, existing):
        super().prepare(ctx, parsed, existing)
        if existing is None:
            check_bill_summary(ctx, parsed.values, "create")

    legacy = (document_create("create_bill", {"vendorid": "VENDORID", "billno": "RECORDID"}, "billitems"),
              document_update("update_bill", {"vendorid": "VENDORID", "billno": "RECORDID"}, "updatebillitems"),
              LegacyReverse("reverse_bill"),
              LegacyDelete("delete_bill", "key", by_id=False))


class APAdjustment(DocumentType):
    """Vendor credit notes (and debit adjustments); lines all positive or all negative."""

    record_sequence = "AP"  # one record-number sequence for the subledger's documents and payments
    name, label, module = "APADJUSTMENT", "AP Adjustment", "AP"
    number_per_party = True
    requires_due_date = False
    record_type = "pa"
    uniform_line_signs = True
    generic_create = False
    generic_update = False
    own_fields = (
        *DocumentType.header_fields("VENDORID", "VENDORNAME", "Vendor"),
        text("ADJUSTMENTNO", label="Adjustment number"), text("BILLNO", label="Bill number"),
    )
    lines = document_lines("APADJUSTMENTITEM", "AP adjustment line", "APADJUSTMENT", "AP", "APADJUSTMENTITEMS")
    legacy = (document_create("create_apadjustment", {"vendorid": "VENDORID", "adjustmentno": "RECORDID", "billno": "BILLNO"},
                              "apadjustmentitems"),
              LegacyDelete("delete_apadjustment", "key", by_id=False))


class APPayment(PaymentType):
    record_sequence = "AP"  # one record-number sequence for the subledger's documents and payments
    name, label, plural, module = "APPYMT", "AP Payment", "AP payments", "AP"
    party_object, party_field, party_label = "VENDOR", "VENDORID", "Vendor"
    document_object, document_label, credit_object = "APBILL", "Bill", "APADJUSTMENT"
    date_field = "PAYMENTDATE"
    summary_setting = "ap_payment_summary_frequency"
    own_fields = (
        *PaymentType.header_fields("VENDORID", "Vendor"),
        # What a payment request is created with (the official SDKs' ApPaymentCreate writes them);
        # AMOUNTTOPAY is the payment's total when PAYMENTAMOUNT is not given.
        money("AMOUNTTOPAY", label="Amount to pay", writeonly=True),
        text("PAYMENTREQUESTMETHOD", label="Payment request method", writeonly=True),
        flag("GROUPPAYMENTS", label="Group payments", writeonly=True),
        text("PAYMENTCONTACT", label="Notification contact", writeonly=True),
    )
    lines = payment_details("APPYMTDETAIL", "APPYMT", "AP", "APPYMTDETAILS")
    summary_fields = ("RECORDID", "VENDORID", "PAYMENTDATE", "PAYMENTMETHOD", "TOTALENTERED", "STATE")
    legacy = (LegacyReverse("reverse_appayment"),
              LegacyReverse("void_appaymentrequest", keys=("appaymentkeys", "appaymentkey"), void=True))

    def prepare(self, ctx, parsed, existing):
        v = parsed.values
        if v.get("PAYMENTAMOUNT") is None and v.get("AMOUNTTOPAY") is not None:
            v["PAYMENTAMOUNT"] = v["AMOUNTTOPAY"]
        super().prepare(ctx, parsed, existing)

    def check_funds_source(self, ctx, v, wrap):
        from ..errors import InvalidReferenceError, RequestValidationError

        bank = v.get("FINANCIALENTITY")
        if not bank:
            raise RequestValidationError(
                "Required field 'Bank account' (FINANCIALENTITY) is missing.", correction="Provide FINANCIALENTITY."
            ).with_also(wrap)
        if bank not in ctx.bank_accounts():
            raise InvalidReferenceError("Bank Account", bank).with_also(wrap)


class APBillBatch(ObjectType):
    """An AP bill summary (PRBATCH): with user-defined bill summaries every bill names an open one
    (PRBATCHKEY), as companies that post bills into summaries require."""

    name, label, plural, module = "APBILLBATCH", "Bill summary", "Bill summaries", "AP"
    generic_create = False
    generic_update = False
    document_key_field = "TITLE"
    summary_fields = ("TITLE", "BATCHDATE", "STATUS")
    legacy = (LegacyWrite("create_billbatch", {"batchtitle": "TITLE", "datecreated": "BATCHDATE"}),)
    own_fields = (text("TITLE", label="Title", required=True), day("BATCHDATE", label="Summary date"),
                  choice("OPEN", (("T", "Open"), ("F", "Closed")), label="Open or closed", default="T"), status())

    def prepare(self, ctx, parsed, existing) -> None:
        self.check_required(parsed, ctx)
        if not parsed.values.get("BATCHDATE"):
            raise RequestValidationError("Required field 'Summary date' (BATCHDATE) is missing.",
                                         correction="Provide <datecreated>.").with_also(could_not("create", "summary"))


def check_bill_summary(ctx, v: dict, verb: str) -> None:
    """User-defined bill summaries: a bill names an open summary; any bill may name one."""
    wrap = could_not(verb, "Bill")
    key = v.get("PRBATCHKEY")
    if key is None:
        if ctx.company.ap_bill_summary_frequency == "User-defined":
            raise RequestValidationError(
                "Provide a bill summary key (PRBATCHKEY): this company posts bills into user-defined summaries.",
                correction="Create or choose an open bill summary and name it in the bill.").with_also(wrap)
        return
    batch = ctx.books.get("APBILLBATCH", int(key))
    if batch is None or batch.get("STATUS") != "T":
        raise InvalidReferenceError("bill summary key", str(key)).with_also(wrap)
    if batch.get("OPEN") != "T":
        raise BusinessRuleError(f"The bill summary {batch.get('TITLE')} is closed.",
                                correction="Post the bill into an open summary.").with_also(wrap)
    v["PRBATCH"] = batch.get("TITLE")


OBJECTS = (APBill(), APAdjustment(), APPayment(), APBillBatch())
