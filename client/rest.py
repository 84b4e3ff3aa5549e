"""The reference client over Sage Intacct's REST API: the same operations and the same discipline
as ``Operations`` over XML, so an integration can move door by door.

- OAuth client credentials; the token is renewed before it expires and once on a 401.
- Reads and writes protected by an ``Idempotency-Key`` are retried (bounded in attempts and
  time, ``Retry-After`` honoured); the key is derived from the document itself
  (``bill-<vendor>-<number>``), so a retry after a lost answer is answered from the first write
  and nothing is written twice.
- A write whose answer stays lost is reconciled by looking the document up (the query service)
  before anything is sent again; a numbering collision with the same document is "already
  exported".

    ops = RestOperations(RestClient(RestConfig("https://api.intacct.com/ia/api/v1", "id", "secret",
                                               "COMPANY", "ws_user")))
    posted = ops.export_bill(bill)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator, Mapping

import requests

from .client import safe_controlid
from .documents import Bill, CreditNote, Invoice, Line, Payment
from .errors import (
    AuthenticationFailed, ErrorDetail, FunctionFailed, IntacctError, OutcomeUnknown, RateLimited,
    TransientServerError, classify,
)
from .operations import Posted, post_once
from .retry import RetryPolicy

LOST = (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError, requests.exceptions.Timeout)
RETRYABLE_STATUS = (429, 500, 502, 503, 504, 524)
TOKEN_MARGIN = 30.0  # seconds before expiry a token is renewed


@dataclass
class RestConfig:
    base_url: str  # .../ia/api/v1
    client_id: str
    client_secret: str
    company_id: str
    user_id: str
    entity_id: str | None = None
    timeout: float = 60.0
    max_attempts: int = 5
    retry_budget: float = 120.0
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    page_size: int = 1000
    seed: int | None = None

    @property
    def username(self) -> str:
        return f"{self.user_id}@{self.company_id}" + (f"|{self.entity_id}" if self.entity_id else "")


class RestClient:
    def __init__(self, config: RestConfig, *, session: requests.Session | None = None,
                 retry: RetryPolicy | None = None, clock=time.monotonic) -> None:
        self.config = config
        self.http = session or requests.Session()
        self.retry = retry or RetryPolicy(config.max_attempts, config.retry_budget, config.backoff_base,
                                          config.backoff_cap, config.seed)
        self.clock = clock
        self._token: str | None = None
        self._expires = 0.0

    # ------------------------------------------------------------------ tokens

    def token(self, *, renew: bool = False) -> str:
        if self._token is None or renew or self.clock() >= self._expires - TOKEN_MARGIN:
            reply = self.http.post(self.config.base_url.rstrip("/") + "/oauth2/token", timeout=self.config.timeout, data={
                "grant_type": "client_credentials", "client_id": self.config.client_id,
                "client_secret": self.config.client_secret, "username": self.config.username})
            if reply.status_code != 200:
                raise AuthenticationFailed(f"token refused ({reply.status_code}): {reply.text[:200]}",
                                           http_status=reply.status_code)
            body = reply.json()
            self._token, self._expires = body["access_token"], self.clock() + float(body.get("expires_in") or 3600)
        return self._token

    # ------------------------------------------------------------------ requests

    def request(self, method: str, path: str, body: Any = None, *, idempotency_key: str | None = None) -> Any:
        """One REST call, retried when that is safe: reads, and writes carrying an Idempotency-Key
        (the server answers a retry from the first write). A write without one whose answer is
        lost raises ``OutcomeUnknown``."""
        safe = method == "GET" or (method == "POST" and path.endswith("/services/core/query")) or bool(idempotency_key)
        state, renewed = self.retry.start(), False
        while True:
            headers = {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            if idempotency_key:
                headers["Idempotency-Key"] = idempotency_key
            try:
                reply = self.http.request(method, self.config.base_url.rstrip("/") + path, headers=headers,
                                          data=None if body is None else json.dumps(body), timeout=self.config.timeout)
                payload = reply.json() if reply.content and "json" in reply.headers.get("Content-Type", "") else None
            except LOST as exc:
                error: IntacctError = (TransientServerError if safe else OutcomeUnknown)(f"{method} {path}: {exc}")
                if not safe:
                    raise error from None
                retry_after = None
            else:
                if reply.status_code == 401 and not renewed:
                    self.token(renew=True)
                    renewed = True
                    continue
                if reply.status_code < 300:
                    return payload
                error = self._error(reply, payload, safe)
                if reply.status_code not in RETRYABLE_STATUS or not error.retryable:
                    raise error
                retry_after = _retry_after(reply)
            delay = state.next_delay(retry_after)
            if delay is None:
                writing = method != "GET" and not path.endswith("/services/core/query")
                if writing and isinstance(error, TransientServerError):  # retried with its key, never answered
                    raise OutcomeUnknown(str(error)) from None
                raise error
            state.wait(delay)

    def _error(self, reply: requests.Response, payload: Any, safe: bool) -> IntacctError:
        status = reply.status_code
        if status == 429:
            return RateLimited(f"rate limited ({status})", retry_after=_retry_after(reply), http_status=status)
        if status >= 500 or payload is None:
            # a page from the CDN or a failing server: a write without a key may have committed
            cls = TransientServerError if safe else OutcomeUnknown
            return cls(f"HTTP {status}: {reply.text[:200]}", http_status=status)
        details = _details(payload)
        if status == 401:
            return AuthenticationFailed(details[0].text if details else "token refused", details=details,
                                        http_status=status)
        return classify(details, FunctionFailed)(details=details, http_status=status)

    # ------------------------------------------------------------------ objects and query

    def create(self, path: str, record: Mapping[str, Any], *, idempotency_key: str | None = None) -> str:
        answer = self.request("POST", f"/objects/{path}", dict(record), idempotency_key=idempotency_key)
        return str(answer["ia::result"]["key"])

    def update(self, path: str, key: str, record: Mapping[str, Any], *, idempotency_key: str | None = None) -> str:
        answer = self.request("PATCH", f"/objects/{path}/{key}", dict(record), idempotency_key=idempotency_key)
        return str(answer["ia::result"]["key"])

    def workflow(self, path: str, action: str, key: str, *, idempotency_key: str | None = None) -> dict[str, Any]:
        """``POST /workflows/<path>/<action>`` (``submit``, ``reverse`` ...) on one record."""
        answer = self.request("POST", f"/workflows/{path}/{action}", {"key": str(key)}, idempotency_key=idempotency_key)
        return answer["ia::result"]

    def get(self, path: str, key: str) -> dict[str, Any]:
        return self.request("GET", f"/objects/{path}/{key}")["ia::result"]

    def query(self, obj: str, fields: list[str], filters: list[dict[str, Any]] = (), *,
              order_by: list[dict[str, str]] = (), expression: str | None = None) -> Iterator[dict[str, Any]]:
        """Every matching record, page by page (``ia::meta.next``)."""
        start = 1
        while True:
            body: dict[str, Any] = {"object": obj, "fields": fields, "filters": list(filters), "start": start,
                                    "size": self.config.page_size, "orderBy": list(order_by)}
            if expression:
                body["filterExpression"] = expression
            answer = self.request("POST", "/services/core/query", body)
            yield from answer["ia::result"]
            following = answer["ia::meta"].get("next")
            if not following:
                return
            start = int(following)


def _retry_after(reply: requests.Response) -> float | None:
    for name in ("Retry-After", "X-IA-Throttle-Limit-Retry-After"):
        value = reply.headers.get(name)
        if value and value.strip().isdigit():
            return float(value)
    return None


def _details(payload: Any) -> list[ErrorDetail]:
    error = (payload.get("ia::result") or {}).get("ia::error") if isinstance(payload, Mapping) else None
    if not isinstance(error, Mapping):
        return []
    info = error.get("additionalInfo") or {}
    first = ErrorDetail(str(info.get("messageId") or error.get("errorId") or ""), "", str(error.get("message") or ""),
                        str(info.get("correction") or ""))
    rest = [ErrorDetail(str((d.get("additionalInfo") or {}).get("messageId") or d.get("errorId") or ""), "",
                        str(d.get("message") or "")) for d in error.get("details") or [] if isinstance(d, Mapping)]
    return [first, *rest]


# ---------------------------------------------------------------------------- operations


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _line(line: Line) -> dict[str, Any]:
    out: dict[str, Any] = {"glAccount": {"id": line.account}, "txnAmount": _amount(line.amount)}
    if line.memo:
        out["memo"] = line.memo
    dims = {name: {"id": value} for name, value in (("department", line.department), ("location", line.location),
                                                    ("class", line.class_id), ("project", line.project)) if value}
    if dims:
        out["dimensions"] = dims
    return out


def _gen(generation: int) -> tuple[str, ...]:
    return (f"g{generation}",) if generation else ()


class RestOperations:
    """``Operations`` over REST: the same names, the same ``Posted`` answers."""

    def __init__(self, client: RestClient) -> None:
        self.client = client

    def find(self, obj: str, fields: list[str], **equals: str) -> dict[str, Any] | None:
        """The first record with these values, its key also under ``RECORDNO`` (as the XML lookups
        answer, so the exporter reconciles either way)."""
        filters = [{"$eq": {name: value}} for name, value in equals.items()]
        found = next(self.client.query(obj, ["key", *fields], filters), None)
        return {**found, "RECORDNO": found["key"]} if found is not None else None

    def find_payment(self, customer_id: str, reference: str) -> dict[str, Any] | None:
        return self.find("accounts-receivable/payment", ["documentNumber"], **{"customer.id": customer_id,
                                                                             "documentNumber": reference})

    def find_bill(self, vendor_id: str, number: str) -> dict[str, Any] | None:
        return self.find("accounts-payable/bill", ["createdDate", "totalTxnAmount"], **{"vendor.id": vendor_id,
                                                                                       "billNumber": number})

    def find_invoice(self, customer_id: str, number: str) -> dict[str, Any] | None:
        return self.find("accounts-receivable/invoice", ["invoiceDate", "totalTxnAmount"],
                         **{"customer.id": customer_id, "invoiceNumber": number})

    def find_credit_note(self, vendor_id: str, number: str) -> dict[str, Any] | None:
        return self.find("accounts-payable/adjustment", ["createdDate"], **{"vendor.id": vendor_id,
                                                                           "adjustmentNumber": number})

    def _post(self, path: str, key: str, send, lookup, same_document) -> Posted:
        """The discipline of every export, as over XML (``post_once``), then the submit workflow:
        Sage creates documents as drafts. A document found by the lookup may have been submitted by
        the run that lost its answer; only a draft is submitted (under its own Idempotency-Key)."""
        posted = post_once(send, lookup, same_document)
        if posted.how != "created" and self.client.get(path, posted.recordno).get("state") != "draft":
            return posted
        self.client.workflow(path, "submit", posted.recordno, idempotency_key=f"{key}-submit")
        return posted

    def export_bill(self, bill: Bill, generation: int = 0) -> Posted:
        key = safe_controlid("bill", bill.vendor_id, bill.number, *_gen(generation))
        body: dict[str, Any] = {
            "billNumber": bill.number, "vendor": {"id": bill.vendor_id}, "createdDate": bill.date.isoformat(),
            "dueDate": (bill.due_date or bill.date).isoformat(), "lines": [_line(line) for line in bill.lines]}
        for name, value in (("referenceNumber", bill.po_number), ("description", bill.description or None),
                            ("postingDate", bill.gl_posting_date and bill.gl_posting_date.isoformat())):
            if value:
                body[name] = value
        if bill.terms:
            body["term"] = {"id": bill.terms}
        if bill.attachment_id:
            body["attachment"] = {"id": bill.attachment_id}
        return self._post("accounts-payable/bill", key,
                          lambda: self.client.create("accounts-payable/bill", body, idempotency_key=key),
                          lambda: self.find_bill(bill.vendor_id, bill.number),
                          lambda rec: rec.get("createdDate") == bill.date.isoformat()
                          and Decimal(rec.get("totalTxnAmount") or "0") == bill.total)

    def export_credit_note(self, note: CreditNote, generation: int = 0) -> Posted:
        key = safe_controlid("credit", note.vendor_id, note.number, *_gen(generation))
        body = {"adjustmentNumber": note.number, "vendor": {"id": note.vendor_id}, "createdDate": note.date.isoformat(),
                "lines": [_line(Line(line.account, -abs(line.amount), line.memo, line.department, line.location,
                                     line.class_id, line.project)) for line in note.lines]}
        if note.description:
            body["description"] = note.description
        return self._post("accounts-payable/adjustment", key,
                          lambda: self.client.create("accounts-payable/adjustment", body, idempotency_key=key),
                          lambda: self.find_credit_note(note.vendor_id, note.number), lambda rec: True)

    def export_invoice(self, invoice: Invoice, generation: int = 0) -> Posted:
        key = safe_controlid("invoice", invoice.customer_id, invoice.number, *_gen(generation))
        body: dict[str, Any] = {
            "invoiceNumber": invoice.number, "customer": {"id": invoice.customer_id},
            "invoiceDate": invoice.date.isoformat(), "dueDate": (invoice.due_date or invoice.date).isoformat(),
            "lines": [_line(line) for line in invoice.lines]}
        if invoice.description:
            body["description"] = invoice.description
        return self._post("accounts-receivable/invoice", key,
                          lambda: self.client.create("accounts-receivable/invoice", body, idempotency_key=key),
                          lambda: self.find_invoice(invoice.customer_id, invoice.number),
                          lambda rec: Decimal(rec.get("totalTxnAmount") or "0") == invoice.total)

    def record_payment(self, payment: Payment, generation: int = 0) -> Posted:
        key = safe_controlid("payment", payment.customer_id, payment.reference, *_gen(generation))
        body: dict[str, Any] = {
            "customer": {"id": payment.customer_id}, "documentNumber": payment.reference,
            "paymentMethod": payment.method, "paymentSummary": {"receiptDate": payment.date.isoformat()},
            "paymentDetails": [{"arInvoice": {"key": str(k)}, "txnCurrency": {"paymentAmount": _amount(a)}}
                               for k, a in payment.applied_to.items()]}
        if payment.bank_account:
            body["financialEntity"] = {"entityId": payment.bank_account}
        if payment.undeposited_account:
            body["undepositedGLAccount"] = {"id": payment.undeposited_account}
        if payment.batch_key:
            body["paymentSummary"]["key"] = payment.batch_key
        return post_once(lambda: self.client.create("accounts-receivable/payment", body, idempotency_key=key),
                          lambda: self.find_payment(payment.customer_id, payment.reference),
                          lambda rec: True)

    def upsert(self, path: str, records: list[Mapping[str, Any]]) -> dict[str, str]:
        """Master data by ``id``: created when absent, changed when present; id -> key."""
        out: dict[str, str] = {}
        for record in records:
            found = self.find(path, ["id"], id=str(record["id"]))
            if found is None:
                out[str(record["id"])] = self.client.create(path, record, idempotency_key=safe_controlid(
                    "import", path.replace("/", "."), str(record["id"])))
            else:
                self.client.update(path, str(found["key"]), {k: v for k, v in record.items() if k != "id"})
                out[str(record["id"])] = str(found["key"])
        return out

    def import_vendors(self, vendors: list[Mapping[str, Any]]) -> dict[str, str]:
        return self.upsert("accounts-payable/vendor", vendors)

    def import_customers(self, customers: list[Mapping[str, Any]]) -> dict[str, str]:
        return self.upsert("accounts-receivable/customer", customers)

    def import_gl_accounts(self, accounts: list[Mapping[str, Any]]) -> dict[str, str]:
        return self.upsert("general-ledger/account", accounts)
