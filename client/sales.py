"""Order Entry sales documents and journal entries, as an integration hands them to the client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .documents import legacy_date, mdy, money


@dataclass
class SalesLine:
    item: str
    quantity: Decimal
    price: Decimal | None = None  # None: the item's base price
    memo: str = ""
    department: str | None = None
    location: str | None = None

    def legacy_item(self) -> dict[str, Any]:
        return {"itemid": self.item, "quantity": str(self.quantity),
                "price": money(self.price) if self.price is not None else None, "memo": self.memo or None,
                "locationid": self.location, "departmentid": self.department}


@dataclass
class SalesDocument:
    """A sales order or invoice (``create_sotransaction``); DOCID is ``<definition>-<number>``."""

    definition: str  # "Sales Order", "Sales Invoice" ...
    customer_id: str
    number: str
    date: date
    lines: list[SalesLine] = field(default_factory=list)
    created_from: str | None = None  # the DOCID converted (lines copied when none are given)
    terms: str | None = None
    reference: str | None = None
    message: str = ""

    @property
    def docid(self) -> str:
        return f"{self.definition}-{self.number}"

    def legacy_fields(self) -> dict[str, Any]:
        return {"transactiontype": self.definition, "datecreated": legacy_date(self.date),
                "createdfrom": self.created_from, "customerid": self.customer_id, "documentno": self.number,
                "referenceno": self.reference, "termname": self.terms, "message": self.message or None,
                "sotransitems": {"sotransitem": [line.legacy_item() for line in self.lines]}}


@dataclass
class JournalLine:
    account: str
    amount: Decimal  # positive: a debit, negative: a credit
    memo: str = ""
    department: str | None = None
    location: str | None = None

    def entry(self) -> dict[str, Any]:
        return {"ACCOUNTNO": self.account, "TR_TYPE": "1" if Decimal(str(self.amount)) >= 0 else "-1",
                "TRX_AMOUNT": money(abs(Decimal(str(self.amount)))), "DESCRIPTION": self.memo or None,
                "DEPARTMENT": self.department, "LOCATION": self.location}


@dataclass
class JournalEntry:
    """A GLBATCH; its ``reference`` (REFERENCENO) is what finds it again after a lost answer."""

    journal: str
    date: date
    title: str
    reference: str
    lines: list[JournalLine]
    reverse_on: date | None = None

    def fields(self) -> dict[str, Any]:
        return {"JOURNAL": self.journal, "BATCH_DATE": mdy(self.date), "BATCH_TITLE": self.title,
                "REFERENCENO": self.reference, "REVERSEDATE": mdy(self.reverse_on) if self.reverse_on else None,
                "ENTRIES": {"GLENTRY": [line.entry() for line in self.lines]}}
