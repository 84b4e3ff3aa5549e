"""The Intacct client: sessions, safe retries, typed errors, lazy pagination.

What it retries on its own, and only that: anything that provably did not run (the request
never left, HTTP 429, a 503, an expired session, "too many operations", a control id still in
process) and reads. A write whose answer was lost raises ``OutcomeUnknown``; deciding whether to
send it again is the job of the document-aware operations (``client.operations``), which look the
document up first.
"""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from lxml import etree

from .config import ClientConfig
from .errors import (
    AuthenticationFailed,
    ConcurrencyLimited,
    ErrorDetail,
    FunctionFailed,
    IntacctError,
    OutcomeUnknown,
    RateLimited,
    RequestRejected,
    SessionExpired,
    TransientServerError,
    classify,
)
from .retry import RetryPolicy
from .transport import AnswerLost, NotDelivered, Transport
from .xml import Function, FunctionResult, Response, build_request, element, parse_response, record

LOST_WRITE_STATUSES = (500, 502, 504, 524)  # the request may have run (524: "still processing")


@dataclass
class Attempt:
    """One HTTP exchange, kept so tests and scenarios can assert on what the client did."""

    functions: tuple[str, ...]
    controlids: tuple[str, ...]
    outcome: str  # "ok" or an error class name
    http_status: int | None = None


@dataclass
class _SessionState:
    by_entity: dict[str, tuple[str, str]] = field(default_factory=dict)  # entity -> (sessionid, endpoint)


def safe_controlid(*parts: str) -> str:
    """A deterministic function control id from a document's own identity (max 256 chars, plain chars)."""
    text = "-".join(p.strip() for p in parts if p is not None)
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", text)[:256]


class IntacctClient:
    def __init__(self, config: ClientConfig, *, transport: Transport | None = None, retry: RetryPolicy | None = None,
                 _sessions: _SessionState | None = None, _attempts: list[Attempt] | None = None) -> None:
        config.validate()
        self.config = config
        self.transport = transport or Transport(config.timeout)
        self.retry = retry or RetryPolicy(config.max_attempts, config.retry_budget, config.backoff_base,
                                          config.backoff_cap, config.seed)
        self._sessions = _sessions or _SessionState()
        self.attempts: list[Attempt] = _attempts if _attempts is not None else []
        self._ids = itertools.count(1)

    # ------------------------------------------------------------------ entities and sessions

    def for_entity(self, entity_id: str | None) -> "IntacctClient":
        """The same client working in another entity (or at the top level with None)."""
        return IntacctClient(self.config.with_entity(entity_id), transport=self.transport, retry=self.retry,
                             _sessions=self._sessions, _attempts=self.attempts)

    @property
    def _entity_key(self) -> str:
        return self.config.entity_id or ""

    def session(self) -> tuple[str, str]:
        """(session id, endpoint) for this entity, signing in with getAPISession once."""
        found = self._sessions.by_entity.get(self._entity_key)
        if found is None:
            found = self._open_session()
            self._sessions.by_entity[self._entity_key] = found
        return found

    def invalidate_session(self) -> None:
        self._sessions.by_entity.pop(self._entity_key, None)

    def _open_session(self) -> tuple[str, str]:
        c = self.config
        login = {"userid": c.user_id, "companyid": c.company_id, "password": c.user_password,
                 "locationid": c.entity_id or ""}
        fn = Function(self._controlid("session"), element("getAPISession"))
        response = self._exchange(c.endpoint_url, [fn], login=login, write=False, uniqueid=False)
        result = self._single(response)
        api = result.data.find("api") if result.data is not None else None
        sessionid = api.findtext("sessionid") if api is not None else None
        if not sessionid:
            raise AuthenticationFailed("getAPISession answered without a session id")
        endpoint = (api.findtext("endpoint") or "").strip() or c.endpoint_url
        return sessionid, endpoint

    # ------------------------------------------------------------------ core exchange

    def _controlid(self, prefix: str) -> str:
        """Unique per call; reproducible when the config has a seed (scenarios compare journals)."""
        if self.config.seed is not None:
            return f"{prefix}-{self.config.seed}-{next(self._ids)}"
        return f"{prefix}-{uuid.uuid4().hex[:12]}-{next(self._ids)}"

    def execute(self, functions: Sequence[Function], *, write: bool, uniqueid: bool = False,
                transaction: bool = False) -> list[FunctionResult]:
        """Send functions in one request; retries only what provably did not run (see module doc)."""
        state = self.retry.start()
        while True:
            try:
                sessionid, endpoint = self.session()
                response = self._exchange(endpoint, functions, sessionid=sessionid, write=write, uniqueid=uniqueid,
                                          transaction=transaction)
                results = response.results
                if results and all(not r.ok for r in results) and all(
                        classify(r.errors, FunctionFailed) is ConcurrencyLimited for r in results):
                    raise ConcurrencyLimited(details=results[0].errors, controlid=results[0].controlid)
                return results
            except IntacctError as err:
                if isinstance(err, SessionExpired):
                    self.invalidate_session()
                if not err.retryable:
                    raise
                delay = state.next_delay(getattr(err, "retry_after", None))
                if delay is None:
                    raise
                state.wait(delay)

    def _exchange(self, url: str, functions: Sequence[Function], *, write: bool, uniqueid: bool,
                  sessionid: str | None = None, login: Mapping[str, str] | None = None,
                  transaction: bool = False) -> Response:
        c = self.config
        body = build_request(sender_id=c.sender_id, sender_password=c.sender_password,
                             controlid=self._controlid("req"), uniqueid=uniqueid, functions=functions,
                             sessionid=sessionid, login=login, transaction=transaction)
        names = tuple(f.name for f in functions)
        cids = tuple(f.controlid for f in functions)
        status = None
        try:
            try:
                answer = self.transport.post(url, body)
            except NotDelivered as exc:
                raise TransientServerError(f"request not delivered: {exc}") from None
            except AnswerLost as exc:
                if write:
                    raise OutcomeUnknown(f"the answer to a write was lost: {exc}", controlid=cids[0]) from None
                raise TransientServerError(f"the answer was lost: {exc}") from None
            status = answer.status
            response = self._interpret(answer, write, cids[0])
            self.attempts.append(Attempt(names, cids, "ok", status))
            return response
        except IntacctError as err:
            self.attempts.append(Attempt(names, cids, type(err).__name__, status))
            raise

    def _interpret(self, answer, write: bool, controlid: str) -> Response:
        is_xml = "xml" in answer.content_type.lower() or answer.body.lstrip().startswith(b"<?xml")
        parsed: Response | None = None
        if is_xml:
            try:
                parsed = parse_response(answer.body)
            except ValueError:
                parsed = None
        if answer.status == 401:
            details = parsed.control_errors if parsed else []
            raise AuthenticationFailed(details=details, http_status=401)
        if answer.status == 429:
            raise RateLimited(details=parsed.control_errors if parsed else [], retry_after=answer.retry_after,
                              http_status=429)
        if answer.status >= 500 or answer.status != 200 or parsed is None:
            message = f"HTTP {answer.status}" + (" (not an Intacct XML answer)" if parsed is None else "")
            if write and answer.status in LOST_WRITE_STATUSES:
                raise OutcomeUnknown(f"{message}: the write may have been committed", controlid=controlid,
                                     http_status=answer.status)
            raise TransientServerError(message, http_status=answer.status)
        if parsed.control_status != "success":
            raise classify(parsed.control_errors, RequestRejected)(details=parsed.control_errors, http_status=200)
        if parsed.auth_status is not None and parsed.auth_status != "success":
            raise classify(parsed.auth_errors, AuthenticationFailed)(details=parsed.auth_errors, http_status=200)
        return parsed

    @staticmethod
    def _single(response: Response) -> FunctionResult:
        result = response.results[0]
        raise_for(result)
        return result

    # ------------------------------------------------------------------ one function

    def call(self, body: etree._Element, *, write: bool = False, controlid: str | None = None,
             uniqueid: bool | None = None, replayable: bool | None = None) -> FunctionResult:
        """Run one function and return its successful result, or raise its typed error.

        Writes given a ``controlid`` (derived from the document) go with ``uniqueid=true``,
        so Intacct itself refuses to run them twice.
        """
        cid = controlid or self._controlid(body.tag)
        protected = uniqueid if uniqueid is not None else (write and controlid is not None)
        # readMore moves a server-side cursor: after a lost answer, sending it again would skip a page.
        unsafe = write or (replayable is False)
        [result] = self.execute([Function(cid, body)], write=unsafe, uniqueid=protected)
        raise_for(result)
        return result

    # ------------------------------------------------------------------ reads

    def read(self, obj: str, keys: Sequence[int | str], fields: str = "*") -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for start in range(0, len(keys), 100):
            chunk = ",".join(str(k) for k in keys[start:start + 100])
            out += self.call(element("read", object=obj, keys=chunk, fields=fields)).records()
        return out

    def read_by_name(self, obj: str, names: Sequence[str], fields: str = "*") -> list[dict[str, Any]]:
        return self.call(element("readByName", object=obj, keys=",".join(names), fields=fields)).records()

    def read_by_query(self, obj: str, query: str = "", fields: str = "*", page_size: int | None = None
                      ) -> Iterator[dict[str, Any]]:
        """Every matching record, one page in memory at a time (readByQuery, then readMore)."""
        size = page_size or self.config.page_size
        result = self.call(element("readByQuery", object=obj, fields=fields, query=query, pagesize=size))
        while True:
            yield from result.records()
            result_id = result.attr("resultId")
            if int(result.attr("numremaining", "0") or 0) <= 0 or not result_id:
                return
            result = self.call(element("readMore", resultId=result_id), replayable=False)

    def query(self, obj: str, select: Sequence[str], filter: etree._Element | None = None,
              order_by: Sequence[tuple[str, bool]] = (), page_size: int | None = None) -> Iterator[dict[str, Any]]:
        """The ``query`` function with offset paging; ``filter`` is one operator element (see ``client.filters``)."""
        size = page_size or self.config.page_size
        offset = 0
        while True:
            body = element("query", object=obj)
            sel = etree.SubElement(body, "select")
            for name in select:
                etree.SubElement(sel, "field").text = name
            if filter is not None:
                etree.SubElement(body, "filter").append(_copy(filter))
            if order_by:
                ob = etree.SubElement(body, "orderby")
                for name, descending in order_by:
                    order = etree.SubElement(ob, "order")
                    etree.SubElement(order, "field").text = name
                    etree.SubElement(order, "descending" if descending else "ascending")
            etree.SubElement(body, "pagesize").text = str(size)
            etree.SubElement(body, "offset").text = str(offset)
            result = self.call(body)
            records = result.records()
            yield from records
            offset += len(records)
            if not records or int(result.attr("numremaining", "0") or 0) <= 0:
                return

    # ------------------------------------------------------------------ writes

    def create(self, obj: str, fields: Mapping[str, Any], *, controlid: str | None = None) -> str:
        """Create one record; returns its RECORDNO."""
        result = self.call(element("create", record(obj, fields)), write=True, controlid=controlid)
        return _recordno(result)

    def update(self, obj: str, fields: Mapping[str, Any], *, controlid: str | None = None) -> str:
        result = self.call(element("update", record(obj, fields)), write=True, controlid=controlid)
        return _recordno(result)

    def delete(self, obj: str, keys: Sequence[int | str], *, controlid: str | None = None) -> None:
        self.call(element("delete", object=obj, keys=",".join(str(k) for k in keys)), write=True, controlid=controlid)

    def legacy(self, name: str, fields: Mapping[str, Any], *, controlid: str | None = None) -> str:
        """A 2.1-style function (create_invoice, create_arpayment ...); returns its ``key``."""
        result = self.call(record(name, fields), write=True, controlid=controlid)
        return (result.key or "").strip()


def raise_for(result: FunctionResult) -> None:
    if result.ok:
        return
    errors = result.errors or [ErrorDetail(description2=f"{result.function} {result.status}")]
    raise classify(errors, FunctionFailed)(details=errors, controlid=result.controlid)


def _recordno(result: FunctionResult) -> str:
    for rec in result.records():
        if isinstance(rec, dict) and rec.get("RECORDNO"):
            return str(rec["RECORDNO"])
    raise FunctionFailed("the answer carried no RECORDNO", controlid=result.controlid)


def _copy(el: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(el))
