"""What the official JavaScript SDK sends, class by class, and what Intacct answers to it.

Each ``Case`` builds one SDK function class with representative values (the way an integration
fills it in) and names the outcome real Intacct gives: ``"success"`` or the errorno of the error.
Cases run in order inside one fresh company, so a later case can name an earlier one's key
(``ref("bill")``). ``NOT_EMULATED`` names every class of the covered SDK namespaces that the
emulator does not emulate, with the reason; ``test_every_sdk_class_is_accounted_for`` fails when
an SDK class is in neither list, so nothing is skipped silently. docs/fidelity.md's table is
rendered from both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.contract.sdk_js import C, D

ATTACHMENT_PATH = "/tmp/intacct-mock-js-attachment.txt"  # written by the test before the run
NAMESPACES = ("AccountsPayable", "AccountsReceivable", "GeneralLedger", "Company", "Common", "OrderEntry")


@dataclass(frozen=True)
class Case:
    id: str
    sdk_class: str  # "AccountsPayable.VendorCreate"
    fn: dict[str, Any]
    expect: str = "success"  # or the errorno Intacct answers
    why: str = ""  # for an error: what makes Intacct refuse it
    session: bool = False  # sign in through SessionProvider (getAPISession) first
    batch: tuple[dict[str, Any], ...] = ()  # several functions in one request (OnlineClient.executeBatch)
    transaction: bool = False  # the batch as one transaction (RequestConfig.transaction)
    unique_id: bool = False  # RequestConfig.uniqueId: Intacct refuses a function control id it has seen
    extra_classes: tuple[str, ...] = field(default=())  # helper classes the case also exercises


def ref(case_id: str, number: bool = False) -> dict[str, Any]:
    return {"$ref": case_id, "$number": True} if number else {"$ref": case_id}


def bill_line(account: str, amount: float, **extra: Any) -> dict[str, Any]:
    return C("AccountsPayable.BillLineCreate", glAccountNumber=account, transactionAmount=amount, **extra)


def invoice_line(account: str, amount: float, **extra: Any) -> dict[str, Any]:
    return C("AccountsReceivable.InvoiceLineCreate", glAccountNumber=account, transactionAmount=amount, **extra)


def where(field_name: str, value: str) -> dict[str, Any]:
    return C("Common.Query.Comparison.EqualTo.EqualToString", field=field_name, value=value)


TODAY = D("2026-03-16")
DUE = D("2026-04-15")

CASES: list[Case] = [
    # ---------------------------------------------------------------- sessions
    Case("session", "ApiSessionCreate", C("ApiSessionCreate"), session=True),
    # ---------------------------------------------------------------- Company: dimensions, attachments
    Case("department", "Company.DepartmentCreate", C("Company.DepartmentCreate", departmentId="D200",
                                                     departmentName="Sales", active=True)),
    Case("department-dup", "Company.DepartmentCreate", C("Company.DepartmentCreate", departmentId="D200",
                                                         departmentName="Sales again"),
         expect="BL34000061", why="a department with that ID exists"),
    Case("department-update", "Company.DepartmentUpdate", C("Company.DepartmentUpdate", departmentId="D200",
                                                            departmentName="Sales EMEA")),
    Case("location", "Company.LocationCreate", C("Company.LocationCreate", locationId="L200", locationName="Branch",
                                                 startDate=D("2026-01-01"))),
    Case("location-update", "Company.LocationUpdate", C("Company.LocationUpdate", locationId="L200",
                                                        locationName="Branch office", active=True)),
    Case("class", "Company.ClassCreate", C("Company.ClassCreate", classId="C200", className="Mid-market",
                                           description="Mid-market customers")),
    Case("class-update", "Company.ClassUpdate", C("Company.ClassUpdate", classId="C200", className="Mid market")),
    Case("folder", "Company.AttachmentsFolderCreate", C("Company.AttachmentsFolderCreate", folderName="Receipts",
                                                        description="Scanned receipts")),
    Case("attachment", "Company.AttachmentsCreate",
         C("Company.AttachmentsCreate", attachmentsId="ATT-JS-1", attachmentsName="Receipt 1",
           attachmentFolderName="Receipts", description="Scan",
           files=[C("Company.AttachmentFile", filePath=ATTACHMENT_PATH, fileName="receipt", extension="txt")]),
         extra_classes=("Company.AttachmentFile",)),
    Case("attachment-update", "Company.AttachmentsUpdate",
         C("Company.AttachmentsUpdate", attachmentsId="ATT-JS-1", attachmentsName="Receipt 1 (rescanned)")),
    Case("folder-update", "Company.AttachmentsFolderUpdate",
         C("Company.AttachmentsFolderUpdate", folderName="Receipts", description="Scanned receipts, 2026")),
    Case("folder-2", "Company.AttachmentsFolderCreate", C("Company.AttachmentsFolderCreate", folderName="Old scans")),
    Case("folder-delete", "Company.AttachmentsFolderDelete",
         C("Company.AttachmentsFolderDelete", folderName="Old scans")),
    Case("attachment-2", "Company.AttachmentsCreate",
         C("Company.AttachmentsCreate", attachmentsId="ATT-JS-2", attachmentsName="Duplicate scan",
           attachmentFolderName="Receipts")),
    Case("attachment-delete", "Company.AttachmentsDelete", C("Company.AttachmentsDelete", attachmentsId="ATT-JS-2")),
    Case("department-2", "Company.DepartmentCreate", C("Company.DepartmentCreate", departmentId="D900",
                                                       departmentName="Temporary")),
    Case("department-delete", "Company.DepartmentDelete", C("Company.DepartmentDelete", departmentId="D900")),
    Case("location-2", "Company.LocationCreate", C("Company.LocationCreate", locationId="L900",
                                                   locationName="Pop-up store")),
    Case("location-delete", "Company.LocationDelete", C("Company.LocationDelete", locationId="L900")),
    Case("class-2", "Company.ClassCreate", C("Company.ClassCreate", classId="C900", className="Trial")),
    Case("class-delete", "Company.ClassDelete", C("Company.ClassDelete", classId="C900")),
    Case("class-delete-missing", "Company.ClassDelete", C("Company.ClassDelete", classId="C-NOPE"),
         expect="BL01001973", why="no class has that ID"),
    Case("contact", "Company.ContactCreate",
         C("Company.ContactCreate", contactName="Jo Bloggs", printAs="Jo Bloggs", companyName="JS Supplies",
           firstName="Jo", lastName="Bloggs", primaryEmailAddress="jo@js.example", addressLine1="2 Mill Lane",
           city="Leeds", zipPostalCode="LS1 1AA", country="United Kingdom", taxable=True, active=True)),
    Case("contact-dup", "Company.ContactCreate", C("Company.ContactCreate", contactName="Jo Bloggs", printAs="Jo"),
         expect="BL34000061", why="a contact with that name exists"),
    Case("contact-bad-email", "Company.ContactCreate",
         C("Company.ContactCreate", contactName="Bad Email", printAs="Bad Email", primaryEmailAddress="not-an-email"),
         expect="BL03000018", why="the email address is malformed"),
    Case("contact-update", "Company.ContactUpdate",
         C("Company.ContactUpdate", contactName="Jo Bloggs", printAs="Jo Bloggs (AP)", primaryPhoneNo="0113 000 000")),
    Case("contact-2", "Company.ContactCreate", C("Company.ContactCreate", contactName="Temp", printAs="Temp")),
    Case("contact-delete", "Company.ContactDelete", C("Company.ContactDelete", contactName="Temp")),
    # ---------------------------------------------------------------- General ledger accounts
    Case("account", "GeneralLedger.AccountCreate", C("GeneralLedger.AccountCreate", accountNo="6500",
                                                     title="Travel", accountType="incomestatement",
                                                     normalBalance="debit", closingType="non-closing account")),
    Case("account-update", "GeneralLedger.AccountUpdate", C("GeneralLedger.AccountUpdate", accountNo="6500",
                                                            title="Travel and meals", active=True)),
    Case("account-2", "GeneralLedger.AccountCreate", C("GeneralLedger.AccountCreate", accountNo="6900", title="Suspense",
                                                       accountType="balancesheet", normalBalance="debit")),
    Case("account-delete", "GeneralLedger.AccountDelete", C("GeneralLedger.AccountDelete", accountNo="6900")),
    # ---------------------------------------------------------------- Accounts payable
    Case("vendor", "AccountsPayable.VendorCreate",
         C("AccountsPayable.VendorCreate", vendorId="V-JS-1", vendorName="JS Supplies", printAs="JS Supplies Ltd",
           primaryEmailAddress="ap@js.example", city="Leeds", country="United Kingdom", paymentTerm=None,
           oneTime=False, active=True)),
    Case("vendor-update", "AccountsPayable.VendorUpdate",
         C("AccountsPayable.VendorUpdate", vendorId="V-JS-1", vendorName="JS Supplies Ltd")),
    Case("vendor-update-missing", "AccountsPayable.VendorUpdate",
         C("AccountsPayable.VendorUpdate", vendorId="V-NOPE", vendorName="Nobody"),
         expect="Cannot update non-existing VENDOR with VENDORID=V-NOPE.", why="no vendor has that ID"),
    Case("bill", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-JS-1", transactionDate=TODAY, glPostingDate=TODAY, dueDate=DUE,
           billNumber="JS-BILL-1", description="Office chairs", referenceNumber="PO-77", action="Submit",
           lines=[bill_line("6220", 100.25, memo="Chairs", departmentId="D100", locationId="L100"),
                  bill_line("6400", 20, memo="Delivery", billable=False, form1099=False)]),
         extra_classes=("AccountsPayable.BillLineCreate",)),
    Case("bill-dup", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-JS-1", transactionDate=TODAY, dueDate=DUE, billNumber="JS-BILL-1",
           lines=[bill_line("6220", 5)]),
         expect="BL01001973", why="a bill with that number exists for the vendor"),
    Case("bill-unknown-account", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-JS-1", transactionDate=TODAY, dueDate=DUE, billNumber="JS-BILL-2",
           lines=[bill_line("9999", 5)]),
         expect="BL01001973", why="the line's GL account does not exist"),
    Case("ap-adjustment", "AccountsPayable.ApAdjustmentCreate",
         C("AccountsPayable.ApAdjustmentCreate", vendorId="V-JS-1", transactionDate=TODAY, glPostingDate=TODAY,
           adjustmentNumber="JS-DM-1", description="Short delivery credit",
           lines=[C("AccountsPayable.ApAdjustmentLineCreate", glAccountNumber="6220", transactionAmount=-10,
                    memo="One chair missing")]),
         extra_classes=("AccountsPayable.ApAdjustmentLineCreate",)),
    Case("ap-payment", "AccountsPayable.ApPaymentCreate",
         C("AccountsPayable.ApPaymentCreate",
           C("AccountsPayable.ApPaymentInfo", vendorId="V-JS-1", paymentMethod="Printed Check",
             financialEntityId="BOA", paymentDate=TODAY, transactionAmountPaid=50, documentNo="CHK-1",
             memo="Part payment",
             apPaymentDetails=[C("AccountsPayable.ApPaymentDetailBill",
                                 C("AccountsPayable.ApPaymentDetailBillInfo", recordNo=ref("bill", True),
                                   paymentAmount=50))]),
           "js-ap-payment"),
         extra_classes=("AccountsPayable.ApPaymentInfo", "AccountsPayable.ApPaymentDetailBill",
                        "AccountsPayable.ApPaymentDetailBillInfo")),
    Case("ap-payment-delete-complete", "AccountsPayable.ApPaymentDelete",
         C("AccountsPayable.ApPaymentDelete", ref("ap-payment", True)),
         expect="BL01001973", why="the payment is complete (only drafts can be deleted)"),
    Case("ap-payment-draft", "AccountsPayable.ApPaymentCreate",
         C("AccountsPayable.ApPaymentCreate",
           C("AccountsPayable.ApPaymentInfo", vendorId="V-JS-1", paymentMethod="EFT", financialEntityId="BOA",
             paymentDate=TODAY, transactionAmountPaid=5, action="Draft",
             apPaymentDetails=[C("AccountsPayable.ApPaymentDetailBill",
                                 C("AccountsPayable.ApPaymentDetailBillInfo", recordNo=ref("bill", True),
                                   paymentAmount=5))]),
           "js-ap-payment-draft")),
    Case("ap-payment-delete", "AccountsPayable.ApPaymentDelete",
         C("AccountsPayable.ApPaymentDelete", ref("ap-payment-draft", True))),
    Case("bill-2", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-2", transactionDate=TODAY, dueDate=DUE, billNumber="JS-BILL-3",
           lines=[bill_line("6220", 12)])),
    Case("bill-delete", "AccountsPayable.BillDelete", C("AccountsPayable.BillDelete", recordNo=ref("bill-2", True))),
    Case("ap-adjustment-2", "AccountsPayable.ApAdjustmentCreate",
         C("AccountsPayable.ApAdjustmentCreate", vendorId="V-2", transactionDate=TODAY, adjustmentNumber="JS-DM-2",
           lines=[C("AccountsPayable.ApAdjustmentLineCreate", glAccountNumber="6220", transactionAmount=-3)])),
    Case("ap-adjustment-delete", "AccountsPayable.ApAdjustmentDelete",
         C("AccountsPayable.ApAdjustmentDelete", recordNo=ref("ap-adjustment-2", True))),
    Case("vendor-2", "AccountsPayable.VendorCreate", C("AccountsPayable.VendorCreate", vendorId="V-JS-2",
                                                       vendorName="Short lived")),
    Case("vendor-delete", "AccountsPayable.VendorDelete", C("AccountsPayable.VendorDelete", vendorId="V-JS-2")),
    # ---------------------------------------------------------------- Accounts receivable
    Case("customer", "AccountsReceivable.CustomerCreate",
         C("AccountsReceivable.CustomerCreate", customerId="C-JS-1", customerName="JS Retail", printAs="JS Retail",
           primaryEmailAddress="billing@js.example", addressLine1="1 High St", city="York", zipPostalCode="YO1 1AA",
           country="United Kingdom", creditLimit=5000, onHold=False)),
    # The SDK writes an empty <DISPLAYCONTACT/> group when no contact field is set; Intacct accepts it.
    Case("customer-update", "AccountsReceivable.CustomerUpdate",
         C("AccountsReceivable.CustomerUpdate", customerId="C-JS-1", customerName="JS Retail plc")),
    Case("invoice", "AccountsReceivable.InvoiceCreate",
         C("AccountsReceivable.InvoiceCreate", customerId="C-JS-1", transactionDate=TODAY, glPostingDate=TODAY,
           dueDate=DUE, invoiceNumber="JS-INV-1", description="March services", action="Submit",
           lines=[invoice_line("4000", 250, memo="Consulting", departmentId="D100", classId="C1"),
                  invoice_line("4000", 49.99, memo="Licence")]),
         extra_classes=("AccountsReceivable.InvoiceLineCreate",)),
    Case("invoice-unknown-customer", "AccountsReceivable.InvoiceCreate",
         C("AccountsReceivable.InvoiceCreate", customerId="C-NOPE", transactionDate=TODAY, dueDate=DUE,
           invoiceNumber="JS-INV-2", lines=[invoice_line("4000", 1)]),
         expect="BL01001973", why="no customer has that ID"),
    Case("ar-adjustment", "AccountsReceivable.ArAdjustmentCreate",
         C("AccountsReceivable.ArAdjustmentCreate", customerId="C-JS-1", transactionDate=TODAY, glPostingDate=TODAY,
           adjustmentNumber="JS-CM-1", description="Goodwill credit",
           lines=[C("AccountsReceivable.ArAdjustmentLineCreate", glAccountNumber="4000", transactionAmount=-25,
                    memo="Goodwill")]),
         extra_classes=("AccountsReceivable.ArAdjustmentLineCreate",)),
    Case("ar-batch", "AccountsReceivable.ArPaymentSummaryCreate",
         C("AccountsReceivable.ArPaymentSummaryCreate", title="JS receipts", glPostingDate=TODAY, bankAccountId="BOA")),
    Case("ar-payment", "AccountsReceivable.ArPaymentCreate",
         C("AccountsReceivable.ArPaymentCreate", customerId="C-JS-1", paymentMethod="Printed Check",
           bankAccountId="BOA", receivedDate=TODAY, transactionPaymentAmount=100, referenceNumber="CHQ-42",
           applyToTransactions=[C("AccountsReceivable.ArPaymentItem", applyToRecordId=ref("invoice", True),
                                  amountToApply=100)]),
         extra_classes=("AccountsReceivable.ArPaymentItem",)),
    Case("invoice-2", "AccountsReceivable.InvoiceCreate",
         C("AccountsReceivable.InvoiceCreate", customerId="C-2", transactionDate=TODAY, dueDate=DUE,
           invoiceNumber="JS-INV-3", lines=[invoice_line("4000", 10)])),
    Case("invoice-delete", "AccountsReceivable.InvoiceDelete",
         C("AccountsReceivable.InvoiceDelete", recordNo=ref("invoice-2", True))),
    Case("customer-2", "AccountsReceivable.CustomerCreate", C("AccountsReceivable.CustomerCreate",
                                                              customerId="C-JS-2", customerName="Short lived")),
    Case("customer-delete", "AccountsReceivable.CustomerDelete",
         C("AccountsReceivable.CustomerDelete", customerId="C-JS-2")),
    Case("ar-adjustment-2", "AccountsReceivable.ArAdjustmentCreate",
         C("AccountsReceivable.ArAdjustmentCreate", customerId="C-2", transactionDate=TODAY, adjustmentNumber="JS-CM-2",
           lines=[C("AccountsReceivable.ArAdjustmentLineCreate", glAccountNumber="4000", transactionAmount=-5)])),
    Case("ar-adjustment-delete", "AccountsReceivable.ArAdjustmentDelete",
         C("AccountsReceivable.ArAdjustmentDelete", recordNo=ref("ar-adjustment-2", True))),
    # ---------------------------------------------------------------- Common reads
    Case("read", "Common.Read", C("Common.Read", objectName="APBILL", keys=[ref("bill", True)],
                                  fields=["RECORDNO", "RECORDID", "VENDORID", "TOTALENTERED", "STATE"])),
    Case("read-star", "Common.Read", C("Common.Read", objectName="VENDOR", keys=[1])),
    Case("read-by-name", "Common.ReadByName", C("Common.ReadByName", objectName="CUSTOMER", names=["C-JS-1"])),
    Case("read-by-query", "Common.ReadByQuery",
         C("Common.ReadByQuery", objectName="VENDOR", fields=["VENDORID", "NAME"], pageSize=1,
           query=C("Common.Query.QueryString", "VENDORID LIKE 'V-%'")),
         extra_classes=("Common.Query.QueryString",)),
    Case("read-by-query-condition", "Common.ReadByQuery",
         C("Common.ReadByQuery", objectName="ARINVOICE", fields=["RECORDNO", "RECORDID", "TOTALDUE"],
           query=C("Common.Query.Logical.OrCondition",
                   conditions=[where("RECORDID", "JS-INV-1"), where("RECORDID", "NO-SUCH")])),
         extra_classes=("Common.Query.Logical.OrCondition", "Common.Query.Comparison.EqualTo.EqualToString")),
    Case("read-by-query-unknown-field", "Common.ReadByQuery",
         C("Common.ReadByQuery", objectName="VENDOR", fields=["VENDORID", "NOT_A_FIELD"]),
         expect="DL02000001", why="the field list names a field VENDOR does not have"),
    Case("read-more", "Common.ReadMore", C("Common.ReadMore", resultId={"$result": "read-by-query"})),
    Case("lookup", "Common.Lookup", C("Common.Lookup", objectName="APBILL")),
    Case("inspect", "Common.Inspect", C("Common.Inspect", objectName="CUSTOMER")),
    Case("get-list", "Common.GetList.GetList", C("Common.GetList.GetList", object="supdocfolder")),
    Case("query", "Common.NewQuery.Query",
         C("Common.NewQuery.Query", fromObject="APBILL", pageSize=10,
           selectFields=C("Common.NewQuery.QuerySelect.SelectBuilder",
                          chain=[["addFields", ["RECORDNO", "RECORDID", "VENDORID", "TOTALDUE"]], "selects"]),
           filter=C("Common.NewQuery.QueryFilter.AndOperator",
                    [C("Common.NewQuery.QueryFilter.Filter", "VENDORID", chain=[["equalTo", "V-JS-1"]]),
                     C("Common.NewQuery.QueryFilter.Filter", "TOTALDUE", chain=[["greaterThan", "0"]])]),
           orderBy=C("Common.NewQuery.QueryOrderBy.OrderBuilder", chain=[["addDescending", "RECORDNO"], "orders"])),
         extra_classes=("Common.NewQuery.QuerySelect.SelectBuilder", "Common.NewQuery.QueryFilter.AndOperator",
                        "Common.NewQuery.QueryFilter.Filter", "Common.NewQuery.QueryOrderBy.OrderBuilder")),
    Case("query-count", "Common.NewQuery.Query",
         C("Common.NewQuery.Query", fromObject="VENDOR",
           selectFields=C("Common.NewQuery.QuerySelect.SelectBuilder", chain=[["addCount", "RECORDNO"], "selects"]))),
]

# ---------------------------------------------------------------------------- the query builders
# Every comparison class of the SDK's readByQuery builder, on a field of its type: the emulator
# must parse each clause the SDK writes (``NOT VENDORID = 'V-1'``, ``WHENCREATED >= '03/16/2026'``,
# ``TERMNAME IS NULL``, ``RECORDNO IN (1,2)`` ...).
COMPARISON_FIELDS = {  # value type -> (object, field, value)
    "String": ("VENDOR", "VENDORID", "V-1"),
    "Integer": ("APBILLITEM", "LINE_NO", 1),
    "Number": ("APBILL", "TOTALENTERED", 120.25),
    "Date": ("APBILL", "WHENCREATED", D("2026-03-16")),
    "DateTime": ("VENDOR", "WHENMODIFIED", D("2026-03-16")),
}
COMPARISONS = ("EqualTo", "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo")


def _comparison_cases() -> list[Case]:
    out = []
    for op in COMPARISONS:
        for kind, (obj, name, value) in COMPARISON_FIELDS.items():
            sdk_class = f"Common.Query.Comparison.{op}.{op}{kind}"
            out.append(Case(f"rbq-{op}-{kind}", "Common.ReadByQuery",
                            C("Common.ReadByQuery", objectName=obj, fields=["RECORDNO", name] if name != "RECORDNO" else [name],
                              query=C(sdk_class, field=name, value=value, negate=op == "EqualTo" and kind == "String")),
                            extra_classes=(sdk_class,)))
    vendor = [("EqualTo.EqualToNull", {"field": "TERMNAME"}), ("EqualTo.EqualToNull", {"field": "TERMNAME", "negate": True}),
              ("InArray.InArrayString", {"field": "VENDORID", "valuesList": ["V-1", "V-2"]}),
              ("InArray.InArrayInteger", {"field": "RECORDNO", "valuesList": [1, 2], "negate": True}),
              ("Like.LikeString", {"field": "NAME", "value": "%o%"})]
    for n, (name, props) in enumerate(vendor):
        sdk_class = f"Common.Query.Comparison.{name}"
        out.append(Case(f"rbq-{name.split('.')[-1]}-{n}", "Common.ReadByQuery",
                        C("Common.ReadByQuery", objectName="VENDOR", fields=["VENDORID"], query=C(sdk_class, **props)),
                        extra_classes=(sdk_class,)))
    out.append(Case("rbq-and", "Common.ReadByQuery",
                    C("Common.ReadByQuery", objectName="VENDOR", fields=["VENDORID"],
                      query=C("Common.Query.Logical.AndCondition", negate=True,
                              conditions=[where("VENDORID", "V-1"), where("NAME", "Initech")])),
                    extra_classes=("Common.Query.Logical.AndCondition",)))
    return out


def _filter(field_name: str, method: str, *args: Any) -> dict[str, Any]:
    return C("Common.NewQuery.QueryFilter.Filter", field_name, chain=[[method, *args]])


def _query_cases() -> list[Case]:
    """The ``query`` builder: every filter operator, both orders, every aggregate."""
    filters = [("equalTo", "V-1"), ("notEqualTo", "V-1"), ("lessThan", "V-2"), ("lessThanOrEqualTo", "V-2"),
               ("greaterThan", "V-1"), ("greaterThanOrEqualTo", "V-1"), ("between", "V-1", "V-2"),
               ("in", ["V-1", "V-2"]), ("notIn", ["V-1"]), ("like", "V-%"), ("notLike", "X%"), ("isNull",),
               ("isNotNull",)]
    out = []
    for method, *args in filters:
        out.append(Case(f"query-{method}", "Common.NewQuery.Query",
                        C("Common.NewQuery.Query", fromObject="VENDOR",
                          selectFields=C("Common.NewQuery.QuerySelect.SelectBuilder",
                                         chain=[["addField", "VENDORID"], "selects"]),
                          filter=_filter("TERMNAME" if method.endswith("Null") else "VENDORID", method, *args),
                          orderBy=C("Common.NewQuery.QueryOrderBy.OrderBuilder",
                                    chain=[["addAscending", "VENDORID"], "orders"]))))
    out.append(Case("query-or", "Common.NewQuery.Query",
                    C("Common.NewQuery.Query", fromObject="VENDOR", caseInsensitive=True, pageSize=2, offset=1,
                      selectFields=C("Common.NewQuery.QuerySelect.SelectBuilder",
                                     chain=[["addFields", ["VENDORID", "NAME"]], "selects"]),
                      filter=C("Common.NewQuery.QueryFilter.OrOperator",
                               [_filter("VENDORID", "equalTo", "v-1"), _filter("NAME", "like", "%o%")])),
                    extra_classes=("Common.NewQuery.QueryFilter.OrOperator",)))
    out.append(Case("query-aggregates", "Common.NewQuery.Query",
                    C("Common.NewQuery.Query", fromObject="APBILL",
                      selectFields=C("Common.NewQuery.QuerySelect.SelectBuilder",
                                     chain=[["addField", "VENDORID"], ["addSum", "TOTALENTERED"],
                                            ["addAverage", "TOTALENTERED"], ["addMinimum", "TOTALDUE"],
                                            ["addMaximum", "TOTALDUE"], ["addCount", "RECORDNO"], "selects"])),
                    extra_classes=tuple(f"Common.NewQuery.QuerySelect.{n}" for n in
                                        ("Field", "Sum", "Average", "Minimum", "Maximum", "Count",
                                         "SelectFunctionFactory"))
                    + ("Common.NewQuery.QueryOrderBy.OrderAscending", "Common.NewQuery.QueryOrderBy.OrderDescending")))
    return out


# ---------------------------------------------------------------------------- every property set
# An integration that fills in everything the SDK offers: each element the SDK writes must be one
# Intacct accepts. References to objects the emulator does not keep (vendor types, GL groups, tax
# groups, territories, sales reps, print templates, allocations, revenue recognition templates)
# are left unset: real Intacct would check them against the company's own lists.
CONTACT_PROPS = dict(printAs="Full Print", companyName="Full Co", prefix="Ms", firstName="Ann", lastName="Full",
                     middleName="B", primaryPhoneNo="0113 111", secondaryPhoneNo="0113 222", cellularPhoneNo="07700",
                     pagerNo="1", faxNo="0113 333", primaryEmailAddress="ann@full.example",
                     secondaryEmailAddress="ap@full.example", primaryUrl="https://full.example",
                     secondaryUrl="https://full.example/ap", addressLine1="1 Full St", addressLine2="Unit 2",
                     city="Leeds", stateProvince="West Yorkshire", zipPostalCode="LS1 2AB", country="United Kingdom",
                     isoCountryCode="GB", taxable=True, excludedFromContactList=False)
FULL_CASES = [
    Case("vendor-full", "AccountsPayable.VendorCreate",
         C("AccountsPayable.VendorCreate", vendorId="V-FULL", vendorName="Full Vendor", oneTime=False, active=True,
           **CONTACT_PROPS, parentVendorId="V-1", taxId="GB123", form1099Name="Full Vendor Ltd", form1099Type="MISC",
           form1099Box="3", attachmentsId="ATT-JS-1", defaultExpenseGlAccountNo="6220", offsetGlAccountNo="1000",
           creditLimit=10000, onHold=False, doNotPay=False, comments="All fields", defaultCurrency="USD",
           primaryContactName="Jo Bloggs", payToContactName="Jo Bloggs", returnToContactName="Jo Bloggs",
           preferredPaymentMethod="Printed Check", sendAutomaticPaymentNotification=True, mergePaymentRequests=True,
           vendorBillingType="openitem", paymentPriority="Normal", paymentTerm="N30",
           termDiscountDisplayedOnCheckStub=False, achEnabled=False, vendorAccountNo="ACC-77",
           locationAssignedAccountNoDisplayedOnCheckStub=False, restrictionType="Unrestricted")),
    Case("customer-full", "AccountsReceivable.CustomerCreate",
         C("AccountsReceivable.CustomerCreate", customerId="C-FULL", customerName="Full Customer", oneTime=False,
           active=True, **CONTACT_PROPS, parentCustomerId="C-1", attachmentsId="ATT-JS-1", paymentTerm="N30",
           offsetArGlAccountNo="1000", defaultRevenueGlAccountNo="4000", shippingMethod="Courier",
           resaleNumber="R-1", taxId="GB456", creditLimit=2500, onHold=False, deliveryMethod="Print",
           comments="All fields", defaultCurrency="USD", primaryContactName="Jo Bloggs",
           billToContactName="Jo Bloggs", shipToContactName="Jo Bloggs", restrictionType="Unrestricted")),
    Case("account-full", "GeneralLedger.AccountCreate",
         C("GeneralLedger.AccountCreate", accountNo="6700", title="Full account", accountType="incomestatement",
           normalBalance="debit", closingType="non-closing account", active=True, taxable=False,
           requireDepartment=True, requireLocation=False, requireProject=False, requireCustomer=False,
           requireVendor=False, requireEmployee=False, requireItem=False, requireClass=False,
           requireContract=False, requireWarehouse=False)),
    Case("location-full", "Company.LocationCreate",
         C("Company.LocationCreate", locationId="L-FULL", locationName="Full location", parentLocationId="L100",
           locationContactName="Jo Bloggs", shipToContactName="Jo Bloggs", startDate=D("2026-01-01"),
           endDate=D("2030-12-31"), locationTitle="Site", active=True)),
    Case("department-full", "Company.DepartmentCreate",
         C("Company.DepartmentCreate", departmentId="D-FULL", departmentName="Full department",
           parentDepartmentId="D100", departmentTitle="Dept", active=True)),
    Case("class-full", "Company.ClassCreate",
         C("Company.ClassCreate", classId="C-FULL", className="Full class", description="All fields",
           parentClassId="C1", active=True)),
    Case("contact-full", "Company.ContactCreate",
         C("Company.ContactCreate", contactName="Full Contact", **CONTACT_PROPS, taxId="GB789", active=True)),
    Case("bill-full", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-FULL", transactionDate=TODAY, glPostingDate=TODAY,
           dueDate=DUE, paymentTerm="N30", action="Submit", billNumber="JS-FULL-1", referenceNumber="PO-9",
           onHold=False, description="All fields", externalId="EXT-1", payToContactName="Jo Bloggs",
           returnToContactName="Jo Bloggs", doNotPostToGl=False, attachmentsId="ATT-JS-1",
           baseCurrency="USD", transactionCurrency="USD",
           customFields=[],
           lines=[bill_line("6220", 42.5, accountLabel=None, offsetGlAccountNumber="1000", memo="Full line",
                            locationId="L100", departmentId="D100", form1099=False, key=None, totalPaid=None,
                            totalDue=None, projectId=None, customerId="C-1", vendorId="V-1", classId="C1",
                            billable=False)])),
    Case("invoice-full", "AccountsReceivable.InvoiceCreate",
         C("AccountsReceivable.InvoiceCreate", customerId="C-FULL", transactionDate=TODAY, glPostingDate=TODAY,
           dueDate=DUE, paymentTerm="N30", action="Submit", invoiceNumber="JS-FULL-INV", referenceNumber="PO-10",
           onHold=False, description="All fields", externalId="EXT-2", billToContactName="Jo Bloggs",
           shipToContactName="Jo Bloggs", doNotPostToGl=False, attachmentsId="ATT-JS-1",
           baseCurrency="USD", transactionCurrency="USD",
           lines=[invoice_line("4000", 99, offsetGlAccountNumber="1000", memo="Full line", locationId="L100",
                               departmentId="D100", customerId="C-FULL", vendorId="V-1", classId="C1",
                               revRecStartDate=D("2026-03-16"), revRecEndDate=D("2026-04-15"))])),
    Case("ar-payment-full", "AccountsReceivable.ArPaymentCreate",
         C("AccountsReceivable.ArPaymentCreate", customerId="C-FULL", paymentMethod="EFT", bankAccountId="BOA",
           receivedDate=TODAY, transactionPaymentAmount=40, basePaymentAmount=40, transactionCurrency="USD",
           baseCurrency="USD", referenceNumber="EFT-1", overpaymentLocationId="L100",
           overpaymentDepartmentId="D100",
           applyToTransactions=[C("AccountsReceivable.ArPaymentItem", applyToRecordId=ref("invoice-full", True),
                                  amountToApply=40)])),
]
# ---------------------------------------------------------------------------- requests of several functions
BATCH_CASES = [
    Case("batch", "AccountsPayable.VendorCreate", {}, batch=(
        C("AccountsPayable.VendorCreate", vendorId="V-B1", vendorName="Batch one"),
        C("AccountsPayable.VendorCreate", vendorId="V-B2", vendorName="Batch two"))),
    Case("batch-transaction", "AccountsPayable.VendorCreate", {}, transaction=True, batch=(
        C("AccountsPayable.VendorCreate", vendorId="V-T1", vendorName="Rolled back"),
        C("AccountsPayable.VendorCreate", vendorId="V-B1", vendorName="Duplicate")),
         expect="XL03000009", why="in a transaction, one function fails and every function is rolled back"),
    Case("unique-first", "AccountsPayable.VendorCreate",
         C("AccountsPayable.VendorCreate", "js-retry-1", vendorId="V-U1", vendorName="Sent once"), unique_id=True),
    Case("unique-retry", "AccountsPayable.VendorCreate",
         C("AccountsPayable.VendorCreate", "js-retry-1", vendorId="V-U1", vendorName="Sent once"), unique_id=True,
         expect="BL01001973", why="with uniqueId, the function control id of a completed write is sent again"),
    Case("after-transaction", "Common.ReadByQuery",
         C("Common.ReadByQuery", objectName="VENDOR", fields=["VENDORID"],
           query=C("Common.Query.QueryString", "VENDORID IN ('V-B1', 'V-B2', 'V-T1', 'V-U1')"))),
]

FULL_CASES += [
    Case("read-vendor-full", "Common.ReadByName", C("Common.ReadByName", objectName="VENDOR", names=["V-FULL"])),
    Case("query-vendor-full", "Common.ReadByQuery",
         C("Common.ReadByQuery", objectName="VENDOR", query=C("Common.Query.QueryString", "VENDORID = 'V-FULL'"))),
]
# ---------------------------------------------------------------------------- a document's whole life
REVERSED = D("2026-03-20")
LIFE_CASES = [
    Case("bill-3", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-JS-1", transactionDate=TODAY, dueDate=DUE, billNumber="JS-BILL-4",
           lines=[bill_line("6220", 80, memo="Desks")])),
    Case("bill-update", "AccountsPayable.BillUpdate",
         C("AccountsPayable.BillUpdate", recordNo=ref("bill-3", True), description="Desks, corrected",
           lines=[C("AccountsPayable.BillLineUpdate", lineNo=1, transactionAmount=90),
                  bill_line("6400", 10, memo="Delivery")]),
         extra_classes=("AccountsPayable.BillLineUpdate",)),
    Case("ap-payment-3", "AccountsPayable.ApPaymentCreate",
         C("AccountsPayable.ApPaymentCreate",
           C("AccountsPayable.ApPaymentInfo", vendorId="V-JS-1", paymentMethod="Printed Check", financialEntityId="BOA",
             paymentDate=TODAY, transactionAmountPaid=30,
             apPaymentDetails=[C("AccountsPayable.ApPaymentDetailBill",
                                 C("AccountsPayable.ApPaymentDetailBillInfo", recordNo=ref("bill-3", True),
                                   paymentAmount=30))]),
           "js-ap-payment-3")),
    Case("bill-reverse-paid", "AccountsPayable.BillReverse",
         C("AccountsPayable.BillReverse", recordNo=ref("bill-3", True), reverseDate=REVERSED),
         expect="BL01001973", why="a payment is applied to the bill"),
    Case("ap-payment-void", "AccountsPayable.ApPaymentVoid", C("AccountsPayable.ApPaymentVoid", ref("ap-payment-3", True))),
    Case("bill-reverse", "AccountsPayable.BillReverse",
         C("AccountsPayable.BillReverse", recordNo=ref("bill-3", True), reverseDate=REVERSED, memo="Ordered twice")),
    Case("pay-reversed-bill", "AccountsPayable.ApPaymentCreate",
         C("AccountsPayable.ApPaymentCreate",
           C("AccountsPayable.ApPaymentInfo", vendorId="V-JS-1", paymentMethod="EFT", financialEntityId="BOA",
             paymentDate=TODAY, transactionAmountPaid=5,
             apPaymentDetails=[C("AccountsPayable.ApPaymentDetailBill",
                                 C("AccountsPayable.ApPaymentDetailBillInfo", recordNo=ref("bill-3", True),
                                   paymentAmount=5))]),
           "js-ap-payment-4"),
         expect="BL01001973", why="the bill is reversed"),
    Case("ap-payment-reverse", "AccountsPayable.ApPaymentReverse",
         C("AccountsPayable.ApPaymentReverse", recordNo=ref("ap-payment", True), reverseDate=REVERSED)),
    Case("ar-payment-reverse", "AccountsReceivable.ArPaymentReverse",
         C("AccountsReceivable.ArPaymentReverse", recordNo=ref("ar-payment", True), reverseDate=REVERSED,
           memo="Cheque returned")),
    Case("invoice-update", "AccountsReceivable.InvoiceUpdate",
         C("AccountsReceivable.InvoiceUpdate", recordNo=ref("invoice", True), description="March services (edited)",
           lines=[C("AccountsReceivable.InvoiceLineUpdate", lineNo=2, transactionAmount=59.99)]),
         extra_classes=("AccountsReceivable.InvoiceLineUpdate",)),
    Case("invoice-reverse", "AccountsReceivable.InvoiceReverse",
         C("AccountsReceivable.InvoiceReverse", recordNo=ref("invoice", True), reverseDate=REVERSED)),
    Case("bill-5", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-JS-1", transactionDate=TODAY, dueDate=DUE, billNumber="JS-BILL-5",
           lines=[bill_line("6220", 80, memo="Lamps")])),
    Case("ap-payment-credit", "AccountsPayable.ApPaymentCreate",
         C("AccountsPayable.ApPaymentCreate",
           C("AccountsPayable.ApPaymentInfo", vendorId="V-JS-1", paymentMethod="EFT", financialEntityId="BOA",
             paymentDate=TODAY, transactionAmountPaid=70,
             apPaymentDetails=[C("AccountsPayable.ApPaymentDetailBill",
                                 C("AccountsPayable.ApPaymentDetailBillInfo", recordNo=ref("bill-5", True),
                                   paymentAmount=70,
                                   detailTransaction=C("AccountsPayable.ApPaymentDetailDebitMemo",
                                                       recordNo=ref("ap-adjustment", True), transactionAmount=10)))]),
           "js-ap-payment-credit"),
         extra_classes=("AccountsPayable.ApPaymentDetailDebitMemo",)),
    Case("ar-advance", "AccountsReceivable.ArPaymentCreate",
         C("AccountsReceivable.ArPaymentCreate", customerId="C-JS-1", paymentMethod="EFT", bankAccountId="BOA",
           receivedDate=TODAY, transactionPaymentAmount=150, referenceNumber="JS-ADV")),
    Case("invoice-4", "AccountsReceivable.InvoiceCreate",
         C("AccountsReceivable.InvoiceCreate", customerId="C-JS-1", transactionDate=TODAY, dueDate=DUE,
           invoiceNumber="JS-INV-4", lines=[invoice_line("4000", 120)])),
    Case("ar-apply", "AccountsReceivable.ArPaymentApply",
         C("AccountsReceivable.ArPaymentApply", recordNo=ref("ar-advance", True), receivedDate=REVERSED,
           memo="Advance applied",
           applyToTransactions=[C("AccountsReceivable.ArPaymentItem", applyToRecordId=ref("invoice-4", True),
                                  amountToApply=120)])),
    Case("ar-apply-over", "AccountsReceivable.ArPaymentApply",
         C("AccountsReceivable.ArPaymentApply", recordNo=ref("ar-advance", True), receivedDate=REVERSED,
           applyToTransactions=[C("AccountsReceivable.ArPaymentItem", applyToRecordId=ref("invoice-2", True),
                                  amountToApply=50)]),
         expect="BL01001973", why="more is applied than the payment has unapplied"),
    Case("after-credit", "Common.Read",
         C("Common.Read", objectName="APADJUSTMENT", keys=[ref("ap-adjustment", True)],
           fields=["RECORDNO", "STATE", "TOTALDUE"])),
    Case("journal-entry", "GeneralLedger.JournalEntryCreate",
         C("GeneralLedger.JournalEntryCreate", journalSymbol="GJ", postingDate=TODAY, reverseDate=D("2026-04-01"),
           description="March accrual", referenceNumber="ACC-03",
           lines=[C("GeneralLedger.JournalEntryLineCreate", glAccountNumber="6220", transactionAmount=500,
                    memo="Accrued software", departmentId="D100", locationId="L100"),
                  C("GeneralLedger.JournalEntryLineCreate", glAccountNumber="1000", transactionAmount=-500,
                    memo="Accrued software")]),
         extra_classes=("GeneralLedger.JournalEntryLineCreate",)),
    Case("journal-entry-unbalanced", "GeneralLedger.JournalEntryCreate",
         C("GeneralLedger.JournalEntryCreate", journalSymbol="GJ", postingDate=TODAY, description="Typo",
           lines=[C("GeneralLedger.JournalEntryLineCreate", glAccountNumber="6220", transactionAmount=500),
                  C("GeneralLedger.JournalEntryLineCreate", glAccountNumber="1000", transactionAmount=-50)]),
         expect="BL01001973", why="the debits do not equal the credits"),
    Case("journal-entry-2", "GeneralLedger.JournalEntryCreate",
         C("GeneralLedger.JournalEntryCreate", journalSymbol="ADJ", postingDate=TODAY, description="To delete",
           lines=[C("GeneralLedger.JournalEntryLineCreate", glAccountNumber="6400", transactionAmount=5),
                  C("GeneralLedger.JournalEntryLineCreate", glAccountNumber="1000", transactionAmount=-5)])),
    Case("journal-entry-delete", "GeneralLedger.JournalEntryDelete",
         C("GeneralLedger.JournalEntryDelete", recordNo=ref("journal-entry-2", True))),
    Case("bill-summary", "AccountsPayable.BillSummaryCreate",
         C("AccountsPayable.BillSummaryCreate", title="JS bills, March", glPostingDate=TODAY)),
    Case("bill-in-summary", "AccountsPayable.BillCreate",
         C("AccountsPayable.BillCreate", vendorId="V-JS-1", transactionDate=TODAY, dueDate=DUE, billNumber="JS-BILL-6",
           summaryRecordNo=ref("bill-summary", True), lines=[bill_line("6220", 15)])),
    Case("after-life", "Common.Read",
         C("Common.Read", objectName="APBILL", keys=[ref("bill", True), ref("bill-3", True)],
           fields=["RECORDNO", "STATE", "TOTALENTERED", "TOTALDUE", "DESCRIPTION"])),
]
# ---------------------------------------------------------------------------- Order Entry
RECORDS = [  # what the contract company holds beyond the basic books
    ("ITEM", {"ITEMID": "HOUR", "NAME": "Consulting hour", "BASEPRICE": "150", "ITEMGLGROUP.INCOMEACCOUNT.ACCTNO": "4000"}),
    ("ITEM", {"ITEMID": "KIT", "NAME": "Starter kit", "BASEPRICE": "80", "ITEMGLGROUP.INCOMEACCOUNT.ACCTNO": "4000"}),
]


def so_line(item: str, quantity: float, **extra: Any) -> dict[str, Any]:
    return C("OrderEntry.OrderEntryTransactionLineCreate", itemId=item, quantity=quantity, **extra)


OE_CASES = [
    Case("so-order", "OrderEntry.OrderEntryTransactionCreate",
         C("OrderEntry.OrderEntryTransactionCreate", transactionDefinition="Sales Order", transactionDate=TODAY,
           customerId="C-JS-1", documentNumber="JS-SO-1", referenceNumber="PO-5", paymentTerm="N30",
           lines=[so_line("HOUR", 2, memo="Set-up"), so_line("KIT", 1, price=70)]),
         extra_classes=("OrderEntry.OrderEntryTransactionLineCreate",)),
    Case("so-invoice", "OrderEntry.OrderEntryTransactionCreate",
         C("OrderEntry.OrderEntryTransactionCreate", transactionDefinition="Sales Invoice", transactionDate=TODAY,
           customerId="C-JS-1", documentNumber="JS-SI-1", createdFrom="Sales Order-JS-SO-1")),
    Case("so-read-before", "Common.ReadByName",
         C("Common.ReadByName", objectName="SODOCUMENT", names=["Sales Invoice-JS-SI-1"])),
    Case("so-invoice-update", "OrderEntry.OrderEntryTransactionUpdate",
         C("OrderEntry.OrderEntryTransactionUpdate", transactionId="Sales Invoice-JS-SI-1", message="Three hours",
           lines=[C("OrderEntry.OrderEntryTransactionLineUpdate", lineNo=1, itemId="HOUR", quantity=3)]),
         extra_classes=("OrderEntry.OrderEntryTransactionLineUpdate",)),
    Case("so-read-after", "Common.ReadByName",
         C("Common.ReadByName", objectName="SODOCUMENT", names=["Sales Invoice-JS-SI-1"])),
    Case("so-unknown-item", "OrderEntry.OrderEntryTransactionCreate",
         C("OrderEntry.OrderEntryTransactionCreate", transactionDefinition="Sales Order", transactionDate=TODAY,
           customerId="C-JS-1", documentNumber="JS-SO-X", lines=[so_line("NOPE", 1)]),
         expect="BL01001973", why="a line names an item that does not exist"),
    Case("so-order-2", "OrderEntry.OrderEntryTransactionCreate",
         C("OrderEntry.OrderEntryTransactionCreate", transactionDefinition="Sales Order", transactionDate=TODAY,
           customerId="C-JS-1", documentNumber="JS-SO-2", lines=[so_line("KIT", 1)])),
    Case("so-delete", "OrderEntry.OrderEntryTransactionDelete",
         C("OrderEntry.OrderEntryTransactionDelete", documentId="Sales Order-JS-SO-2")),
]

CASES += _comparison_cases() + _query_cases() + FULL_CASES + BATCH_CASES + LIFE_CASES + OE_CASES


NOT_EMULATED: dict[str, str] = {
    "AccountsPayable.ApAdjustmentSummaryCreate": "AP adjustment summaries are not emulated",
    "AccountsPayable.ApPaymentApprove": "payment requests' approval workflow is not emulated",
    "AccountsPayable.ApPaymentConfirm": "payment requests' approval workflow is not emulated",
    "AccountsPayable.ApPaymentDecline": "payment requests' approval workflow is not emulated",
    "AccountsPayable.ApPaymentSend": "payment requests' approval workflow is not emulated",
    "AccountsPayable.ApPaymentUpdate": "updating a payment is not emulated (payments are reversed or voided)",
    "AccountsPayable.ApPaymentDetailAdvance": "positive adjustments, advances and negative bills inside a payment are not emulated (debit memos are)",
    "AccountsPayable.ApPaymentDetailCreditMemo": "positive adjustments, advances and negative bills inside a payment are not emulated (debit memos are)",
    "AccountsPayable.ApPaymentDetailNegativeBill": "positive adjustments, advances and negative bills inside a payment are not emulated (debit memos are)",
    "AccountsPayable.ApPaymentDetailCreditFactory": "positive adjustments, advances and negative bills inside a payment are not emulated (debit memos are)",
    "AccountsPayable.ApPaymentDetailInfo": "positive adjustments, advances and negative bills inside a payment are not emulated (debit memos are)",
    "AccountsPayable.ApPaymentDetailBuilder": "positive adjustments, advances and negative bills inside a payment are not emulated (debit memos are)",
    "AccountsPayable.ApPaymentFactory": "builds the approval-workflow functions above",
    "AccountsReceivable.ArAdjustmentSummaryCreate": "AR adjustment summaries are not emulated",
    "AccountsReceivable.InvoiceSummaryCreate": "AR invoice summaries are not emulated",
    "AccountsReceivable.OnlineAchPayment": "online card and ACH payments are not emulated",
    "AccountsReceivable.OnlineCardPayment": "online card and ACH payments are not emulated",
    "GeneralLedger.StatisticalAccountCreate": "statistical accounts are not emulated",
    "GeneralLedger.StatisticalAccountDelete": "statistical accounts are not emulated",
    "GeneralLedger.StatisticalAccountUpdate": "statistical accounts are not emulated",
    "GeneralLedger.StatisticalJournalEntryCreate": "statistical journals are not emulated",
    "GeneralLedger.StatisticalJournalEntryDelete": "statistical journals are not emulated",
    "GeneralLedger.StatisticalJournalEntryLineCreate": "statistical journals are not emulated",
    "Company.AllocationCreate": "allocations are not emulated",
    "Company.AllocationDelete": "allocations are not emulated",
    "Company.AllocationUpdate": "allocations are not emulated",
    "Company.AllocationLine": "allocations are not emulated",
    "Company.CustomAllocationSplit": "allocations are not emulated",
    "Company.CompanyPrefsGet": "company preferences are not emulated",
    "Company.GetUserPermissions": "getUserPermissions is not emulated (roles and users are read as ROLES, configured by the admin API)",
    "Company.UserCreate": "users are configured through the admin API, not USERINFO",
    "Company.UserUpdate": "users are configured through the admin API, not USERINFO",
    "OrderEntry.OrderEntryRetrievePDF": "documents' PDFs are not emulated",
}
