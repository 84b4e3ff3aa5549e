"""Order Entry: items (ITEM) and sales transactions (SODOCUMENT with SODOCUMENTENTRY lines).

A sales transaction has a transaction definition (DOCPARID: ``Sales Order``, ``Sales Invoice``
... per company, ``so_transaction_definitions``); its DOCID is the definition and the document
number (``Sales Invoice-INV-0042``), which is how update and delete name it. A definition that
posts to AR writes the document's AR invoice (ARINVOICE, lines at each item's income account) and
names it in PRRECORDKEY. Editing such a document **deletes that AR invoice and writes a new one
under a new RECORDNO**, as Intacct does: an integration that kept the old RECORDNO finds nothing
there. Lines read back with zero-based LINE_NO; update_sotransaction counts them from one.
Not emulated: inventory quantities, pricing schedules, partial conversion, tax, fulfilment.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import (
    BusinessRuleError, DocumentNumberExistsError, InvalidReferenceError, PeriodClosedError, RequestValidationError,
    could_not,
)
from .base import LineSpec, ObjectType, Parsed, Relation, money_sum, with_trx_totals
from .fields import choice, day, flag, integer, money, readonly_texts, stamp, status, text
from .legacy import LegacyDelete, LegacyLines, LegacyWrite
from .master import MasterDataType

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

ITEM_TYPES = tuple((t, t) for t in ("Inventory", "Non-Inventory", "Non-Inventory (Purchase only)",
                                    "Non-Inventory (Sales only)", "Kit", "Stockable Kit"))
SO_STATES = tuple((s, s) for s in ("Draft", "Pending", "Partially Converted", "Converted", "Closed"))
INCOME_ACCOUNT = "ITEMGLGROUP.INCOMEACCOUNT.ACCTNO"
LINE_DIMENSIONS = {"LOCATIONID": ("LOCATION", "Location"), "DEPARTMENTID": ("DEPARTMENT", "Department"),
                   "CLASSID": ("CLASS", "Class"), "PROJECTID": ("PROJECT", "Project"),
                   "CUSTOMERID": ("CUSTOMER", "Customer"), "VENDORID": ("VENDOR", "Vendor")}


class Item(MasterDataType):
    """Non-inventory and service items a sales line names by ITEMID; the income account its
    sales post to is the item GL group's (ITEMGLGROUP.INCOMEACCOUNT.ACCTNO)."""

    name, label, module, id_field = "ITEM", "Item", "INV", "ITEMID"
    private_in_entity = False
    summary_fields = ("ITEMID", "NAME", "ITEMTYPE", "BASEPRICE", "STATUS")
    own_fields = (
        text("ITEMID", label="Item ID", required=True, max_length=30), text("NAME", label="Name", required=True),
        status(), choice("ITEMTYPE", ITEM_TYPES, label="Item type", default="Non-Inventory"),
        money("BASEPRICE", label="Base price"), text("GLGROUP", label="Item GL group"),
        text(INCOME_ACCOUNT, label="Income account"), text("SODESCRIPTION", label="Sales description"),
        flag("TAXABLE", label="Taxable"), text("UOMGRP", label="Unit of measure group"),
        stamp("WHENCREATED", label="When created"),
    )
    legacy = (LegacyDelete("delete_item", "itemid", by_id=True),)

    def prepare(self, ctx, parsed, existing):
        super().prepare(ctx, parsed, existing)
        account = parsed.values.get(INCOME_ACCOUNT)
        if account and not ctx.books.is_active("GLACCOUNT", account):
            raise InvalidReferenceError("GL Account", account).with_also(self.wrapper("create" if existing is None
                                                                                        else "update"))


SO_HEADER = {  # create_sotransaction / update_sotransaction elements -> SODOCUMENT fields
    "datecreated": "WHENCREATED", "dateposted": "WHENPOSTED", "referenceno": "PONUMBER", "termname": "TERM.NAME",
    "datedue": "WHENDUE", "message": "MESSAGE", "shippingmethod": "SHIPVIA", "supdocid": "SUPDOCID",
    "externalid": "EXTERNALID", "state": "STATE", "basecurr": "BASECURR", "currency": "CURRENCY",
}
SO_IGNORED = frozenset({"origdocdate", "shipto", "billto", "vsoepricelist", "projectid", "exchratedate", "exchratetype",
                        "exchrate", "subtotals"})
SO_LINE = {"itemid": "ITEMID", "itemdesc": "ITEMDESC", "taxable": "TAXABLE", "warehouseid": "WAREHOUSEID",
           "quantity": "QUANTITY", "unit": "UNIT", "discountpercent": "DISCOUNTPERCENT", "price": "PRICE",
           "locationid": "LOCATIONID", "departmentid": "DEPARTMENTID", "memo": "MEMO", "projectid": "PROJECTID",
           "customerid": "CUSTOMERID", "vendorid": "VENDORID", "employeeid": "EMPLOYEEID", "classid": "CLASSID",
           "contractid": "CONTRACTID"}
SO_LINE_IGNORED = frozenset({"bundlenumber", "itemdetails", "revrectemplate", "revrecstartdate", "revrecenddate",
                             "renewalmacro", "fulfillmentstatus", "deliverystatus", "taskno", "billingtemplate",
                             "discsurchargememo"})


class SODocumentEntry(ObjectType):
    first_line_no = 0  # SODOCUMENTENTRIES count their lines from zero

    def __init__(self) -> None:
        self.name, self.label, self.line_of, self.module = "SODOCUMENTENTRY", "Sales transaction line", "SODOCUMENT", "OE"
        self.own_fields = (
            integer("LINE_NO", label="Line number", readonly=True), text("ITEMID", label="Item"),
            text("ITEMNAME", label="Item name", readonly=True), text("ITEMDESC", label="Item description"),
            money("QUANTITY", label="Quantity"), text("UNIT", label="Unit"), money("PRICE", label="Price"),
            money("DISCOUNTPERCENT", label="Discount percent"), money("TOTAL", label="Extended price", readonly=True),
            text("MEMO", label="Memo"), flag("TAXABLE", label="Taxable"), text("WAREHOUSEID", label="Warehouse"),
            text("LOCATIONID", label="Location"), text("DEPARTMENTID", label="Department"),
            text("CLASSID", label="Class"), text("PROJECTID", label="Project"), text("CUSTOMERID", label="Customer"),
            text("VENDORID", label="Vendor"), text("EMPLOYEEID", label="Employee"), text("CONTRACTID", label="Contract"),
        )
        super().__init__()


class SODocument(ObjectType):
    name, label, plural, module = "SODOCUMENT", "Sales transaction", "Sales transactions", "OE"
    id_field = "DOCID"
    docpar_field = "DOCPARID"  # what ``<docparid>`` of a read selects
    summary_fields = ("DOCID", "CUSTVENDID", "WHENCREATED", "TOTAL", "STATE", "PRRECORDKEY")
    relations = {"CUSTOMER": Relation("CUSTVENDID", "CUSTOMER", "CUSTOMERID")}
    own_fields = (
        text("DOCID", label="Document ID"), text("DOCNO", label="Document number"),  # DOCID: computed text("DOCNO", label="Document number"),
        text("DOCPARID", label="Transaction definition"), text("CUSTVENDID", label="Customer ID"),
        text("CUSTVENDNAME", label="Customer name", readonly=True), day("WHENCREATED", label="Date"),
        day("WHENPOSTED", label="GL posting date"), day("WHENDUE", label="Due date"),
        text("PONUMBER", label="Reference number"), text("TERM.NAME", label="Terms"), text("MESSAGE", label="Message"),
        text("SHIPVIA", label="Shipping method"), text("CURRENCY", label="Currency"), text("BASECURR", label="Base currency"),
        choice("STATE", SO_STATES, label="State"), money("SUBTOTAL", label="Subtotal", readonly=True),
        money("TOTAL", label="Total", readonly=True), integer("PRRECORDKEY", label="AR invoice key", readonly=True),
        text("CREATEDFROM", label="Created from"), text("SUPDOCID", label="Attachment"),
        text("EXTERNALID", label="External ID"), stamp("AUWHENCREATED", label="Created timestamp"),
        *readonly_texts("RECORD_URL"),
    )
    lines = LineSpec("SODOCUMENTENTRIES", "sodocumententry", SODocumentEntry())
    legacy = (
        LegacyWrite("create_sotransaction", {"transactiontype": "DOCPARID", "createdfrom": "CREATEDFROM",
                                             "customerid": "CUSTVENDID", "documentno": "DOCNO", **SO_HEADER},
                    SO_IGNORED | {"sotransitems"}, LegacyLines(SO_LINE, SO_LINE_IGNORED, "sotransitems", "sotransitem"),
                    answer="DOCID"),
        LegacyWrite("update_sotransaction", {"customerid": "CUSTVENDID", **SO_HEADER},
                    SO_IGNORED | {"updatesotransitems", "updatesubtotals"},
                    LegacyLines(SO_LINE, SO_LINE_IGNORED, "updatesotransitems", "sotransitem", changes="updatesotransitem"),
                    update=True, key_attribute="key", key_field="DOCID", external_key="EXTERNALID", answer="DOCID"),
        LegacyDelete("delete_sotransaction", "key", by_id=True),
    )

    # ------------------------------------------------------------------ rules

    def prepare(self, ctx: "RuleContext", parsed: Parsed, existing: dict | None) -> None:
        verb = "create" if existing is None else "update"
        wrap = could_not(verb, "Document")
        v = parsed.values
        merged = {**(existing or {}), **v}
        if existing is not None and existing.get("STATE") in ("Converted", "Partially Converted"):
            raise BusinessRuleError(f"Document {existing['DOCID']} has been converted and cannot be edited.").with_also(wrap)
        for name in ("DOCPARID", "CUSTVENDID", "WHENCREATED"):
            if not merged.get(name):
                raise RequestValidationError(
                    f"Required field '{self.fields[name].label}' ({name}) is missing.", correction=f"Provide {name}."
                ).with_also(wrap)
        if existing is not None and v.get("DOCPARID") not in (None, existing["DOCPARID"]):
            raise BusinessRuleError("The transaction definition of a document cannot be changed.").with_also(wrap)
        definition = ctx.company.so_transaction_definitions.get(merged["DOCPARID"])
        if definition is None:
            raise InvalidReferenceError("Transaction Definition", merged["DOCPARID"]).with_also(wrap)
        customer = ctx.books.by_id("CUSTOMER", merged["CUSTVENDID"])
        if customer is None or customer.get("STATUS") != "T":
            raise InvalidReferenceError("Customer", merged["CUSTVENDID"]).with_also(wrap)
        v["CUSTVENDNAME"] = customer.get("NAME")
        state = merged.get("STATE") if merged.get("STATE") == "Draft" else None
        draft = state == "Draft"
        when = date.fromisoformat(merged["WHENCREATED"])
        posts = bool(definition.get("posts_to_ar"))
        if posts and not draft and ctx.company.period_closed(date.fromisoformat(merged.get("WHENPOSTED") or merged["WHENCREATED"])):
            raise PeriodClosedError(when.strftime("%m/%d/%Y")).with_also(wrap)
        term = merged.get("TERM.NAME")
        if term and term not in ctx.company.terms:
            raise InvalidReferenceError("Term", term).with_also(wrap)
        if term and not merged.get("WHENDUE"):
            v["WHENDUE"] = (when + timedelta(days=ctx.company.terms[term])).isoformat()
        if existing is None:
            v.pop("DOCID", None)  # computed from the definition and the number
            v.setdefault("CURRENCY", ctx.company.base_currency)
            v.setdefault("BASECURR", ctx.company.base_currency)
            v["AUWHENCREATED"] = ctx.books.now
            self._source(ctx, parsed, merged, wrap)
        number = v.get("DOCNO")
        if number is not None:
            docid = f"{merged['DOCPARID']}-{number}"
            if (existing is None or docid != existing.get("DOCID")) and ctx.books.by_id(self, docid) is not None:
                raise DocumentNumberExistsError(number).with_also(wrap)
            v["DOCID"] = docid
        if parsed.lines is not None or existing is None:
            lines = parsed.lines or []
            if not lines and not draft:
                raise RequestValidationError("A sales transaction must have at least one line.",
                                             correction="Add sotransitem lines.").with_also(wrap)
            for n, line in enumerate(lines, start=1):
                self._check_line(ctx, n, line, posts and not draft, wrap)
            total = money_sum(line.values["TOTAL"] for line in lines)
            v.update(SUBTOTAL=total, TOTAL=total)
        v["STATE"] = "Draft" if draft else ("Closed" if posts else "Pending")

    def _source(self, ctx: "RuleContext", parsed: Parsed, merged: dict, wrap) -> None:
        """``createdfrom``: the document converted (same customer, not converted yet); its lines
        are the new document's when it sends none."""
        source_id = merged.get("CREATEDFROM")
        if not source_id:
            return
        source = ctx.books.by_id(self, source_id)
        if source is None:
            raise InvalidReferenceError("Source document", source_id).with_also(wrap)
        if source.get("CUSTVENDID") != merged["CUSTVENDID"]:
            raise BusinessRuleError(f"Document {source_id} belongs to another customer.").with_also(wrap)
        if source.get("STATE") in ("Converted", "Draft"):
            raise BusinessRuleError(f"Document {source_id} is {source['STATE']} and cannot be converted.").with_also(wrap)
        if parsed.lines is None or not parsed.lines:
            assert self.lines is not None
            names = [n for n, f in self.lines.object.fields.items() if not f.readonly and n not in
                     ("WHENMODIFIED", "CREATEDBY", "MODIFIEDBY")]
            parsed.lines = [Parsed(values={k: line[k] for k in names if line.get(k) is not None})
                            for line in ctx.books.lines(self.lines.object, source["RECORDNO"])]

    def _check_line(self, ctx: "RuleContext", n: int, line: Parsed, posts: bool, wrap) -> None:
        lv = line.values
        item = ctx.books.by_id("ITEM", lv.get("ITEMID") or "") if lv.get("ITEMID") else None
        if item is None or item.get("STATUS") != "T":
            if not lv.get("ITEMID"):
                raise RequestValidationError(f"Line {n}: required field 'Item' (ITEMID) is missing.",
                                             correction="Provide ITEMID.").with_also(wrap)
            raise InvalidReferenceError("Item", lv["ITEMID"]).with_also(wrap)
        if lv.get("QUANTITY") is None:
            raise RequestValidationError(f"Line {n}: required field 'Quantity' (QUANTITY) is missing.",
                                         correction="Provide QUANTITY.").with_also(wrap)
        price = lv.get("PRICE")
        if price is None:
            price = lv["PRICE"] = float(item.get("BASEPRICE") or 0)
        discount = float(lv.get("DISCOUNTPERCENT") or 0)
        lv["TOTAL"] = round(float(lv["QUANTITY"]) * float(price) * (1 - discount / 100), 2)
        lv["ITEMNAME"] = item.get("NAME")
        for fname, (obj, label) in LINE_DIMENSIONS.items():
            if lv.get(fname) and not ctx.books.is_active(obj, lv[fname]):
                raise InvalidReferenceError(label, lv[fname]).with_also(wrap)
        if posts and not item.get(INCOME_ACCOUNT):
            raise BusinessRuleError(
                f"Line {n}: item {lv['ITEMID']} has no income account to post to.",
                correction="Give the item's GL group an income account.",
            ).with_also(wrap)

    def after_write(self, ctx: "RuleContext", recordno: int, parsed: Parsed, existing: dict | None) -> None:
        v = parsed.values
        row = {**(existing or {}), **v}
        if not row.get("DOCNO"):
            number = f"{ctx.company.so_transaction_definitions[row['DOCPARID']].get('prefix', '')}{recordno}"
            ctx.books.update(self, recordno, {"DOCNO": number, "DOCID": f"{row['DOCPARID']}-{number}"})
            row.update(DOCNO=number, DOCID=f"{row['DOCPARID']}-{number}")
            v.update(DOCNO=number, DOCID=row["DOCID"])  # what the create answers
        if existing is None and row.get("CREATEDFROM"):
            source = ctx.books.by_id(self, row["CREATEDFROM"])
            if source is not None:
                ctx.books.update(self, source["RECORDNO"], {"STATE": "Converted"})
        definition = ctx.company.so_transaction_definitions[row["DOCPARID"]]
        if not definition.get("posts_to_ar") or row.get("STATE") == "Draft":
            return
        if existing is not None and existing.get("PRRECORDKEY"):
            self._drop_ar_invoice(ctx, existing)
        assert self.lines is not None
        lines = ctx.books.lines(self.lines.object, recordno)
        ctx.books.update(self, recordno, {"PRRECORDKEY": self._write_ar_invoice(ctx, recordno, row, lines)})

    def _drop_ar_invoice(self, ctx: "RuleContext", row: dict) -> None:
        invoice_type = ctx.object("ARINVOICE")
        invoice = ctx.books.get(invoice_type, int(row["PRRECORDKEY"]))
        if invoice is None:
            return
        if float(invoice.get("TOTALPAID") or 0) > 0.005:
            raise BusinessRuleError(
                f"Document {row['DOCID']} cannot be changed: its AR invoice has payments applied.",
                correction="Reverse the payments first.",
            ).with_also(could_not("update", "Document"))
        ctx.books.delete(invoice_type, invoice["RECORDNO"])

    def _write_ar_invoice(self, ctx: "RuleContext", recordno: int, row: dict, lines: list[dict[str, Any]]) -> int:
        """The AR invoice a posting definition writes: the document's number, customer, dates and
        lines (at each item's income account); it is system generated and names its document."""
        invoice_type = ctx.object("ARINVOICE")
        total = money_sum(float(line.get("TOTAL") or 0) for line in lines)
        values = {
            "CUSTOMERID": row["CUSTVENDID"], "CUSTOMERNAME": row.get("CUSTVENDNAME"), "RECORDID": row["DOCNO"],
            "DOCNUMBER": row.get("PONUMBER"), "DESCRIPTION": row.get("MESSAGE"), "TERMNAME": row.get("TERM.NAME"),
            "WHENCREATED": row["WHENCREATED"], "WHENPOSTED": row.get("WHENPOSTED") or row["WHENCREATED"],
            "WHENDUE": row.get("WHENDUE") or row["WHENCREATED"], "CURRENCY": row.get("CURRENCY"),
            "BASECURR": row.get("BASECURR"), "STATE": "A", "RAWSTATE": "A", "RECORDTYPE": "ri",
            "TOTALENTERED": total, "TOTALPAID": 0.0, "TOTALDUE": total, "TOTALSELECTED": 0.0, "ONHOLD": "F",
            "SYSTEMGENERATED": "true", "DOCHDRKEY": str(recordno), "AUWHENCREATED": ctx.books.now,
        }
        invoice = ctx.books.insert(invoice_type, with_trx_totals(values))
        assert invoice_type.lines is not None
        items = []
        for line in lines:
            item = ctx.books.by_id("ITEM", line["ITEMID"]) or {}
            amount = float(line.get("TOTAL") or 0)
            items.append(({"ACCOUNTNO": item.get(INCOME_ACCOUNT), "TRX_AMOUNT": amount, "AMOUNT": amount,
                           "ENTRYDESCRIPTION": line.get("MEMO") or line.get("ITEMDESC") or item.get("NAME"),
                           "ITEMID": line["ITEMID"], **{k: line.get(k) for k in LINE_DIMENSIONS if line.get(k)}}, {}))
        ctx.books.replace_lines(invoice_type.lines.object, invoice, items, fresh=True)
        return invoice

    def before_delete(self, ctx: "RuleContext", row: dict) -> None:
        if row.get("STATE") in ("Converted", "Partially Converted"):
            raise BusinessRuleError(f"Document {row['DOCID']} has been converted and cannot be deleted.").with_also(
                could_not("delete", "Document"))
        if row.get("PRRECORDKEY"):
            self._drop_ar_invoice(ctx, row)


OBJECTS = (Item(), SODocument())
