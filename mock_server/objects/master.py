"""Master data: customers, vendors, GL accounts and the dimension objects.

Contacts (CONTACT) are records of their own; the contact groups on vendors and customers are stored
on them and not linked to the contact list. Not emulated: vendor/customer hierarchies beyond PARENTID, restricted locations
(OBJECTRESTRICTION is stored but not enforced), document sequencing of IDs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import (
    GENERIC_BL, BusinessRuleError, DuplicateIdError, ErrorDetail, InvalidReferenceError, RequestValidationError,
)
from .base import ObjectType, Parsed, Relation
from .fields import Field, choice, day, flag, money, readonly_texts, stamp, status, text
from .legacy import LegacyDelete

if TYPE_CHECKING:  # pragma: no cover
    from .context import RuleContext

# Intacct refuses these in record IDs (they are separators in its URLs and import formats).
ID_FORBIDDEN = re.compile(r"[#:\"'<>&%|\\\x00-\x1f\x7f]")
NAME_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f<>]")

CONTACT_PARTS = (
    "PRINTAS", "CONTACTNAME", "COMPANYNAME", "PREFIX", "FIRSTNAME", "LASTNAME", "INITIAL", "PHONE1", "PHONE2",
    "CELLPHONE", "PAGER", "FAX", "EMAIL1", "EMAIL2", "URL1", "URL2", "TAXABLE", "TAXGROUP",
    "MAILADDRESS.ADDRESS1", "MAILADDRESS.ADDRESS2", "MAILADDRESS.CITY", "MAILADDRESS.STATE", "MAILADDRESS.ZIP",
    "MAILADDRESS.COUNTRY", "MAILADDRESS.COUNTRYCODE",
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Every contact group (DISPLAYCONTACT, BILLTO, PAYTO, CONTACTINFO ...) is a Contactversion to Intacct.
EMAIL_LABELS = {"EMAIL1": "Primary Email Address", "EMAIL2": "Secondary Email Address"}


def contact_fields(prefix: str) -> tuple[Field, ...]:
    return tuple(text(f"{prefix}.{part}", label=f"{prefix.title()} {part.split('.')[-1].title()}") for part in CONTACT_PARTS)


# What customer and vendor creates may carry but reads never show (the official SDKs write them).
WRITE_ONLY_MASTER = (
    flag("HIDEDISPLAYCONTACT", label="Exclude from contact list", writeonly=True),
    text("RESTRICTEDLOCATIONS", label="Restricted locations", writeonly=True),
    text("RESTRICTEDDEPARTMENTS", label="Restricted departments", writeonly=True),
)


class MasterDataType(ObjectType):
    """Master data shares ID rules: required, unique per company, no forbidden characters."""

    private_in_entity = True
    reference = True
    name_field = "NAME"

    def prepare(self, ctx: "RuleContext", parsed: Parsed, existing: dict | None) -> None:
        verb = "create" if existing is None else "update"
        values = parsed.values
        if existing is None:
            self.check_required(parsed, ctx, verb)
            ident = values.get(self.id_field, "")
            if ID_FORBIDDEN.search(ident):
                raise RequestValidationError(
                    f"The {self.fields[self.id_field].label} '{ident}' contains characters that are not allowed.",
                    correction="Remove the characters # : \" ' < > & % | \\ and control characters from the ID.",
                ).with_also(self.wrapper(verb))
            if ctx.books.exists_anywhere(self, self.id_field, ident):
                raise self.duplicate_error(ident).with_also(self.wrapper(verb))
        else:
            if self.id_field in values and values[self.id_field] != existing.get(self.id_field):
                raise RequestValidationError(
                    f"{self.id_field} cannot be changed.", correction="Create a new record with the new ID instead."
                ).with_also(self.wrapper(verb))
            # An update changes only the fields it sends, but an empty element for a required
            # field would blank it: refuse it as a create without that field is refused.
            for fname, f in self.fields.items():
                if f.required and fname in values and values[fname] in (None, ""):
                    raise RequestValidationError(
                        f"Required field '{f.label}' ({fname}) is missing.", correction=f"Provide a value for {fname}."
                    ).with_also(self.wrapper(verb))
        name = values.get(self.name_field)
        if name is not None and NAME_FORBIDDEN.search(name):
            raise RequestValidationError(
                f"The {self.fields[self.name_field].label.lower()} contains invalid characters.",
                correction="Remove control characters and the characters < and > from the name.",
            ).with_also(self.wrapper(verb))
        for fname, email in values.items():
            part = fname.rsplit(".", 1)[-1]
            if part in EMAIL_LABELS and email and not EMAIL.match(email):
                raise RequestValidationError(
                    f"Illegal format for Contactversion : {EMAIL_LABELS[part]} {email}.", errorno="BL03000018"
                ).with_also(self.wrapper(verb))
        if values.get("PARENTID"):
            # A parent is a reference like any other: it must exist and be active (issue 2 rules).
            check_reference(ctx, self, values["PARENTID"], f"Parent {self.label}", self.wrapper(verb))
        if "DISPLAYCONTACT.PRINTAS" in self.fields and existing is None and not values.get("DISPLAYCONTACT.PRINTAS"):
            values["DISPLAYCONTACT.PRINTAS"] = values.get(self.name_field)

    def duplicate_error(self, ident: str) -> BusinessRuleError:
        return DuplicateIdError(self.label, ident)


def check_reference(ctx: "RuleContext", obj: ObjectType | str, ident: str, label: str, wrapper: ErrorDetail) -> None:
    """A referenced master record must exist and be active: 'Invalid <Label> 'X' specified.'."""
    row = ctx.books.by_id(obj, ident)
    if row is None or row.get("STATUS") != "T":
        raise InvalidReferenceError(label, ident).with_also(wrapper)


class Customer(MasterDataType):
    name, label, module, id_field = "CUSTOMER", "Customer", "AR", "CUSTOMERID"
    summary_fields = ("CUSTOMERID", "NAME", "STATUS", "CURRENCY", "TOTALDUE")
    legacy = (LegacyDelete("delete_customer", "customerid", by_id=True),)
    own_fields = (
        text("CUSTOMERID", label="Customer ID", required=True, max_length=20),
        text("NAME", label="Customer Name", required=True, max_length=100),
        status(),
        stamp("WHENCREATED", label="When created"),
        text("CUSTTYPE", label="Customer type"), text("PARENTID", label="Parent customer"),
        text("TERMNAME", label="Terms"), money("CREDITLIMIT", label="Credit limit"),
        money("TOTALDUE", label="Total due", readonly=True), flag("ONHOLD", label="On hold", default="F"),
        flag("ONETIME", label="One time", default="F"), text("CURRENCY", label="Default currency"),
        text("GLGROUP", label="GL group"), text("TAXID", label="Tax ID"), text("RESALENO", label="Resale number"),
        text("TERRITORYID", label="Territory"), text("ACCOUNTLABEL", label="AR account label"),
        text("ARACCOUNT", label="AR account"), text("COMMENTS", label="Comments"),
        choice("OBJECTRESTRICTION", (("U", "Unrestricted"), ("R", "RootOnly"), ("S", "Restricted")), label="Restriction"),
        text("EXTERNALID", label="External ID"),
        *readonly_texts("ENTITY", "PARENTKEY", "PARENTNAME", "CUSTREPNAME", "GLGRPKEY"),
        *contact_fields("DISPLAYCONTACT"), *contact_fields("BILLTO"), *contact_fields("SHIPTO"),
        *WRITE_ONLY_MASTER,
    )
    input_aliases = {"DELIVERYOPTIONS": "DELIVERY_OPTIONS"}  # the SDKs' name; Intacct reads DELIVERY_OPTIONS

    def prepare(self, ctx, parsed, existing):
        super().prepare(ctx, parsed, existing)
        _check_term_and_currency(ctx, self, parsed, existing, require=False)


class Vendor(MasterDataType):
    name, label, module, id_field = "VENDOR", "Vendor", "AP", "VENDORID"
    summary_fields = ("VENDORID", "NAME", "STATUS", "CURRENCY", "TOTALDUE")
    legacy = (LegacyDelete("delete_vendor", "vendorid", by_id=True),)
    own_fields = (
        text("VENDORID", label="Vendor ID", required=True, max_length=20),
        text("NAME", label="Vendor Name", required=True, max_length=100),
        status(),
        stamp("WHENCREATED", label="When created"),
        text("VENDTYPE", label="Vendor type"), text("PARENTID", label="Parent vendor"),
        text("TERMNAME", label="Terms"), text("CURRENCY", label="Default currency"),
        text("TAXID", label="Tax ID"), text("VENDORACCOUNTNO", label="Vendor account number"),
        text("APACCOUNT", label="AP account"), text("ACCOUNTLABEL", label="AP account label"),
        money("CREDITLIMIT", label="Credit limit"), money("TOTALDUE", label="Total due", readonly=True),
        flag("ONHOLD", label="On hold", default="F"), flag("ONETIME", label="One time", default="F"),
        choice("PAYMETHODKEY", (("Printed Check", "Printed Check"), ("EFT", "EFT"), ("ACH", "ACH"),
                                ("Cash", "Cash"), ("Credit Card", "Credit Card")), label="Preferred payment method"),
        text("FORM1099TYPE", label="Form 1099 type"), text("FORM1099BOX", label="Form 1099 box"),
        text("GLGROUP", label="GL group"), text("COMMENTS", label="Comments"),
        choice("OBJECTRESTRICTION", (("U", "Unrestricted"), ("R", "RootOnly"), ("S", "Restricted")), label="Restriction"),
        text("EXTERNALID", label="External ID"),
        *readonly_texts("PARENTKEY", "PARENTNAME", "APACCOUNTTITLE"),
        *contact_fields("DISPLAYCONTACT"), *contact_fields("PAYTO"), *contact_fields("RETURNTO"),
        *WRITE_ONLY_MASTER,
    )
    # The official SDKs write these names; Intacct reads the fields back under the second name.
    input_aliases = {"OFFSETGLACCOUNT": "OFFSETGLACCOUNTNO", "DISPLAYACCTNOCHECK": "DISPLOCACCTNOCHECK"}

    def prepare(self, ctx, parsed, existing):
        super().prepare(ctx, parsed, existing)
        _check_term_and_currency(ctx, self, parsed, existing, require=True)


def _check_term_and_currency(ctx: "RuleContext", obj: ObjectType, parsed: Parsed, existing: dict | None, *, require: bool) -> None:
    """Vendors (and customers) reference company terms and currencies; vendors may be required to."""
    verb = "create" if existing is None else "update"
    values, company = parsed.values, ctx.company
    merged = {**(existing or {}), **values}
    if require and company.vendor_requires_currency and not merged.get("CURRENCY"):
        raise RequestValidationError(
            "Required field 'Default currency' (CURRENCY) is missing.",
            correction="This company requires a default currency on every vendor.",
        ).with_also(obj.wrapper(verb))
    if require and company.vendor_requires_terms and not merged.get("TERMNAME"):
        raise RequestValidationError(
            "Required field 'Terms' (TERMNAME) is missing.", correction="This company requires payment terms on every vendor."
        ).with_also(obj.wrapper(verb))
    if values.get("CURRENCY") and values["CURRENCY"] not in company.currencies:
        raise InvalidReferenceError("Currency", values["CURRENCY"]).with_also(obj.wrapper(verb))
    if values.get("TERMNAME") and values["TERMNAME"] not in company.terms:
        raise InvalidReferenceError("Term", values["TERMNAME"]).with_also(obj.wrapper(verb))


class GLAccount(MasterDataType):
    name, label, module, id_field = "GLACCOUNT", "GL Account", "GL", "ACCOUNTNO"
    legacy = (LegacyDelete("delete_glaccount", "glaccountno", by_id=True),)
    name_field = "TITLE"
    private_in_entity = False
    own_fields = (
        text("ACCOUNTNO", label="Account number", required=True, max_length=24),
        text("TITLE", label="Title", required=True, max_length=80),
        choice("ACCOUNTTYPE", (("N", "balancesheet"), ("I", "incomestatement")), label="Account type", required=True),
        choice("NORMALBALANCE", (("1", "debit"), ("-1", "credit")), label="Normal balance", required=True),
        choice("CLOSINGTYPE", (("N", "non-closing account"), ("C", "closed to account"), ("R", "closing account")),
               label="Period end closing type"),
        text("CLOSINGACCOUNTNO", label="Close into account"), text("CATEGORY", label="Category"),
        status(), stamp("WHENCREATED", label="When created"),
        flag("REQUIREDEPT", label="Require department", default="F"),
        flag("REQUIRELOC", label="Require location", default="F"),
        flag("REQUIREPROJECT", label="Require project", default="F"),
        flag("REQUIRECUSTOMER", label="Require customer", default="F"),
        flag("REQUIREVENDOR", label="Require vendor", default="F"),
        flag("REQUIRECLASS", label="Require class", default="F"),
        flag("SUBLEDGERCONTROLON", label="Disallow direct posting", default="F"),
        flag("TAXABLE", label="Taxable"),
        flag("REQUIREEMPLOYEE", label="Require employee", default="F"),
        flag("REQUIREITEM", label="Require item", default="F"),
        flag("REQUIREWAREHOUSE", label="Require warehouse", default="F"),
        flag("REQUIREASSET", label="Require asset", default="F"),
        flag("REQUIRECONTRACT", label="Require contract", default="F"),  # with Contracts subscribed
        text("ALTERNATIVEACCOUNT", label="GL account alternative"),
    )

    def duplicate_error(self, ident: str) -> BusinessRuleError:
        return BusinessRuleError(
            f"The account number '{ident}' already exists", description="Duplicate account number",
            correction="Enter unique account number",
        )

    def wrapper(self, verb: str) -> ErrorDetail:
        """GL accounts use a '.'-terminated wrapper: 'Could not create GL Account record.' (notes 4.2)."""
        return ErrorDetail(GENERIC_BL, "", f"Could not {verb} {self.label} record.", "")


class Dimension(MasterDataType):
    """Location, department, class and project share the simple shape."""

    private_in_entity = False


class Location(Dimension):
    name, label, module, id_field = "LOCATION", "Location", "CO", "LOCATIONID"
    legacy = (LegacyDelete("delete_location", "locationid", by_id=True),)
    own_fields = (
        text("LOCATIONID", label="Location ID", required=True, max_length=20),
        text("NAME", label="Name", required=True, max_length=40),
        text("PARENTID", label="Parent location"), text("SUPERVISORID", label="Manager"),
        text("CURRENCY", label="Currency"), day("STARTDATE", label="Start date"), day("ENDDATE", label="End date"),
        status(), stamp("WHENCREATED", label="When created"),
        *contact_fields("CONTACTINFO"),
    )


class Department(Dimension):
    name, label, module, id_field = "DEPARTMENT", "Department", "CO", "DEPARTMENTID"
    legacy = (LegacyDelete("delete_department", "departmentid", by_id=True),)
    name_field = "TITLE"
    own_fields = (
        text("DEPARTMENTID", label="Department ID", required=True, max_length=20),
        text("TITLE", label="Department name", required=True, max_length=40),
        text("PARENTID", label="Parent department"), text("SUPERVISORID", label="Manager"),
        text("CUSTTITLE", label="Department title on statements"),
        *readonly_texts("PARENTKEY", "SUPERVISORNAME"),
        status(), stamp("WHENCREATED", label="When created"),
    )


class ClassDimension(Dimension):
    name, label, module, id_field = "CLASS", "Class", "CO", "CLASSID"
    legacy = (LegacyDelete("delete_class", "key", by_id=True),)
    own_fields = (
        text("CLASSID", label="Class ID", required=True, max_length=20),
        text("NAME", label="Name", required=True, max_length=40),
        text("DESCRIPTION", label="Description"), text("PARENTID", label="Parent class"),
        *readonly_texts("PARENTKEY", "RECORD_URL"),
        status(), stamp("WHENCREATED", label="When created"),
    )


class Project(Dimension):
    name, label, module, id_field = "PROJECT", "Project", "PA", "PROJECTID"
    own_fields = (
        text("PROJECTID", label="Project ID", required=True, max_length=20),
        text("NAME", label="Name", required=True, max_length=200),
        text("PROJECTCATEGORY", label="Project category", required=True),
        text("PROJECTTYPE", label="Project type"), text("PROJECTSTATUS", label="Project status"),
        text("DESCRIPTION", label="Description"), text("PARENTID", label="Parent project"),
        text("CUSTOMERID", label="Customer ID"), text("LOCATIONID", label="Location ID"),
        text("DEPARTMENTID", label="Department ID"), day("BEGINDATE", label="Begin date"), day("ENDDATE", label="End date"),
        money("BUDGETAMOUNT", label="Budget amount"), text("CURRENCY", label="Currency"),
        text("BUDGETID", label="Budget"),
        *readonly_texts("PARENTKEY", "PARENTNAME", "CUSTOMERKEY", "CUSTOMERNAME", "DEPARTMENTNAME", "LOCATIONNAME"),
        status(), stamp("WHENCREATED", label="When created"),
    )
    relations = {"CUSTOMER": Relation("CUSTOMERID", "CUSTOMER", "CUSTOMERID")}

    def prepare(self, ctx, parsed, existing):
        """The customer, location and department a project names must exist and be active,
        on update as on create (a project is a dimension value other records post against)."""
        super().prepare(ctx, parsed, existing)
        wrapper = self.wrapper("create" if existing is None else "update")
        for fname, ref, label in (("CUSTOMERID", "CUSTOMER", "Customer"), ("LOCATIONID", "LOCATION", "Location"),
                                  ("DEPARTMENTID", "DEPARTMENT", "Department")):
            if parsed.values.get(fname):
                check_reference(ctx, ref, parsed.values[fname], label, wrapper)


class Contact(MasterDataType):
    """A company contact (the contact list vendors' and customers' contact groups name): its ID is
    its name, and PRINTAS is required beside it, as in Intacct."""

    name, label, module, id_field = "CONTACT", "Contact", "CO", "CONTACTNAME"
    name_field = "PRINTAS"
    legacy = (LegacyDelete("delete_contact", "contactname", by_id=True),)
    own_fields = (
        text("CONTACTNAME", label="Contact name", required=True, max_length=200),
        text("PRINTAS", label="Print as", required=True, max_length=200),
        text("COMPANYNAME", label="Company name"), flag("TAXABLE", label="Taxable"), text("TAXID", label="Tax ID"),
        text("TAXGROUP", label="Contact tax group"),
        *(text(part, label=part.split(".")[-1].title()) for part in CONTACT_PARTS
          if part not in ("PRINTAS", "CONTACTNAME", "COMPANYNAME", "TAXABLE", "TAXGROUP")),
        status(), stamp("WHENCREATED", label="When created"),
    )
    summary_fields = ("CONTACTNAME", "PRINTAS", "COMPANYNAME", "EMAIL1", "STATUS")


class LocationEntity(ObjectType):
    """The company's entities, read-only (written from the company's configuration), so a client
    can check that the entity name it is configured with exists."""

    name, label, plural, module, id_field = "LOCATIONENTITY", "Entity", "Entities", "CO", "LOCATIONID"
    generic_create = generic_update = generic_delete = False
    own_fields = (text("LOCATIONID", label="Entity ID"), text("NAME", label="Name"), status(),
                  stamp("WHENCREATED", label="When created"))


class Role(ObjectType):
    """The company's roles, read-only (written from its configuration): what each grants per
    module (DESCRIPTION, ``AR: full, CO: read``) and the users it is assigned to."""

    name, label, module, id_field = "ROLES", "Role", "CO", "NAME"
    generic_create = generic_update = generic_delete = False
    own_fields = (text("NAME", label="Name"), text("DESCRIPTION", label="Permissions"),
                  text("ROLETYPE", label="Role type"), text("APPLYTO", label="Applies"),
                  text("USERS", label="Users assigned"))


OBJECTS = (Customer(), Vendor(), GLAccount(), Location(), Department(), ClassDimension(), Project(), Contact(),
           LocationEntity(), Role())
