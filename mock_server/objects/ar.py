"""Accounts receivable: invoices (ARINVOICE), adjustments, payments (ARPYMT) and payment batches.

Invoices have no generic ``create`` (protocol notes 8.4): they are written with legacy
``create_invoice``. Invoice numbers collide company-wide. Not emulated: recurring invoices,
dunning, revenue recognition, invoice PDFs.
"""

from __future__ import annotations

from ..errors import RequestValidationError, InvalidReferenceError, could_not
from .base import ObjectType, Parsed
from .documents import DocumentType, document_lines
from .legacy import (
    LegacyApply, LegacyDelete, LegacyLines, LegacyReverse, LegacyWrite, document_create, document_update,
)
from .fields import day, readonly_texts, status, text
from .master import contact_fields
from .payments import PaymentType, payment_details


class ARInvoice(DocumentType):
    tax_type = "Sale"
    record_sequence = "AR"  # one record-number sequence for the subledger's documents and payments
    name, label, module = "ARINVOICE", "Invoice", "AR"
    party_object, party_field, party_name_field, party_label = "CUSTOMER", "CUSTOMERID", "CUSTOMERNAME", "Customer"
    record_type = "ri"
    # Written with create_invoice/update_invoice; the 3.0 ARINVOICE reads and deletes (protocol notes 8.4).
    generic_create = False
    generic_update = False
    own_fields = (
        *DocumentType.header_fields("CUSTOMERID", "CUSTOMERNAME", "Customer"),
        text("RECORD_URL", label="Record URL", readonly=True), text("DESCRIPTION2", label="Description 2"),
        day("WHENDISCOUNT", label="Discount date"), text("CUSTMESSAGEID", label="Customer message"),
        *readonly_texts("CUSTMESSAGE.MESSAGE", "SHIPTO.VISIBLE", "BILLTO.VISIBLE", "SHIPTO.TAXGROUP.NAME", "SHIPTO.TAXID",
                        "SHIPTO.TAXGROUP.RECORDNO", "RETAINAGEPERCENTAGE", "TRX_TOTALRETAINED", "TRX_TOTALRELEASED",
                        "TOTALRETAINED"),
        *contact_fields("CONTACT"), *contact_fields("SHIPTO"), *contact_fields("BILLTO"),
    )
    lines = document_lines("ARINVOICEITEM", "Invoice line", "ARINVOICE", "AR", "ARINVOICEITEMS")
    summary_fields = ("RECORDID", "CUSTOMERID", "WHENCREATED", "WHENDUE", "TOTALENTERED", "TOTALDUE", "STATE")
    legacy = (document_create("create_invoice", {"customerid": "CUSTOMERID", "invoiceno": "RECORDID"}, "invoiceitems"),
              document_update("update_invoice", {"customerid": "CUSTOMERID", "invoiceno": "RECORDID"},
                              "updateinvoiceitems"),
              LegacyReverse("reverse_invoice"),
              LegacyDelete("delete_invoice", "key", by_id=False))


class ARAdjustment(DocumentType):
    tax_type = "Sale"
    record_sequence = "AR"  # one record-number sequence for the subledger's documents and payments
    name, label, module = "ARADJUSTMENT", "AR Adjustment", "AR"
    party_object, party_field, party_name_field, party_label = "CUSTOMER", "CUSTOMERID", "CUSTOMERNAME", "Customer"
    record_type = "ra"
    uniform_line_signs = True
    requires_due_date = False
    generic_create = False
    generic_update = False
    own_fields = (
        *DocumentType.header_fields("CUSTOMERID", "CUSTOMERNAME", "Customer"),
        text("ADJUSTMENTNO", label="Adjustment number"), text("INVOICENO", label="Invoice number"),
    )
    lines = document_lines("ARADJUSTMENTITEM", "AR adjustment line", "ARADJUSTMENT", "AR", "ARADJUSTMENTITEMS")
    legacy = (document_create("create_aradjustment", {"customerid": "CUSTOMERID", "adjustmentno": "RECORDID",
                                                      "invoiceno": "INVOICENO"}, "aradjustmentitems"),
              LegacyDelete("delete_aradjustment", "key", by_id=False))


class ARPayment(PaymentType):
    record_sequence = "AR"  # one record-number sequence for the subledger's documents and payments
    name, label, plural, module = "ARPYMT", "AR Payment", "AR payments", "AR"
    own_fields = PaymentType.header_fields("CUSTOMERID", "Customer")
    lines = payment_details("ARPYMTDETAIL", "ARPYMT", "AR", "ARPYMTDETAILS")
    summary_fields = ("RECORDID", "CUSTOMERID", "PAYMENTDATE", "PAYMENTMETHOD", "TOTALENTERED", "STATE")
    legacy = (LegacyWrite("create_arpayment", {
        "customerid": "CUSTOMERID", "paymentamount": "PAYMENTAMOUNT", "batchkey": "PRBATCHKEY",
        "bankaccountid": "FINANCIALENTITY", "undepfundsacct": "UNDEPOSITEDACCOUNTNO", "refid": "DOCNUMBER",
        "datereceived": "RECEIPTDATE", "paymentmethod": "PAYMENTMETHOD", "basecurr": "BASECURR", "currency": "CURRENCY",
    }, frozenset({"translatedamount", "overpaylocid", "overpaydeptid", "exchratedate", "exchratetype", "exchrate",
                  "cctype", "authcode", "onlinecardpayment", "onlineachpayment", "arpaymentitem"}),
        LegacyLines({"invoicekey": "RECORDKEY", "amount": "TRX_PAYMENTAMOUNT"}, element="arpaymentitem", always=True)),
        LegacyReverse("reverse_arpayment"),
        LegacyApply("apply_arpayment", "arpaymentkey", "paymentdate", ("arpaymentitems", "arpaymentitem"),
                    {"invoicekey": "RECORDKEY", "amount": "TRX_PAYMENTAMOUNT"},
                    frozenset({"batchkey", "memo", "overpaylocid", "overpaydeptid"})))


class ARPaymentBatch(ObjectType):
    """A user-defined AR payment summary (the ``batchkey`` of ``create_arpayment``)."""

    name, label, module = "ARPAYMENTBATCH", "Payment batch", "AR"
    generic_create = False
    generic_update = False
    document_key_field = "TITLE"
    legacy = (LegacyWrite("create_arpaymentbatch", {"batchtitle": "TITLE", "datecreated": "BATCHDATE",
                                                    "bankaccountid": "FINANCIALENTITY",
                                                    "undepfundsacct": "UNDEPOSITEDACCOUNTNO"}),)
    own_fields = (
        text("TITLE", label="Title", required=True), day("BATCHDATE", label="Batch date"),
        text("FINANCIALENTITY", label="Bank account"), text("UNDEPOSITEDACCOUNTNO", label="Undeposited funds account"),
        status(),
    )

    def prepare(self, ctx, parsed: Parsed, existing) -> None:
        wrap = could_not("create", "payment batch")
        self.check_required(parsed, ctx)
        bank = parsed.values.get("FINANCIALENTITY")
        if bank and bank not in ctx.bank_accounts():
            raise InvalidReferenceError("Bank Account", bank).with_also(wrap)
        if not parsed.values.get("BATCHDATE"):
            raise RequestValidationError("Required field 'Batch date' is missing.").with_also(wrap)


OBJECTS = (ARInvoice(), ARAdjustment(), ARPayment(), ARPaymentBatch())
