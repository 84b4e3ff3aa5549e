"""Legacy (2.1-style) functions still used by integrations: create_invoice, create_bill, ...

Each one maps lower-case legacy elements onto the same stored fields the 3.0 objects use and then
takes the one write path in ``writes.py``, so a bill written with ``create_bill`` and one written
with ``create`` obey the same rules. An element the DTD does not allow fails schema validation
of the whole request, as on the real gateway (XL03000003).
"""

from __future__ import annotations

from datetime import date
from typing import Mapping

from lxml import etree

from ..errors import EnvelopeError, QueryError, RequestValidationError, UpdateMissingError
from ..xmlsafe import child, text_of
from ..objects.base import ObjectType, Parsed
from ..objects.fields import ValueFormatError, parse_mdy, parse_whole
from ..objects.registry import object_type
from .context import FunctionContext
from .registry import function
from .replies import KeyReply, Reply
from .writes import create_record, delete_record, update_record

DATE_ELEMENTS = {"datecreated", "dateposted", "datedue", "datereceived", "datereversed", "exchratedate"}

DOCUMENT_COMMON = {
    "datecreated": "WHENCREATED", "dateposted": "WHENPOSTED", "datedue": "WHENDUE", "termname": "TERMNAME",
    "action": "ACTION", "batchkey": "PRBATCHKEY", "description": "DESCRIPTION", "externalid": "EXTERNALID",
    "basecurr": "BASECURR", "currency": "CURRENCY", "supdocid": "SUPDOCID", "ponumber": "DOCNUMBER",
}
DOCUMENT_IGNORED = {
    "exchratedate", "exchratetype", "exchrate", "nogl", "billto", "shipto", "payto", "returnto", "taxsolutionid",
    "recpaymentdate", "paymentpriority", "onhold", "doparallelpost", "documentno", "updateexisting", "customerponumber",
    "billbackinvoiceno",
}
LINE_MAP = {
    "glaccountno": "ACCOUNTNO", "accountlabel": "ACCOUNTLABEL", "offsetglaccountno": "OFFSETGLACCOUNTNO",
    "amount": "TRX_AMOUNT", "memo": "ENTRYDESCRIPTION", "locationid": "LOCATIONID", "departmentid": "DEPARTMENTID",
    "projectid": "PROJECTID", "taskid": "TASKID", "customerid": "CUSTOMERID", "vendorid": "VENDORID",
    "employeeid": "EMPLOYEEID", "itemid": "ITEMID", "classid": "CLASSID", "contractid": "CONTRACTID",
    "warehouseid": "WAREHOUSEID", "billable": "BILLABLE", "form1099": "FORM1099",
}
LINE_IGNORED = {"key", "totalpaid", "totaldue", "revrectemplate", "defrevaccount", "revrecstartdate", "revrecenddate",
                "allocationid", "exchratedate", "item1099", "customfields"}


def legacy_date(el: etree._Element) -> str:
    """``<datecreated><year/><month/><day/></datecreated>`` (or a plain MM/DD/YYYY text) -> ISO date."""
    if len(el):
        parts = {c.tag: (c.text or "").strip() for c in el}
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat()
        except (KeyError, ValueError, OverflowError):
            raise RequestValidationError(
                f"Invalid date in <{el.tag}>.", correction="Use <year>, <month> and <day> with a real date."
            ) from None
    try:
        return parse_mdy(text_of(el) or "").isoformat()
    except ValueFormatError as exc:
        raise RequestValidationError(f"Invalid date in <{el.tag}>: {exc}.") from None


def _not_expected(tag: str, parent: str) -> EnvelopeError:
    return EnvelopeError.schema(f"Element '{tag}': This element is not expected (in '{parent}').", 1871)


def map_elements(
    obj: ObjectType, ctx: FunctionContext, el: etree._Element, mapping: Mapping[str, str], ignored: set[str],
    parsed: Parsed | None = None,
) -> Parsed:
    """Copy mapped legacy children into a Parsed record, converting through the 3.0 field types."""
    parsed = parsed or Parsed()
    fields = obj.all_fields(ctx)
    for c in el:
        if not isinstance(c.tag, str) or c.tag in ignored:
            continue
        if c.tag == "customfields":
            _custom_fields(obj, ctx, c, parsed)
            continue
        target = mapping.get(c.tag)
        if target is None:
            raise _not_expected(c.tag, el.tag)
        if c.tag in DATE_ELEMENTS:
            parsed.values[target] = legacy_date(c)
            continue
        try:
            parsed.values[target] = fields[target].from_input(text_of(c) or "")
        except ValueFormatError as exc:
            raise RequestValidationError(str(exc), correction=f"Check <{c.tag}>.") from None
    return parsed


def _custom_fields(obj: ObjectType, ctx: FunctionContext, el: etree._Element, parsed: Parsed) -> None:
    custom = ctx.custom_fields(obj.name)
    for cf in el:
        if cf.tag != "customfield":
            continue
        name = (text_of(child(cf, "customfieldname")) or "").upper()
        if name not in custom:
            raise QueryError(f"Custom field '{name}' does not exist on object {obj.name}")
        try:
            parsed.custom[name] = custom[name].from_input(text_of(child(cf, "customfieldvalue")) or "")
        except ValueFormatError as exc:
            raise RequestValidationError(str(exc)) from None


def _lines(
    obj: ObjectType, ctx: FunctionContext, el: etree._Element, parsed: Parsed,
    mapping: Mapping[str, str] = LINE_MAP, ignored: set[str] = LINE_IGNORED,
) -> None:
    assert obj.lines is not None
    coll = child(el, obj.lines.legacy_collection)
    if coll is None:
        return
    parsed.lines = []
    for item in coll:
        if not isinstance(item.tag, str):
            continue
        if item.tag != obj.lines.legacy_element:
            raise _not_expected(item.tag, coll.tag)
        parsed.lines.append(map_elements(obj.lines.object, ctx, item, mapping, ignored))


def _create_document(ctx: FunctionContext, el: etree._Element, obj_name: str, own: Mapping[str, str]) -> Reply:
    obj = object_type(obj_name)
    assert obj.lines is not None
    parsed = map_elements(obj, ctx, el, {**DOCUMENT_COMMON, **own}, DOCUMENT_IGNORED | {obj.lines.legacy_collection})
    _lines(obj, ctx, el, parsed)
    if parsed.lines is None:
        parsed.lines = []
    return KeyReply(str(create_record(ctx, obj, parsed)))


@function("create_bill", writes=True, legacy=True)
def handle_create_bill(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "APBILL", {"vendorid": "VENDORID", "billno": "RECORDID"})


@function("create_invoice", writes=True, legacy=True)
def handle_create_invoice(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "ARINVOICE", {"customerid": "CUSTOMERID", "invoiceno": "RECORDID"})


@function("create_apadjustment", writes=True, legacy=True)
def handle_create_apadjustment(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "APADJUSTMENT", {"vendorid": "VENDORID", "adjustmentno": "RECORDID", "billno": "BILLNO"})


@function("create_aradjustment", writes=True, legacy=True)
def handle_create_aradjustment(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "ARADJUSTMENT", {"customerid": "CUSTOMERID", "adjustmentno": "RECORDID", "invoiceno": "INVOICENO"})


PAYMENT_MAP = {
    "customerid": "CUSTOMERID", "paymentamount": "PAYMENTAMOUNT", "batchkey": "PRBATCHKEY",
    "bankaccountid": "FINANCIALENTITY", "undepfundsacct": "UNDEPOSITEDACCOUNTNO", "refid": "DOCNUMBER",
    "datereceived": "RECEIPTDATE", "paymentmethod": "PAYMENTMETHOD", "basecurr": "BASECURR", "currency": "CURRENCY",
}
PAYMENT_IGNORED = {"translatedamount", "overpaylocid", "overpaydeptid", "exchratedate", "exchratetype", "exchrate",
                   "cctype", "authcode", "onlinecardpayment", "onlineachpayment", "arpaymentitem"}


@function("create_arpayment", writes=True, legacy=True)
def handle_create_arpayment(ctx: FunctionContext, el: etree._Element) -> Reply:
    obj = object_type("ARPYMT")
    assert obj.lines is not None
    parsed = map_elements(obj, ctx, el, PAYMENT_MAP, PAYMENT_IGNORED)
    parsed.lines = [
        map_elements(obj.lines.object, ctx, item, {"invoicekey": "RECORDKEY", "amount": "TRX_PAYMENTAMOUNT"}, set())
        for item in el if item.tag == "arpaymentitem"
    ]
    return KeyReply(str(create_record(ctx, obj, parsed)))


@function("create_arpaymentbatch", writes=True, legacy=True)
def handle_create_arpaymentbatch(ctx: FunctionContext, el: etree._Element) -> Reply:
    obj = object_type("ARPAYMENTBATCH")
    parsed = map_elements(obj, ctx, el, {"batchtitle": "TITLE", "datecreated": "BATCHDATE", "bankaccountid": "FINANCIALENTITY",
                                          "undepfundsacct": "UNDEPOSITEDACCOUNTNO"}, set())
    return KeyReply(str(create_record(ctx, obj, parsed)))


SUPDOC_MAP = {"supdocid": "SUPDOCID", "supdocname": "SUPDOCNAME", "supdocfoldername": "FOLDER", "supdocdescription": "DESCRIPTION"}
ATTACHMENT_MAP = {"attachmentname": "ATTACHMENTNAME", "attachmenttype": "ATTACHMENTTYPE", "attachmentdata": "ATTACHMENTDATA"}


def _supdoc(ctx: FunctionContext, el: etree._Element) -> tuple[ObjectType, Parsed]:
    obj = object_type("SUPDOC")
    assert obj.lines is not None
    parsed = map_elements(obj, ctx, el, SUPDOC_MAP, {"attachments"})
    _lines(obj, ctx, el, parsed, ATTACHMENT_MAP, set())
    return obj, parsed


@function("create_supdoc", writes=True, legacy=True)
def handle_create_supdoc(ctx: FunctionContext, el: etree._Element) -> Reply:
    obj, parsed = _supdoc(ctx, el)
    create_record(ctx, obj, parsed)
    return KeyReply(parsed.values["SUPDOCID"])


@function("update_supdoc", writes=True, legacy=True)
def handle_update_supdoc(ctx: FunctionContext, el: etree._Element) -> Reply:
    obj, parsed = _supdoc(ctx, el)
    row = ctx.books.by_id(obj, parsed.values.get("SUPDOCID", ""))
    if row is None:
        raise UpdateMissingError("SUPDOC", "SUPDOCID", parsed.values.get("SUPDOCID", ""))
    if parsed.lines is not None:  # legacy update adds files to the attachment
        assert obj.lines is not None
        kept = ctx.books.lines(obj.lines.object, row["RECORDNO"])
        parsed.lines = [Parsed(values={k: line[k] for k in ATTACHMENT_MAP.values()}) for line in kept] + parsed.lines
    update_record(ctx, obj, row, parsed)
    return KeyReply(row["SUPDOCID"])


@function("create_supdocfolder", writes=True, legacy=True)
def handle_create_supdocfolder(ctx: FunctionContext, el: etree._Element) -> Reply:
    obj = object_type("SUPDOCFOLDER")
    parsed = map_elements(obj, ctx, el, {"supdocfoldername": "NAME", "supdocfolderdescription": "DESCRIPTION",
                                          "supdocparentfoldername": "PARENTFOLDER"}, set())
    create_record(ctx, obj, parsed)
    return KeyReply(parsed.values["NAME"])


def _legacy_delete(ctx: FunctionContext, el: etree._Element, obj_name: str, attr: str, by_id: bool) -> Reply:
    obj = object_type(obj_name)
    key = (el.get(attr) or "").strip()
    if not key:
        raise EnvelopeError.schema(f"Element '{el.tag}': The attribute '{attr}' is required but missing.", 1868)
    if by_id:
        row = ctx.books.by_id(obj, key)
        recordno = int(row["RECORDNO"]) if row else None
    else:
        recordno = parse_whole(key)
    delete_record(ctx, obj, recordno, key)
    return Reply()


@function("delete_bill", writes=True, legacy=True)
def handle_delete_bill(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "APBILL", "key", by_id=False)


@function("delete_invoice", writes=True, legacy=True)
def handle_delete_invoice(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "ARINVOICE", "key", by_id=False)


@function("delete_supdoc", writes=True, legacy=True)
def handle_delete_supdoc(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "SUPDOC", "key", by_id=True)


@function("delete_customer", writes=True, legacy=True)
def handle_delete_customer(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "CUSTOMER", "customerid", by_id=True)


@function("delete_vendor", writes=True, legacy=True)
def handle_delete_vendor(ctx: FunctionContext, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "VENDOR", "vendorid", by_id=True)
