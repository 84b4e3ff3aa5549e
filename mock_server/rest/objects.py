"""Each REST object and its names, declared once: the path (``accounts-payable/bill``), the book
it is (``APBILL``) and every REST property with the stored field it is (``vendor.id`` ->
VENDORID). The codec, the model service and the OpenAPI document read these; nothing else
spells a REST name. Names follow Sage's published OpenAPI documents (docs/fidelity.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from ..objects.fields import Field
from ..objects.registry import object_type


@dataclass(frozen=True)
class RestField:
    name: str  # dotted REST property: "vendor.id"
    stored: str  # the stored (XML) field: "VENDORID"
    read_only: bool = False
    values: Mapping[str, str] = field(default_factory=dict)  # stored code -> REST value (enumerations)

    def to_json(self, value: Any, f: Field | None) -> Any:
        from .codec import json_value

        if value is not None and self.values:
            return self.values.get(str(value), json_value(value, f))
        return json_value(value, f)

    def to_stored_text(self, text: str) -> str:
        """A REST enumeration value back to a stored code (text the field reads)."""
        for code, rest_value in self.values.items():
            if rest_value == text:
                return code
        return text


@dataclass(frozen=True)
class RestLines:
    name: str  # the JSON array: "lines"
    collection: str  # the object's line collection: "APBILLITEMS"
    object: "RestObject"


@dataclass(frozen=True)
class RestObject:
    path: str
    object_name: str
    fields: tuple[RestField, ...]
    id_field: str | None = None  # the stored field REST calls ``id``
    lines: RestLines | None = None

    @cached_property
    def by_name(self) -> dict[str, RestField]:
        return {f.name: f for f in self.fields}

    @property
    def object(self):
        return object_type(self.object_name)

    def fields_of(self) -> dict[str, Field]:
        return self.object.fields

    def href(self, key: Any) -> str:
        return f"/objects/{self.path}/{key}"


STATUS = {"T": "active", "F": "inactive"}
DOC_STATE = {"D": "draft", "S": "submitted", "A": "posted", "PP": "partiallyPaid", "P": "paid", "R": "reversed",
             "V": "reversal", "SL": "selected", "PA": "partiallyApproved", "U": "declined"}


def _f(name: str, stored: str, **kw: Any) -> RestField:
    return RestField(name, stored, **kw)


AUDIT = (_f("audit.createdDateTime", "WHENCREATED", read_only=True),
         _f("audit.modifiedDateTime", "WHENMODIFIED", read_only=True),
         _f("audit.createdBy", "CREATEDBY", read_only=True), _f("audit.modifiedBy", "MODIFIEDBY", read_only=True))
KEY = (_f("key", "RECORDNO", read_only=True),)
DIMENSIONS = tuple(_f(f"dimensions.{name}.id", stored) for name, stored in (
    ("location", "LOCATIONID"), ("department", "DEPARTMENTID"), ("project", "PROJECTID"), ("customer", "CUSTOMERID"),
    ("vendor", "VENDORID"), ("employee", "EMPLOYEEID"), ("item", "ITEMID"), ("class", "CLASSID"),
    ("task", "TASKID"), ("warehouse", "WAREHOUSEID"), ("contract", "CONTRACTID")))


def contact(prefix: str, group: str) -> tuple[RestField, ...]:
    parts = (("printAs", "PRINTAS"), ("companyName", "COMPANYNAME"), ("prefix", "PREFIX"), ("firstName", "FIRSTNAME"),
             ("lastName", "LASTNAME"), ("middleName", "INITIAL"), ("phone1", "PHONE1"), ("phone2", "PHONE2"),
             ("mobile", "CELLPHONE"), ("pager", "PAGER"), ("fax", "FAX"), ("email1", "EMAIL1"), ("email2", "EMAIL2"),
             ("URL1", "URL1"), ("URL2", "URL2"),
             ("mailingAddress.addressLine1", "MAILADDRESS.ADDRESS1"), ("mailingAddress.addressLine2", "MAILADDRESS.ADDRESS2"),
             ("mailingAddress.city", "MAILADDRESS.CITY"), ("mailingAddress.state", "MAILADDRESS.STATE"),
             ("mailingAddress.postCode", "MAILADDRESS.ZIP"), ("mailingAddress.country", "MAILADDRESS.COUNTRY"),
             ("mailingAddress.isoCountryCode", "MAILADDRESS.COUNTRYCODE"))
    return tuple(_f(f"{prefix}.{name}", f"{group}.{stored}") for name, stored in parts)


def master(path: str, obj: str, id_field: str, *rest: RestField) -> RestObject:
    return RestObject(path, obj, (*KEY, _f("id", id_field), *rest, _f("status", "STATUS", values=STATUS), *AUDIT),
                      id_field=id_field)


BILL_LINE = RestObject("accounts-payable/bill-line", "APBILLITEM", (
    *KEY, _f("lineNumber", "LINE_NO", read_only=True), _f("glAccount.id", "ACCOUNTNO"),
    _f("offsetGLAccount.id", "OFFSETGLACCOUNTNO"), _f("txnAmount", "TRX_AMOUNT"),
    _f("baseAmount", "AMOUNT", read_only=True), _f("memo", "ENTRYDESCRIPTION"), _f("isBillable", "BILLABLE"),
    _f("form1099.type", "FORM1099"), *DIMENSIONS))
INVOICE_LINE = RestObject("accounts-receivable/invoice-line", "ARINVOICEITEM", (
    *KEY, _f("lineNumber", "LINE_NO", read_only=True), _f("glAccount.id", "ACCOUNTNO"),
    _f("offsetGLAccount.id", "OFFSETGLACCOUNTNO"), _f("txnAmount", "TRX_AMOUNT"),
    _f("baseAmount", "AMOUNT", read_only=True), _f("memo", "ENTRYDESCRIPTION"), *DIMENSIONS))


def document(path: str, obj: str, number: str, party: str, party_field: str, party_name: str,
             lines: RestLines) -> RestObject:
    return RestObject(path, obj, (
        *KEY, _f(number, "RECORDID"), _f(f"{party}.id", party_field), _f(f"{party}.name", party_name, read_only=True),
        _f("referenceNumber", "DOCNUMBER"), _f("description", "DESCRIPTION"),
        _f("createdDate", "WHENCREATED"), _f("postingDate", "WHENPOSTED"), _f("dueDate", "WHENDUE"),
        _f("paymentTerm.id", "TERMNAME"), _f("state", "STATE", read_only=True, values=DOC_STATE),
        _f("currency.txnCurrency", "CURRENCY"), _f("currency.baseCurrency", "BASECURR"),
        _f("totalTxnAmount", "TOTALENTERED", read_only=True), _f("totalTxnAmountPaid", "TOTALPAID", read_only=True),
        _f("totalTxnAmountDue", "TOTALDUE", read_only=True), _f("attachment.id", "SUPDOCID"),
        _f("billSummary.key" if obj == "APBILL" else "invoiceSummary.key", "PRBATCHKEY"), *AUDIT,
    ), lines=lines)


OBJECTS: dict[str, RestObject] = {o.path: o for o in (
    master("accounts-payable/vendor", "VENDOR", "VENDORID", _f("name", "NAME"), _f("vendorType.id", "VENDTYPE"),
           _f("parent.id", "PARENTID"), _f("taxId", "TAXID"), _f("creditLimit", "CREDITLIMIT"),
           _f("isOnHold", "ONHOLD"), _f("isOneTime", "ONETIME"), _f("term.id", "TERMNAME"),
           _f("defaultCurrency", "CURRENCY"), _f("vendorAccountNumber", "VENDORACCOUNTNO"),
           _f("totalDue", "TOTALDUE", read_only=True), _f("notes", "COMMENTS"),
           *contact("contacts.default", "DISPLAYCONTACT")),
    master("accounts-receivable/customer", "CUSTOMER", "CUSTOMERID", _f("name", "NAME"),
           _f("customerType.id", "CUSTTYPE"), _f("parent.id", "PARENTID"), _f("taxId", "TAXID"),
           _f("creditLimit", "CREDITLIMIT"), _f("isOnHold", "ONHOLD"), _f("isOneTime", "ONETIME"),
           _f("term.id", "TERMNAME"), _f("defaultCurrency", "CURRENCY"), _f("totalDue", "TOTALDUE", read_only=True),
           _f("notes", "COMMENTS"), *contact("contacts.default", "DISPLAYCONTACT")),
    master("general-ledger/account", "GLACCOUNT", "ACCOUNTNO", _f("name", "TITLE"),
           _f("accountType", "ACCOUNTTYPE", values={"N": "balanceSheet", "I": "incomeStatement"}),
           _f("normalBalance", "NORMALBALANCE", values={"1": "debit", "-1": "credit"}),
           _f("closingType", "CLOSINGTYPE", values={"N": "nonClosingAccount", "C": "closedToAccount",
                                                    "R": "closingAccount"}),
           _f("closeToGLAccount.id", "CLOSINGACCOUNTNO"), _f("category", "CATEGORY"),
           _f("requireDimensions.department", "REQUIREDEPT"), _f("requireDimensions.location", "REQUIRELOC"),
           _f("requireDimensions.project", "REQUIREPROJECT"), _f("requireDimensions.customer", "REQUIRECUSTOMER"),
           _f("requireDimensions.vendor", "REQUIREVENDOR"), _f("requireDimensions.class", "REQUIRECLASS")),
    master("company-config/department", "DEPARTMENT", "DEPARTMENTID", _f("name", "TITLE"), _f("parent.id", "PARENTID"),
           _f("reportTitle", "CUSTTITLE")),
    master("company-config/location", "LOCATION", "LOCATIONID", _f("name", "NAME"), _f("parent.id", "PARENTID"),
           _f("startDate", "STARTDATE"), _f("endDate", "ENDDATE")),
    master("company-config/class", "CLASS", "CLASSID", _f("name", "NAME"), _f("description", "DESCRIPTION"),
           _f("parent.id", "PARENTID")),
    master("projects/project", "PROJECT", "PROJECTID", _f("name", "NAME"), _f("description", "DESCRIPTION"),
           _f("category", "PROJECTCATEGORY"), _f("customer.id", "CUSTOMERID"), _f("startDate", "BEGINDATE"),
           _f("endDate", "ENDDATE")),
    document("accounts-payable/bill", "APBILL", "billNumber", "vendor", "VENDORID", "VENDORNAME",
             RestLines("lines", "APBILLITEMS", BILL_LINE)),
    document("accounts-receivable/invoice", "ARINVOICE", "invoiceNumber", "customer", "CUSTOMERID", "CUSTOMERNAME",
             RestLines("lines", "ARINVOICEITEMS", INVOICE_LINE)),
)}


def rest_object(path: str) -> RestObject | None:
    return OBJECTS.get(path)
