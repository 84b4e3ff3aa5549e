"""Rules shared by AP/AR documents with lines: bills, invoices and adjustments (credit notes).

What a real document does and this one does too: header totals derived from lines, due date from
terms, references checked (party, accounts, dimensions, attachment), the document number
collision, closed periods, multi-entity location on lines, Draft vs Posted, and balances moved by
payments, reversals (``reverse``). Not emulated: approvals, exchange rates, tax, line-level payment
waterfall.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..errors import (
    BusinessRuleError,
    DocumentNumberExistsError,
    InvalidReferenceError,
    PeriodClosedError,
    RequestValidationError,
    could_not,
)
from .base import TRX_TOTALS, LineSpec, ObjectType, Parsed, Relation, money_sum, with_trx_totals
from .dimensions import check_required, check_restriction
from .tax import TAX, check_line_tax, line_tax_fields
from .fields import Field, choice, day, flag, integer, money, readonly_texts, stamp, status, text

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

DOC_STATES = (
    ("D", "Draft"), ("S", "Submitted"), ("PA", "Partially Approved"), ("U", "Declined"), ("A", "Posted"),
    ("PP", "Partially Paid"), ("P", "Paid"), ("SL", "Selected"), ("R", "Reversed"), ("V", "Reversal"),
)
PAYABLE_STATES = ("A", "PP", "SL")

DIMENSIONS = {
    "LOCATIONID": ("LOCATION", "Location"),
    "DEPARTMENTID": ("DEPARTMENT", "Department"),
    "CLASSID": ("CLASS", "Class"),
    "PROJECTID": ("PROJECT", "Project"),
    "CUSTOMERID": ("CUSTOMER", "Customer"),
    "VENDORID": ("VENDOR", "Vendor"),
}


def dimension_fields() -> tuple[Field, ...]:
    return (
        text("LOCATIONID", label="Location"), text("DEPARTMENTID", label="Department"),
        text("PROJECTID", label="Project"), text("TASKID", label="Task"), text("CUSTOMERID", label="Customer"),
        text("VENDORID", label="Vendor"), text("EMPLOYEEID", label="Employee"), text("ITEMID", label="Item"),
        text("CLASSID", label="Class"), text("CONTRACTID", label="Contract"), text("WAREHOUSEID", label="Warehouse"),
    )


class LineType(ObjectType):
    """A document line; its rules run from the parent's ``prepare``."""

    def __init__(self, name: str, label: str, parent: str, module: str) -> None:
        self.name, self.label, self.line_of, self.module = name, label, parent, module
        self.own_fields = (
            integer("LINE_NO", label="Line number", readonly=True),
            text("ACCOUNTNO", label="GL account"), text("ACCOUNTLABEL", label="Account label"),
            text("OFFSETGLACCOUNTNO", label="Offset GL account"),
            money("TRX_AMOUNT", label="Transaction amount"), money("AMOUNT", label="Amount", readonly=True),
            text("ENTRYDESCRIPTION", label="Memo"), flag("BILLABLE", label="Billable"),
            text("FORM1099", label="Form 1099"),
            *dimension_fields(), *line_tax_fields(),
        )
        super().__init__()


class DocumentType(ObjectType):
    party_object = "VENDOR"
    party_field = "VENDORID"
    party_name_field = "VENDORNAME"
    party_label = "Vendor"
    number_field = "RECORDID"
    number_per_party = False
    requires_due_date = True
    # Adjustment lines are "all positive or all negative" (protocol notes 8.7: a credit or a debit memo).
    uniform_line_signs = False

    def __init__(self) -> None:
        self.relations = {self.party_object: Relation(self.party_field, self.party_object, self.party_field)}
        super().__init__()

    @classmethod
    def header_fields(cls, party_field: str, party_name: str, party_label: str) -> tuple[Field, ...]:
        return (
            text(party_field, label=f"{party_label} ID"), text(party_name, label=f"{party_label} name", readonly=True),
            text("RECORDID", label="Document number"), text("DOCNUMBER", label="Reference number"),
            text("DESCRIPTION", label="Description"), text("RECORDTYPE", label="Record type", readonly=True),
            day("WHENCREATED", label="Transaction date"), day("WHENPOSTED", label="GL posting date"),
            day("WHENDUE", label="Due date"), day("WHENPAID", label="Date fully paid", readonly=True),
            text("TERMNAME", label="Terms"), choice("STATE", DOC_STATES, label="State", readonly=True),
            text("RAWSTATE", label="Raw state", readonly=True),
            money("TOTALENTERED", label="Total amount", readonly=True), money("TOTALPAID", label="Total paid", readonly=True),
            money("TOTALDUE", label="Total due", readonly=True), money("TOTALSELECTED", label="Total selected", readonly=True),
            *(money(f"TRX_{name}", label=f"Transaction {label}", readonly=True) for name, label in TRX_TOTALS),
            text("CURRENCY", label="Currency"), text("BASECURR", label="Base currency"),
            text("PRBATCH", label="Summary"), integer("PRBATCHKEY", label="Summary key"),
            text("SUPDOCID", label="Attachment"), text("EXTERNALID", label="External ID"),
            text("ACTION", label="Action", writeonly=True), flag("ONHOLD", label="On hold"),
            stamp("AUWHENCREATED", label="Created timestamp"), integer("DUE_IN_DAYS", label="Due in days", readonly=True),
            text("EXCH_RATE_DATE", label="Exchange rate date"), text("EXCH_RATE_TYPE_ID", label="Exchange rate type"),
            money("EXCHANGE_RATE", label="Exchange rate"), text("TAXSOLUTIONID", label="Tax solution"),
            *readonly_texts("SYSTEMGENERATED", "TAXMETHOD", "BILLTOPAYTOCONTACTNAME", "SHIPTORETURNTOCONTACTNAME"),
        )

    @property
    def noun(self) -> str:
        """The label inside a sentence: 'bill', 'AP adjustment' (acronyms keep their case)."""
        return " ".join(w if w.isupper() else w.lower() for w in self.label.split())

    @property
    def article(self) -> str:
        return "An" if self.noun[:1].lower() in "aeiou" else "A"

    # ------------------------------------------------------------------ rules

    def prepare(self, ctx: "RuleContext", parsed: Parsed, existing: dict | None) -> None:
        verb = "create" if existing is None else "update"
        wrap = could_not(verb, self.label)
        v = parsed.values
        # ACTION is write-only, so it is taken out of the values here. Without one, a create
        # submits and an update keeps the document's state (a draft stays a draft).
        was_draft = existing is not None and existing.get("STATE") == "D"
        action = (v.pop("ACTION", None) or ("Draft" if was_draft else "Submit")).strip()
        if action.lower() not in ("draft", "submit"):
            raise RequestValidationError(f"Invalid ACTION '{action}'.", correction="Use Draft or Submit.").with_also(wrap)
        draft = action.lower() == "draft"
        submitting = was_draft and not draft  # a draft posted by update runs the posting checks
        if existing is None:
            v.setdefault("SYSTEMGENERATED", "false")  # written by a user (Order Entry's invoices say true)
        if existing is not None and existing.get("STATE") not in ("D", "A"):
            raise BusinessRuleError(
                f"This {self.noun} cannot be updated because it is {ctx.label_of(self, 'STATE', existing['STATE'])}."
            ).with_also(wrap)
        if existing is not None and not was_draft and draft:
            raise BusinessRuleError(
                f"This {self.noun} is posted and cannot be saved as a draft.", correction="Use ACTION Submit."
            ).with_also(wrap)
        merged = {**(existing or {}), **v}
        if existing is None:
            for req in (self.party_field, "WHENCREATED"):
                if not merged.get(req):
                    raise RequestValidationError(
                        f"Required field '{self.fields[req].label}' ({req}) is missing.", correction=f"Provide {req}."
                    ).with_also(wrap)
        party = ctx.books.by_id(self.party_object, merged[self.party_field]) if merged.get(self.party_field) else None
        if party is None or party.get("STATUS") != "T":
            raise InvalidReferenceError(self.party_label, merged.get(self.party_field, "")).with_also(wrap)
        if v.get(self.party_field) or existing is None:
            v[self.party_name_field] = party.get("NAME")
        term = merged.get("TERMNAME")
        if term:
            if term not in ctx.company.terms:
                raise InvalidReferenceError("Term", term).with_also(wrap)
            if not merged.get("WHENDUE"):
                due = date.fromisoformat(merged["WHENCREATED"]) + timedelta(days=ctx.company.terms[term])
                v["WHENDUE"] = merged["WHENDUE"] = due.isoformat()
        if self.requires_due_date and not draft and not merged.get("WHENDUE"):
            raise RequestValidationError(
                "Required field 'Due date' (WHENDUE) is missing.", correction="Provide WHENDUE or TERMNAME."
            ).with_also(wrap)
        currency = merged.get("CURRENCY") or ctx.company.base_currency
        if currency not in ctx.company.currencies:
            raise InvalidReferenceError("Currency", currency).with_also(wrap)
        if existing is None:
            v.setdefault("CURRENCY", currency)
            v.setdefault("BASECURR", ctx.company.base_currency)
        posting = merged.get("WHENPOSTED") or merged.get("WHENCREATED")
        if posting and not draft and ("WHENPOSTED" in v or "WHENCREATED" in v or existing is None or submitting):
            if ctx.company.period_closed(date.fromisoformat(posting)):
                raise PeriodClosedError(date.fromisoformat(posting).strftime("%m/%d/%Y")).with_also(wrap)
        self._check_number(ctx, v, merged, existing, wrap)
        if merged.get("SUPDOCID") and ("SUPDOCID" in v) and ctx.books.by_id("SUPDOC", merged["SUPDOCID"]) is None:
            raise InvalidReferenceError("Attachment", merged["SUPDOCID"]).with_also(wrap)
        if parsed.lines is not None or existing is None:
            lines = parsed.lines or []
            if not lines and not draft:
                raise RequestValidationError(
                    f"{self.article} {self.noun} must have at least one line item.", correction="Add at least one line."
                ).with_also(wrap)
            ctx.books.prefetch_active("GLACCOUNT", (line.values.get("ACCOUNTNO") for line in lines))
            for n, line in enumerate(lines, start=1):
                self._check_line(ctx, n, line, wrap, party)
            if self.uniform_line_signs:
                amounts = [line.values["TRX_AMOUNT"] for line in lines]
                if any(a > 0 for a in amounts) and any(a < 0 for a in amounts):
                    raise BusinessRuleError(
                        "The line amounts of an adjustment must be all positive or all negative.",
                        correction="Create a separate adjustment for the lines of the other sign.",
                    ).with_also(wrap)
            total = money_sum((line.values.get("TRX_AMOUNT") or 0) + (line.values.get(TAX) or 0) for line in lines)
            paid = float((existing or {}).get("TOTALPAID") or 0.0)
            v.update(TOTALENTERED=total, TOTALPAID=paid, TOTALDUE=round(total - paid, 2), TOTALSELECTED=0.0)
            with_trx_totals(v)
        elif submitting and self.lines is not None and not ctx.books.lines(self.lines.object, existing["RECORDNO"]):
            raise RequestValidationError(
                f"{self.article} {self.noun} must have at least one line item.", correction="Add at least one line."
            ).with_also(wrap)
        if existing is None and ctx.company.tax_solution:
            v["TAXSOLUTIONID"] = ctx.company.tax_solution
        if existing is None:
            v.setdefault("WHENPOSTED", merged.get("WHENCREATED"))
            v.setdefault("ONHOLD", "F")
            state = "D" if draft else "A"
            v.update(STATE=state, RAWSTATE=state, AUWHENCREATED=ctx.books.now, RECORDTYPE=self.record_type)
        elif submitting:
            v.update(STATE="A", RAWSTATE="A")

    record_type = "pi"
    tax_type = "Purchase"  # the tax details its lines take (AR documents: Sale)

    def _check_number(self, ctx: "RuleContext", v: dict, merged: dict, existing: dict | None, wrap) -> None:
        number = v.get(self.number_field)
        if not number or not ctx.company.reject_duplicate_document_numbers:
            return
        if existing is not None and number == existing.get(self.number_field):
            return
        party = (self.party_field, merged.get(self.party_field)) if self.number_per_party else None
        if ctx.books.number_taken(self, number, party):
            raise DocumentNumberExistsError(number).with_also(wrap)

    def _check_line(self, ctx: "RuleContext", n: int, line: Parsed, wrap, party: dict | None = None) -> None:
        lv = line.values
        if lv.get("TRX_AMOUNT") is None:
            raise RequestValidationError(
                f"Line {n}: required field 'Transaction amount' (TRX_AMOUNT) is missing.", correction="Provide an amount."
            ).with_also(wrap)
        lv["AMOUNT"] = lv["TRX_AMOUNT"]
        account = lv.get("ACCOUNTNO")
        if not account and lv.get("ACCOUNTLABEL"):
            found = ctx.books.first_where("GLACCOUNT", "TITLE", lv["ACCOUNTLABEL"])
            if found is None:
                raise InvalidReferenceError("Account Label", lv["ACCOUNTLABEL"]).with_also(wrap)
            account = lv["ACCOUNTNO"] = found["ACCOUNTNO"]
        if not account:
            raise RequestValidationError(
                f"Line {n}: required field 'GL account' (ACCOUNTNO) is missing.", correction="Provide ACCOUNTNO or ACCOUNTLABEL."
            ).with_also(wrap)
        if not ctx.books.is_active("GLACCOUNT", account):
            raise InvalidReferenceError("GL Account", account).with_also(wrap)
        for fname, (obj, label) in DIMENSIONS.items():
            value = lv.get(fname)
            if value and not ctx.books.is_active(obj, value):
                raise InvalidReferenceError(label, value).with_also(wrap)
        check_required(ctx, n, account, lv, wrap)
        check_line_tax(ctx, n, lv, self.tax_type, wrap)
        if party is not None:
            check_restriction(self.party_label, party, n, lv, wrap)
        if ctx.company.multi_entity and not lv.get("LOCATIONID"):
            if ctx.entity:
                lv["LOCATIONID"] = ctx.entity
            else:
                raise BusinessRuleError(
                    "Use of empty Location is invalid. A valid Multi-Entity Location must be specified."
                ).with_also(wrap)

    def reverse(self, ctx: "RuleContext", row: dict, when: str | None, memo: str | None, *, void: bool = False) -> int:
        """Reverse a posted document with nothing paid: the original shows Reversed with nothing
        due, and a reversal document (negated lines, state Reversal) is dated ``when``. Answers
        the reversal's record number."""
        wrap = could_not("reverse", self.label)
        name = f"{self.noun} {row.get('RECORDID') or row['RECORDNO']}"
        state = row.get("STATE")
        if state in ("R", "V"):
            raise BusinessRuleError(f"The {name} is already reversed." if state == "R" else
                                    f"The {name} is a reversal and cannot be reversed.").with_also(wrap)
        if state == "D":
            raise BusinessRuleError(f"The {name} is a draft: delete it instead of reversing it.").with_also(wrap)
        if float(row.get("TOTALPAID") or 0) > 0.005:
            raise BusinessRuleError(
                f"The {name} has payments applied and cannot be reversed.",
                correction="Reverse the payments applied to it first.",
            ).with_also(wrap)
        assert when is not None
        day_reversed = date.fromisoformat(when)
        if row.get("WHENCREATED") and day_reversed < date.fromisoformat(row["WHENCREATED"]):
            raise BusinessRuleError(
                f"The reversal date {day_reversed:%m/%d/%Y} is before the {self.noun}'s date "
                f"{date.fromisoformat(row['WHENCREATED']):%m/%d/%Y}.",
            ).with_also(wrap)
        if ctx.company.period_closed(day_reversed):
            raise PeriodClosedError(day_reversed.strftime("%m/%d/%Y")).with_also(wrap)
        total = float(row.get("TOTALENTERED") or 0)
        reversal = {k: row.get(k) for k in (self.party_field, self.party_name_field, "RECORDID", "DOCNUMBER", "TERMNAME",
                                              "CURRENCY", "BASECURR", "RECORDTYPE")}
        reversal.update(
            DESCRIPTION=memo or f"Reversal of {name}", WHENCREATED=when, WHENPOSTED=when, WHENDUE=when, STATE="V",
            RAWSTATE="V", TOTALENTERED=-total, TOTALPAID=0.0, TOTALDUE=0.0, TOTALSELECTED=0.0, ONHOLD="F",
            AUWHENCREATED=ctx.books.now,
        )
        recordno = ctx.books.insert(self, with_trx_totals(reversal))
        if self.lines is not None:
            line_obj = self.lines.object
            keep = [n for n in line_obj.fields if n not in ("RECORDNO", "LINE_NO", "WHENMODIFIED", "CREATEDBY", "MODIFIEDBY")]
            lines = []
            for line in ctx.books.lines(line_obj, row["RECORDNO"]):
                values = {k: line.get(k) for k in keep if line.get(k) is not None}
                for money in ("TRX_AMOUNT", "AMOUNT"):
                    if values.get(money) is not None:
                        values[money] = -float(values[money])
                lines.append((values, {}))
            ctx.books.replace_lines(line_obj, recordno, lines, fresh=True)
        ctx.books.update(self, row["RECORDNO"], with_trx_totals({"STATE": "R", "RAWSTATE": "R", "TOTALDUE": 0.0}))
        return recordno

    def before_delete(self, ctx: "RuleContext", row: dict) -> None:
        if row.get("STATE") in ("R", "V"):
            raise BusinessRuleError(
                f"Cannot delete {self.noun} {row.get('RECORDID') or row['RECORDNO']}: it is "
                f"{'reversed' if row['STATE'] == 'R' else 'a reversal'}.",
            ).with_also(could_not("delete", self.label))
        if float(row.get("TOTALPAID") or 0) > 0:
            raise BusinessRuleError(
                f"Cannot delete {self.noun} {row.get('RECORDID') or row['RECORDNO']}: payments have been applied to it.",
                correction="Reverse or delete the payments first.",
            ).with_also(could_not("delete", self.label))


def document_lines(name: str, label: str, parent: str, module: str, collection: str) -> LineSpec:
    return LineSpec(collection, name, LineType(name, label, parent, module))


DOCUMENT_SUMMARY = ("RECORDID", "WHENCREATED", "WHENDUE", "TOTALENTERED", "TOTALDUE", "STATE")


__all__ = ["DocumentType", "LineType", "document_lines", "DOC_STATES", "DOCUMENT_SUMMARY", "PAYABLE_STATES",
           "dimension_fields", "status"]
