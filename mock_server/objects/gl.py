"""General ledger journal entries: GLBATCH with its GLENTRY lines, as the official SDKs write them.

A batch posts into one of the company's journals (``journals``: symbol -> title) on BATCH_DATE;
its lines are debits (TR_TYPE 1) and credits (TR_TYPE -1) of positive amounts that must balance.
A posted batch in a closed period is refused, a draft needs neither balance nor an open period.
REVERSEDATE writes the reversing batch at once, dated then, lines flipped, as Intacct's
auto-reversal does. Not emulated: allocations, statistical journals, approvals, multi-currency.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..errors import BusinessRuleError, InvalidReferenceError, PeriodClosedError, RequestValidationError, could_not
from .base import LineSpec, ObjectType, Parsed
from .dimensions import LINE_FIELDS, check_required
from .fields import choice, day, integer, money, readonly_texts, stamp, text

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

BATCH_STATES = (("Draft", "Draft"), ("Submitted", "Submitted"), ("Posted", "Posted"), ("Reversed", "Reversed"))
LINE_DIMENSIONS = {  # GLENTRY names its dimensions without the ID suffix for location and department
    "LOCATION": ("LOCATION", "Location"), "DEPARTMENT": ("DEPARTMENT", "Department"), "PROJECTID": ("PROJECT", "Project"),
    "CUSTOMERID": ("CUSTOMER", "Customer"), "VENDORID": ("VENDOR", "Vendor"), "CLASSID": ("CLASS", "Class"),
}


GL_LINE_FIELDS = {**LINE_FIELDS, "DEPARTMENT": "DEPARTMENT", "LOCATION": "LOCATION"}


class GLEntry(ObjectType):
    def __init__(self) -> None:
        self.name, self.label, self.line_of, self.module = "GLENTRY", "Journal entry line", "GLBATCH", "GL"
        self.own_fields = (
            integer("LINE_NO", label="Line number", readonly=True),
            text("DOCUMENT", label="Document"), text("ACCOUNTNO", label="GL account"),
            choice("TR_TYPE", (("1", "1"), ("-1", "-1")), label="Debit (1) or credit (-1)"),
            money("TRX_AMOUNT", label="Transaction amount"), money("AMOUNT", label="Amount", readonly=True),
            text("CURRENCY", label="Currency"), text("DESCRIPTION", label="Memo"),
            text("LOCATION", label="Location"), text("DEPARTMENT", label="Department"), text("PROJECTID", label="Project"),
            text("TASKID", label="Task"), text("COSTTYPEID", label="Cost type"), text("CUSTOMERID", label="Customer"),
            text("VENDORID", label="Vendor"), text("EMPLOYEEID", label="Employee"), text("ITEMID", label="Item"),
            text("CLASSID", label="Class"), text("CONTRACTID", label="Contract"), text("WAREHOUSEID", label="Warehouse"),
            text("ALLOCATION", label="Allocation"), text("EXCH_RATE_DATE", label="Exchange rate date"),
            text("EXCH_RATE_TYPE_ID", label="Exchange rate type"), money("EXCHANGE_RATE", label="Exchange rate"),
        )
        super().__init__()


class GLBatch(ObjectType):
    name, label, plural, module = "GLBATCH", "Journal entry", "Journal entries", "GL"
    document_key_field = "BATCH_TITLE"
    own_fields = (
        text("JOURNAL", label="Journal"), integer("BATCHNO", label="Batch number", readonly=True),
        day("BATCH_DATE", label="Posting date"), day("REVERSEDATE", label="Reverse date"),
        text("BATCH_TITLE", label="Description"), text("HISTORY_COMMENT", label="History comment"),
        text("REFERENCENO", label="Reference number"), text("BASELOCATION_NO", label="Source entity"),
        text("SUPDOCID", label="Attachment"), choice("STATE", BATCH_STATES, label="State"),
        text("MODULE", label="Module", readonly=True), stamp("WHENCREATED", label="When created"),
        integer("REVERSEDKEY", label="Reversing batch", readonly=True), day("REVERSED", label="Reversed on", readonly=True),
        integer("REVERSEDFROM", label="Reverses batch", readonly=True),
        *readonly_texts("USERINFO.LOGINID"),
    )
    lines = LineSpec("ENTRIES", "GLENTRY", GLEntry())
    summary_fields = ("JOURNAL", "BATCHNO", "BATCH_DATE", "BATCH_TITLE", "STATE")
    generic_update = False  # posted entries are reversed, not edited

    def prepare(self, ctx: "RuleContext", parsed: Parsed, existing: dict | None) -> None:
        wrap = could_not("create", "Journal Entry")
        v = parsed.values
        for name in ("JOURNAL", "BATCH_DATE", "BATCH_TITLE"):
            if not v.get(name):
                raise RequestValidationError(
                    f"Required field '{self.fields[name].label}' ({name}) is missing.", correction=f"Provide {name}."
                ).with_also(wrap)
        journals = ctx.company.journals
        if v["JOURNAL"] not in journals:
            raise InvalidReferenceError("Journal", v["JOURNAL"]).with_also(wrap)
        state = v.get("STATE") or "Posted"
        if state not in ("Draft", "Posted"):
            raise RequestValidationError(f"Invalid STATE '{state}'.", correction="Use Draft or Posted.").with_also(wrap)
        posted = state == "Posted"
        when = date.fromisoformat(v["BATCH_DATE"])
        if posted and ctx.company.period_closed(when):
            raise PeriodClosedError(when.strftime("%m/%d/%Y")).with_also(wrap)
        if v.get("REVERSEDATE") and date.fromisoformat(v["REVERSEDATE"]) <= when:
            raise BusinessRuleError(
                f"The reverse date {date.fromisoformat(v['REVERSEDATE']):%m/%d/%Y} must be after the posting date "
                f"{when:%m/%d/%Y}.").with_also(wrap)
        lines = parsed.lines or []
        if not lines:
            raise RequestValidationError("A journal entry must have at least one line.",
                                         correction="Add GLENTRY lines under ENTRIES.").with_also(wrap)
        ctx.books.prefetch_active("GLACCOUNT", (line.values.get("ACCOUNTNO") for line in lines))
        debits = credits = 0.0
        for n, line in enumerate(lines, start=1):
            lv = line.values
            if not lv.get("ACCOUNTNO") or lv.get("TRX_AMOUNT") is None or lv.get("TR_TYPE") is None:
                raise RequestValidationError(
                    f"Line {n}: ACCOUNTNO, TR_TYPE and TRX_AMOUNT are required.", correction="Complete the line."
                ).with_also(wrap)
            if lv["TRX_AMOUNT"] < 0:
                raise BusinessRuleError(f"Line {n}: the amount must not be negative; use TR_TYPE -1 for a credit."
                                        ).with_also(wrap)
            if not ctx.books.is_active("GLACCOUNT", lv["ACCOUNTNO"]):
                raise InvalidReferenceError("GL Account", lv["ACCOUNTNO"]).with_also(wrap)
            for fname, (obj, label) in LINE_DIMENSIONS.items():
                if lv.get(fname) and not ctx.books.is_active(obj, lv[fname]):
                    raise InvalidReferenceError(label, lv[fname]).with_also(wrap)
            check_required(ctx, n, lv["ACCOUNTNO"], lv, wrap, GL_LINE_FIELDS)
            lv["AMOUNT"] = lv["TRX_AMOUNT"]
            lv.setdefault("CURRENCY", ctx.company.base_currency)
            if lv["TR_TYPE"] == "1":
                debits += lv["TRX_AMOUNT"]
            else:
                credits += lv["TRX_AMOUNT"]
        if posted and abs(round(debits - credits, 2)) > 0.005:
            raise BusinessRuleError(
                f"The journal entry is not balanced: debits {debits:.2f}, credits {credits:.2f}.",
                correction="Make the debits equal the credits.",
            ).with_also(wrap)
        v.update(STATE=state, MODULE="2.GL", WHENCREATED=ctx.books.now)

    def after_write(self, ctx: "RuleContext", recordno: int, parsed: Parsed, existing: dict | None) -> None:
        """Number the batch in its journal (the record number, which is unique), and write the
        automatic reversal when REVERSEDATE asks for one."""
        ctx.books.update(self, recordno, {"BATCHNO": recordno})
        reverse_on = parsed.values.get("REVERSEDATE")
        if existing is not None or not reverse_on or parsed.values.get("STATE") != "Posted":
            return
        v = parsed.values
        reversal = {k: v.get(k) for k in ("JOURNAL", "REFERENCENO", "MODULE")}
        reversal.update(BATCH_DATE=reverse_on, BATCH_TITLE=f"Reversal of: {v['BATCH_TITLE']}", STATE="Posted",
                        REVERSEDFROM=recordno, WHENCREATED=ctx.books.now)
        rev = ctx.books.insert(self, reversal)
        ctx.books.update(self, rev, {"BATCHNO": rev})
        assert self.lines is not None
        flipped = [({**line.values, "TR_TYPE": "-1" if line.values["TR_TYPE"] == "1" else "1"}, line.custom)
                   for line in parsed.lines or []]
        ctx.books.replace_lines(self.lines.object, rev, flipped, fresh=True)
        ctx.books.update(self, recordno, {"REVERSED": reverse_on, "REVERSEDKEY": rev})

    def before_delete(self, ctx: "RuleContext", row: dict) -> None:
        when = row.get("BATCH_DATE")
        if row.get("STATE") == "Posted" and when and ctx.company.period_closed(date.fromisoformat(when)):
            raise PeriodClosedError(date.fromisoformat(when).strftime("%m/%d/%Y")).with_also(
                could_not("delete", "Journal Entry"))


OBJECTS = (GLBatch(),)
