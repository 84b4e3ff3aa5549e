"""The REST API's operations, framework-free: each takes what an HTTP request says and answers an
``Answer``. They run on the emulator's core exactly as the XML gateway does: the fault rules
(``faults/plan.py``, applied in REST terms by ``rest/faulting.py``), one unit of work per request,
the same ``functions/writes.py`` and rules, the same typed errors (rendered by
``errors.error_body``), a journal row per request (``functions`` name the REST method and path, so
journal filters and the inspector list REST calls beside XML ones).
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Mapping
from urllib.parse import parse_qs, urlencode

from ..clock import db_stamp
from ..errors import IntacctError, TooManyOperationsError, UpdateMissingError
from ..faults.engine import FunctionFacts
from ..faults.plan import apply_state_faults, fault_plan, one_off_rules, take_slots
from ..functions import writes
from ..auth.login import Principal
from ..functions.context import CallContext
from ..journal import JournalEntry, note_records
from ..store import shared
from ..store.books import Books
from . import codec
from ..store import oauth
from .answer import Answer
from .errors import (
    IdempotencyConflictError, MethodNotAllowedError, NotFoundPathError, OAuthError, RestError, TokenInvalidError,
    error_body,
)
from .references import resolve_references
from .faulting import document_number, dropped, front_answer, function_name, rest_facts, token_owner
from .composite import run_composite
from .model import known_models, model
from .objects import LINE_OBJECTS, RestObject, rest_object
from .query import path_filter, run_query
from .tokens import TokenOwner, TokenService

MAX_KEYS = 500  # GET /objects/x/1,2,3 ... (Sage: up to 500)
LIST_LIMIT = 100  # a collection GET lists at most this many references

Work = Callable[[Any, TokenOwner | None], Answer]  # (the unit of work, who the token names)


class RestApi:
    def __init__(self, emulator) -> None:
        self.em = emulator
        self.tokens = TokenService(emulator.companies, emulator.settings, emulator.clock)
        self._replaying = threading.local()

    @contextmanager
    def replaying(self, firings: list):
        """Requests made in this block apply these recorded firings instead of the rules (bundle replay)."""
        self._replaying.firings = firings
        try:
            yield
        finally:
            self._replaying.firings = None

    # ------------------------------------------------------------------ the front door's operations

    def token(self, form: Mapping[str, str], remote_addr: str = "", headers: Mapping[str, str] | None = None) -> Answer:
        """``POST /oauth2/token``: the grants of ``rest/tokens.py``."""
        user, _, company = (form.get("username") or "").partition("|")[0].partition("@")
        who = (company.strip().upper() or None, user.strip().lower() or None)
        return self._call("POST oauth2/token", FunctionFacts("oauth2/token", "", ""), "POST", "oauth2/token",
                          True, headers or {}, remote_addr, None,
                          lambda unit, _: Answer(200, self.tokens.grant(unit.conn, form), {"Cache-Control": "no-store"}),
                          claimed=who, authenticate=False)

    def authorize(self, params: Mapping[str, str], username: str, password: str | None, remote_addr: str = "",
                  headers: Mapping[str, str] | None = None) -> Answer:
        """``/oauth2/authorize``: sign ``username`` in and redirect to the client with a code."""
        user, _, company = username.partition("|")[0].partition("@")

        def work(unit, _) -> Answer:
            code = self.tokens.authorize(unit.conn, params, username, password)
            redirect = params["redirect_uri"].strip()
            query = {"code": code, **({"state": params["state"]} if params.get("state") else {})}
            location = redirect + ("&" if "?" in redirect else "?") + urlencode(query)
            return Answer(302, None, {"Location": location, "Cache-Control": "no-store"})

        return self._call("GET oauth2/authorize", FunctionFacts("oauth2/authorize", "", ""), "GET", "oauth2/authorize",
                          True, headers or {}, remote_addr, None, work,
                          claimed=(company.strip().upper() or None, user.strip().lower() or None), authenticate=False)

    def session_id(self, headers: Mapping[str, str], xml_endpoint: str, remote_addr: str = "") -> Answer:
        """``GET /services/core/session/id``: an XML API session for the token's user, company and
        entity, usable at once on the XML gateway (what an integration mid-migration drives its XML
        client with)."""

        def mint(unit, who: TokenOwner) -> Answer:
            now = self.em.clock.now()
            timeout = self.em.auth.timeout(who.company)
            principal = Principal(who.company, who.custom, who.user, who.entity, None, now, now + timeout)
            sender = who.company.senders[0] if who.company.senders else ""
            sid, _ = self.em.auth.issue_session(unit.conn, principal, None, senderid=sender, endpoint=xml_endpoint)
            return Answer(200, {"ia::result": {"sessionId": sid, "expiresIn": int(timeout.total_seconds())},
                                "ia::meta": _meta(1, 1)})

        return self._call("GET services/core/session/id", FunctionFacts("getAPISession", "", ""), "GET",
                          "services/core/session/id", True, headers, remote_addr, None, mint)

    def model(self, name: str | None, headers: Mapping[str, str], remote_addr: str = "") -> Answer:
        """``GET /services/core/model``: one object's model (``rest/model.py``), or the list of them."""
        rest = rest_object(name or "") if name else None

        def answer(unit, who) -> Answer:
            if not name:
                listed = known_models()
                return Answer(200, {"ia::result": listed, "ia::meta": _meta(len(listed), len(listed))})
            if rest is None:
                raise NotFoundPathError(f"There is no model '{name}' here.", target="/name")
            return Answer(200, {"ia::result": model(rest), "ia::meta": _meta(1, 1)})

        return self._call("GET services/core/model", FunctionFacts("inspect", rest.object_name if rest else "", ""),
                          "GET", "services/core/model", False, headers, remote_addr, None, answer)

    def composite(self, body: Any, headers: Mapping[str, str], remote_addr: str = "", xml_endpoint: str = "") -> Answer:
        """``POST /services/core/composite`` (``rest/composite.py``): each sub-request a request of its own."""
        try:
            return run_composite(body, headers, lambda method, path, sub_body, sub_headers: self.route(
                method, path, sub_body, sub_headers, remote_addr, xml_endpoint))
        except RestError as err:
            status, payload = error_body(err)
            return Answer(status, payload)

    def route(self, method: str, path: str, body: Any, headers: Mapping[str, str], remote_addr: str = "",
              xml_endpoint: str = "") -> Answer:
        """One request by its method and path under ``/ia/api/v1`` (the composite service's router)."""
        where, _, query_string = path.partition("?")
        where = where.strip("/")
        if where.startswith("objects/"):
            rest_path, keys = split_object_path(where[len("objects/"):])
            return self.objects(method, rest_path, keys, body, headers, remote_addr)
        if where == "services/core/query" and method == "POST":
            return self.query(body, headers, remote_addr)
        if where == "services/core/session/id" and method == "GET":
            return self.session_id(headers, xml_endpoint, remote_addr)
        if where == "services/core/model" and method == "GET":
            return self.model((parse_qs(query_string).get("name") or [None])[0], headers, remote_addr)
        status, payload = error_body(NotFoundPathError(f"There is no {method} /{where} here.", target=f"/{where}"))
        return Answer(status, payload)

    def query(self, body: Any, headers: Mapping[str, str], remote_addr: str = "") -> Answer:
        """``POST /services/core/query`` (``rest/query.py``)."""
        rest = rest_object(str(body.get("object") or "")) if isinstance(body, Mapping) else None
        return self._call("POST services/core/query", FunctionFacts("query", rest.object_name if rest else "", ""),
                          "POST", "services/core/query", False, headers, remote_addr, body,
                          lambda unit, who: Answer(200, run_query(self._context(unit, who), body)))

    def objects(self, method: str, path: str, keys: str | None, body: Any, headers: Mapping[str, str],
                remote_addr: str = "") -> Answer:
        """``/objects/<application>/<object>[/<keys>]``: list, read, create, update, delete."""
        rest = rest_object(path)
        writing = method in ("POST", "PATCH", "DELETE")
        idem = (header(headers, "Idempotency-Key") or "").strip() if writing else ""
        name = f"{method} {path}" + (f"/{keys}" if keys else "")
        function = FunctionFacts(function_name(method, keys), rest.object_name if rest else "", idem)

        def work(unit, who: TokenOwner) -> Answer:
            if rest is None:
                raise NotFoundPathError(f"There is no object '{path}' here.", target=f"/objects/{path}")
            ctx = self._context(unit, who)
            if not idem:
                return self._dispatch(ctx, rest, method, keys, body)
            request_hash = oauth.request_hash(method, path, keys or "", json.dumps(body, sort_keys=True))
            first = oauth.remembered(ctx.books.conn, who.company_key, who.client_id, idem)
            if first is not None:
                if first.request != request_hash:
                    raise IdempotencyConflictError(idem)
                return Answer(first.status, json.loads(first.response) if first.response else None,
                              {"X-IA-Idempotent-Replay": "true"})
            answer = self._dispatch(ctx, rest, method, keys, body)
            oauth.remember(ctx.books.conn, who.company_key, who.client_id, idem, request_hash, answer.status,
                           json.dumps(answer.body) if answer.body is not None else None, self.em.clock.now())
            return answer

        answer = self._call(name, function, method, f"objects/{path}" + (f"/{keys}" if keys else ""), writing,
                            headers, remote_addr, body, work, rest=rest)
        if answer.status == 405 and rest is not None:
            answer.headers["Allow"] = ", ".join(allowed_methods(rest, keys))
        return answer

    # ------------------------------------------------------------------ one request

    def _call(self, name: str, function: FunctionFacts, method: str, path: str, write: bool,
              headers: Mapping[str, str], remote_addr: str, body: Any, work: Work, *,
              claimed: tuple[str | None, str | None] | None = None, authenticate: bool = True,
              rest: RestObject | None = None) -> Answer:
        """Faults, one unit of work, the journal: the life of every REST request."""
        started = time.perf_counter()
        now = self.em.clock.now()
        entry = JournalEntry(at=now.isoformat(), remote_addr=remote_addr, controlid=function.controlid, protocol="rest",
                             functions=[{"name": name, "controlid": function.controlid, "object": function.object,
                                         "status": "success"}])
        document = document_number(rest, body) if write else None
        if document:
            entry.functions[0]["document"] = document
        faults = self.em.faults
        fault_version = shared.snapshot(self.em.db.connection()).get(shared.FAULT_VERSION, 0)
        one_off = one_off_rules(faults, headers)
        company, user = claimed if claimed is not None else token_owner(headers)
        entry.company, entry.user = company, user
        facts = rest_facts(function, method, path, headers, now, company, user)
        plan = fault_plan(faults, facts, one_off, getattr(self._replaying, "firings", None), fault_version)
        entry.faults = plan.journal()
        if plan.stop is not None:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)
            answer = front_answer(plan.stop)
            entry.functions[0].update(status="not run")
            self._finish(entry, answer, started, body)
            self.em.journal.record(entry)
            return answer
        apply_state_faults(plan, facts, self.em.db, self.em.companies)
        expired = any(f.type == "session_expire" for f in plan.state)
        held, busy = take_slots(faults, plan, facts, False, entry)
        try:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)
            answer = self._unit(entry, write, headers, work, authenticate, expired, busy, plan, rest, body,
                                remote_addr, started)
        finally:
            for slot in held:
                slot.release()
        if entry.id is None:  # not journaled with a write: in a transaction of its own
            self._finish(entry, answer, started, body)
            self.em.journal.record(entry)
        return answer

    def _unit(self, entry: JournalEntry, write: bool, headers: Mapping[str, str], work: Work, authenticate: bool,
              expired: bool, busy: bool, plan, rest: RestObject | None, body: Any, remote_addr: str,
              started: float) -> Answer:
        """Authenticate, run, commit. A write to the books journals in its own transaction, so its
        entry exists exactly when the write does (a lost acknowledgement is planned before)."""
        unit = self.em.db.unit(write=write)
        try:
            if busy:
                raise TooManyOperationsError()
            who = None
            if authenticate:
                if expired:
                    raise TokenInvalidError("Token has expired")
                who = self.tokens.owner(unit.conn, header(headers, "Authorization"), header(headers, "X-IA-API-Param-Entity"))
                entry.company, entry.user = who.company_key, who.user.userid.lower()
            forced = plan.errors.get(0)
            if forced is not None:
                declared = rest.object if rest is not None else None
                raise forced.action.error({
                    "document_number": document_number(rest, body), "object": rest.object_name if rest else "",
                    "label": declared.label if declared is not None else None, "sessionid": None, "senderid": "",
                    "company": entry.company, "remote_addr": remote_addr})
            answer = work(unit, who)
            replayed = answer.headers.get("X-IA-Idempotent-Replay") == "true"
            if replayed:
                entry.functions[0]["status"] = "replayed"
            entry.committed = write and rest is not None and not replayed  # the books changed (not a token row)
            if entry.committed:
                note_records(entry.functions, [unit.touched])
                if plan.drop is not None and answer.status < 300:
                    answer = dropped(answer, plan.drop, entry)
                self._finish(entry, answer, started, body)
                self.em.journal.write(unit.conn, entry)
            unit.commit()
            return answer
        except OAuthError as err:
            unit.rollback()
            entry.functions[0].update(status="failure", errorno=err.oauth_error)
            return Answer(err.http_status, {"error": err.oauth_error, "error_description": err.first.description2})
        except IntacctError as err:
            unit.rollback()
            status, payload = error_body(err)
            entry.functions[0].update(status="failure", errorno=err.first.errorno)
            return Answer(status, payload)
        except BaseException:
            unit.rollback()
            raise

    def _context(self, unit, who: TokenOwner) -> CallContext:
        books = Books(unit.conn, who.company_key, who.entity, who.user.userid, db_stamp(self.em.clock.now()),
                      touched=unit.touched)
        return CallContext(books=books, company=who.company, custom=who.custom, user=who.user, entity=who.entity,
                           settings=self.em.settings, clock=self.em.clock, unit=unit, owner=who.user.userid)

    def _dispatch(self, ctx: CallContext, rest: RestObject, method: str, keys: str | None, body: Any) -> Answer:
        obj = rest.object
        if method == "GET" and keys is None:
            ctx.require("READ", obj)
            where = path_filter(ctx, rest)
            rows = ctx.books.find(obj, where, limit=LIST_LIMIT + 1)
            refs = [codec.reference(rest, row) for row in rows[:LIST_LIMIT]]
            return Answer(200, {"ia::result": refs, "ia::meta": {"totalCount": ctx.books.count(obj, where), "start": 1,
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
        batch_patch = method == "PATCH" and keys is None and isinstance(body, list)
        if method not in allowed_methods(rest, "0" if batch_patch else keys):  # an array PATCH: what one record allows
            raise MethodNotAllowedError(f"{method} is not allowed on /objects/{rest.path}" + ("/{key}" if keys else "") + ".")
        if method == "POST" and keys is None:
            if isinstance(body, list):
                return self._batch(ctx, 201, [lambda item=item: self._create(ctx, rest, item) for item in _items(body)])
            return Answer(201, {"ia::result": self._create(ctx, rest, body), "ia::meta": _meta(1, 1)})
        if batch_patch:
            return self._batch(ctx, 200, [lambda item=item: self._update(ctx, rest, _item_key(item), item)
                                          for item in _items(body)])
        if method == "PATCH" and keys is not None:
            return Answer(200, {"ia::result": self._update(ctx, rest, _one_key(keys), body), "ia::meta": _meta(1, 1)})
        if method == "DELETE" and keys is not None:
            several = _keys(keys)
            if len(several) == 1:
                writes.delete_record(ctx, obj, _path_key(ctx, rest, several[0]), keys)
                return Answer(204)
            answer = self._batch(ctx, 204, [lambda key=key: writes.delete_record(ctx, obj, _path_key(ctx, rest, key),
                                                                                 str(key)) or {"key": str(key)}
                                            for key in several])
            return Answer(204) if answer.status == 204 else answer
        raise MethodNotAllowedError(f"{method} is not allowed on /objects/{rest.path}" + ("/{key}" if keys else "") + ".")

    def _create(self, ctx: CallContext, rest: RestObject, body: Any) -> dict[str, Any]:
        body = resolve_references(ctx, rest, body)
        record = [*codec.to_record(rest, body, ctx.fields_of(rest.object)), *rest.fixed]
        written = writes.create(ctx, rest.object, record)
        return codec.reference(rest, ctx.books.get(rest.object, written.recordno))

    def _update(self, ctx: CallContext, rest: RestObject, key: int, body: Any) -> dict[str, Any]:
        obj = rest.object
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k != "key"}  # an array member names its record in the body
        body = resolve_references(ctx, rest, body)
        record = codec.to_record(rest, body, ctx.fields_of(obj), creating=False)
        if not _in_path(ctx, rest, key):
            raise UpdateMissingError(obj.name, "RECORDNO", str(key))
        writes.update(ctx, obj, [*[(k, v) for k, v in record if k != "RECORDNO"], ("RECORDNO", str(key))])
        return codec.reference(rest, ctx.books.get(obj, key))

    def _batch(self, ctx: CallContext, success: int, steps: list[Callable[[], dict[str, Any]]]) -> Answer:
        """Several records in one call, each in its own savepoint: what succeeded stays, each
        failure is answered in its place. All succeeded: ``success``; some: 207 Multi-Status;
        none: the first failure's status."""
        results: list[dict[str, Any]] = []
        failures: list[int] = []
        for step in steps:
            try:
                with ctx.unit.savepoint():
                    results.append(step())
            except IntacctError as err:
                status, payload = error_body(err)
                failures.append(status)
                results.append(payload["ia::result"])
        meta = _meta(len(steps), len(steps) - len(failures))
        status = success if not failures else 207 if len(failures) < len(steps) else failures[0]
        return Answer(status, {"ia::result": results, "ia::meta": meta})

    def _read(self, ctx: CallContext, rest: RestObject, key: int) -> dict[str, Any] | None:
        obj = rest.object
        row = ctx.books.get(obj, key, showprivate=False)
        if row is None or not _fits(rest, row):
            return None
        lines = ctx.books.lines(obj.lines.object, key) if rest.lines is not None and obj.lines is not None else None
        return codec.to_json(rest, row, ctx.fields_of(obj), lines)

    def _finish(self, entry: JournalEntry, answer: Answer, started: float, body: Any = None) -> None:
        entry.http_status = answer.status
        entry.duration_ms = (time.perf_counter() - started) * 1000
        if self.em.journal.mode == "full":  # bodies only where the journal keeps them
            entry.request_body = json.dumps(body).encode() if body is not None else None
            kept = (answer.lost or answer).payload()  # a page that replaced the answer: the journal keeps the answer
            entry.response_body = kept or None


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header by name, whatever case the client (or the WSGI layer) gave it."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def _fits(rest: RestObject, row: dict[str, Any]) -> bool:
    """A named path reaches its own documents only: a Sales Order is not at ``document::Sales Invoice/<key>``."""
    return all(str(row.get(stored) or "") == value for stored, value in rest.fixed)


def _in_path(ctx: CallContext, rest: RestObject, key: int) -> bool:
    row = ctx.books.get(rest.object, key)
    return row is not None and _fits(rest, row)


def _path_key(ctx: CallContext, rest: RestObject, key: int) -> int | None:
    """``key`` for a write through ``rest``'s path, or None (the write's own "not found") outside it."""
    return key if not rest.fixed or _in_path(ctx, rest, key) else None


def split_object_path(rest_path: str) -> tuple[str, str | None]:
    """``accounts-payable/bill/12,13`` -> (``accounts-payable/bill``, ``12,13``)."""
    rest_path = rest_path.strip("/")
    if rest_object(rest_path) is not None:
        return rest_path, None
    head, _, tail = rest_path.rpartition("/")
    return (head, tail) if head else (rest_path, None)


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


MAX_BATCH = 100  # records in one array body (chosen: docs/fidelity.md)


def _items(body: list) -> list[Any]:
    if not body or len(body) > MAX_BATCH:
        raise RestError(f"An array body holds 1 to {MAX_BATCH} records.", target="/")
    return body


def _item_key(item: Any) -> int:
    key = item.get("key") if isinstance(item, dict) else None
    if key is None or not str(key).isdigit():
        raise RestError("Each record of a PATCH array names its 'key'.", target="/key")
    return int(key)


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
