"""Legacy (2.1) functions declared as data beside the objects they write: element names mapped
onto stored fields. The XML gateway turns each declaration into a handler
(``gateway/handlers/legacy.py``), the fault matcher and the inspector read which object a
function works on from it, so a new legacy function is a declaration on its object.

The element names are the 2.1 DTD's (``billno``, ``glaccountno``, ``<billitems><lineitem>``);
an element a declaration neither maps nor ignores fails schema validation of the whole request,
as on the real gateway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Union


@dataclass(frozen=True)
class LegacyLines:
    """How a legacy function carries lines."""

    fields: Mapping[str, str]  # element -> stored field of the line object
    ignored: frozenset[str] = frozenset()
    collection: str | None = None  # the wrapper element; None: line elements sit directly in the function
    element: str = "lineitem"
    always: bool = False  # no collection sent still means "these lines": none (documents must have some)
    changes: str | None = None  # in an update: the element that changes line N (``updatelineitem line_num="N"``)


@dataclass(frozen=True)
class LegacyWrite:
    """``create_<x>`` (or ``update_<x>``): a record from mapped child elements."""

    name: str
    fields: Mapping[str, str]  # element -> stored field
    ignored: frozenset[str] = frozenset()
    lines: LegacyLines | None = None
    update: bool = False  # update the record its ID names; new lines are added to the ones it has
    answer: str = "RECORDNO"  # what ``<key>`` carries: the record number, or a stored field (the ID)
    key_attribute: str | None = None  # an update names its record by this attribute (key_field's value) ...
    key_field: str = "RECORDNO"  # what the key attribute holds: the RECORDNO, or an ID such as DOCID
    external_key: str | None = None  # ... or, with ``externalkey="true"``, by this field's value


@dataclass(frozen=True)
class LegacyDelete:
    """``delete_<x> key="..."``: the key is in an attribute."""

    name: str
    attribute: str
    by_id: bool  # the key is the object's ID (else its RECORDNO)


@dataclass(frozen=True)
class LegacyList:
    """``get_list object="<name>"``: lower-case fields, filters on them."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (legacy field, stored field), in output order
    aliases: Mapping[str, str] = field(default_factory=dict)  # other names filters may use


@dataclass(frozen=True)
class LegacyReverse:
    """``reverse_bill key="..."`` with ``<datereversed>`` and ``<description>`` (or, ``keys`` set, a
    list of keys and no date: ``void_appaymentrequest <appaymentkeys><appaymentkey>``). The object's
    ``reverse`` rule does the work; ``void`` selects its void variant."""

    name: str
    attribute: str = "key"
    keys: tuple[str, str] | None = None  # (list element, key element) for the list form
    void: bool = False


@dataclass(frozen=True)
class LegacyApply:
    """``apply_arpayment``: apply what a payment has unapplied (or credits) to documents:
    ``<arpaymentkey>``, ``<paymentdate>``, ``<arpaymentitems><arpaymentitem>`` with mapped elements."""

    name: str
    key: str
    date: str
    items: tuple[str, str]  # (collection, item element)
    item_fields: Mapping[str, str]  # item element -> payment detail field
    ignored: frozenset[str] = frozenset()


LegacyFunction = Union[LegacyWrite, LegacyDelete, LegacyReverse, LegacyApply]


# ---------------------------------------------------------------------------- shared by AP/AR documents

DOCUMENT_FIELDS = {
    "datecreated": "WHENCREATED", "dateposted": "WHENPOSTED", "datedue": "WHENDUE", "termname": "TERMNAME",
    "action": "ACTION", "batchkey": "PRBATCHKEY", "description": "DESCRIPTION", "externalid": "EXTERNALID",
    "basecurr": "BASECURR", "currency": "CURRENCY", "supdocid": "SUPDOCID", "ponumber": "DOCNUMBER",
}
DOCUMENT_IGNORED = frozenset({
    "exchratedate", "exchratetype", "exchrate", "nogl", "billto", "shipto", "payto", "returnto", "taxsolutionid",
    "recpaymentdate", "paymentpriority", "onhold", "doparallelpost", "documentno", "updateexisting", "customerponumber",
    "billbackinvoiceno",
})
LINE_FIELDS = {
    "glaccountno": "ACCOUNTNO", "accountlabel": "ACCOUNTLABEL", "offsetglaccountno": "OFFSETGLACCOUNTNO",
    "amount": "TRX_AMOUNT", "memo": "ENTRYDESCRIPTION", "locationid": "LOCATIONID", "departmentid": "DEPARTMENTID",
    "projectid": "PROJECTID", "taskid": "TASKID", "customerid": "CUSTOMERID", "vendorid": "VENDORID",
    "employeeid": "EMPLOYEEID", "itemid": "ITEMID", "classid": "CLASSID", "contractid": "CONTRACTID",
    "warehouseid": "WAREHOUSEID", "billable": "BILLABLE", "form1099": "FORM1099",
    # one tax entry per line in VAT/GST companies
    "taxentries/taxentry/detailid": "TAXENTRIES.TAXENTRY.DETAILID", "taxentries/taxentry/trx_tax": "TAXENTRIES.TAXENTRY.TRX_TAX",
}
LINE_IGNORED = frozenset({"key", "totalpaid", "totaldue", "revrectemplate", "defrevaccount", "revrecstartdate",
                          "revrecenddate", "allocationid", "exchratedate", "item1099"})  # line customfields are read


def document_create(name: str, own: Mapping[str, str], collection: str) -> LegacyWrite:
    """``create_bill``-style: the common document elements plus the object's own, lines required."""
    return LegacyWrite(name, {**DOCUMENT_FIELDS, **own}, DOCUMENT_IGNORED | {collection},
                       LegacyLines(LINE_FIELDS, LINE_IGNORED, collection, "lineitem", always=True))


def document_update(name: str, own: Mapping[str, str], collection: str) -> LegacyWrite:
    """``update_bill key="RECORDNO"``-style (or ``externalkey="true"`` with the EXTERNALID): the
    header elements it sends change; ``<updatelineitem line_num="N">`` changes line N (one-based),
    ``<lineitem>`` adds a line, the other lines stay."""
    return LegacyWrite(name, {**DOCUMENT_FIELDS, **own}, DOCUMENT_IGNORED | {collection},
                       LegacyLines(LINE_FIELDS, LINE_IGNORED, collection, "lineitem", changes="updatelineitem"),
                       update=True, key_attribute="key", external_key="EXTERNALID")
