"""What integrations actually do with Intacct, written so that no document is ever posted twice.

Every export follows the same discipline:

1. send the write with ``uniqueid=true`` and a control id derived from the document itself
   (``bill-<vendor>-<number>``), so Intacct refuses to run it twice;
2. if the answer is lost (``OutcomeUnknown``) or Intacct says the control id already ran
   (``AlreadyRecorded``), look the document up by its number and vendor/customer BEFORE sending
   anything again, and return the RECORDNO found;
3. a numbering collision on a document that IS this document (same party, number, date and
   total) is "already exported", not a failure;
4. only when the lookup finds nothing is the document sent again (still protected by 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterable, Iterator, Mapping

from .client import IntacctClient, safe_controlid
from .documents import Bill, CreditNote, Invoice, Payment, mdy, money
from .sales import JournalEntry, SalesDocument
from .errors import AlreadyRecorded, DuplicateId, FunctionFailed, NumberingCollision, OutcomeUnknown
from .xml import element, record

RESEND_LIMIT = 3  # lookups that find nothing before the document is left for a human


@dataclass(frozen=True)
class Posted:
    """Where a document ended up: its RECORDNO, and how we know."""

    recordno: str
    how: str  # created | reconciled (answer lost, found by lookup) | already_exported (collision on itself)


def _gen(generation: int) -> tuple[str, ...]:
    return (f"g{generation}",) if generation else ()


def quote(value: str) -> str:
    """A readByQuery string literal: single quotes, backslash escapes."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _same_total(record: Mapping[str, Any], total: Decimal) -> bool:
    try:
        return abs(Decimal(str(record.get("TOTALENTERED") or "0")) - total) < Decimal("0.005")
    except ArithmeticError:
        return False


def post_once(send, lookup, same_document) -> Posted:
    """Send, reconcile on doubt, resend only when the lookup proves nothing was committed: the
    discipline of every export, over either front door (``lookup`` answers a record with its
    ``RECORDNO``)."""
    last_unknown: OutcomeUnknown | None = None
    for _ in range(RESEND_LIMIT):
        try:
            return Posted(send(), "created")
        except (OutcomeUnknown, AlreadyRecorded) as exc:
            found = lookup()
            if found is not None:
                return Posted(str(found["RECORDNO"]), "reconciled")
            if isinstance(exc, AlreadyRecorded):
                raise  # Intacct says it ran, yet it is not there (deleted since?): a human must look
            last_unknown = exc
        except NumberingCollision:
            found = lookup()
            if found is not None and same_document(found):
                return Posted(str(found["RECORDNO"]), "already_exported")
            raise
    assert last_unknown is not None
    raise last_unknown


class Operations:
    def __init__(self, client: IntacctClient) -> None:
        self.client = client

    # ------------------------------------------------------------------ lookups

    def find_one(self, obj: str, **equals: str) -> dict[str, Any] | None:
        query = " AND ".join(f"{k} = {quote(v)}" for k, v in equals.items())
        for rec in self.client.read_by_query(obj, query, fields="RECORDNO,RECORDID,WHENCREATED,TOTALENTERED,STATE",
                                             page_size=10):
            return rec
        return None

    def find_bill(self, vendor_id: str, number: str) -> dict[str, Any] | None:
        return self.find_one("APBILL", VENDORID=vendor_id, RECORDID=number)

    def find_invoice(self, customer_id: str, number: str) -> dict[str, Any] | None:
        return self.find_one("ARINVOICE", CUSTOMERID=customer_id, RECORDID=number)

    def find_credit_note(self, vendor_id: str, number: str) -> dict[str, Any] | None:
        return self.find_one("APADJUSTMENT", VENDORID=vendor_id, RECORDID=number)

    def find_payment(self, customer_id: str, reference: str) -> dict[str, Any] | None:
        found = None
        for rec in self.client.read_by_query("ARPYMT", f"CUSTOMERID = {quote(customer_id)} AND DOCNUMBER = {quote(reference)}",
                                             fields="RECORDNO,DOCNUMBER,TOTALENTERED,STATE", page_size=10):
            found = rec
            break
        return found

    # ------------------------------------------------------------------ the discipline

    def _post(self, send, lookup, same_document) -> Posted:
        return post_once(send, lookup, same_document)

    # ------------------------------------------------------------------ AP

    def export_bill(self, bill: Bill, generation: int = 0) -> Posted:
        """``generation``: how many times the document was regenerated on purpose (a new control id,
        so Intacct does not refuse it as a function it has already run)."""
        cid = safe_controlid("bill", bill.vendor_id, bill.number, *_gen(generation))
        return self._post(
            lambda: self.client.create("APBILL", bill.fields(), controlid=cid),
            lambda: self.find_bill(bill.vendor_id, bill.number),
            lambda rec: rec.get("WHENCREATED") == mdy(bill.date) and _same_total(rec, bill.total),
        )

    def export_credit_note(self, note: CreditNote, generation: int = 0) -> Posted:
        cid = safe_controlid("apadj", note.vendor_id, note.number, *_gen(generation))
        return self._post(
            lambda: self.client.legacy("create_apadjustment", note.legacy_fields(), controlid=cid),
            lambda: self.find_credit_note(note.vendor_id, note.number),
            lambda rec: rec.get("WHENCREATED") == mdy(note.date) and _same_total(rec, -abs(note.total))
            or _same_total(rec, note.total),
        )

    def upload_attachment(self, supdoc_id: str, folder: str, files: list[tuple[str, bytes]],
                          name: str | None = None) -> str:
        """Upload supporting documents (create_supdoc) so bills can reference them by SUPDOCID.

        Idempotent like the exports: the control id comes from the SUPDOCID, and after a lost answer
        the attachment is looked up by its id before anything is sent again.
        """
        import base64

        fields = {"supdocid": supdoc_id, "supdocname": name or supdoc_id, "supdocfoldername": folder,
                  "attachments": {"attachment": [
                      {"attachmentname": fname.rsplit(".", 1)[0], "attachmenttype": fname.rsplit(".", 1)[-1],
                       "attachmentdata": base64.b64encode(data).decode()} for fname, data in files]}}
        cid = safe_controlid("supdoc", supdoc_id)
        self._post(
            lambda: self.client.legacy("create_supdoc", fields, controlid=cid) or supdoc_id,
            lambda: next(iter(self.client.read_by_query("SUPDOC", f"SUPDOCID = {quote(supdoc_id)}", "RECORDNO,SUPDOCID",
                                                        page_size=1)), None),
            lambda rec: True,
        )
        return supdoc_id  # bills reference attachments by their SUPDOCID

    # ------------------------------------------------------------------ AR

    def export_invoice(self, invoice: Invoice, generation: int = 0) -> Posted:
        cid = safe_controlid("invoice", invoice.customer_id, invoice.number, *_gen(generation))
        return self._post(
            lambda: self.client.legacy("create_invoice", invoice.legacy_fields(), controlid=cid),
            lambda: self.find_invoice(invoice.customer_id, invoice.number),
            lambda rec: rec.get("WHENCREATED") == mdy(invoice.date) and _same_total(rec, invoice.total),
        )

    def record_payment(self, payment: Payment, generation: int = 0) -> Posted:
        cid = safe_controlid("arpayment", payment.customer_id, payment.reference, *_gen(generation))
        return self._post(
            lambda: self.client.legacy("create_arpayment", payment.legacy_fields(), controlid=cid),
            lambda: self.find_payment(payment.customer_id, payment.reference),
            lambda rec: _same_total(rec, Decimal(str(payment.amount))),
        )

    def sync_payments(self, *, lookback_days: int = 8, now: datetime | None = None, obj: str = "ARPYMT"
                      ) -> Iterator[dict[str, Any]]:
        """Payments created or changed in Intacct since ``now - lookback_days`` (WHENMODIFIED window).

        A lookback of a week or more, not "since the last run", is what survives clock skew, a
        failed run and the month-end batch that is posted days late.
        """
        since = (now or datetime.now(timezone.utc)) - timedelta(days=lookback_days)
        yield from self.client.read_by_query(obj, f"WHENMODIFIED >= '{since.strftime('%m/%d/%Y %H:%M:%S')}'")

    # ------------------------------------------------------------------ a document's life

    REVERSE = {"APBILL": "reverse_bill", "ARINVOICE": "reverse_invoice", "ARPYMT": "reverse_arpayment",
               "APPYMT": "reverse_appayment"}

    def reverse(self, obj: str, recordno: str | int, when: date, memo: str | None = None) -> Posted:
        """Reverse a posted bill, invoice or payment (``reverse_bill`` ...). Safe to retry: the
        control id comes from the record, and after a lost answer, or Intacct saying it is already
        reversed, the record's state says whether it happened."""
        if obj not in self.REVERSE:
            raise ValueError(f"cannot reverse {obj} (one of {', '.join(self.REVERSE)})")
        body = record(self.REVERSE[obj], {"datereversed": {"year": when.year, "month": when.month, "day": when.day},
                                          "description": memo})
        body.set("key", str(recordno))
        return self._transition(obj, recordno, body, "reverse", "Reversed")

    def void_ap_payment(self, recordno: str | int) -> Posted:
        """Void an AP payment (``void_appaymentrequest``); the bills it paid are due again."""
        body = element("void_appaymentrequest", appaymentkeys={"appaymentkey": str(recordno)})
        return self._transition("APPYMT", recordno, body, "void", "Voided")

    def _transition(self, obj: str, recordno: str | int, body, verb: str, done_state: str) -> Posted:
        def state() -> str | None:
            found = self.client.read(obj, [recordno], fields="RECORDNO,STATE")
            return found[0].get("STATE") if found else None

        cid = safe_controlid(verb, obj.lower(), str(recordno))
        try:
            result = self.client.call(body, write=True, controlid=cid)
            return Posted((result.key or "").strip() or str(recordno), "created")
        except (OutcomeUnknown, AlreadyRecorded, FunctionFailed):
            if state() == done_state:
                return Posted(str(recordno), "reconciled")
            raise

    # ------------------------------------------------------------------ Order Entry, journals, credits

    def export_sales_document(self, doc: SalesDocument) -> Posted:
        """``create_sotransaction``; after a lost answer the document is found by its DOCID. Posted's
        ``recordno`` is the DOCID (what update and delete name a sales document by)."""
        cid = safe_controlid("so", doc.docid)

        def lookup():
            found = self.client.read_by_name("SODOCUMENT", [doc.docid], fields="RECORDNO,DOCID")
            return {"RECORDNO": found[0]["DOCID"]} if found else None

        return self._post(lambda: self.client.legacy("create_sotransaction", doc.legacy_fields(), controlid=cid) or
                          doc.docid, lookup, lambda rec: True)

    def ar_invoice_of(self, docid: str) -> str | None:
        """The RECORDNO of the AR invoice a posted sales document wrote: look it up again after the
        document is edited (Intacct writes a new one under a new RECORDNO)."""
        found = self.client.read_by_name("SODOCUMENT", [docid], fields="DOCID,PRRECORDKEY")
        return (found[0].get("PRRECORDKEY") or None) if found else None

    def post_journal_entry(self, entry: JournalEntry) -> Posted:
        cid = safe_controlid("glbatch", entry.journal, entry.reference)
        return self._post(
            lambda: self.client.create("GLBATCH", entry.fields(), controlid=cid),
            lambda: next(iter(self.client.read_by_query(
                "GLBATCH", f"JOURNAL = {quote(entry.journal)} AND REFERENCENO = {quote(entry.reference)}", "RECORDNO",
                page_size=1)), None),
            lambda rec: True,
        )

    def apply_payment(self, recordno: str | int, when: date, applied: Mapping[str, Any]) -> str:
        """Apply what an AR payment has unapplied (an advance, an overpayment) to invoices
        (``apply_arpayment``). Not retried after a lost answer: applying twice would over-apply;
        the caller reads the payment's TOTALDUE to see whether it happened."""
        body = record("apply_arpayment", {
            "arpaymentkey": str(recordno), "paymentdate": {"year": when.year, "month": when.month, "day": when.day},
            "arpaymentitems": {"arpaymentitem": [{"invoicekey": k, "amount": money(v)} for k, v in applied.items()]}})
        return (self.client.call(body, write=True, controlid=safe_controlid("apply", str(recordno), mdy(when))).key
                or str(recordno)).strip()

    # ------------------------------------------------------------------ master data

    def upsert(self, obj: str, id_field: str, records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        """Create each record, or update it when its ID exists; returns ID -> created|updated."""
        out: dict[str, str] = {}
        for rec in records:
            key = str(rec[id_field])
            cid = safe_controlid(obj.lower(), key, "create")
            try:
                self.client.create(obj, rec, controlid=cid)
                out[key] = "created"
            except (DuplicateId, AlreadyRecorded):
                self.client.update(obj, rec)
                out[key] = "updated"
            except OutcomeUnknown:
                if self.client.read_by_name(obj, [key], fields=id_field):
                    out[key] = "created"
                else:
                    raise
        return out

    def import_vendors(self, vendors: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        return self.upsert("VENDOR", "VENDORID", vendors)

    def import_customers(self, customers: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        return self.upsert("CUSTOMER", "CUSTOMERID", customers)

    def import_gl_accounts(self, accounts: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        return self.upsert("GLACCOUNT", "ACCOUNTNO", accounts)

    def import_dimension(self, obj: str, records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        ids = {"DEPARTMENT": "DEPARTMENTID", "LOCATION": "LOCATIONID", "CLASS": "CLASSID", "PROJECT": "PROJECTID"}
        if obj not in ids:
            raise ValueError(f"not a dimension: {obj} (one of {', '.join(ids)})")
        return self.upsert(obj, ids[obj], records)
