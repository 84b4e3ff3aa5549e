"""The REST API's operations, framework-free: each takes what an HTTP request says and answers
``(status, JSON body or None, headers)``. They run on the emulator's core exactly as the XML
gateway does: one unit of work per request, the same ``functions/writes.py`` and rules, the same
typed errors (rendered by ``errors.error_body``), a journal row per request (``functions`` name
the REST method and path, so journal filters and the inspector list REST calls beside XML ones).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..clock import db_stamp
from ..errors import IntacctError, UpdateMissingError
from ..functions import writes
from ..auth.login import Principal
from ..functions.context import CallContext
from ..journal import JournalEntry
from ..store.books import Books
from . import codec
from ..store import oauth
from .errors import IdempotencyConflictError, MethodNotAllowedError, NotFoundPathError, OAuthError, RestError, error_body
from .objects import LINE_OBJECTS, RestObject, rest_object
from .query import run_query
from .tokens import TokenOwner, TokenService

MAX_KEYS = 500  # GET /objects/x/1,2,3 ... (Sage: up to 500)
LIST_LIMIT = 100  # a collection GET lists at most this many references


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class RestApi:
    def __init__(self, emulator) -> None:
        self.em = emulator
        self.tokens = TokenService(emulator.companies, emulator.settings, emulator.clock)

    # ------------------------------------------------------------------ OAuth

    def token(self, form: Mapping[str, str], remote_addr: str = "") -> Answer:
        started = time.perf_counter()
        entry = JournalEntry(at=self.em.clock.now().isoformat(), remote_addr=remote_addr,
                             functions=[{"name": "POST oauth2/token", "controlid": "", "object": None,
                                         "status": "success"}])
        unit = self.em.db.unit(write=True)
        try:
            body = self.tokens.grant(unit.conn, form)
            answer = Answer(200, body, {"Cache-Control": "no-store"})
            unit.commit()
        except OAuthError as err:
            unit.rollback()
            entry.functions[0].update(status="failure", errorno=err.oauth_error)
            answer = Answer(err.http_status, {"error": err.oauth_error, "error_description": err.first.description2})
        except RestError as err:
            unit.rollback()
            status, body = error_body(err)
            entry.functions[0].update(status="failure", errorno=err.first.errorno)
            answer = Answer(status, body)
        except BaseException:
            unit.rollback()
            raise
        self._journal(entry, answer, started)
        return answer

    # ------------------------------------------------------------------ services

    def session_id(self, headers: Mapping[str, str], xml_endpoint: str, remote_addr: str = "") -> Answer:
        """``GET /services/core/session/id``: an XML API session for the token's user, company and
        entity, usable at once on the XML gateway (what an integration mid-migration drives its XML
        client with)."""

        def mint(ctx: CallContext, who: TokenOwner) -> Answer:
            now = self.em.clock.now()
            timeout = self.em.auth.timeout(who.company)
            principal = Principal(who.company, who.custom, who.user, who.entity, None, now, now + timeout)
            sender = who.company.senders[0] if who.company.senders else ""
            sid, _ = self.em.auth.issue_session(ctx.books.conn, principal, None, senderid=sender, endpoint=xml_endpoint)
            return Answer(200, {"ia::result": {"sessionId": sid, "expiresIn": int(timeout.total_seconds())},
                                "ia::meta": _meta(1, 1)})

        return self._service("GET services/core/session/id", True, headers, remote_addr, None, mint)

    def query(self, body: Any, headers: Mapping[str, str], remote_addr: str = "") -> Answer:
        """``POST /services/core/query`` (``rest/query.py``)."""
        return self._service("POST services/core/query", False, headers, remote_addr, body,
                             lambda ctx, who: Answer(200, run_query(ctx, body)))

    def _service(self, name: str, write: bool, headers: Mapping[str, str], remote_addr: str, body: Any,
                 run) -> Answer:
        """One authenticated service call in its own unit of work, journaled."""
        started = time.perf_counter()
        entry = JournalEntry(at=self.em.clock.now().isoformat(), remote_addr=remote_addr,
                             functions=[{"name": name, "controlid": "", "object": None, "status": "success"}])
        unit = self.em.db.unit(write=write)
        try:
            who = self.tokens.owner(unit.conn, headers.get("Authorization"), headers.get("X-IA-API-Param-Entity"))
            entry.company, entry.user = who.company_key, who.user.userid.lower()
            answer = run(self._context(unit, who), who)
            unit.commit()
        except IntacctError as err:
            unit.rollback()
            status, payload = error_body(err)
            entry.functions[0].update(status="failure", errorno=err.first.errorno)
            answer = Answer(status, payload)
        except BaseException:
            unit.rollback()
            raise
        self._journal(entry, answer, started, body)
        return answer

    # ------------------------------------------------------------------ /objects

    def objects(self, method: str, path: str, keys: str | None, body: Any, headers: Mapping[str, str],
                remote_addr: str = "") -> Answer:
        started = time.perf_counter()
        rest = rest_object(path)
        entry = JournalEntry(at=self.em.clock.now().isoformat(), remote_addr=remote_addr,
                             functions=[{"name": f"{method} {path}" + (f"/{keys}" if keys else ""), "controlid":
                                         headers.get("Idempotency-Key", ""), "object": rest.object_name if rest else None,
                                         "status": "success"}])
        writes_books = method in ("POST", "PATCH", "DELETE")
        unit = self.em.db.unit(write=writes_books)
        try:
            if rest is None:
                raise NotFoundPathError(f"There is no object '{path}' here.", target=f"/objects/{path}")
            who = self.tokens.owner(unit.conn, headers.get("Authorization"), headers.get("X-IA-API-Param-Entity"))
            entry.company, entry.user = who.company_key, who.user.userid.lower()
            idem = (headers.get("Idempotency-Key") or "").strip() if writes_books else ""
            request_hash = oauth.request_hash(method, path, keys or "", json.dumps(body, sort_keys=True))
            first = oauth.remembered(unit.conn, who.company_key, who.client_id, idem) if idem else None
            if first is not None:
                if first.request != request_hash:
                    raise IdempotencyConflictError(idem)
                unit.rollback()
                entry.functions[0]["status"] = "replayed"
                answer = Answer(first.status, json.loads(first.response) if first.response else None,
                                {"X-IA-Idempotent-Replay": "true"})
                self._journal(entry, answer, started, body)
                return answer
            ctx = self._context(unit, who)
            answer = self._dispatch(ctx, rest, method, keys, body)
            if idem:
                oauth.remember(unit.conn, who.company_key, who.client_id, idem, request_hash, answer.status,
                               json.dumps(answer.body) if answer.body is not None else None, self.em.clock.now())
            entry.committed = writes_books
            unit.commit()
        except IntacctError as err:
            unit.rollback()
            status, payload = error_body(err)
            entry.functions[0].update(status="failure", errorno=err.first.errorno)
            answer = Answer(status, payload)
            if isinstance(err, MethodNotAllowedError) and rest is not None:
                answer.headers["Allow"] = ", ".join(allowed_methods(rest, keys))
        except BaseException:
            unit.rollback()
            raise
        self._journal(entry, answer, started, body)
        return answer

    def _context(self, unit, who: TokenOwner) -> CallContext:
        books = Books(unit.conn, who.company_key, who.entity, who.user.userid, db_stamp(self.em.clock.now()))
        return CallContext(books=books, company=who.company, custom=who.custom, user=who.user, entity=who.entity,
                           settings=self.em.settings, clock=self.em.clock, unit=unit, owner=who.user.userid)

    def _dispatch(self, ctx: CallContext, rest: RestObject, method: str, keys: str | None, body: Any) -> Answer:
        obj = rest.object
        if method == "GET" and keys is None:
            ctx.require("READ", obj)
            rows = ctx.books.find(obj, limit=LIST_LIMIT + 1)
            refs = [codec.reference(rest, row) for row in rows[:LIST_LIMIT]]
            return Answer(200, {"ia::result": refs, "ia::meta": {"totalCount": ctx.books.count(obj), "start": 1,
                                                                   "pageSize": LIST_LIMIT,
                                                                   "next": LIST_LIMIT + 1 if len(rows) > LIST_LIMIT
                                                                   else None, "previous": None}})
        if method == "GET":
            ctx.require("READ", obj)
            records = [self._read(ctx, rest, key) for key in _keys(keys)]
            found = [r for r in records if r is not None]
            if len(records) == 1:
                if not found:
                    raise NotFoundPathError(f"There is no {rest.path} with key {keys}.")
                return Answer(200, {"ia::result": found[0], "ia::meta": _meta(1, 1)})
            return Answer(200, {"ia::result": found, "ia::meta": _meta(len(records), len(found))})
        if method not in allowed_methods(rest, keys):
            raise MethodNotAllowedError(f"{method} is not allowed on /objects/{rest.path}" + ("/{key}" if keys else "") + ".")
        if method == "POST" and keys is None:
            record = codec.to_record(rest, body, ctx.fields_of(obj))
            written = writes.create(ctx, obj, record)
            row = ctx.books.get(obj, written.recordno)
            return Answer(201, {"ia::result": codec.reference(rest, row), "ia::meta": _meta(1, 1)})
        if method == "PATCH" and keys is not None:
            key = _one_key(keys)
            record = codec.to_record(rest, body, ctx.fields_of(obj), creating=False)
            if ctx.books.get(obj, key) is None:
                raise UpdateMissingError(obj.name, "RECORDNO", str(key))
            writes.update(ctx, obj, [*[(k, v) for k, v in record if k != "RECORDNO"], ("RECORDNO", str(key))])
            return Answer(200, {"ia::result": codec.reference(rest, ctx.books.get(obj, key)), "ia::meta": _meta(1, 1)})
        if method == "DELETE" and keys is not None:
            writes.delete_record(ctx, obj, _one_key(keys), keys)
            return Answer(204)
        raise MethodNotAllowedError(f"{method} is not allowed on /objects/{rest.path}" + ("/{key}" if keys else "") + ".")

    def _read(self, ctx: CallContext, rest: RestObject, key: int) -> dict[str, Any] | None:
        obj = rest.object
        row = ctx.books.get(obj, key, showprivate=False)
        if row is None:
            return None
        lines = ctx.books.lines(obj.lines.object, key) if rest.lines is not None and obj.lines is not None else None
        return codec.to_json(rest, row, ctx.fields_of(obj), lines)

    def _journal(self, entry: JournalEntry, answer: Answer, started: float, body: Any = None) -> None:
        entry.http_status = answer.status
        entry.duration_ms = (time.perf_counter() - started) * 1000
        entry.request_body = json.dumps(body).encode() if body is not None else None
        entry.response_body = json.dumps(answer.body).encode() if answer.body is not None else None
        self.em.journal.record(entry)


def allowed_methods(rest: RestObject, keys: str | None) -> tuple[str, ...]:
    """The methods Sage publishes for the object's collection (``keys`` None) or one record. A
    line is written through its document here (``lines`` in the bill's body), so line objects
    answer reads and refuse the rest with 405 and an ``Allow`` header."""
    published = rest.collection_methods if keys is None else rest.item_methods
    if rest.path in LINE_OBJECTS:
        return tuple(m for m in published if m == "GET")
    return published


def _meta(total: int, success: int) -> dict[str, int]:
    return {"totalCount": total, "totalSuccess": success, "totalError": total - success}


def _keys(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or len(parts) > MAX_KEYS:
        raise RestError(f"Give between 1 and {MAX_KEYS} keys.", target="/key")
    out = []
    for p in parts:
        if not p.isdigit() or len(p) > 18:
            raise NotFoundPathError(f"'{p}' is not a record key.", target="/key")
        out.append(int(p))
    return out


def _one_key(text: str) -> int:
    keys = _keys(text)
    if len(keys) != 1:
        raise RestError("Give one key.", target="/key")
    return keys[0]
