"""The documents an integration exports, as plain dataclasses, and their Intacct field maps.

Dates are ``datetime.date``; amounts ``Decimal`` or anything ``Decimal`` accepts. The reference
field of a bill (``DOCNUMBER``) carries the PO number, as AP tools do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


def mdy(d: date) -> str:
    return d.strftime("%m/%d/%Y")


def legacy_date(d: date) -> dict[str, str]:
    return {"year": f"{d.year:04d}", "month": f"{d.month:02d}", "day": f"{d.day:02d}"}


def money(value: Any) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


@dataclass
class Line:
    account: str
    amount: Decimal
    memo: str = ""
    department: str | None = None
    location: str | None = None
    class_id: str | None = None
    project: str | None = None
    tax_detail: str | None = None  # VAT/GST companies: the line's tax detail (TAXDETAIL DETAILID)
    tax: Decimal | None = None  # its tax; None lets Intacct compute it at the detail's rate
    custom: dict[str, Any] = field(default_factory=dict)  # line custom fields (integration name -> value)

    @property
    def gross(self) -> Decimal:
        return Decimal(str(self.amount)) + (Decimal(str(self.tax)) if self.tax is not None else Decimal("0"))

    def bill_item(self) -> dict[str, Any]:
        item = {"ACCOUNTNO": self.account, "TRX_AMOUNT": money(self.amount), "ENTRYDESCRIPTION": self.memo or None,
                "DEPARTMENTID": self.department, "LOCATIONID": self.location, "CLASSID": self.class_id,
                "PROJECTID": self.project, **{k.upper(): v for k, v in self.custom.items()}}
        if self.tax_detail:
            item["TAXENTRIES"] = {"TAXENTRY": {"DETAILID": self.tax_detail,
                                               "TRX_TAX": money(self.tax) if self.tax is not None else None}}
        return item

    def legacy_item(self) -> dict[str, Any]:
        item = {"glaccountno": self.account, "amount": money(self.amount), "memo": self.memo or None,
                "locationid": self.location, "departmentid": self.department, "projectid": self.project,
                "classid": self.class_id}
        if self.tax_detail:
            item["taxentries"] = {"taxentry": {"detailid": self.tax_detail,
                                               "trx_tax": money(self.tax) if self.tax is not None else None}}
        if self.custom:
            item["customfields"] = {"customfield": [{"customfieldname": k.upper(), "customfieldvalue": v}
                                                    for k, v in self.custom.items()]}
        return item


@dataclass
class Bill:
    vendor_id: str
    number: str  # the supplier's invoice number: RECORDID
    date: date
    lines: list[Line]
    due_date: date | None = None
    terms: str | None = None
    po_number: str | None = None  # goes to the reference field (DOCNUMBER)
    description: str = ""
    currency: str | None = None
    attachment_id: str | None = None  # SUPDOCID of an uploaded supporting document
    gl_posting_date: date | None = None  # WHENPOSTED; the transaction date when None

    @property
    def total(self) -> Decimal:
        return sum((l.gross for l in self.lines), Decimal("0"))

    def fields(self) -> dict[str, Any]:
        return {
            "WHENCREATED": mdy(self.date), "VENDORID": self.vendor_id, "RECORDID": self.number,
            "DOCNUMBER": self.po_number, "DESCRIPTION": self.description or None,
            "WHENDUE": mdy(self.due_date) if self.due_date else None, "TERMNAME": self.terms,
            "CURRENCY": self.currency, "SUPDOCID": self.attachment_id,
            "WHENPOSTED": mdy(self.gl_posting_date) if self.gl_posting_date else None,
            "APBILLITEMS": {"APBILLITEM": [line.bill_item() for line in self.lines]},
        }


@dataclass
class CreditNote:
    """A supplier credit note: an AP adjustment (legacy create_apadjustment)."""

    vendor_id: str
    number: str
    date: date
    lines: list[Line]
    bill_number: str | None = None
    description: str = ""

    @property
    def total(self) -> Decimal:
        return sum((l.gross for l in self.lines), Decimal("0"))

    def legacy_fields(self) -> dict[str, Any]:
        return {"vendorid": self.vendor_id, "datecreated": legacy_date(self.date), "adjustmentno": self.number,
                "billno": self.bill_number, "description": self.description or None,
                "apadjustmentitems": {"lineitem": [line.legacy_item() for line in self.lines]}}


@dataclass
class Invoice:
    customer_id: str
    number: str
    date: date
    lines: list[Line]
    due_date: date | None = None
    terms: str | None = None
    description: str = ""
    gl_posting_date: date | None = None  # dateposted; the transaction date when None

    @property
    def total(self) -> Decimal:
        return sum((l.gross for l in self.lines), Decimal("0"))

    def legacy_fields(self) -> dict[str, Any]:
        return {"customerid": self.customer_id, "datecreated": legacy_date(self.date),
                "dateposted": legacy_date(self.gl_posting_date) if self.gl_posting_date else None,
                "datedue": legacy_date(self.due_date) if self.due_date else None, "termname": self.terms,
                "invoiceno": self.number, "description": self.description or None,
                "invoiceitems": {"lineitem": [line.legacy_item() for line in self.lines]}}


@dataclass
class Payment:
    """A customer payment applied to invoices (by their Intacct RECORDNO)."""

    customer_id: str
    reference: str  # the payment's own id (check number, transfer id): refid / DOCNUMBER
    date: date
    amount: Decimal
    applied_to: dict[str, Decimal] = field(default_factory=dict)  # invoice RECORDNO -> amount
    batch_key: str | None = None  # needed when AR summaries are user-defined
    bank_account: str | None = None
    undeposited_account: str | None = None
    method: str = "EFT"

    def legacy_fields(self) -> dict[str, Any]:
        return {
            "customerid": self.customer_id, "paymentamount": money(self.amount), "batchkey": self.batch_key,
            "bankaccountid": self.bank_account if not self.batch_key else None,
            "undepfundsacct": self.undeposited_account if not (self.batch_key or self.bank_account) else None,
            "refid": self.reference, "datereceived": legacy_date(self.date), "paymentmethod": self.method,
            "arpaymentitem": [{"invoicekey": key, "amount": money(amount)} for key, amount in self.applied_to.items()],
        }


# ---------------------------------------------------------------------------- (de)serialisation

def _date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def _amount(value: Any, what: str) -> Decimal:
    try:
        return Decimal(str(value).replace(",", ""))
    except ArithmeticError:
        raise ValueError(f"{what}: {value!r} is not an amount") from None


def line_from_dict(data: dict[str, Any], what: str) -> Line:
    if "account" not in data or "amount" not in data:
        raise ValueError(f"{what}: a line needs 'account' and 'amount'")
    custom = data.get("custom") or {}
    if not isinstance(custom, dict):
        raise ValueError(f"{what}: 'custom' must be a mapping of custom field names to values")
    return Line(str(data["account"]), _amount(data["amount"], f"{what}.amount"), str(data.get("memo") or ""),
                data.get("department") or None, data.get("location") or None, data.get("class_id") or None,
                data.get("project") or None, data.get("tax_detail") or None,
                _amount(data["tax"], f"{what}.tax") if data.get("tax") is not None else None, dict(custom))


def _lines(data: dict[str, Any], what: str) -> list[Line]:
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise ValueError(f"{what}: 'lines' must be a non-empty list")
    return [line_from_dict(l, f"{what}.lines[{n}]") for n, l in enumerate(lines)]


def _need(data: dict[str, Any], what: str, *keys: str) -> None:
    missing = [k for k in keys if not data.get(k)]
    if missing:
        raise ValueError(f"{what}: missing {', '.join(missing)}")


def bill_from_dict(data: dict[str, Any], what: str = "bill") -> Bill:
    _need(data, what, "vendor_id", "number", "date")
    return Bill(str(data["vendor_id"]), str(data["number"]), _date(data["date"], f"{what}.date"), _lines(data, what),
                _date(data["due_date"], f"{what}.due_date") if data.get("due_date") else None,
                data.get("terms") or None, data.get("po_number") or None, str(data.get("description") or ""),
                data.get("currency") or None, data.get("attachment_id") or None,
                _date(data["gl_posting_date"], f"{what}.gl_posting_date") if data.get("gl_posting_date") else None)


def invoice_from_dict(data: dict[str, Any], what: str = "invoice") -> Invoice:
    _need(data, what, "customer_id", "number", "date")
    return Invoice(str(data["customer_id"]), str(data["number"]), _date(data["date"], f"{what}.date"),
                   _lines(data, what), _date(data["due_date"], f"{what}.due_date") if data.get("due_date") else None,
                   data.get("terms") or None, str(data.get("description") or ""),
                   _date(data["gl_posting_date"], f"{what}.gl_posting_date") if data.get("gl_posting_date") else None)


def credit_note_from_dict(data: dict[str, Any], what: str = "credit note") -> CreditNote:
    _need(data, what, "vendor_id", "number", "date")
    return CreditNote(str(data["vendor_id"]), str(data["number"]), _date(data["date"], f"{what}.date"),
                      _lines(data, what), data.get("bill_number") or None, str(data.get("description") or ""))


def payment_from_dict(data: dict[str, Any], what: str = "payment") -> Payment:
    _need(data, what, "customer_id", "reference", "date", "amount")
    applied = {str(k): _amount(v, f"{what}.applied_to.{k}") for k, v in (data.get("applied_to") or {}).items()}
    return Payment(str(data["customer_id"]), str(data["reference"]), _date(data["date"], f"{what}.date"),
                   _amount(data["amount"], f"{what}.amount"), applied, data.get("batch_key") or None,
                   data.get("bank_account") or None, data.get("undeposited_account") or None,
                   str(data.get("method") or "EFT"))


def to_dict(doc: Bill | Invoice | CreditNote | Payment) -> dict[str, Any]:
    """JSON-ready: dates ISO, amounts as strings."""
    from dataclasses import asdict

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    return clean(asdict(doc))
