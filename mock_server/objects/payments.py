"""AR and AP payments: applied to invoices or bills, moving their amounts due and state.

The AR batch rule is the one behind "Please provide a payment batch key.": when the company's
AR payment summary frequency is user-defined, every payment must name its summary (batch);
with Daily or Monthly summaries a bank account or undeposited-funds account is enough.
Payments can be reversed (AR, AP) or voided (AP): the documents get their amounts due back.
Not emulated: discounts, credits applied inside a payment, multi-currency, line waterfall.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..errors import (
    BatchKeyRequiredError,
    BusinessRuleError,
    InvalidReferenceError,
    PeriodClosedError,
    RequestValidationError,
    could_not,
)
from .base import LineSpec, ObjectType, Parsed, Relation, money_sum
from .credits import CENT, available_credit, move_balance
from .documents import PAYABLE_STATES
from .fields import choice, day, integer, money, readonly_texts, stamp, text

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

PAYMENT_METHODS = tuple(
    (m, m) for m in ("Printed Check", "Cash", "EFT", "Credit Card", "Online Charge Card", "Online ACH Debit", "Record Transfer")
)
PAYMENT_STATES = (("D", "Draft"), ("C", "Complete"), ("V", "Voided"), ("R", "Reversed"))


class PaymentDetailType(ObjectType):
    def __init__(self, name: str, parent: str, module: str) -> None:
        self.name, self.label, self.line_of, self.module = name, "Payment detail", parent, module
        self.own_fields = (
            integer("LINE_NO", label="Line number", readonly=True),
            integer("RECORDKEY", label="Document key"), integer("ENTRYKEY", label="Line key"),
            money("TRX_PAYMENTAMOUNT", label="Payment amount"),
            # A credit applied to the document with the payment (the SDKs' debit memo detail).
            integer("ADJUSTMENTKEY", label="Credit key"), integer("ADJUSTMENTENTRYKEY", label="Credit line key"),
            money("TRX_ADJUSTMENTAMOUNT", label="Credit amount"),
        )
        super().__init__()


class PaymentType(ObjectType):
    document_key_field = "DOCNUMBER"  # the reference an integration gives the payment
    party_object = "CUSTOMER"
    party_field = "CUSTOMERID"
    party_label = "Customer"
    document_object = "ARINVOICE"
    document_label = "Invoice"
    credit_object = "ARADJUSTMENT"
    date_field = "RECEIPTDATE"
    summary_setting = "ar_payment_summary_frequency"
    generic_update = False

    def __init__(self) -> None:
        self.relations = {self.party_object: Relation(self.party_field, self.party_object, self.party_field)}
        super().__init__()

    @staticmethod
    def header_fields(party_field: str, party_label: str):
        return (
            text(party_field, label=f"{party_label} ID"), text(party_field.replace("ID", "NAME"), label=f"{party_label} name", readonly=True),
            choice("PAYMENTMETHOD", PAYMENT_METHODS, label="Payment method"),
            text("FINANCIALENTITY", label="Bank account"), text("UNDEPOSITEDACCOUNTNO", label="Undeposited funds account"),
            text("PRBATCH", label="Summary"), integer("PRBATCHKEY", label="Summary key"),
            text("DOCNUMBER", label="Reference number"), text("DESCRIPTION", label="Description"),
            day("RECEIPTDATE", label="Receipt date"), day("PAYMENTDATE", label="Payment date"),
            day("WHENCREATED", label="Date created", readonly=True), day("WHENPAID", label="When paid", readonly=True),
            text("CURRENCY", label="Currency"), text("BASECURR", label="Base currency"),
            money("TOTALENTERED", label="Total amount", readonly=True), money("TOTALPAID", label="Amount applied", readonly=True),
            money("TOTALDUE", label="Amount unapplied", readonly=True), money("PAYMENTAMOUNT", label="Payment amount"),
            choice("STATE", PAYMENT_STATES, label="State", readonly=True), text("RECORDTYPE", label="Record type", readonly=True),
            text("ACTION", label="Action", writeonly=True), stamp("AUWHENCREATED", label="Created timestamp"),
            text("PAYERNAME", label="Payer name"), text("SUPDOCID", label="Attachment"), text("RECORDID", label="Record ID"),
            text("EXCH_RATE_DATE", label="Exchange rate date"), text("EXCH_RATE_TYPE_ID", label="Exchange rate type"),
            money("EXCHANGE_RATE", label="Exchange rate"), text("TAXSOLUTIONID", label="Tax solution"),
            money("TRX_TOTALENTERED", label="Transaction total", readonly=True),
            money("TRX_TOTALPAID", label="Transaction amount applied", readonly=True),
            money("TRX_TOTALDUE", label="Transaction amount unapplied", readonly=True),
            *readonly_texts("FINANCIALENTITYTYPE", "FINANCIALACCOUNTNAME", "FINANCIALACCOUNTCURRENCY", "SUMMARYTITLE",
                            "DISPLAYSTATE", "PAYMENTMETHODKEY", "BILLTOPAYTONAME", "CLEARED", "CLRDATE", "BILLTOPAYTOKEY",
                            "PARENTPAYMENTKEY", "MULTIENTITYPYMTKEY", "RECORD_URL"),
        )

    def prepare(self, ctx: "RuleContext", parsed: Parsed, existing: dict | None) -> None:
        wrap = could_not("create", "Payment")
        v = parsed.values
        action = (v.pop("ACTION", None) or "Submit").lower()
        party_id = v.get(self.party_field)
        party = ctx.books.by_id(self.party_object, party_id) if party_id else None
        if party is None or party.get("STATUS") != "T":
            raise InvalidReferenceError(self.party_label, party_id or "").with_also(wrap)
        v[self.party_field.replace("ID", "NAME")] = party.get("NAME")
        self.check_funds_source(ctx, v, wrap)
        if not v.get("PAYMENTMETHOD"):
            raise RequestValidationError(
                "Required field 'Payment method' (PAYMENTMETHOD) is missing.", correction="Provide PAYMENTMETHOD."
            ).with_also(wrap)
        when = v.get(self.date_field) or v.get("PAYMENTDATE")
        if not when:
            raise RequestValidationError(
                f"Required field '{self.fields[self.date_field].label}' ({self.date_field}) is missing.",
                correction=f"Provide {self.date_field}.",
            ).with_also(wrap)
        if ctx.company.period_closed(date.fromisoformat(when)):
            raise PeriodClosedError(date.fromisoformat(when).strftime("%m/%d/%Y")).with_also(wrap)
        currency = v.get("CURRENCY") or ctx.company.base_currency
        if currency not in ctx.company.currencies:
            raise InvalidReferenceError("Currency", currency).with_also(wrap)
        v.update(CURRENCY=currency, BASECURR=ctx.company.base_currency, WHENCREATED=when)
        details = parsed.lines or []
        applied = 0.0
        seen: dict[int, float] = {}
        credits: dict[int, float] = {}
        for n, d in enumerate(details, start=1):
            applied += self.check_detail(ctx, n, d, party_id, seen, credits, wrap)
        total = v.get("PAYMENTAMOUNT")
        if total is None:
            if not details:
                raise RequestValidationError(
                    "A payment needs at least one detail or a payment amount.", correction="Add payment details."
                ).with_also(wrap)
            total = money_sum(d.values.get("TRX_PAYMENTAMOUNT") for d in details)
        if applied - total > 0.005:
            raise BusinessRuleError(
                f"The amounts applied ({applied:.2f}) exceed the payment amount ({total:.2f})."
            ).with_also(wrap)
        state = "D" if action == "draft" else "C"
        v.update(
            TOTALENTERED=total, TOTALPAID=round(applied, 2), TOTALDUE=round(total - applied, 2), STATE=state,
            RECORDTYPE="rp" if details else "rr", AUWHENCREATED=ctx.books.now,
            TRX_TOTALENTERED=total, TRX_TOTALPAID=round(applied, 2), TRX_TOTALDUE=round(total - applied, 2),
        )

    def check_funds_source(self, ctx: "RuleContext", v: dict, wrap) -> None:
        frequency = getattr(ctx.company, self.summary_setting)
        batch_key = v.get("PRBATCHKEY")
        if batch_key is not None:
            batch = ctx.books.get(self.batch_object, int(batch_key))
            if batch is None or batch.get("STATUS") != "T":
                raise InvalidReferenceError("payment batch key", str(batch_key)).with_also(wrap)
            v["PRBATCH"] = batch.get("TITLE")
            v.setdefault("FINANCIALENTITY", batch.get("FINANCIALENTITY"))
            return
        if frequency == "User-defined":
            raise BatchKeyRequiredError().with_also(wrap)
        bank, undeposited = v.get("FINANCIALENTITY"), v.get("UNDEPOSITEDACCOUNTNO")
        if bank:
            if bank not in ctx.bank_accounts():
                raise InvalidReferenceError("Bank Account", bank).with_also(wrap)
        elif undeposited:
            if ctx.books.by_id("GLACCOUNT", undeposited) is None:
                raise InvalidReferenceError("GL Account", undeposited).with_also(wrap)
        else:
            raise RequestValidationError(
                "Provide a bank account (FINANCIALENTITY), an undeposited funds account or a payment batch key.",
                correction="Specify where the payment is deposited.",
            ).with_also(wrap)

    batch_object = "ARPAYMENTBATCH"

    def check_detail(self, ctx: "RuleContext", n: int, d: Parsed, party_id: str, seen: dict, credits: dict,
                     wrap) -> float:
        """One detail: the document it pays, the cash it applies (returned) and the credit it applies."""
        key, cash = d.values.get("RECORDKEY"), d.values.get("TRX_PAYMENTAMOUNT")
        credit = d.values.get("TRX_ADJUSTMENTAMOUNT") if d.values.get("ADJUSTMENTKEY") is not None else None
        if key is None or (cash is None and credit is None):
            raise RequestValidationError(
                f"Payment detail {n}: RECORDKEY and TRX_PAYMENTAMOUNT are required.", correction="Complete the payment detail."
            ).with_also(wrap)
        if (cash is not None and cash <= 0) or (credit is not None and credit <= 0):
            raise BusinessRuleError(
                f"Payment detail {n}: the payment amount must be greater than zero.", correction="Enter a positive amount."
            ).with_also(wrap)
        amount = (cash or 0.0) + (credit or 0.0)
        if credit is not None:
            self.check_credit(ctx, n, int(d.values["ADJUSTMENTKEY"]), credit, party_id, credits, wrap)
        doc = ctx.books.get(self.document_object, int(key))
        if doc is None:
            raise InvalidReferenceError(f"{self.document_label} key", str(key)).with_also(wrap)
        if doc.get(self.party_field) != party_id:
            raise BusinessRuleError(
                f"{self.document_label} {key} does not belong to {self.party_label.lower()} {party_id}."
            ).with_also(wrap)
        if doc.get("STATE") in ("R", "V"):
            raise BusinessRuleError(
                f"{self.document_label} {doc.get('RECORDID') or key} is "
                f"{'reversed' if doc['STATE'] == 'R' else 'a reversal'} and cannot be paid.",
                correction="Remove the reversed document from the payment.",
            ).with_also(wrap)
        due = float(doc.get("TOTALDUE") or 0) - seen.get(int(key), 0.0)
        if doc.get("STATE") == "P" or due <= 0.005:
            raise BusinessRuleError(
                f"{self.document_label} {doc.get('RECORDID') or key} is already paid.", errorno="BL03000130",
                correction="Remove the paid document from the payment.",
            ).with_also(wrap)
        if doc.get("STATE") not in PAYABLE_STATES:
            raise BusinessRuleError(
                f"{self.document_label} {doc.get('RECORDID') or key} is not posted and cannot be paid."
            ).with_also(wrap)
        if amount - due > 0.005:
            raise BusinessRuleError(
                f"The payment amount {amount:.2f} exceeds the amount due {due:.2f} for {self.document_label.lower()} {doc.get('RECORDID') or key}."
            ).with_also(wrap)
        seen[int(key)] = seen.get(int(key), 0.0) + amount
        return cash or 0.0

    def check_credit(self, ctx: "RuleContext", n: int, key: int, amount: float, party_id: str, credits: dict,
                     wrap) -> None:
        """A credit (an adjustment with a negative total) of the same party, with that much left to give."""
        adj = ctx.books.get(self.credit_object, key)
        if adj is None or float(adj.get("TOTALENTERED") or 0) >= 0:
            raise InvalidReferenceError("credit key", str(key)).with_also(wrap)
        if adj.get(self.party_field) != party_id:
            raise BusinessRuleError(f"Credit {key} does not belong to {self.party_label.lower()} {party_id}.").with_also(wrap)
        if adj.get("STATE") not in PAYABLE_STATES:
            raise BusinessRuleError(f"Credit {adj.get('RECORDID') or key} is not available to apply.").with_also(wrap)
        left = available_credit(adj) - credits.get(key, 0.0)
        if amount - left > CENT:
            raise BusinessRuleError(
                f"Payment detail {n}: the credit to apply ({amount:.2f}) exceeds what credit "
                f"{adj.get('RECORDID') or key} has left ({left:.2f}).",
                correction="Apply at most the credit's remaining amount.",
            ).with_also(wrap)
        credits[key] = credits.get(key, 0.0) + amount

    def _move(self, ctx: "RuleContext", detail: dict, sign: float, when: str | None) -> None:
        """Apply one detail's cash and credit to its document (sign -1: take them back)."""
        doc_type = ctx.object(self.document_object)
        cash, credit = float(detail.get("TRX_PAYMENTAMOUNT") or 0), float(detail.get("TRX_ADJUSTMENTAMOUNT") or 0)
        if detail.get("ADJUSTMENTKEY") is None:
            credit = 0.0
        doc = ctx.books.get(doc_type, int(detail["RECORDKEY"]))
        if doc is not None:  # a deleted document has nothing to give back
            move_balance(ctx, doc_type, doc, sign * (cash + credit), when)
        if credit:
            credit_type = ctx.object(self.credit_object)
            adj = ctx.books.get(credit_type, int(detail["ADJUSTMENTKEY"]))
            if adj is not None:
                move_balance(ctx, credit_type, adj, -sign * credit, when)

    def after_write(self, ctx: "RuleContext", recordno: int, parsed: Parsed, existing: dict | None) -> None:
        if existing is not None or parsed.values.get("STATE") == "D":
            return
        when = parsed.values.get(self.date_field) or parsed.values.get("PAYMENTDATE")
        for d in parsed.lines or []:
            self._move(ctx, d.values, 1.0, when)

    def apply(self, ctx: "RuleContext", row: dict, when: str, details: list[Parsed]) -> int:
        """Apply what a complete payment has unapplied (an overpayment, an advance) to documents,
        with credits if the details carry them; an over-application is refused."""
        wrap = could_not("apply", "Payment")
        name = f"payment {row.get('DOCNUMBER') or row['RECORDNO']}"
        if row.get("STATE") != "C":
            raise BusinessRuleError(f"The {name} is {ctx.label_of(self, 'STATE', row.get('STATE'))} and cannot be applied."
                                    ).with_also(wrap)
        if not details:
            raise RequestValidationError("Provide at least one item to apply.", correction="Add an arpaymentitem.").with_also(wrap)
        if ctx.company.period_closed(date.fromisoformat(when)):
            raise PeriodClosedError(date.fromisoformat(when).strftime("%m/%d/%Y")).with_also(wrap)
        seen: dict[int, float] = {}
        credits: dict[int, float] = {}
        cash = sum(self.check_detail(ctx, n, d, row[self.party_field], seen, credits, wrap)
                   for n, d in enumerate(details, start=1))
        left = round(float(row.get("TOTALDUE") or 0), 2)
        if cash - left > CENT:
            raise BusinessRuleError(
                f"The amounts to apply ({cash:.2f}) exceed what the {name} has unapplied ({left:.2f}).",
                correction="Apply at most the payment's unapplied amount.",
            ).with_also(wrap)
        assert self.lines is not None
        detail_obj = self.lines.object
        keep = [n for n in detail_obj.fields if n not in ("RECORDNO", "LINE_NO", "WHENMODIFIED", "CREATEDBY", "MODIFIEDBY")]
        lines = [({k: line.get(k) for k in keep if line.get(k) is not None}, {})
                 for line in ctx.books.lines(detail_obj, row["RECORDNO"])]
        lines += [(d.values, d.custom) for d in details]
        ctx.books.replace_lines(detail_obj, row["RECORDNO"], lines)
        paid = round(float(row.get("TOTALPAID") or 0) + cash, 2)
        ctx.books.update(self, row["RECORDNO"], {"TOTALPAID": paid, "TOTALDUE": round(left - cash, 2),
                                                 "TRX_TOTALPAID": paid, "TRX_TOTALDUE": round(left - cash, 2)})
        for d in details:
            self._move(ctx, d.values, 1.0, when)
        return int(row["RECORDNO"])

    def reverse(self, ctx: "RuleContext", row: dict, when: str | None, memo: str | None, *, void: bool = False) -> int:
        """Reverse (or void) a complete payment: the documents it paid get their amounts due back,
        and both they and the payment are modified now, so a lookback sync over WHENMODIFIED sees them."""
        verb = "void" if void else "reverse"
        wrap = could_not(verb, "Payment")
        name = f"payment {row.get('DOCNUMBER') or row['RECORDNO']}"
        if row.get("STATE") in ("V", "R"):
            raise BusinessRuleError(f"The {name} is already {'voided' if row['STATE'] == 'V' else 'reversed'}.").with_also(wrap)
        if row.get("STATE") == "D":
            raise BusinessRuleError(f"The {name} is a draft: delete it instead.").with_also(wrap)
        paid_on = row.get(self.date_field) or row.get("PAYMENTDATE") or row.get("WHENCREATED")
        if when is not None:
            day_reversed = date.fromisoformat(when)
            if paid_on and day_reversed < date.fromisoformat(paid_on):
                raise BusinessRuleError(
                    f"The reversal date {day_reversed:%m/%d/%Y} is before the payment date "
                    f"{date.fromisoformat(paid_on):%m/%d/%Y}.").with_also(wrap)
            if ctx.company.period_closed(day_reversed):
                raise PeriodClosedError(day_reversed.strftime("%m/%d/%Y")).with_also(wrap)
        assert self.lines is not None
        for detail in ctx.books.lines(self.lines.object, row["RECORDNO"]):
            self._move(ctx, detail, -1.0, None)
        changes = {"STATE": "V" if void else "R"}
        if memo:
            changes["DESCRIPTION"] = memo
        ctx.books.update(self, row["RECORDNO"], changes)
        return int(row["RECORDNO"])

    def before_delete(self, ctx: "RuleContext", row: dict) -> None:
        if row.get("STATE") != "D":
            raise BusinessRuleError(
                "Only draft payments can be deleted.", correction="Reverse the payment instead."
            ).with_also(could_not("delete", "Payment"))


def payment_details(name: str, parent: str, module: str, collection: str) -> LineSpec:
    return LineSpec(collection, name, PaymentDetailType(name, parent, module))
