"""Legacy (2.1-style) functions still used by integrations: create_invoice, create_bill, ...

Each one maps lower-case legacy elements onto the same stored fields the 3.0 objects use
(``codec.legacy_record``) and then takes the one write path in ``functions/writes.py``, so a bill written with ``create_bill`` and one written
with ``create`` obey the same rules. An element the DTD does not allow fails schema validation
of the whole request, as on the real gateway (XL03000003).
"""

from __future__ import annotations

from typing import Mapping

from lxml import etree

from ...errors import EnvelopeError, UpdateMissingError
from ...functions import writes
from ...functions.writes import delete_record
from ...objects.base import ObjectType
from ...objects.fields import parse_whole
from ...objects.registry import object_type
from .. import codec
from ..call import XmlCall
from ..registry import function
from ..replies import KeyReply, Reply

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


def _record(obj: ObjectType, ctx: XmlCall, el: etree._Element, mapping: Mapping[str, str],
            ignored: set[str]) -> codec.Pairs:
    return codec.legacy_record(obj, el, mapping, ignored, ctx.custom_fields)


def _with_lines(obj: ObjectType, ctx: XmlCall, el: etree._Element, pairs: codec.Pairs,
                mapping: Mapping[str, str] = LINE_MAP, ignored: set[str] = LINE_IGNORED) -> codec.Pairs:
    """The header's pairs plus the legacy line collection (an empty one when it was not sent)."""
    assert obj.lines is not None
    lines = codec.legacy_lines(obj, el, mapping, ignored, ctx.custom_fields)
    return [*pairs, (obj.lines.collection, lines or [])]


def _create_document(ctx: XmlCall, el: etree._Element, obj_name: str, own: Mapping[str, str]) -> Reply:
    obj = object_type(obj_name)
    assert obj.lines is not None
    header = _record(obj, ctx, el, {**DOCUMENT_COMMON, **own}, DOCUMENT_IGNORED | {obj.lines.legacy_collection})
    return KeyReply(str(writes.create(ctx, obj, _with_lines(obj, ctx, el, header)).recordno))


@function("create_bill", writes=True, legacy=True)
def handle_create_bill(ctx: XmlCall, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "APBILL", {"vendorid": "VENDORID", "billno": "RECORDID"})


@function("create_invoice", writes=True, legacy=True)
def handle_create_invoice(ctx: XmlCall, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "ARINVOICE", {"customerid": "CUSTOMERID", "invoiceno": "RECORDID"})


@function("create_apadjustment", writes=True, legacy=True)
def handle_create_apadjustment(ctx: XmlCall, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "APADJUSTMENT", {"vendorid": "VENDORID", "adjustmentno": "RECORDID", "billno": "BILLNO"})


@function("create_aradjustment", writes=True, legacy=True)
def handle_create_aradjustment(ctx: XmlCall, el: etree._Element) -> Reply:
    return _create_document(ctx, el, "ARADJUSTMENT", {"customerid": "CUSTOMERID", "adjustmentno": "RECORDID", "invoiceno": "INVOICENO"})


PAYMENT_MAP = {
    "customerid": "CUSTOMERID", "paymentamount": "PAYMENTAMOUNT", "batchkey": "PRBATCHKEY",
    "bankaccountid": "FINANCIALENTITY", "undepfundsacct": "UNDEPOSITEDACCOUNTNO", "refid": "DOCNUMBER",
    "datereceived": "RECEIPTDATE", "paymentmethod": "PAYMENTMETHOD", "basecurr": "BASECURR", "currency": "CURRENCY",
}
PAYMENT_IGNORED = {"translatedamount", "overpaylocid", "overpaydeptid", "exchratedate", "exchratetype", "exchrate",
                   "cctype", "authcode", "onlinecardpayment", "onlineachpayment", "arpaymentitem"}


@function("create_arpayment", writes=True, legacy=True)
def handle_create_arpayment(ctx: XmlCall, el: etree._Element) -> Reply:
    obj = object_type("ARPYMT")
    assert obj.lines is not None
    header = _record(obj, ctx, el, PAYMENT_MAP, PAYMENT_IGNORED)
    details = [_record(obj.lines.object, ctx, item, {"invoicekey": "RECORDKEY", "amount": "TRX_PAYMENTAMOUNT"}, set())
               for item in el if item.tag == "arpaymentitem"]
    return KeyReply(str(writes.create(ctx, obj, [*header, (obj.lines.collection, details)]).recordno))


@function("create_arpaymentbatch", writes=True, legacy=True)
def handle_create_arpaymentbatch(ctx: XmlCall, el: etree._Element) -> Reply:
    obj = object_type("ARPAYMENTBATCH")
    record = _record(obj, ctx, el, {"batchtitle": "TITLE", "datecreated": "BATCHDATE", "bankaccountid": "FINANCIALENTITY",
                                    "undepfundsacct": "UNDEPOSITEDACCOUNTNO"}, set())
    return KeyReply(str(writes.create(ctx, obj, record).recordno))


SUPDOC_MAP = {"supdocid": "SUPDOCID", "supdocname": "SUPDOCNAME", "supdocfoldername": "FOLDER", "supdocdescription": "DESCRIPTION"}
ATTACHMENT_MAP = {"attachmentname": "ATTACHMENTNAME", "attachmenttype": "ATTACHMENTTYPE", "attachmentdata": "ATTACHMENTDATA"}


def _supdoc(ctx: XmlCall, el: etree._Element) -> tuple[ObjectType, codec.Pairs, list[codec.Pairs] | None]:
    obj = object_type("SUPDOC")
    assert obj.lines is not None
    header = _record(obj, ctx, el, SUPDOC_MAP, {"attachments"})
    return obj, header, codec.legacy_lines(obj, el, ATTACHMENT_MAP, set(), ctx.custom_fields)


@function("create_supdoc", writes=True, legacy=True)
def handle_create_supdoc(ctx: XmlCall, el: etree._Element) -> Reply:
    obj, header, files = _supdoc(ctx, el)
    assert obj.lines is not None
    record = header if files is None else [*header, (obj.lines.collection, files)]
    writes.create(ctx, obj, record)
    return KeyReply(dict(header).get("SUPDOCID", ""))


@function("update_supdoc", writes=True, legacy=True)
def handle_update_supdoc(ctx: XmlCall, el: etree._Element) -> Reply:
    obj, header, files = _supdoc(ctx, el)
    assert obj.lines is not None
    supdocid = (dict(header).get("SUPDOCID") or "").strip()
    row = ctx.books.by_id(obj, supdocid)
    if row is None:
        raise UpdateMissingError("SUPDOC", "SUPDOCID", supdocid)
    record = [*header, ("RECORDNO", str(row["RECORDNO"]))]
    if files is not None:  # legacy update adds files to the attachment
        kept = [[(k, line[k]) for k in ATTACHMENT_MAP.values()] for line in ctx.books.lines(obj.lines.object, row["RECORDNO"])]
        record.append((obj.lines.collection, kept + files))
    writes.update(ctx, obj, record)
    return KeyReply(row["SUPDOCID"])


@function("create_supdocfolder", writes=True, legacy=True)
def handle_create_supdocfolder(ctx: XmlCall, el: etree._Element) -> Reply:
    obj = object_type("SUPDOCFOLDER")
    record = _record(obj, ctx, el, {"supdocfoldername": "NAME", "supdocfolderdescription": "DESCRIPTION",
                                    "supdocparentfoldername": "PARENTFOLDER"}, set())
    writes.create(ctx, obj, record)
    return KeyReply(dict(record).get("NAME", ""))


def _legacy_delete(ctx: XmlCall, el: etree._Element, obj_name: str, attr: str, by_id: bool) -> Reply:
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
def handle_delete_bill(ctx: XmlCall, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "APBILL", "key", by_id=False)


@function("delete_invoice", writes=True, legacy=True)
def handle_delete_invoice(ctx: XmlCall, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "ARINVOICE", "key", by_id=False)


@function("delete_supdoc", writes=True, legacy=True)
def handle_delete_supdoc(ctx: XmlCall, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "SUPDOC", "key", by_id=True)


@function("delete_customer", writes=True, legacy=True)
def handle_delete_customer(ctx: XmlCall, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "CUSTOMER", "customerid", by_id=True)


@function("delete_vendor", writes=True, legacy=True)
def handle_delete_vendor(ctx: XmlCall, el: etree._Element) -> Reply:
    return _legacy_delete(ctx, el, "VENDOR", "vendorid", by_id=True)
